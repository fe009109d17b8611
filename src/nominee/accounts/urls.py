"""Pages of the accounts app (sign-in, sign-out and the password pages: ``auth_urls``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/confirm/sent/", views.confirmation_sent, name="confirmation_sent"),
    path("accounts/confirm/resend/", views.resend_confirmation, name="resend_confirmation"),
    path("accounts/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.AcceptInvitationView.as_view(),
        name="accept_invitation",
    ),
    path("accounts/account/", views.account, name="account"),
    path("accounts/account/email/", views.change_email, name="change_email"),
    path("accounts/emails/", views.my_emails, name="emails"),
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("representative/", views.representative_dashboard, name="representative_dashboard"),
    path(
        "representative/appointments/<int:pk>/withdraw/",
        views.withdraw_appointment,
        name="withdraw_appointment",
    ),
    path("staff/roles/", views.staff_roles, name="staff_roles"),
]
