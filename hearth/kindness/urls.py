from django.urls import path

import hearth.core.converters  # noqa: F401  (registers <username:...>)
from hearth.kindness import views

urlpatterns = [
    path("@<username:username>/thanks", views.thanks, name="thanks"),
    path("kindness/received", views.received, name="kindness_received"),
    path("kindness/sent", views.sent, name="kindness_sent"),
    path("kindness/figures", views.figures, name="kindness_figures"),
]
