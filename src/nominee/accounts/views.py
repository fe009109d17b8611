"""Pages of the accounts app: sign-up, e-mail confirmation, invitations, e-mails, API tokens,
the representative's dashboard and the managers' staff-role page."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nominee.core.errors import DomainError, ValidationFailed
from nominee.core.ratelimits import limit
from nominee.core.views import page_not_found

from . import queries, services
from .auth_views import PasswordResetConfirmView
from .forms import EmailChangeForm, RepresentativeForm, RoleForm, SignupForm, TokenForm
from .mail import mailbox_enabled
from .models import User, normal_email
from .roles import Role, has_role

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _me(request: HttpRequest) -> User:
    """The signed-in user (views and operations here require authentication)."""
    return cast(User, request.user)


def signup(request: HttpRequest) -> HttpResponse:
    """Create an account (employer contact, candidate or representative).

    The answer is the same whether or not the address has an account (Decision 78): the
    "we sent you a link" page, nobody signed in. A new account's owner follows the link,
    then signs in; an existing one's is e-mailed how to sign in or reset the password.
    """
    if _me(request).is_authenticated:
        return redirect("dashboard")
    status = 200
    if request.method == "POST":
        limit(request, "signup_ip")
        form = SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            limit(request, "signup_email", normal_email(data["email"]))
            try:
                services.sign_up(
                    email=data["email"],
                    password=data["password"],
                    full_name=data["full_name"],
                    role=data["role"],
                    representative_kind=data["representative_kind"] or None,
                    licence_number=data["licence_number"],
                    organisation=data["organisation"],
                )
            except DomainError as error:
                form.add_service_errors(error.message, error.fields)
            else:
                return redirect("accounts:confirmation_sent")
        status = 400
    else:
        form = SignupForm(initial={"role": request.GET.get("role", "")})
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def confirmation_sent(request: HttpRequest) -> HttpResponse:
    """Tell the person to follow the link we e-mailed (and where to go meanwhile).

    Anonymous after a sign-up (the same page whether the address was new or not); an
    unconfirmed account that signed in sees it with the button to send the link again.
    """
    return render(
        request,
        "accounts/confirmation_sent.html",
        {"demo_mail": _demo_mail()},
    )


def _demo_mail() -> bool:
    """Whether e-mails stay on this machine (file or console backend): the demo."""
    return settings.EMAIL_BACKEND.endswith(("filebased.EmailBackend", "console.EmailBackend"))


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """Follow the e-mailed link: the address is confirmed (idempotent)."""
    try:
        user = services.confirm_email(token=token)
    except DomainError as error:
        return render(
            request, "accounts/confirm_failed.html", {"message": error.message}, status=400
        )
    if _me(request).is_authenticated and _me(request).pk == user.pk:
        if request.session.get("nominee_email_change") == user.email:
            del request.session["nominee_email_change"]
            messages.success(
                request, _("Your e-mail address is changed to %(email)s.") % {"email": user.email}
            )
            return redirect("accounts:account")
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
        return redirect(_next_after_confirm(user))
    messages.success(request, _("Your e-mail address is confirmed: sign in to continue."))
    return redirect(f"{reverse('login')}?{urlencode({'next': _next_after_confirm(user)})}")


def _next_after_confirm(user: User) -> str:
    """Where a newly confirmed account goes on: a representative to their dashboard, an
    account with neither a candidate profile nor an employer to register a business (it
    signed up as an employer's contact), anyone else to their dashboard."""
    if hasattr(user, "representative_profile"):
        return reverse("accounts:representative_dashboard")
    if not hasattr(user, "candidate") and not user.employer_contacts.exists():
        return reverse("employers:register")
    return reverse("dashboard")


@login_required
@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    """Send a fresh confirmation link."""
    limit(request, "confirmation_resend", str(request.user.pk))
    try:
        services.resend_confirmation(user=_me(request))
    except DomainError as error:
        messages.warning(request, error.message)
        return redirect("dashboard")
    messages.success(request, _("We sent you a new confirmation link."))
    return redirect("accounts:confirmation_sent")


class AcceptInvitationView(PasswordResetConfirmView):
    """An invited contact chooses a password; following the link confirms the address."""

    link_kind = "invitation"
    template_name = "accounts/accept_invitation.html"
    success_url = reverse_lazy("employers:dashboard")
    post_reset_login = True
    post_reset_login_backend = AUTH_BACKEND
    reset_url_token = "choose-password"  # noqa: S105 - a URL segment, not a secret

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome to Nominee: your password is set."))
        return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your account: its address and password, with the pages to change them."""
    return render(request, "accounts/account.html", {"mailbox_enabled": mailbox_enabled()})


@login_required
def change_email(request: HttpRequest) -> HttpResponse:
    """Ask to change the account's address: a link goes to the new one, which confirms it."""
    status = 200
    if request.method == "POST":
        form = EmailChangeForm(request.POST)
        if form.is_valid():
            try:
                services.request_email_change(
                    user=_me(request),
                    password=form.cleaned_data["password"],
                    new_email=form.cleaned_data["email"],
                )
            except DomainError as error:
                form.add_service_errors(error.message, error.fields)
            else:
                address = form.cleaned_data["email"].strip().lower()
                request.session["nominee_email_change"] = address
                return render(
                    request,
                    "accounts/email_change_sent.html",
                    {"new_email": address, "demo_mail": _demo_mail()},
                )
        status = 400
    else:
        form = EmailChangeForm()
    return render(request, "accounts/email_change.html", {"form": form}, status=status)


@login_required
def my_emails(request: HttpRequest) -> HttpResponse:
    """The e-mails Nominee sent to this account at its confirmed address, since confirming.

    Mail is matched to the account, never to the address alone: an e-mail sent before the
    account existed, or before it proved it controls the address, belongs to whoever
    controls the mailbox, not necessarily to whoever signed up with it (404 when the page
    is off: production).
    """
    if not mailbox_enabled():
        return page_not_found(request, None)
    emails = queries.mailbox(_me(request))[:100]
    return render(
        request,
        "accounts/emails.html",
        {"emails": emails, "show_private": _demo_mail()},
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke personal API tokens. A new token is shown once."""
    user: User = _me(request)
    new_token: str | None = None
    status = 200
    if request.method == "POST":
        limit(request, "api_token", str(user.pk))
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _row, new_token = services.create_api_token(
                    user=user, name=form.cleaned_data["name"]
                )
            except DomainError as error:
                form.add_service_errors(error.message, error.fields)
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    else:
        form = TokenForm()
    rows = queries.tokens_of(user)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": rows, "new_token": new_token},
        status=status,
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of your tokens (404 for anybody else's)."""
    row = queries.token_of(_me(request), pk=pk)
    if row is None:
        return page_not_found(request, None)
    try:
        services.revoke_api_token(actor=_me(request), token=row)
    except DomainError as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, _("The token %(name)s is revoked.") % {"name": row.name})
    return redirect("accounts:tokens")


@login_required
def representative_dashboard(request: HttpRequest) -> HttpResponse:
    """A representative's appointed files; an account without a profile may register one."""
    user: User = _me(request)
    profile = (
        getattr(user, "representative_profile", None)
        if has_role(user, Role.REPRESENTATIVE)
        else None
    )
    status = 200
    form = None
    if profile is None:
        if request.method == "POST":
            form = RepresentativeForm(request.POST)
            if form.is_valid():
                try:
                    services.become_representative(user=user, **form.cleaned_data)
                except DomainError as error:
                    form.add_service_errors(error.message, error.fields)
                else:
                    messages.success(request, _("You are registered as a representative."))
                    return redirect("accounts:representative_dashboard")
            status = 400
        else:
            form = RepresentativeForm()
        return render(request, "accounts/become_representative.html", {"form": form}, status=status)
    appointments = queries.appointments_of(user)
    return render(
        request,
        "accounts/representative_dashboard.html",
        {
            "profile": profile,
            "live": [a for a in appointments if a.revoked_at is None],
            "past": [a for a in appointments if a.revoked_at is not None],
        },
    )


@login_required
@require_POST
def withdraw_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """A representative steps down from an appointment (404 unless it is theirs)."""
    appointment = queries.appointment_of(_me(request), pk)
    if appointment is None:
        return page_not_found(request, None)
    try:
        services.revoke_appointment(actor=_me(request), appointment=appointment)
    except DomainError as error:
        messages.warning(request, error.message)
    else:
        messages.success(request, _("You no longer act for this client."))
    return redirect("accounts:representative_dashboard")


@login_required
def staff_roles(request: HttpRequest) -> HttpResponse:
    """Managers grant and revoke staff roles (never their own); 404 for anyone else."""
    if not has_role(_me(request), Role.MANAGER):
        return page_not_found(request, None)
    status = 200
    if request.method == "POST":
        form = RoleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            user = User.objects.filter(email__iexact=data["email"]).first()
            try:
                if user is None:
                    raise ValidationFailed(
                        _("no account with this e-mail address"),
                        fields={"email": [_("No account uses this e-mail address.")]},
                    )
                change = services.grant_role if data["action"] == "grant" else services.revoke_role
                change(manager=_me(request), user=user, role=data["role"])
            except DomainError as error:
                form.add_service_errors(error.message, error.fields)
            else:
                messages.success(request, _("The role is changed."))
                return redirect("accounts:staff_roles")
        status = 400
    else:
        form = RoleForm()
    staff = (
        User.objects.filter(
            groups__name__in=[r.value for r in (Role.OFFICER, Role.MANAGER, Role.AUDITOR)]
        )
        .prefetch_related("groups")
        .distinct()
        .order_by("email")
    )
    return render(
        request, "accounts/staff_roles.html", {"form": form, "staff": staff}, status=status
    )
