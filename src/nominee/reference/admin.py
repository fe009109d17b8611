from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import model_to_dict
from django.http import HttpRequest

from nominee.audit.services import record

from .models import (
    CensusDivision,
    Noc,
    OccupationList,
    OccupationListEntry,
    PlaceList,
    PlaceListEntry,
    WageFigure,
    WageTableVersion,
)


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits of policy tables write an audit event with the fields before and after."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = _fields(old) if old is not None else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                actor=request.user,
                action=f"{obj._meta.label_lower}.{'changed' if change else 'added'}",
                subject=obj,
                before=before,
                after=_fields(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record(
                actor=request.user,
                action=f"{obj._meta.label_lower}.deleted",
                subject=obj,
                before=_fields(obj),
            )
            super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            instances = formset.save(commit=False)
            for gone in formset.deleted_objects:
                record(
                    actor=request.user,
                    action=f"{gone._meta.label_lower}.deleted",
                    subject=gone,
                    before=_fields(gone),
                )
                gone.delete()
            for item in instances:
                item.save()
                record(
                    actor=request.user,
                    action=f"{item._meta.label_lower}.saved",
                    subject=item,
                    after=_fields(item),
                )
            formset.save_m2m()


def _fields(obj: models.Model) -> dict[str, Any]:
    return {k: (str(v) if v is not None else None) for k, v in model_to_dict(obj).items()}


@admin.register(Noc)
class NocAdmin(AuditedAdmin):
    """NOC 2021 unit groups, searchable by code or title (English or French).

    The French title is read-only here: Statistics Canada's comes from its file
    (``nominee reference import-noc-titles-fr``), Nominee's from the shipped one.
    """

    list_display = ("code", "title", "title_fr", "title_fr_official", "teer", "broad_category")
    list_filter = ("title_fr_official", "teer", "broad_category")
    search_fields = ("code", "title", "title_fr")
    readonly_fields = ("title_fr", "title_fr_official", "title_fr_source")


@admin.register(CensusDivision)
class CensusDivisionAdmin(AuditedAdmin):
    """Census divisions with their economic and scoring regions."""

    list_display = ("code", "name", "economic_region_name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name")


class OccupationListEntryInline(admin.TabularInline[OccupationListEntry, OccupationList]):
    model = OccupationListEntry
    autocomplete_fields = ("noc",)
    extra = 0


@admin.register(OccupationList)
class OccupationListAdmin(AuditedAdmin):
    """Named occupation lists used for draw targeting and the In-Demand Skills stream."""

    list_display = ("name", "slug", "effective_from", "effective_to", "complete")
    inlines = [OccupationListEntryInline]
    prepopulated_fields = {"slug": ("name",)}


class PlaceListEntryInline(admin.TabularInline[PlaceListEntry, PlaceList]):
    model = PlaceListEntry
    autocomplete_fields = ("census_division",)
    extra = 0


@admin.register(PlaceList)
class PlaceListAdmin(AuditedAdmin):
    """Named lists of census divisions used for draw targeting (the REDI communities)."""

    list_display = ("name", "slug", "effective_from", "effective_to", "complete")
    inlines = [PlaceListEntryInline]
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse only: these rows change through their audited service (``import_wages``)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WageTableVersion)
class WageTableVersionAdmin(ReadOnlyAdmin):
    """Job Bank wage table versions: each import, in force from its date (read-only)."""

    list_display = ("effective_from", "source", "rows", "imported_by", "imported_at", "sha256")
    date_hierarchy = "effective_from"


@admin.register(WageFigure)
class WageFigureAdmin(ReadOnlyAdmin):
    """Job Bank wages by version, NOC and economic region (read-only: an import adds a
    version, and an earlier version's figures never change)."""

    list_display = (
        "version",
        "noc",
        "er_code",
        "er_name",
        "low_wage",
        "median_wage",
        "high_wage",
    )
    list_filter = ("version", "er_code")
    search_fields = ("noc__code", "noc__title")
    list_select_related = ("version", "noc")
