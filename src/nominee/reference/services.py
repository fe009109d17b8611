"""Loading reference data: the shipped files after migrate, and Job Bank wage imports.

``load_reference_data`` and ``import_wages`` are durable services, each audited with the
files it read and their SHA-256 digests. ``load_on_migrate`` seeds an empty database from
the shipped files in the migration's own transaction, as allocations are seeded: the
files are part of the release, so a deploy, not a person, puts them there
(docs/decisions.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils import timezone

from nominee.audit.services import record
from nominee.core.errors import Conflict, ValidationFailed
from nominee.core.timeutil import today
from nominee.scoring.refdata import later_regions

from .models import (
    CensusDivision,
    CensusSubdivision,
    Noc,
    OccupationList,
    OccupationListEntry,
    PlaceList,
    PlaceListEntry,
    Region,
    WageFigure,
    WageTableVersion,
)
from .queries import invalidate_reference_data

# Job Bank publishes annual figures for some occupations; they become hourly at the
# full-time year Job Bank itself assumes (40 h x 52 weeks). docs/reference-data.md.
HOURS_PER_YEAR = Decimal(2080)
ONTARIO_ER = "35"
# The shipped wage table is the first version, in force from the earliest program date
# Nominee knows (the In-Demand Skills list of 2022-11-22; decision 68).
SHIPPED_WAGES = "jobbank_wages_ontario_2024_partial.csv"
SHIPPED_WAGES_SOURCE = "Job Bank 2024 (partial, shipped)"
SHIPPED_WAGES_EFFECTIVE = date(2022, 11, 22)

# Occupation lists shipped with the package: file, slug, name, effective date, complete?
SHIPPED_LISTS = [
    (
        "noc_priority_health_2025-09-02.csv",
        "priority-health-2025-09-02",
        "Priority health occupations (draws of 2025-09-02)",
        date(2025, 9, 2),
        True,
    ),
    (
        "noc_targeted_2025-09-03.csv",
        "targeted-2025-09-03",
        "Targeted occupations of the 2025-09-03 draws (11 of 77 known)",
        date(2025, 9, 3),
        False,
    ),
    (
        "in_demand_skills_nocs.csv",
        "in-demand-skills",
        "In-Demand Skills stream occupations",
        date(2022, 11, 22),
        False,
    ),
]

_REGION_BY_COLUMN = {
    "gta": Region.GREATER_TORONTO,
    "greater-toronto": Region.GREATER_TORONTO,
    "toronto": Region.TORONTO,
    "northern": Region.NORTHERN,
    "other": Region.OTHER,
}


def data_file(name: str) -> str:
    """The text of a file shipped in ``nominee/data``."""
    return resources.files("nominee").joinpath("data", name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_file(name))))


def load_on_migrate(**kwargs: Any) -> None:
    """post_migrate receiver: load the shipped reference data when it is missing."""
    using = kwargs.get("using", "default")
    if Noc.objects.using(using).exists() and WageFigure.objects.using(using).exists():
        # A release may ship a kind of list the database has never had.
        if not PlaceList.objects.using(using).exists():
            with transaction.atomic(using=using):
                _load_place_lists(using=using)
        # ... or a column it has never had (the French titles of issue 13).
        if Noc.objects.using(using).filter(title_fr="").exists():
            with transaction.atomic(using=using):
                _load_unofficial_titles_fr(using=using)
        if not CensusSubdivision.objects.using(using).exists():
            with transaction.atomic(using=using):
                _load_subdivisions(using=using)
        return
    with transaction.atomic(using=using):
        _load_shipped(using=using)


PLACE_LISTS_FILE = "place_lists.csv"
# Nominee's own French titles, until Statistics Canada's file is imported (decision 74).
UNOFFICIAL_TITLES_FR = "noc2021_unit_groups_fr_unofficial.csv"
UNOFFICIAL_TITLES_FR_SOURCE = "nominee/data/" + UNOFFICIAL_TITLES_FR
SUBDIVISIONS_FILE = "ontario_census_subdivisions.csv"
# The shipped files ``load_reference_data`` reads, in the order it reads them.
SHIPPED_FILES = [
    "noc2021_unit_groups.csv",
    UNOFFICIAL_TITLES_FR,
    "ontario_census_divisions.csv",
    SUBDIVISIONS_FILE,
    *(entry[0] for entry in SHIPPED_LISTS),
    PLACE_LISTS_FILE,
    SHIPPED_WAGES,
]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic(durable=True)
def load_reference_data(*, actor: Any = None) -> dict[str, int]:
    """Upsert the shipped NOCs, census divisions, occupation lists and the partial wage table.

    Idempotent: running it again changes nothing. Returns counts per table. Audited as
    ``reference.data_loaded`` (by ``actor``, default the system) with each file's SHA-256.
    """
    counts = _load_shipped(using="default")
    record(
        actor=actor,
        action="reference.data_loaded",
        subject_type="reference.data",
        subject_id="shipped",
        after=counts,
        data={"files": {name: _digest(data_file(name)) for name in SHIPPED_FILES}},
    )
    return counts


def _load_shipped(*, using: str) -> dict[str, int]:
    """The body of ``load_reference_data``, in the caller's transaction on ``using``."""
    nocs = [
        Noc(
            code=r["code"],
            title=r["title"],
            teer=int(r["teer"]),
            broad_category=int(r["broad_category"]),
        )
        for r in _rows("noc2021_unit_groups.csv")
    ]
    Noc.objects.using(using).bulk_create(
        nocs,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["title", "teer", "broad_category"],
    )
    _load_unofficial_titles_fr(using=using)
    divisions = []
    for r in _rows("ontario_census_divisions.csv"):
        region = Region.TORONTO if r["cd_code"] == "3520" else _REGION_BY_COLUMN[r["oinp_region"]]
        divisions.append(
            CensusDivision(
                code=r["cd_code"],
                name=r["cd_name"],
                economic_region_code=r["economic_region_code"],
                economic_region_name=r["economic_region_name"],
                region=region,
                region_2026=later_regions(r).get("2026", ""),
                note=r.get("note") or "",
            )
        )
    CensusDivision.objects.using(using).bulk_create(
        divisions,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "economic_region_code",
            "economic_region_name",
            "region",
            "region_2026",
            "note",
        ],
    )
    subdivisions = _load_subdivisions(using=using)
    entries = 0
    for filename, slug, name, effective, complete in SHIPPED_LISTS:
        occupation_list, _created = OccupationList.objects.using(using).update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "effective_from": effective,
                "complete": complete,
                "source": "nominee/data/" + filename,
            },
        )
        rows = _rows(filename)
        OccupationListEntry.objects.using(using).bulk_create(
            [
                OccupationListEntry(
                    occupation_list=occupation_list,
                    noc_id=r["code"],
                    scope=r.get("scope") or OccupationListEntry.Scope.ANYWHERE,
                    note=(
                        r.get("streams") or ("unconfirmed" if r.get("confirmed") == "no" else "")
                    ),
                )
                for r in rows
            ],
            ignore_conflicts=True,
        )
        entries += len(rows)
    places = _load_place_lists(using=using)
    wages = 0
    # The shipped table is the first version only: once any version exists, loading
    # again must not add an earlier one (or change it), so it is left as it is.
    if not WageTableVersion.objects.using(using).exists():
        wages = _import_wages(
            io.StringIO(data_file(SHIPPED_WAGES)),
            source=SHIPPED_WAGES_SOURCE,
            effective=SHIPPED_WAGES_EFFECTIVE,
            actor=None,
            using=using,
        ).imported
    invalidate_reference_data()
    return {
        "nocs": len(nocs),
        "census_divisions": len(divisions),
        "census_subdivisions": subdivisions,
        "occupation_list_entries": entries,
        "place_list_entries": places,
        "wages": wages,
    }


