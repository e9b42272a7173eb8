from django.urls import path

import hearth.core.converters  # noqa: F401  (registers <username:...>)
from hearth.posts import views

urlpatterns = [
    path("posts/new", views.post_create, name="compose"),
    path("milestones/new", views.milestone_create, name="milestone_new"),
    path("media/<int:media_id>/describe", views.media_describe, name="media_describe"),
    path("tags/<str:tag>", views.tag, name="tag"),
    path("saved", views.saved, name="saved"),
    path("@<username:username>", views.profile, name="profile"),
    path("@<username:username>/<int:post_id>", views.post_detail, name="post"),
    path("@<username:username>/<int:post_id>/edit", views.post_edit, name="post_edit"),
    path("@<username:username>/<int:post_id>/delete", views.post_delete, name="post_delete"),
    path("@<username:username>/<int:post_id>/history", views.post_history, name="post_history"),
    path("@<username:username>/<int:post_id>/react", views.post_react, name="post_react"),
    path("@<username:username>/<int:post_id>/share", views.post_share, name="post_share"),
    path("@<username:username>/<int:post_id>/save", views.post_save, name="post_save"),
    path("@<username:username>/<int:post_id>/pin", views.post_pin, name="post_pin"),
    path("@<username:username>/<int:post_id>/replies", views.thread_rules, name="thread_rules"),
    path(
        "@<username:username>/<int:post_id>/remind", views.milestone_remind, name="milestone_remind"
    ),
]
