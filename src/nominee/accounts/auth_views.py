"""Django's sign-in and password views in the site's look, their changes through services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as django_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.generic.edit import FormView

from nominee.core.errors import DomainError
from nominee.core.ratelimits import limit

from . import services
from .forms import PasswordResetRequestForm
from .lockout import USERNAME_LENGTH
from .models import normal_email


def _add_errors(form: Any, error: DomainError) -> None:
    """Put a service's per-field messages on a Django auth form."""
    placed = False
    for name, messages in error.fields.items():
        for text in messages:
            form.add_error(name if name in form.fields else None, text)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class LoginView(django_views.LoginView):
    """Sign in; attempts are rate-limited per account and per client address (Decision 78)
    besides django-axes' lockout after failures."""

    template_name = "accounts/auth/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit(request, "login_ip")
        username = request.POST.get("username")
        if isinstance(username, str) and username.strip():
            limit(request, "login_account", normal_email(username)[:USERNAME_LENGTH])
        return super().post(request, *args, **kwargs)


class LogoutView(django_views.LogoutView):
    template_name = "accounts/auth/logged_out.html"


class PasswordResetView(django_views.PasswordResetView):
    """Ask for a link to choose a new password (``services.request_password_reset``)."""

    template_name = "accounts/auth/password_reset_form.html"
    form_class = PasswordResetRequestForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit(request, "password_reset_ip")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        limit(self.request, "password_reset_email", normal_email(form.cleaned_data["email"]))
        services.request_password_reset(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(django_views.PasswordResetDoneView):
    template_name = "accounts/auth/password_reset_done.html"


class PasswordResetConfirmView(django_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link (through ``set_password_by_link``;
    an invitation's link through ``accept_invitation``)."""

    template_name = "accounts/auth/password_reset_confirm.html"
    link_kind = "reset"

    def form_valid(self, form: Any) -> HttpResponse:
        password = form.cleaned_data["new_password1"]
        try:
            if self.link_kind == "invitation":
                user = services.accept_invitation(user=form.user, password=password)
            else:
                user = services.set_password_by_link(
                    user=form.user, password=password, kind="reset"
                )
        except DomainError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        if self.post_reset_login:
            login(self.request, user, self.post_reset_login_backend)
        # Skip PasswordResetConfirmView.form_valid: it would save the form's password again.
        return FormView.form_valid(self, form)


class PasswordResetCompleteView(django_views.PasswordResetCompleteView):
    template_name = "accounts/auth/password_reset_complete.html"


class PasswordChangeView(django_views.PasswordChangeView):
    """The signed-in person changes their password (``services.change_password``)."""

    template_name = "accounts/auth/password_change_form.html"

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            user = services.change_password(
                user=form.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(django_views.PasswordChangeDoneView):
    template_name = "accounts/auth/password_change_done.html"