def _load_unofficial_titles_fr(*, using: str) -> int:
    """Give every NOC without an official French title the shipped unofficial one.

    An official title (an imported Statistics Canada file) is never overwritten, so
    loading the shipped files again keeps it. Returns the number of titles set.
    """
    titles = {r["code"]: r["title_fr"].strip() for r in _rows(UNOFFICIAL_TITLES_FR)}
    changed = []
    for noc in Noc.objects.using(using).filter(title_fr_official=False):
        title = titles.get(noc.code, "")
        if title and (noc.title_fr, noc.title_fr_source) != (title, UNOFFICIAL_TITLES_FR_SOURCE):
            noc.title_fr, noc.title_fr_source = title, UNOFFICIAL_TITLES_FR_SOURCE
            changed.append(noc)
    Noc.objects.using(using).bulk_update(changed, ["title_fr", "title_fr_source"], batch_size=500)
    return len(changed)


def _load_subdivisions(*, using: str) -> int:
    """Upsert the shipped census subdivisions (``ontario_census_subdivisions.csv``), each
    in the census division its code begins with."""
    rows = [
        CensusSubdivision(
            code=r["csd_code"],
            name=r["csd_name"],
            kind=r["csd_type"],
            census_division_id=r["cd_code"],
        )
        for r in _rows(SUBDIVISIONS_FILE)
    ]
    CensusSubdivision.objects.using(using).bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "kind", "census_division"],
    )
    return len(rows)


