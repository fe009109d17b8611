"""Pages of every kind pass axe-core's WCAG 2.1 A and AA rules (Ontario's AODA asks for
WCAG 2.0 AA of public-sector sites), at a desktop width and at a phone's.

The demo program is loaded (with a smaller pool) so that pages show what users see:
tables, charts, histograms, forms; refused forms are checked too, since their error
summary and messages are added then.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from nominee.draws.models import Draw
from nominee.employers.models import Employer, EmployerRegistration, JobOffer
from nominee.eois.models import EOI, Candidate
from nominee.publication.queries import replayed_draw_ids

from .journeys import sign_in

AXE = Axe()
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
DEMO_PASSWORD = "nominee-demo"  # the demo accounts' (README)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, base_url: str) -> None:
    """The demo program with a pool of 2,000 EOIs: the pages, not the volume, matter here."""
    monkeypatch.setattr("nominee.demo.eois.POOL_SIZE", 2_000)
    call_command("demo", "load", stdout=StringIO())


def _check(page: Any, path: str | None = None) -> list[str]:
    """The WCAG violations of the page (opened at ``path`` first, when given), in words."""
    if path is not None:
        response = page.goto(path)
        assert response is not None
        assert response.status < 500, (path, response.status)
    where = page.url.split("/", 3)[-1]
    return [
        f"/{where}: {v['id']} ({v['impact']}) {v['help']}: "
        + "; ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in AXE.run(page, options=WCAG).response["violations"]
    ]


def _refused(page: Any, path: str) -> list[str]:
    """Submit the page's main form empty: the violations of the page that refuses it."""
    page.goto(path)
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_load_state()
    return _check(page)


def _paths() -> dict[str, list[str]]:
    # A public one: the demo's replays of published draws are not public (decision 70).
    draw = (
        Draw.objects.filter(status="executed")
        .exclude(pk__in=replayed_draw_ids())
        .order_by("pk")
        .first()
    )
    assert draw is not None
    employer = Employer.objects.get(contacts__user__email="employer@demo.nominee.test")
    offer = JobOffer.objects.filter(employer=employer).order_by("pk").first()
    candidate = Candidate.objects.get(user__email="candidate@demo.nominee.test")
    pooled = EOI.objects.order_by("pk").first()
    assert offer is not None
    assert pooled is not None
    from nominee.casework.models import Application

    draft = Application.objects.get(eoi__candidate__user__email="file01@demo.nominee.test")
    decided = Application.objects.filter(status="approved").order_by("pk").first()
    assert decided is not None
    pending = EmployerRegistration.objects.filter(status="pending").order_by("pk").first()
    assert pending is not None
    return {
        "": [
            "/",
            "/draws/",
            f"/draws/nominee-{draw.pk}/",
            "/draws/summary/2025/week/36/",
            "/draws/summary/2025/",
            "/draws/charts/",
            "/draws/allocation/",
            "/draws/pool/",
            "/allocation/",
            "/calculator/",
            "/accounts/login/",
            "/accounts/signup/",
            "/no-such-page/",
        ],
        "employer@demo.nominee.test": [
            "/employer/?all=1",
            f"/employer/{employer.pk}/",
            f"/employer/{employer.pk}/locations/new/",
            f"/employer/{employer.pk}/edit/",
            f"/employer/{employer.pk}/job-offers/new/",
            f"/employer/job-offers/{offer.public_id}/",
            "/employer/nocs/?q=software",
            "/accounts/emails/",
        ],
        "representative@demo.nominee.test": ["/representative/"],
        "applicant@demo.nominee.test": ["/applications/"],
        "file01@demo.nominee.test": [
            f"/applications/{draft.pk}/",
            f"/applications/{draft.pk}/apply/confirm/",
            f"/applications/{draft.pk}/apply/identity/",
            f"/applications/{draft.pk}/apply/documents/",
            f"/applications/{draft.pk}/apply/declaration/",
        ],
        "candidate@demo.nominee.test": [
            "/candidate/",
            f"/candidate/{candidate.pk}/eoi/new/stream/",
        ],
        "officer@demo.nominee.test": [
            "/staff/",
            "/staff/pool/",
            "/staff/pool/eois/?stream=foreign-worker",
            f"/eoi/{pooled.external_id}/",
            "/staff/draws/",
            "/staff/draws/new/",
            f"/staff/draws/{draw.pk}/",
            "/staff/draws/preview/?stream=foreign-worker&invitations=100&draw_date=2025-09-03",
            "/staff/employers/",
            "/staff/employers/registrations/",
            f"/staff/employers/registrations/{pending.pk}/approve/",
            f"/staff/employers/registrations/{pending.pk}/refuse/",
            f"/employer/{pending.employer_id}/",
            "/staff/applications/",
            f"/staff/applications/{decided.pk}/",
            "/staff/allocation/",
            "/staff/policy/",
            "/staff/policy/grid/2024-01-01/",
        ],
        "manager@demo.nominee.test": ["/staff/policy/publish/"],
    }


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_pages_of_every_kind_meet_wcag_2_1_aa(
    demo: None, new_page: Any, viewport: dict[str, int] | None
) -> None:
    found: list[str] = []
    for email, paths in _paths().items():
        page = new_page()
        if email:
            sign_in(page, email=email, password=DEMO_PASSWORD)
        if viewport:
            page.set_viewport_size(viewport)
        for path in paths:
            found += _check(page, path)
    assert found == []


def test_refused_forms_meet_wcag_2_1_aa(demo: None, new_page: Any) -> None:
    employer = Employer.objects.get(contacts__user__email="employer@demo.nominee.test")
    found: list[str] = []
    public = new_page()
    found += _refused(public, "/accounts/signup/")
    found += _refused(public, "/calculator/")
    page = new_page()
    sign_in(page, email="employer@demo.nominee.test", password=DEMO_PASSWORD)
    found += _refused(page, f"/employer/{employer.pk}/job-offers/new/")
    found += _refused(page, "/employer/register/")
    from nominee.casework.models import Application

    draft = Application.objects.get(eoi__candidate__user__email="file01@demo.nominee.test")
    applicant = new_page()
    sign_in(applicant, email="file01@demo.nominee.test", password=DEMO_PASSWORD)
    found += _refused(applicant, f"/applications/{draft.pk}/apply/identity/")
    pending = EmployerRegistration.objects.get(status="pending")
    officer = new_page()
    sign_in(officer, email="officer@demo.nominee.test", password=DEMO_PASSWORD)
    found += _refused(officer, f"/staff/employers/registrations/{pending.pk}/refuse/")
    assert found == []
