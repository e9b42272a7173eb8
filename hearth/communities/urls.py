from django.urls import URLPattern, URLResolver, path

from hearth.communities import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("communities", views.browse, name="communities"),
    path("communities/new", views.create, name="community_create"),
    path("mentoring", views.mentoring, name="mentoring"),
    path("mentoring/<int:request_id>/end", views.mentoring_end, name="mentoring_end"),
    path("c/<slug:slug>", views.community, name="community"),
    path("c/<slug:slug>/about", views.rules, name="community_about"),
    path("c/<slug:slug>/join", views.join, name="community_join"),
    path("c/<slug:slug>/invite/<str:code>", views.join, name="community_invite"),
    path("c/<slug:slug>/leave", views.leave, name="community_leave"),
    path("c/<slug:slug>/rules/accept", views.rules_accept, name="community_rules_accept"),
    path("c/<slug:slug>/home-feed", views.home_feed, name="community_home_feed"),
    path("c/<slug:slug>/log", views.log, name="community_log"),
    path("c/<slug:slug>/members", views.members, name="community_members"),
    path("c/<slug:slug>/members/<int:user_id>/role", views.member_role, name="community_role"),
    path(
        "c/<slug:slug>/members/<int:user_id>/handover",
        views.member_handover,
        name="community_handover",
    ),
    path(
        "c/<slug:slug>/members/<int:user_id>/restrict",
        views.member_restrict,
        name="community_restrict",
    ),
    path("c/<slug:slug>/settings", views.settings, name="community_settings"),
    path("c/<slug:slug>/moderation", views.moderation, name="community_moderation"),
    path(
        "c/<slug:slug>/requests/<int:user_id>",
        views.request_decide,
        name="community_request_decide",
    ),
    path(
        "c/<slug:slug>/reports/<int:report_id>/dismiss",
        views.report_dismiss,
        name="community_report_dismiss",
    ),
    path(
        "c/<slug:slug>/posts/<int:post_id>/moderate",
        views.post_moderate,
        name="community_post_moderate",
    ),
    path("c/<slug:slug>/posts/<int:post_id>/report", views.post_report, name="community_report"),
    path("c/<slug:slug>/mentoring", views.mentoring_community, name="community_mentoring"),
    path(
        "c/<slug:slug>/mentoring/<int:request_id>/accept",
        views.mentor_accept,
        name="community_mentor_accept",
    ),
]
