"""Reference tables. Loaded from shipped files; officers browse them in the admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """The scoring regions of DOMAIN §4 and §9 (names as the ``--region`` flag takes them).

    The 2025 table has the first four; the 2026 table splits ``other`` into eastern,
    central and southwestern (and counts Muskoka and Haliburton as northern).
    """

    TORONTO = "toronto", _("Toronto")
    GREATER_TORONTO = "greater-toronto", _("Greater Toronto Area except Toronto")
    NORTHERN = "northern", _("Northern Ontario")
    OTHER = "other", _("Outside the GTA, not Northern Ontario")
    EASTERN = "eastern", _("Eastern Ontario")
    CENTRAL = "central", _("Central Ontario (outside the GTA)")
    SOUTHWESTERN = "southwestern", _("Southwestern Ontario")


GTA_REGIONS = (Region.TORONTO, Region.GREATER_TORONTO)


def region_label(code: str) -> str:
    """A region's name in words (the code itself for a code that is not a region)."""
    try:
        return str(Region(code).label)
    except ValueError:
        return code


#: How a French page marks a title that is not Statistics Canada's (decision 74). The
#: mark goes with the French title only, so it is French data, not a catalogue string.
UNOFFICIAL_FR_MARK = "traduction non officielle"


def noc_title(
    title: str, title_fr: str = "", official_fr: bool = False, *, language: str | None = None
) -> str:
    """The one place that decides which title of a NOC unit group a reader sees.

    In French (``language``, default the active language, ``get_language()``) the French
    title, followed by "(traduction non officielle)" when it is Nominee's own translation
    and not Statistics Canada's; in any other language, or when there is no French title,
    the English one.
    """
    active = (language or get_language() or "en").lower()
    if active.split("-")[0] == "fr" and title_fr:
        return title_fr if official_fr else f"{title_fr} ({UNOFFICIAL_FR_MARK})"
    return title


class Noc(models.Model):
    """A NOC 2021 unit group: five-digit code, title, TEER (2nd digit), broad category.

    ``title_fr`` is the French title (CNP 2021): Statistics Canada's once
    ``nominee reference import-noc-titles-fr`` has read its file (``title_fr_official``),
    until then Nominee's unofficial translation shipped in ``nominee/data``.
    """

    code = models.CharField(max_length=5, primary_key=True)
    title = models.CharField(max_length=300)
    teer = models.PositiveSmallIntegerField()
    broad_category = models.PositiveSmallIntegerField()
    title_fr = models.CharField(max_length=300, blank=True)
    title_fr_official = models.BooleanField(
        default=False,
        help_text=_("True when the French title is Statistics Canada's (an imported CNP file)."),
    )
    title_fr_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "NOC unit group"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def display_title(self) -> str:
        """The title for the active language (:func:`noc_title`)."""
        return noc_title(self.title, self.title_fr, self.title_fr_official)