def _load_place_lists(*, using: str) -> int:
    """Upsert the shipped place lists (``place_lists.csv``, one row per census division)."""
    lists: dict[str, PlaceList] = {}
    entries = 0
    for r in _rows(PLACE_LISTS_FILE):
        slug = r["slug"]
        if slug not in lists:
            lists[slug], _created = PlaceList.objects.using(using).update_or_create(
                slug=slug,
                defaults={
                    "name": r["name"],
                    "effective_from": date.fromisoformat(r["effective_from"]),
                    "complete": r["complete"] != "no",
                    "source": r["source"] or "nominee/data/" + PLACE_LISTS_FILE,
                },
            )
        PlaceListEntry.objects.using(using).update_or_create(
            place_list=lists[slug], census_division_id=r["cd_code"], defaults={"note": r["note"]}
        )
        entries += 1
    return entries


@dataclass(frozen=True)
class WageRow:
    """One parsed wage line, hourly."""

    noc: str
    er_code: str
    er_name: str
    low: Decimal | None
    median: Decimal | None
    high: Decimal | None
    reference_period: str


@dataclass(frozen=True)
class WageImport:
    """What an import did: rows imported, rows skipped as not Ontario, per-line errors,
    and the version it created."""

    imported: int
    skipped: int
    errors: list[str]
    version: WageTableVersion | None = None


def _money(value: str | None, line: int, column: str, annual: bool) -> Decimal | None:
    if value is None or value.strip() in {"", "NA", "N/A", "-", "x", "X"}:
        return None
    try:
        amount = Decimal(value.strip().replace(",", "").replace("$", ""))
    except InvalidOperation:
        raise ValueError(f"line {line}: {column} is not a number: {value!r}") from None
    if amount < 0:
        raise ValueError(f"line {line}: {column} must not be negative")
    if annual:
        amount = amount / HOURS_PER_YEAR
    return amount.quantize(Decimal("0.01"))


