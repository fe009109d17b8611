from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest

from nominee.core.errors import DomainError

from . import services
from .models import Allocation, PolicyVersion


class AllocationForm(ModelForm):
    """Refuses, on the form, what the service would refuse."""

    class Meta:
        model = Allocation
        fields = ["year", "nominations", "source"]

    def clean_nominations(self) -> int:
        value: int = self.cleaned_data["nominations"]
        issued = self.instance.nominations_issued if self.instance.pk else 0
        if value < issued:
            raise ValidationError(f"must be at least {issued}, the nominations already issued")
        return value


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin[Allocation]):
    """Yearly nomination allocations, set through the service (locked and audited)."""

    form = AllocationForm
    list_display = ("year", "nominations", "nominations_issued", "source", "updated_at")
    readonly_fields = ("nominations_issued", "updated_by", "updated_at")

    def save_model(self, request: HttpRequest, obj: Allocation, form: Any, change: bool) -> None:
        # The admin already runs this view in one transaction, so the service's body runs
        # inside it (a durable block cannot nest); the lock and the audit event are the same.
        try:
            saved = services._set_allocation(
                year=obj.year, nominations=obj.nominations, actor=request.user, source=obj.source
            )
        except DomainError as error:  # the form's check raced with an issued nomination
            raise ValidationError(error.message) from error
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    """The published policy versions, read-only: a manager publishes on /staff/policy/
    (``services.publish_policy_version``), and a published version is never edited."""

    list_display = ("kind", "effective_from", "author", "reason", "published_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "effective_from", "document", "author", "reason", "published_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
