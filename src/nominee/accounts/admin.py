from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, Appointment, RepresentativeProfile, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users by e-mail; staff roles are granted through the groups field."""

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


@admin.register(RepresentativeProfile)
class RepresentativeProfileAdmin(admin.ModelAdmin[RepresentativeProfile]):
    """Representatives and their licences."""

    list_display = ("user", "kind", "licence_number", "organisation")
    list_select_related = ("user",)
    search_fields = ("user__email", "licence_number")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin[Appointment]):
    """Appointments are made and revoked by the parties, not here: read-only."""

    list_display = ("representative", "employer", "candidate", "appointed_at", "revoked_at")
    list_select_related = ("representative__user", "employer", "candidate")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are listed for support; their secrets are never stored."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