def parse_wage_rows(lines: Iterable[str]) -> Iterator[WageRow | ValueError | None]:
    """Parse either wage layout, yielding a row, an error for a bad line, or None (not Ontario).

    Layouts: the official Job Bank open-data file (``NOC_CNP``, ``prov``,
    ``ER_Code_Code_RE``, ``Low_Wage_Salaire_Minium``...) and the cleaned partial table
    shipped in ``nominee/data`` (``noc``, ``er_code``, ``low_wage``...).
    """
    reader = csv.DictReader(lines)
    header = set(reader.fieldnames or [])
    official = "NOC_CNP" in header
    needed = (
        {"NOC_CNP", "ER_Code_Code_RE", "Median_Wage_Salaire_Median"}
        if official
        else {"noc", "er_code", "median_wage"}
    )
    if missing := needed - header:
        raise ValidationFailed(
            "the file is neither the Job Bank open-data layout nor Nominee's wage table",
            fields={"file": [f"missing column(s): {', '.join(sorted(missing))}"]},
        )
    for number, row in enumerate(reader, start=2):
        try:
            if official:
                prov = (row.get("prov") or "").strip().upper()
                er_digits = re.sub(r"\D", "", row.get("ER_Code_Code_RE") or "")
                if prov not in {"ON", ""} or (er_digits and not er_digits.startswith("35")):
                    yield None
                    continue
                noc = re.sub(r"\D", "", row["NOC_CNP"] or "")
                er_code = er_digits or ONTARIO_ER
                er_name = row.get("ER_Name") or row.get("ER_Name_Nom_RE") or ""
                annual = (row.get("Annual_Wage_Flag_Salaire_annuel") or "0").strip() == "1"
                low = _money(row.get("Low_Wage_Salaire_Minium"), number, "low wage", annual)
                median = _money(row.get("Median_Wage_Salaire_Median"), number, "median", annual)
                high = _money(row.get("High_Wage_Salaire_Maximal"), number, "high wage", annual)
                period = row.get("Reference_Period") or ""
            else:
                noc = (row["noc"] or "").strip()
                er_code = (row["er_code"] or "").strip()
                er_name = row.get("er_name") or ""
                annual = (row.get("annual_flag") or "0").strip() == "1"
                low = _money(row.get("low_wage"), number, "low_wage", annual)
                median = _money(row.get("median_wage"), number, "median_wage", annual)
                high = _money(row.get("high_wage"), number, "high_wage", annual)
                period = row.get("reference_period") or ""
            if not re.fullmatch(r"\d{5}", noc):
                raise ValueError(f"line {number}: NOC {noc!r} is not a 5-digit NOC 2021 code")
            if not re.fullmatch(r"35(\d{2})?", er_code):
                raise ValueError(f"line {number}: economic region {er_code!r} is not in Ontario")
            yield WageRow(noc, er_code, er_name.strip(), low, median, high, period.strip())
        except ValueError as error:
            yield error


@transaction.atomic(durable=True)
def import_wages(
    lines: Iterable[str],
    *,
    source: str,
    effective: date | None = None,
    actor: Any = None,
) -> WageImport:
    """Add the wage figures of a Job Bank file as a new version in force from ``effective``
    (default today); all or nothing, and no earlier version's figures change.

    Raises ValidationFailed naming each bad line (and writes nothing) when any line is
    malformed or names a NOC that is not in NOC 2021; Conflict (before reading the file)
    when a version is already in force from ``effective`` or from a later date (versions
    are appended in date order, decision 67). The wage floors decide job-offer refusals,
    so the import is audited as ``reference.wages_imported`` on the version (by
    ``actor``, default the system) with its date, the file's name, its SHA-256 and the
    counts.
    """
    result = _import_wages(
        lines, source=source, effective=effective or today(), actor=actor, using="default"
    )
    version = result.version
    assert version is not None
    record(
        actor=actor,
        action="reference.wages_imported",
        subject=version,
        after={
            "effective_from": version.effective_from.isoformat(),
            "source": version.source,
            "sha256": version.sha256,
            "rows": version.rows,
        },
        data={
            "version": version.pk,
            "source": source,
            "sha256": version.sha256,
            "imported": result.imported,
            "skipped": result.skipped,
        },
    )
    return result


def _check_effective(effective: date, *, using: str) -> None:
    """Refuse a date on or before the latest version's (Conflict naming it)."""
    # Locking the latest version serialises two imports racing for the next date.
    latest = (
        WageTableVersion.objects.using(using)
        .select_for_update()
        .order_by("-effective_from")
        .first()
    )
    if latest is None or effective > latest.effective_from:
        return
    day = latest.effective_from.isoformat()
    if effective == latest.effective_from:
        message = f"a wage table is already in force from {day}; import it from a later date"
    else:
        message = (
            f"the latest wage table is in force from {day}; a new one must start after it, "
            "not on " + effective.isoformat()
        )
    raise Conflict(message, code="wages.effective_date", fields={"effective": [message]})