class CensusDivision(models.Model):
    """An Ontario census division with its economic region and its scoring region in each
    region table: ``region`` in the 2025 table (DOMAIN §4), ``region_2026`` in the 2026 one
    (DOMAIN §9). Which table a date uses is policy data (``policy_at(d).region_table``)."""

    code = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=120)
    economic_region_code = models.CharField(max_length=4)
    economic_region_name = models.CharField(max_length=120)
    region = models.CharField(max_length=20, choices=Region.choices)
    region_2026 = models.CharField(
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text=_("The region in the 2026 table (from 2026-06-26); blank: as in 2025."),
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def in_gta(self) -> bool:
        """Toronto or the rest of the Greater Toronto Area."""
        return self.region in GTA_REGIONS


class CensusSubdivision(models.Model):
    """An Ontario census subdivision (a municipality, a First Nation reserve, an unorganized
    area) and the census division it lies in: the first four digits of its seven-digit
    code are the division's (Statistics Canada's Standard Geographical Classification)."""

    code = models.CharField(max_length=7, primary_key=True)
    name = models.CharField(max_length=120, db_index=True)
    kind = models.CharField(
        max_length=10, help_text=_("Statistics Canada's CSD type (CY, T, TP…).")
    )
    census_division = models.ForeignKey(
        CensusDivision, on_delete=models.PROTECT, related_name="subdivisions"
    )

    class Meta:
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return f"{self.name}, {self.census_division.name}"


class NamedList(models.Model):
    """What a named, dated and sourced list of reference codes has (an occupation list, a
    place list): its slug, name, dates, source and whether the published list is whole."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True)
    complete = models.BooleanField(
        default=True, help_text=_("False when the published list is only partly known.")
    )

    class Meta:
        abstract = True
        ordering = ["-effective_from", "slug"]

    def __str__(self) -> str:
        return self.name


class OccupationList(NamedList):
    """A named list of NOC codes with an effective date (draw targeting, In-Demand Skills)."""

    def codes(self) -> list[str]:
        """The NOC codes on the list, in code order."""
        return list(self.entries.order_by("noc_id").values_list("noc_id", flat=True))


class OccupationListEntry(models.Model):
    """One NOC on a list; ``scope`` restricts where it applies (In-Demand Skills)."""

    class Scope(models.TextChoices):
        ANYWHERE = "anywhere", _("Anywhere in Ontario")
        OUTSIDE_GTA = "outside-gta", _("Outside the GTA only")

    occupation_list = models.ForeignKey(
        OccupationList, on_delete=models.CASCADE, related_name="entries"
    )
    noc = models.ForeignKey(Noc, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.ANYWHERE)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation_list", "noc"], name="occupation_once")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_list.slug}: {self.noc_id}"


class PlaceList(NamedList):
    """A named list of census divisions with an effective date, for draw targeting.

    The program targets communities by name (the REDI communities of 2025-2026); a list
    keeps the census divisions that stand for them, dated and sourced like an occupation
    list, so that a draw names the list and the public record says which one it used.
    """

    def codes(self) -> list[str]:
        """The census division codes on the list, in code order."""
        return list(
            self.entries.order_by("census_division_id").values_list("census_division_id", flat=True)
        )


class PlaceListEntry(models.Model):
    """One census division on a place list; ``note`` says what community it stands for."""

    place_list = models.ForeignKey(PlaceList, on_delete=models.CASCADE, related_name="entries")
    census_division = models.ForeignKey(CensusDivision, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place_list", "census_division"], name="place_once")
        ]

    def __str__(self) -> str:
        return f"{self.place_list.slug}: {self.census_division_id}"


class WageTableVersion(models.Model):
    """One import of Job Bank wages, in force from ``effective_from`` until the next one.

    Versions are only appended, in date order (docs/decisions.md, decision 67): an import
    never changes an earlier version's figures, so an old job offer is judged again by the
    figures of its own date.
    """

    effective_from = models.DateField(unique=True)
    source = models.CharField(max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Blank: the system (the shipped table, loaded on migrate)."),
    )
    imported_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "wage table version"

    def __str__(self) -> str:
        return f"wages from {self.effective_from.isoformat()} ({self.source})"


class WageFigure(models.Model):
    """Job Bank hourly wages for a NOC in an economic region (``35`` is all of Ontario),
    as one wage table version has them."""

    version = models.ForeignKey(WageTableVersion, on_delete=models.PROTECT, related_name="figures")
    noc = models.ForeignKey(Noc, on_delete=models.PROTECT, related_name="wages")
    er_code = models.CharField(max_length=4)
    er_name = models.CharField(max_length=120)
    low_wage = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    median_wage = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    high_wage = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    reference_period = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "noc", "er_code"], name="wage_once_per_version_region"
            )
        ]
        ordering = ["version_id", "noc_id", "er_code"]

    def __str__(self) -> str:
        return f"{self.noc_id} @ {self.er_code}: median {self.median_wage}"
