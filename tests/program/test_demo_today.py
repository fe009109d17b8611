"""`nominee demo load` runs today's program: the redesign replayed and a live 2026 pool."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from nominee.core.timeutil import program_date, today
from nominee.demo.today import POOL_DAYS, STREAM, WITHDRAWN_ON, pool_window
from nominee.draws.criteria import parse_criteria
from nominee.draws.selection import count_eligible, select
from nominee.employers.models import EmployerRegistration, JobOffer
from nominee.eois.models import EOI
from nominee.program.models import ProgramChange

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CLOSED = ("foreign-worker", "international-student", "in-demand-skills", "masters", "phd")


def test_the_demo_runs_today_s_program(settings: object, tmp_path: object) -> None:
    settings.CASEWORK_DOCUMENT_ROOT = tmp_path  # type: ignore[attr-defined]
    out = StringIO()
    call_command("demo", "load", stdout=out)
    assert "today's program:" in out.getvalue()

    # The redesign: every un-invited 2025 EOI live on 2026-06-25 was withdrawn that day.
    changes = ProgramChange.objects.filter(kind=ProgramChange.Kind.EOIS_WITHDRAWN)
    assert {c.stream for c in changes} <= set(CLOSED)
    assert {c.effective_on for c in changes} == {WITHDRAWN_ON.date()}
    withdrawn = EOI.objects.filter(withdrawn_by_change__in=changes)
    assert withdrawn.count() == sum(c.count for c in changes) > 1000
    assert not EOI.objects.filter(
        stream__in=CLOSED, status=EOI.Status.ACTIVE, expires_at__gt=WITHDRAWN_ON
    ).exists()

    # A live pool registered in the days before today, in its three pathways.
    pool = EOI.objects.filter(stream=STREAM, status=EOI.Status.ACTIVE)
    start, end = pool_window(today())
    assert end == today() - timedelta(days=1)
    assert (end - start).days <= POOL_DAYS
    days = {program_date(at) for at in pool.values_list("registered_at", flat=True)}
    assert min(days) >= start
    assert max(days) <= end
    assert set(pool.values_list("pathway", flat=True)) == {"teer-0-3", "teer-4-5", "physician"}
    assert not pool.filter(pathway="physician", job_offer__isnull=False).exists()
    assert not pool.filter(pathway__startswith="teer", job_offer__isnull=True).exists()

    # Their employers are registered with the program before the offers were made.
    offers = JobOffer.objects.filter(eoi__in=pool)
    employers = set(offers.values_list("employer_id", flat=True))
    approved = dict(
        EmployerRegistration.objects.filter(
            status=EmployerRegistration.Status.APPROVED, employer_id__in=employers
        ).values_list("employer_id", "decided_at")
    )
    assert employers
    assert employers <= set(approved)
    first_offer = min(offers.values_list("submitted_at", flat=True))
    assert max(approved.values()) < first_offer

    # An officer can preview a draw of the new stream today.
    criteria = parse_criteria({"stream": STREAM, "invitations": 100})
    assert criteria.draw_date == today()
    assert count_eligible(criteria) == pool.count()
    assert len(select(criteria)) == 100

    # The public history of changes names the redesign: the closings, the withdrawal and
    # the opening, with the counts the demo withdrew.
    history = Client().get("/api/v1/program/changes").json()
    kinds = {(c["kind"], c["stream"], c["date"]) for c in history}
    assert ("stream_closed", "foreign-worker", "2026-05-30") in kinds
    assert ("stream_opened", STREAM, "2026-06-26") in kinds
    withdrawals = {c["stream"]: c["count"] for c in history if c["kind"] == "eois_withdrawn"}
    assert withdrawals == {c.stream: c.count for c in changes}
    assert Client().get("/program/changes/").status_code == 200
