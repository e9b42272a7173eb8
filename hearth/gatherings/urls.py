from django.urls import URLPattern, URLResolver, path

from hearth.gatherings import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("gatherings", views.gathering_list, name="gatherings"),
    path("gatherings/new", views.gathering_create, name="gathering_create"),
    path("gatherings/calendar/reset", views.calendar_reset, name="gathering_calendar_reset"),
    path(
        "gatherings/calendar/<str:token>.ics",
        views.calendar_feed,
        name="gathering_calendar_feed",
    ),
    path("gatherings/<int:gathering_id>", views.gathering_detail, name="gathering"),
    path("gatherings/<int:gathering_id>.ics", views.gathering_ics, name="gathering_ics"),
    path("gatherings/<int:gathering_id>/edit", views.gathering_edit, name="gathering_edit"),
    path("gatherings/<int:gathering_id>/cancel", views.gathering_cancel, name="gathering_cancel"),
    path("gatherings/<int:gathering_id>/rsvp", views.gathering_rsvp, name="gathering_rsvp"),
]
