"""Forms of the accounts pages. They only parse; the services decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import RepresentativeProfile
from .roles import Role


class ServiceErrorsMixin:
    """Put a DomainError's per-field messages on the form's fields (or the form)."""

    def add_service_errors(self, message: str, fields: Mapping[str, Sequence[str]]) -> None:
        form: Any = self
        placed = False
        for name, messages in fields.items():
            target = name if name in form.fields else None
            for text in messages:
                form.add_error(target, text)
                placed = True
        if not placed:
            form.add_error(None, message)


class SignupForm(ServiceErrorsMixin, forms.Form):
    """Create an account: who you are and what you will use Nominee for."""

    ROLE_CHOICES = [
        ("employer", _("I act for an employer: I will register a business and submit job offers")),
        ("candidate", _("I am a candidate: I will register an expression of interest")),
        ("representative", _("I am a lawyer, paralegal or licensed consultant acting for clients")),
    ]

    role = forms.ChoiceField(
        label=_("How will you use Nominee?"), choices=ROLE_CHOICES, widget=forms.RadioSelect
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("You sign in with it. We send a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        help_text=_("At least 8 characters; not a common password, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    representative_kind = forms.ChoiceField(
        label=_("Representatives: your profession"),
        choices=[("", _("Choose…")), *RepresentativeProfile.Kind.choices],
        required=False,
    )
    licence_number = forms.CharField(
        label=_("Representatives: licence or membership number"), max_length=40, required=False
    )
    organisation = forms.CharField(
        label=_("Representatives: firm or organisation"), max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        """The two passwords must match."""
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class RepresentativeForm(ServiceErrorsMixin, forms.Form):
    """Register an existing account as a representative."""

    kind = forms.ChoiceField(label=_("Profession"), choices=RepresentativeProfile.Kind.choices)
    licence_number = forms.CharField(label=_("Licence or membership number"), max_length=40)
    organisation = forms.CharField(label=_("Firm or organisation"), max_length=200, required=False)


class PasswordResetRequestForm(PasswordResetForm):
    """The address to send a reset link to (Django's form, labelled like the site's forms)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class EmailChangeForm(ServiceErrorsMixin, forms.Form):
    """A new address for the account, and the current password to prove it is you."""

    email = forms.EmailField(
        label=_("New e-mail address"),
        help_text=_(
            "We send a link to this address. Your account keeps its current address until "
            "you follow it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Your current password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )


class TokenForm(ServiceErrorsMixin, forms.Form):
    """Name a new personal API token."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. 'nightly export'. You see it in this list."),
    )


class RoleForm(ServiceErrorsMixin, forms.Form):
    """A manager grants or revokes a staff role."""

    email = forms.EmailField(label=_("E-mail address of the person"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.OFFICER.value, _("Program officer")),
            (Role.MANAGER.value, _("Program manager")),
            (Role.AUDITOR.value, _("Auditor")),
        ],
    )
    action = forms.ChoiceField(
        label=_("Change"),
        choices=[("grant", _("Grant the role")), ("revoke", _("Revoke the role"))],
        widget=forms.RadioSelect,
    )
