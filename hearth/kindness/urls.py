from django.urls import path

import hearth.core.converters  # noqa: F401  (registers <username:...>)
from hearth.kindness import views

urlpatterns = [
    path("@<username:username>/thanks", views.thanks, name="thanks"),
    path("kindness/received", views.received, name="kindness_received"),
    path("kindness/sent", views.sent, name="kindness_sent"),
    path("kindness/figures", views.figures, name="kindness_figures"),
    path("settings/filters", views.keyword_filters, name="settings_filters"),
    path(
        "settings/filters/<int:filter_id>/edit",
        views.keyword_filter_edit,
        name="settings_filter_edit",
    ),
    path(
        "settings/filters/<int:filter_id>/delete",
        views.keyword_filter_delete,
        name="settings_filter_delete",
    ),
]