def _import_wages(
    lines: Iterable[str], *, source: str, effective: date, actor: Any, using: str
) -> WageImport:
    """The body of ``import_wages``, in the caller's transaction on ``using``: the new
    version and its figures (nothing written when the date or a line is refused)."""
    _check_effective(effective, using=using)
    digest = hashlib.sha256()

    def hashed(source_lines: Iterable[str]) -> Iterator[str]:
        for line in source_lines:
            digest.update(line.encode("utf-8"))
            yield line

    known = set(Noc.objects.using(using).values_list("code", flat=True))
    rows: dict[tuple[str, str], WageRow] = {}
    errors: list[str] = []
    skipped = 0
    for item in parse_wage_rows(hashed(lines)):
        if item is None:
            skipped += 1
        elif isinstance(item, ValueError):
            errors.append(str(item))
        elif item.noc not in known:
            errors.append(f"NOC {item.noc} is not a NOC 2021 unit group")
        else:
            rows[(item.noc, item.er_code)] = item
    if errors:
        raise ValidationFailed(
            f"{len(errors)} line(s) of the wage file are invalid; nothing was imported",
            fields={"file": errors[:50]},
        )
    user = actor if getattr(actor, "is_authenticated", False) else None
    version = WageTableVersion.objects.using(using).create(
        effective_from=effective,
        source=source[:200],
        imported_by=user,
        imported_at=timezone.now(),
        sha256=digest.hexdigest(),
        rows=len(rows),
    )
    WageFigure.objects.using(using).bulk_create(
        [
            WageFigure(
                version=version,
                noc_id=r.noc,
                er_code=r.er_code,
                er_name=r.er_name,
                low_wage=r.low,
                median_wage=r.median,
                high_wage=r.high,
                reference_period=r.reference_period,
                source=source[:200],
            )
            for r in rows.values()
        ],
        batch_size=1000,
    )
    transaction.on_commit(invalidate_reference_data, using=using)
    return WageImport(imported=len(rows), skipped=skipped, errors=[], version=version)


# ---- French titles: Statistics Canada's CNP 2021 file ------------------------------------

#: The columns of Statistics Canada's French classification file (``cnp-2021-…csv``),
#: matched on their normalised names (lower case, accents kept, spaces collapsed).
_FR_LEVEL = "niveau"
_FR_STRUCTURE = "structure hiérarchique"
_FR_CODE_PREFIX = "code - cnp"
_FR_TITLE = "titre de la classe"
_FR_DEFINITION = "définition de la classe"
#: StatCan's level of a unit group (1 broad category … 5 unit group).
_UNIT_GROUP_LEVEL = "5"
_UNIT_GROUP_STRUCTURES = {"groupe de base", "groupes de base"}


@dataclass(frozen=True)
class TitlesImport:
    """What an import of French titles did: titles set, rows of other levels skipped,
    the unit groups the file lacked, the file's SHA-256 and the text encoding read."""

    imported: int
    skipped: int
    missing: list[str]
    sha256: str
    encoding: str


def decode_statcan_text(data: bytes) -> tuple[str, str]:
    """The text of a Statistics Canada file and the encoding read: UTF-8 (with or without
    a byte-order mark), else Windows-1252 / Latin-1, the encodings StatCan publishes in."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _header_key(name: str | None) -> str:
    text = unicodedata.normalize("NFC", (name or "").replace("\ufeff", ""))
    return " ".join(text.strip().lower().split())


def parse_noc_titles_fr(text: str) -> tuple[dict[str, str], int, list[str]]:
    """The unit groups' French titles in the text of StatCan's French CNP 2021 file.

    Returns ``(titles by code, rows of other levels skipped, errors)``; a unit group is a
    row of level 5 (or "Groupe de base"), whose code must be five digits (a code that a
    spreadsheet shortened, ``10`` for ``00010``, gets its zeros back) and whose title must
    not be empty; a code given twice with two titles is an error. Raises ValidationFailed
    when the header is not the French classification's.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # StatCan: commas; a re-save: maybe not
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    keys = [_header_key(name) for name in header or []]
    code_column = next((i for i, k in enumerate(keys) if k.startswith(_FR_CODE_PREFIX)), None)
    wanted: dict[str, int | None] = {_FR_LEVEL: None, _FR_TITLE: None}
    for i, key in enumerate(keys):
        if key in wanted and wanted[key] is None:
            wanted[key] = i
    structure_column = keys.index(_FR_STRUCTURE) if _FR_STRUCTURE in keys else None
    missing = [name for name, i in wanted.items() if i is None]
    if code_column is None:
        missing.append("Code - CNP 2021 V1.0")
    if missing:
        raise ValidationFailed(
            "the file is not Statistics Canada's French NOC 2021 classification (CNP 2021)",
            fields={"file": [f"missing column(s): {', '.join(missing)}"]},
        )
    level_column, title_column = wanted[_FR_LEVEL], wanted[_FR_TITLE]
    assert level_column is not None
    assert title_column is not None
    assert code_column is not None
    titles: dict[str, str] = {}
    errors: list[str] = []
    skipped = 0
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(keys) - len(row))
        level = cells[level_column].strip()
        structure = _header_key(cells[structure_column]) if structure_column is not None else ""
        if level != _UNIT_GROUP_LEVEL and structure not in _UNIT_GROUP_STRUCTURES:
            skipped += 1
            continue
        code = cells[code_column].strip()
        title = " ".join(cells[title_column].split())
        if code.isdigit() and len(code) < 5:
            code = code.zfill(5)
        if not re.fullmatch(r"\d{5}", code):
            errors.append(f"row {number}: code {code!r} is not a 5-digit unit group code")
            continue
        if not title:
            errors.append(f"row {number}: unit group {code} has no title")
            continue
        if code in titles and titles[code] != title:
            errors.append(f"row {number}: unit group {code} is given a second, different title")
            continue
        titles[code] = title
    return titles, skipped, errors


