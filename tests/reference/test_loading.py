"""Reference data: what `nominee migrate` loads, and Job Bank wage imports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nominee.core.errors import ValidationFailed
from nominee.reference.models import (
    CensusDivision,
    Noc,
    OccupationList,
    OccupationListEntry,
    Region,
    WageFigure,
    WageTableVersion,
)
from nominee.reference.services import import_wages, load_reference_data

pytestmark = pytest.mark.django_db

OFFICIAL_HEADER = (
    "NOC_CNP,prov,ER_Code_Code_RE,ER_Name_Nom_RE,NOC_Title_eng,Low_Wage_Salaire_Minium,"
    "Median_Wage_Salaire_Median,High_Wage_Salaire_Maximal,Annual_Wage_Flag_Salaire_annuel,"
    "Reference_Period\n"
)


def test_it_loads_every_noc_unit_group_with_teer_and_category() -> None:
    assert Noc.objects.count() == 516
    noc = Noc.objects.get(code="21231")
    assert (noc.teer, noc.broad_category) == (1, 2)


def test_it_maps_each_census_division_to_its_scoring_region() -> None:
    assert CensusDivision.objects.count() == 49
    assert CensusDivision.objects.get(code="3520").region == Region.TORONTO
    assert CensusDivision.objects.get(code="3521").region == Region.GREATER_TORONTO  # Peel
    assert CensusDivision.objects.get(code="3558").region == Region.NORTHERN  # Thunder Bay
    assert CensusDivision.objects.get(code="3506").region == Region.OTHER  # Ottawa


def test_it_loads_the_shipped_occupation_lists_with_their_dates() -> None:
    health = OccupationList.objects.get(slug="priority-health-2025-09-02")
    assert len(health.codes()) == 11
    assert health.complete
    targeted = OccupationList.objects.get(slug="targeted-2025-09-03")
    assert not targeted.complete
    in_demand = OccupationList.objects.get(slug="in-demand-skills")
    scopes = set(in_demand.entries.values_list("scope", flat=True))
    assert scopes == {"anywhere", "outside-gta"}


def _reference_rows() -> list[list[tuple[object, ...]]]:
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (
            Noc,
            CensusDivision,
            OccupationList,
            OccupationListEntry,
            WageTableVersion,
            WageFigure,
        )
    ]


def test_it_is_idempotent() -> None:
    before = _reference_rows()
    load_reference_data()
    assert _reference_rows() == before


def test_it_imports_the_official_job_bank_layout_keeping_ontario_rows() -> None:
    text = OFFICIAL_HEADER + (
        "NOC_21231,ON,ER3530,Toronto,Software engineers,30.00,50.50,70.00,0,2024\n"
        "NOC_21231,ON,ER35,Ontario,Software engineers,28.00,48.00,68.00,0,2024\n"
        "NOC_21231,BC,ER5910,Vancouver,Software engineers,31.00,51.00,71.00,0,2024\n"
        "NOC_00011,ON,ER3510,Ottawa,Senior government managers,104000,124800,150000,1,2024\n"
    )
    result = import_wages(io.StringIO(text), source="test")
    assert (result.imported, result.skipped) == (3, 1)
    figures = WageFigure.objects.filter(version=result.version)
    toronto = figures.get(noc_id="21231", er_code="3530")
    assert toronto.median_wage == Decimal("50.50")
    assert figures.get(noc_id="21231", er_code="35").median_wage == Decimal("48.00")
    # Annual figures become hourly over Job Bank's 2,080-hour year.
    assert figures.get(noc_id="00011", er_code="3510").median_wage == Decimal("60.00")


def test_it_refuses_the_whole_file_when_a_line_is_bad() -> None:
    before = WageFigure.objects.get(noc_id="00011", er_code="35").median_wage
    text = OFFICIAL_HEADER + (
        "NOC_00011,ON,ER35,Ontario,Senior government managers,1,2,3,0,2024\n"
        "NOC_99999,ON,ER35,Ontario,Nothing,1,2,3,0,2024\n"
        "NOC_21231,ON,ER35,Ontario,Software engineers,1,abc,3,0,2024\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        import_wages(io.StringIO(text), source="test")
    messages = caught.value.fields["file"]
    assert any("99999" in m for m in messages)
    assert any("line 4" in m and "median" in m for m in messages)
    assert WageFigure.objects.get(noc_id="00011", er_code="35").median_wage == before


def test_it_names_missing_columns() -> None:
    with pytest.raises(ValidationFailed) as caught:
        import_wages(io.StringIO("noc,er_code\n21231,35\n"), source="test")
    assert "median_wage" in caught.value.fields["file"][0]


def test_the_command_exits_2_naming_the_bad_line(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "wages.csv"
    path.write_text("noc,er_code,median_wage\n2123,35,40\n")
    with pytest.raises(CommandError) as caught:
        call_command("reference", "import-wages", str(path))
    assert caught.value.returncode == 2
    assert "line 2" in str(caught.value)


def test_the_command_exits_2_for_a_missing_file() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("reference", "import-wages", "/nonexistent/wages.csv")
    assert caught.value.returncode == 2


def test_the_command_imports_nominees_own_table(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "wages.csv"
    path.write_text(
        "noc,er_code,er_name,low_wage,median_wage,high_wage\n21231,3530,Toronto,1,77.7,99\n"
    )
    out = io.StringIO()
    call_command("reference", "import-wages", str(path), stdout=out)
    assert "imported 1" in out.getvalue()
    latest = WageTableVersion.objects.order_by("-effective_from").first()
    assert latest is not None
    figure = WageFigure.objects.get(version=latest, noc_id="21231", er_code="3530")
    assert figure.median_wage == Decimal("77.70")
