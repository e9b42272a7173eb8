from django.contrib.auth import views as auth_views
from django.urls import path, re_path, reverse_lazy

import hearth.core.converters  # noqa: F401  (registers <username:...>)
from hearth.accounts import views
from hearth.accounts.forms import LoginForm

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("invite", views.invite, name="invite"),
    path(
        "login",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "settings/password",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/settings_password.html",
            success_url=reverse_lazy("settings_account"),
            extra_context={"section": "password"},
        ),
        name="settings_password",
    ),
    path("settings/profile", views.settings_profile, name="settings_profile"),
    path("settings/account", views.settings_account, name="settings_account"),
    path("settings/circle", views.settings_circle, name="settings_circle"),
    path("settings/people", views.settings_people, name="settings_people"),
    path("follow-requests", views.follow_requests, name="follow_requests"),
    path("@<username:username>/followers", views.followers, name="followers"),
    path("@<username:username>/following", views.following, name="following"),
    re_path(
        r"^@(?P<username>[A-Za-z0-9_]{1,30})/(?P<action>follow|unfollow|block|unblock|mute|unmute)$",
        views.relationship,
        name="relationship",
    ),
]
