from django.urls import URLPattern, URLResolver, path

from hearth.wellbeing import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("wellbeing", views.dashboard, name="wellbeing"),
    path("wellbeing/heartbeat", views.heartbeat, name="wellbeing_heartbeat"),
    path("wellbeing/more", views.more_time, name="wellbeing_more"),
    path("wellbeing/forget", views.forget_time, name="wellbeing_forget"),
    path("settings/wellbeing", views.settings_wellbeing, name="settings_wellbeing"),
]
