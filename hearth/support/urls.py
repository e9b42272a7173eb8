from django.urls import URLPattern, URLResolver, path

from hearth.support import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("support", views.support_home, name="support_home"),
    path("support/new", views.support_new, name="support_new"),
    path("support/settings", views.support_settings, name="support_settings"),
    path("support/settings/care", views.support_care_settings, name="support_care_settings"),
    path("support/resources", views.support_resources, name="support_resources"),
    path("support/resources/edit", views.support_resources_edit, name="support_resources_edit"),
    path("support/resources/add", views.support_resource_form, name="support_resource_add"),
    path(
        "support/resources/<int:resource_id>/edit",
        views.support_resource_form,
        name="support_resource_edit",
    ),
    path("support/care", views.support_care, name="support_care"),
    path(
        "support/care/<int:worried_id>/misuse",
        views.support_care_misuse,
        name="support_misuse_report",
    ),
    path("support/misuse", views.support_misuse, name="support_misuse"),
    path("support/worried/<int:post_id>", views.support_worried, name="support_worried"),
    path("support/<int:request_id>", views.support_request, name="support_request"),
    path("support/<int:request_id>/resolve", views.support_resolve, name="support_resolve"),
    path("support/<int:request_id>/checkin", views.support_checkin, name="support_checkin"),
    path(
        "support/<int:request_id>/checkin/when",
        views.support_checkin_when,
        name="support_checkin_when",
    ),
    path("support/<int:request_id>/pass", views.support_pass, name="support_pass"),
]
