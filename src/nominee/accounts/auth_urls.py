"""Signing in and out and the password pages, at /accounts/, under Django's URL names.

Django's views with the site's own templates (``accounts/auth/``: the admin's
``registration/`` templates would otherwise win, being found first) and accounts'
services for every change (a reset link, a new password), so that each is audited and
each e-mail is recorded and signed "Nominee".
"""

from __future__ import annotations

from django.urls import URLPattern, path

from . import auth_views as views

urlpatterns: list[URLPattern] = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
