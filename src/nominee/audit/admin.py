from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only for everyone, superusers included: the log is append-only."""

    list_display = ("at", "actor", "action", "subject_type", "subject_id")
    list_select_related = ("actor",)  # one query for the page, not one per row
    list_filter = ("action", "subject_type")
    search_fields = ("subject_id", "action", "actor__email")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
