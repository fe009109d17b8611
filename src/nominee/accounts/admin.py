"""The admin's pages for people: every save goes through ``services.admin_edits`` (checked
and audited, Decision 79); what changes only through the parties' own pages is read-only."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied as AdminPermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest

from nominee.audit.services import snapshot
from nominee.core.errors import DomainError

from . import services
from .models import ApiToken, Appointment, RepresentativeProfile, User

# Who is changing a password on the admin's password page: its form's save() calls the
# service, and a form is not given the request (a context variable is per request/thread).
_PASSWORD_ACTOR: ContextVar[Any] = ContextVar("nominee_admin_password_actor")


def _form_errors(form: BaseForm, error: DomainError) -> None:
    """A refusal on the form: its message at the top, its fields' messages beside them."""
    form.add_error(None, error.message)
    for field, messages in error.fields.items():
        if field in form.fields:
            form.add_error(field, messages)


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form, saved by ``set_password_by_admin`` (audited)."""

    def save(self, commit: bool = True) -> Any:
        password = (
            self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        )
        try:
            return services.set_password_by_admin(
                actor=_PASSWORD_ACTOR.get(), user=self.user, password=password
            )
        except DomainError as error:  # the form ran the same validators: a race, or a bug
            raise AdminPermissionDenied(error.message) from error


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users by e-mail; staff roles are granted through the groups field. Every save is
    checked and audited (flags and groups before and after); users are deactivated, never
    deleted (the audit log names them)."""

    list_display = ("email", "full_name", "is_active", "email_confirmed_at", "last_login")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "username", "password", "full_name")}),
        ("Status", {"fields": ("is_active", "email_confirmed_at", "last_login", "date_joined")}),
        ("Roles", {"fields": ("groups", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "username", "password1", "password2")}),
    )
    # Set by signing in and signing up, never by hand.
    readonly_fields = ("last_login", "date_joined")
    change_password_form = AuditedPasswordChangeForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class CheckedUserForm(base):  # type: ignore[valid-type, misc]
            """Refuses on the form what ``_save_user_by_admin`` would refuse."""

            def clean(self) -> Any:
                cleaned = super().clean()
                values = snapshot(self.instance, list(services.USER_FIELDS))
                values.update({k: cleaned[k] for k in services.USER_FIELDS if k in cleaned})
                groups = None
                if "groups" in self.fields and "groups" in cleaned:
                    groups = [group.name for group in cleaned["groups"]]
                try:
                    services.check_user_change(
                        actor=actor, user=self.instance, values=values, groups=groups
                    )
                except DomainError as error:
                    _form_errors(self, error)
                return cleaned

        return CheckedUserForm

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        groups = form.cleaned_data.get("groups") if "groups" in form.fields else None
        try:
            services._save_user_by_admin(
                actor=request.user, user=obj, groups=groups, adding=not change
            )
        except DomainError as error:  # the form's checks raced with another change
            raise AdminPermissionDenied(error.message) from error

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The groups were saved with the user, by the service; there are no inlines.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        token = _PASSWORD_ACTOR.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _PASSWORD_ACTOR.reset(token)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Groups and their permissions, saved and deleted through the audited service; the
    staff roles' groups (officer, manager, auditor) are neither renamed nor deleted."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)

        class CheckedGroupForm(base):  # type: ignore[valid-type, misc]
            """Refuses renaming a staff role's group on the form."""

            def clean(self) -> Any:
                cleaned = super().clean()
                try:
                    services.check_group_change(
                        group=self.instance, name=cleaned.get("name", self.instance.name)
                    )
                except DomainError as error:
                    _form_errors(self, error)
                return cleaned

        return CheckedGroupForm

    def save_model(self, request: HttpRequest, obj: Group, form: Any, change: bool) -> None:
        permissions = form.cleaned_data.get("permissions") if "permissions" in form.fields else None
        try:
            services._save_group_by_admin(
                actor=request.user, group=obj, permissions=permissions, adding=not change
            )
        except DomainError as error:
            raise AdminPermissionDenied(error.message) from error

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The permissions were saved with the group, by the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.name in services.STAFF_GROUPS:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Group) -> None:
        try:
            services._delete_group_by_admin(actor=request.user, group=obj)
        except DomainError as error:
            raise AdminPermissionDenied(error.message) from error

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Group]) -> None:
        try:
            with transaction.atomic():  # all of the selection, or none of it
                for group in queryset:
                    services._delete_group_by_admin(actor=request.user, group=group)
        except DomainError as error:
            raise AdminPermissionDenied(error.message) from error


@admin.register(RepresentativeProfile)
class RepresentativeProfileAdmin(admin.ModelAdmin[RepresentativeProfile]):
    """Representatives and their licences: a licence is corrected here (audited); a
    profile is made by its holder (never here, where it could go to a staff account) and
    never moved to another account."""

    list_display = ("user", "kind", "licence_number", "organisation")
    list_select_related = ("user",)
    search_fields = ("user__email", "licence_number")
    readonly_fields = ("user",)

    def save_model(
        self, request: HttpRequest, obj: RepresentativeProfile, form: Any, change: bool
    ) -> None:
        try:
            services._save_representative_profile_by_admin(actor=request.user, profile=obj)
        except DomainError as error:
            raise AdminPermissionDenied(error.message) from error

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin[Appointment]):
    """Appointments are made and revoked by the parties, not here: read-only."""

    list_display = ("representative", "employer", "candidate", "appointed_at", "revoked_at")
    list_select_related = ("representative__user", "employer", "candidate")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are listed for support, read-only: their secrets are never stored, and a
    token is created and revoked by its owner (``services.api_tokens``, ``nominee token``,
    the account page), never edited, moved to another account or revived here."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "last_used_at",
        "revoked_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
