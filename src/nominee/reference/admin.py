from django.contrib import admin

from .models import CensusDivision, Noc, OccupationList, OccupationListEntry, WageFigure


@admin.register(Noc)
class NocAdmin(admin.ModelAdmin[Noc]):
    """NOC 2021 unit groups, searchable by code or title."""

    list_display = ("code", "title", "teer", "broad_category")
    list_filter = ("teer", "broad_category")
    search_fields = ("code", "title")


@admin.register(CensusDivision)
class CensusDivisionAdmin(admin.ModelAdmin[CensusDivision]):
    """Census divisions with their economic and scoring regions."""

    list_display = ("code", "name", "economic_region_name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name")


class OccupationListEntryInline(admin.TabularInline[OccupationListEntry, OccupationList]):
    model = OccupationListEntry
    autocomplete_fields = ("noc",)
    extra = 0


@admin.register(OccupationList)
class OccupationListAdmin(admin.ModelAdmin[OccupationList]):
    """Named occupation lists used for draw targeting and the In-Demand Skills stream."""

    list_display = ("name", "slug", "effective_from", "effective_to", "complete")
    inlines = [OccupationListEntryInline]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(WageFigure)
class WageFigureAdmin(admin.ModelAdmin[WageFigure]):
    """Job Bank wages by NOC and economic region."""

    list_display = ("noc", "er_code", "er_name", "low_wage", "median_wage", "high_wage")
    list_filter = ("er_code",)
    search_fields = ("noc__code", "noc__title")
    raw_id_fields = ("noc",)
