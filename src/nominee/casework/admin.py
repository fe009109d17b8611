from django.contrib import admin

from .models import Allocation


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin[Allocation]):
    """Yearly nomination allocations; issued counts are read-only."""

    list_display = ("year", "nominations", "nominations_issued", "source", "updated_at")
    readonly_fields = ("nominations_issued", "updated_by", "updated_at")
