"""Wage tables as dated versions: each import is one, and a job offer is judged by the
version in force on its own date (issue 12; decisions 67-68)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nominee.audit.models import AuditEvent
from nominee.core.errors import Conflict, ValidationFailed
from nominee.employers.services import JobOfferRefused, job_offers
from nominee.eois import services as eois
from nominee.eois.models import Candidate
from nominee.eois.services import EligibilityRefused
from nominee.reference.models import WageFigure, WageTableVersion
from nominee.reference.queries import reference_data
from nominee.reference.services import (
    SHIPPED_WAGES_EFFECTIVE,
    SHIPPED_WAGES_SOURCE,
    import_wages,
    load_reference_data,
)
from nominee.scoring import check_job_offer
from tests.dates import IN_2025
from tests.employers.conftest import bobs_bakery
from tests.eois.conftest import FW_FACTS, fw_document
from tests.factories import submit_offer

pytestmark = [pytest.mark.django_db, IN_2025]  # the program's today is 2025-11-17

HEADER = "noc,er_code,er_name,low_wage,median_wage,high_wage\n"
FIRST = date(2025, 1, 1)
SECOND = date(2025, 11, 15)


def _two_versions(martin: Any) -> tuple[WageTableVersion, WageTableVersion]:
    # NOC 21231, Ontario-wide: a median of $50/h from 2025-01-01, $60/h from 2025-11-15.
    first = import_wages(
        io.StringIO(HEADER + "21231,35,Ontario,40,50.00,70\n"),
        source="Job Bank 2025",
        effective=FIRST,
        actor=martin,
    ).version
    second = import_wages(
        io.StringIO(HEADER + "21231,35,Ontario,45,60.00,80\n"),
        source="Job Bank 2025 update",
        effective=SECOND,
        actor=martin,
    ).version
    assert first is not None
    assert second is not None
    return first, second


def test_the_shipped_table_is_the_first_version(db: None) -> None:
    (shipped,) = WageTableVersion.objects.all()
    assert shipped.effective_from == SHIPPED_WAGES_EFFECTIVE == date(2022, 11, 22)
    assert shipped.source == SHIPPED_WAGES_SOURCE
    assert shipped.rows == shipped.figures.count() > 2000
    assert len(shipped.sha256) == 64
    assert not WageFigure.objects.filter(version__isnull=True).exists()


def test_each_import_is_a_version_and_keeps_the_earlier_figures(martin: Any) -> None:
    shipped = WageTableVersion.objects.get()
    kept = list(shipped.figures.order_by("pk").values_list("noc_id", "er_code", "median_wage"))
    first, second = _two_versions(martin)
    assert list(shipped.figures.order_by("pk").values_list("noc_id", "er_code", "median_wage")) == (
        kept
    )
    assert first.figures.get(noc_id="21231").median_wage == Decimal("50.00")
    assert second.figures.get(noc_id="21231").median_wage == Decimal("60.00")
    assert (second.source, second.rows, second.imported_by) == ("Job Bank 2025 update", 1, martin)
    event = AuditEvent.objects.filter(action="reference.wages_imported").latest("seq")
    assert event.subject_id == str(second.pk)
    assert event.data["version"] == second.pk
    assert event.after["effective_from"] == "2025-11-15"
    assert event.data["sha256"] == second.sha256


def test_reads_take_a_date(martin: Any) -> None:
    _two_versions(martin)
    assert reference_data(date(2024, 6, 1)).wages.lookup("21231", "35").median == 54.33
    assert reference_data(date(2025, 11, 14)).wages.lookup("21231", "35").median == 50.0
    assert reference_data(date(2025, 11, 15)).wages.lookup("21231", "35").median == 60.0
    # Without a date: today's (2025-11-17), as before versions existed.
    assert reference_data() is reference_data(date(2025, 11, 17))
    # Before the first version, the first (decision 68).
    assert reference_data(date(2020, 1, 1)).wages.lookup("21231", "35").median == 54.33
    # The cache holds one object per version.
    assert reference_data(date(2025, 3, 1)) is reference_data(date(2025, 11, 14))


def test_the_engine_reads_the_figures_of_the_date_it_is_given(martin: Any) -> None:
    _two_versions(martin)
    ref = reference_data()  # today's object: the check still picks by its own date

    def rules(on: date) -> list[str]:
        return [
            f.rule
            for f in check_job_offer(
                stream="foreign-worker",
                noc="21231",
                hourly_wage=55.0,
                census_division="3520",
                on=on,
                ref=ref,
            )
        ]

    assert rules(date(2025, 11, 14)) == []
    assert rules(date(2025, 11, 17)) == ["job_offer.wage_floor"]


def test_an_offer_is_judged_and_rejudged_by_the_figures_of_its_submission_date(
    martin: Any, bob: Any
) -> None:
    _two_versions(martin)

    def submit(**overrides: Any) -> Any:
        return submit_offer(bob, bobs_bakery(bob), **overrides)

    # Submitted on 2025-11-14 at $55/h: the first version's $50 median applies.
    early = submit(on=date(2025, 11, 14))
    assert early.failures == []
    # Changed (checked again) today, after the second version: still the first's figures.
    changed = job_offers.update_job_offer(actor=bob, offer=early, hours_per_week=Decimal("37.5"))
    assert changed.failures == []
    # Submitted today at $55/h: the second version's $60 median refuses it.
    with pytest.raises(JobOfferRefused) as refused:
        submit()
    assert "60.00/h" in " ".join(m for ms in refused.value.fields.values() for m in ms)
    assert submit(hourly_wage=Decimal("60.00")).failures == []


def test_an_eoi_reads_the_wages_of_its_registration_date(martin: Any, bob: Any, alice: Any) -> None:
    _two_versions(martin)
    candidate = Candidate.objects.get(user=alice)
    offer = submit_offer(bob, bobs_bakery(bob), on=date(2025, 11, 14))
    assert offer.failures == []  # $55/h against the first version's $50

    def register(on: str) -> Any:
        return eois.register_eoi(
            actor=alice,
            candidate=candidate,
            document=fw_document(),
            job_offer_id=offer.public_id,
            facts=FW_FACTS,
            now=datetime.fromisoformat(on),
        )

    # Today, after the second version: the program reads the wage at registration ($60).
    with pytest.raises(EligibilityRefused) as refused:
        register("2025-11-17T10:00:00-05:00")
    assert "job_offer.wage_floor" in refused.value.message
    # Registered the day the offer was submitted: the first version's floor, met.
    eoi = register("2025-11-14T12:00:00-05:00")
    assert eoi.job_offer == offer


@pytest.mark.parametrize(
    ("effective", "message"),
    [(SECOND, "already in force from 2025-11-15"), (date(2025, 6, 1), "must start after it")],
)
def test_a_date_on_or_before_the_latest_is_refused_writing_nothing(
    martin: Any, effective: date, message: str
) -> None:
    _two_versions(martin)
    before = (WageTableVersion.objects.count(), WageFigure.objects.count())
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as caught:
        import_wages(
            io.StringIO(HEADER + "21231,35,Ontario,1,2,3\n"), source="x", effective=effective
        )
    assert message in caught.value.message
    assert caught.value.fields["effective"]
    assert (WageTableVersion.objects.count(), WageFigure.objects.count()) == before
    assert AuditEvent.objects.count() == events


def test_a_bad_file_is_refused_writing_no_version(db: None) -> None:
    with pytest.raises(ValidationFailed):
        import_wages(io.StringIO(HEADER + "99999,35,Ontario,1,2,3\n"), source="x")
    assert WageTableVersion.objects.count() == 1


def test_loading_the_shipped_files_again_adds_no_version(martin: Any) -> None:
    _two_versions(martin)
    assert load_reference_data()["wages"] == 0
    assert WageTableVersion.objects.count() == 3


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "wages.csv"
    path.write_text(text)
    return str(path)


def test_the_command_imports_a_dated_version_and_lists_them(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "reference",
        "import-wages",
        _file(tmp_path, HEADER + "21231,35,Ontario,40,50,70\n"),
        "--effective",
        "2025-01-01",
        "--source",
        "Job Bank 2025 (open data)",
        stdout=out,
    )
    assert out.getvalue().strip() == (
        "imported 1 wage figures (0 rows outside Ontario) as the version in force from 2025-01-01"
    )
    version = WageTableVersion.objects.get(effective_from=FIRST)
    assert version.source == "Job Bank 2025 (open data)"
    listing = io.StringIO()
    call_command("reference", "wage-versions", stdout=listing)
    lines = listing.getvalue().splitlines()
    assert lines[0].startswith("effective_from")
    assert lines[1].startswith("2025-01-01      1")
    assert "Job Bank 2025 (open data)" in lines[1]
    assert lines[2].startswith("2022-11-22")
    assert SHIPPED_WAGES_SOURCE in lines[2]


@pytest.mark.parametrize(
    ("effective", "message"),
    [("2025-13-01", "is not a date"), ("2022-11-22", "already in force from 2022-11-22")],
)
def test_the_command_exits_2_for_a_bad_date(tmp_path: Path, effective: str, message: str) -> None:
    with pytest.raises(CommandError) as caught:
        call_command(
            "reference",
            "import-wages",
            _file(tmp_path, HEADER + "21231,35,Ontario,40,50,70\n"),
            "--effective",
            effective,
        )
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert WageTableVersion.objects.count() == 1
