from django.urls import URLPattern, URLResolver, path

from hearth.messaging import views

app_name = "messaging"

urlpatterns: list[URLPattern | URLResolver] = [
    path("messages", views.inbox, name="inbox"),
    path("messages/requests", views.requests, name="requests"),
    path("messages/new", views.conversation_new, name="new"),
    path("messages/<int:conversation_id>", views.conversation, name="conversation"),
    path("messages/<int:conversation_id>/send", views.message_send, name="send"),
    path("messages/<int:conversation_id>/accept", views.request_accept, name="accept"),
    path("messages/<int:conversation_id>/ignore", views.request_ignore, name="ignore"),
    path("messages/<int:conversation_id>/block", views.request_block, name="block"),
    path("messages/<int:conversation_id>/leave", views.leave, name="leave"),
    path("messages/<int:conversation_id>/mute", views.mute, name="mute"),
    path("messages/<int:conversation_id>/rename", views.rename, name="rename"),
    path("messages/<int:conversation_id>/read", views.mark_read, name="read"),
    path("messages/<int:conversation_id>/photos/<int:photo_id>", views.photo, name="photo"),
]