@transaction.atomic(durable=True)
def import_noc_titles_fr(
    data: bytes, *, source: str, actor: Any = None, partial: bool = False
) -> TitlesImport:
    """Set the French titles of the NOC unit groups from Statistics Canada's French CNP
    2021 file, as official titles; all or nothing.

    ``data`` is the file's bytes (UTF-8 with or without a BOM, or Latin-1). Only unit
    groups (level 5) are read; the other levels are skipped. Raises ValidationFailed,
    writing nothing, when the header is not the French classification's, when any unit
    group line is malformed or names a code that is not a NOC 2021 unit group, when the
    file has no unit group, and, unless ``partial``, when it lacks any of the unit groups
    (each missing code named). Audited as ``reference.noc_titles_fr_imported`` (by
    ``actor``, default the system) with the file's name, SHA-256 and the counts.
    """
    text, encoding = decode_statcan_text(data)
    digest = hashlib.sha256(data).hexdigest()
    titles, skipped, errors = parse_noc_titles_fr(text)
    nocs = {noc.code: noc for noc in Noc.objects.select_for_update()}
    errors += [
        f"unit group {code} is not a NOC 2021 unit group" for code in titles if code not in nocs
    ]
    missing = sorted(set(nocs) - set(titles))
    if not errors and not titles:
        errors.append("the file has no unit group (level 5) rows")
    if not errors and missing and not partial:
        errors.append(
            f"the file lacks {len(missing)} of the {len(nocs)} unit groups: "
            + ", ".join(missing[:20])
            + (" …" if len(missing) > 20 else "")
        )
    if errors:
        raise ValidationFailed(
            f"{len(errors)} problem(s) in the French titles file; nothing was imported",
            fields={"file": errors[:50]},
        )
    changed = []
    for code, title in titles.items():
        noc = nocs[code]
        noc.title_fr, noc.title_fr_official, noc.title_fr_source = title, True, source[:200]
        changed.append(noc)
    Noc.objects.bulk_update(
        changed, ["title_fr", "title_fr_official", "title_fr_source"], batch_size=500
    )
    transaction.on_commit(invalidate_reference_data)
    result = TitlesImport(
        imported=len(changed),
        skipped=skipped,
        missing=missing,
        sha256=digest,
        encoding=encoding,
    )
    record(
        actor=actor,
        action="reference.noc_titles_fr_imported",
        subject_type="reference.noc",
        subject_id="title_fr",
        after={"official": len(changed), "unofficial": len(missing) if partial else 0},
        data={
            "source": source,
            "sha256": digest,
            "encoding": encoding,
            "imported": len(changed),
            "skipped": skipped,
            "partial": partial,
            "missing": missing[:100],
        },
    )
    return result
