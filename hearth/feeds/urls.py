from django.urls import path

from hearth.feeds import views

urlpatterns = [
    path("home", views.home, name="home"),
    path("notifications", views.notifications, name="notifications"),
    path("notifications/read", views.notifications_read, name="notifications_read"),
    path("wellbeing/reflection", views.reflection, name="reflection"),
]
