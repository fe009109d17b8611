"""No personal data on any public page or feed, with realistic data present."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.utils import timezone

from nominee.accounts.models import Appointment, RepresentativeProfile, User
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws import services as draw_services
from nominee.draws.criteria import DrawCriteria
from nominee.draws.models import Draw
from nominee.employers.models import Employer, JobOffer, WorkLocation
from nominee.eois.models import EOI, Candidate
from nominee.publication.models import PublishedDraw
from nominee.publication.services import import_published_draws
from tests.dates import ON_DRAW_DAY_2025
from tests.factories import make_eoi

from .conftest import SAMPLE_CSV

pytestmark = pytest.mark.django_db

# The personal fields of every model that holds personal data. Values shorter than 6
# characters (a bare number, a postal code fragment) are left out of the comparison:
# they would match figures that are rightly public (e.g. a count "12").
PERSONAL_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    User: ("email", "username", "full_name"),
    Candidate: ("full_name", "email"),
    EOI: ("external_id",),
    JobOffer: ("public_id", "candidate_name", "candidate_email", "job_title"),
    Employer: (
        "legal_name",
        "operating_name",
        "cra_business_number",
        "street_address",
        "postal_code",
    ),
    WorkLocation: ("street_address",),
    RepresentativeProfile: ("licence_number", "organisation"),
}


def _world(alice: User, bob: User, carol: User, olivia: User) -> Draw:
    """A pool with named candidates, job offers, an employer; a draw executed through the
    service (so the pool snapshot is taken by the publication receiver)."""
    employer = Employer.objects.get(contacts__user=bob)
    employer.operating_name = "Bobs Artisanal Breads"
    employer.save()
    location = employer.locations.get()
    location.street_address = "77 Queen Street West"
    location.save()
    now = timezone.now()
    candidate = Candidate.objects.get(user=alice)
    RepresentativeProfile.objects.filter(user=carol).update(organisation="Carol Legal LLP")
    Appointment.objects.create(
        representative=carol.representative_profile,
        candidate=candidate,
        appointed_by=alice,
        appointed_at=now,
    )
    start = datetime(2025, 7, 10, 9, tzinfo=PROGRAM_TZ)
    for i in range(12):
        person = Candidate.objects.create(
            full_name=f"Zenobia Quartermaine{i}",
            email=f"zenobia.q{i}@mailbox.example",
            created_at=now,
        )
        offer = JobOffer.objects.create(
            public_id=f"JO-Q{i:03d}-ZZ9X",
            employer=employer,
            location=location,
            stream="foreign-worker",
            noc_id="21231",
            job_title=f"Senior Sourdough Architect {i}",
            hourly_wage=Decimal("45.00"),
            hours_per_week=Decimal("40"),
            candidate_name=person.full_name,
            candidate_email=person.email,
            status=JobOffer.Status.EOI_REGISTERED,
            submitted_by=bob,
            submitted_at=start,
            lapses_at=start + timedelta(days=30),
            updated_at=start,
        )
        make_eoi(
            stream="foreign-worker",
            score=40 + i,
            registered_at=start + timedelta(hours=i),
            external_id=f"FWX-{900000 + i}",
            candidate=person,
            job_offer=offer,
        )
    make_eoi(
        stream="masters",
        score=61,
        registered_at=start,
        external_id="MSX-777001",
        candidate=candidate,
    )
    import_published_draws(text=SAMPLE_CSV, source_file="sample.csv")
    result = draw_services.run_draw(
        criteria=DrawCriteria(
            stream="foreign-worker",
            draw_date=date(2025, 9, 3),
            invitations=4,
            noc_codes=("21231",),
            registered_from=date(2025, 7, 2),
            registered_to=date(2025, 9, 3),
        )
    )
    return Draw.objects.get(pk=result.draw)


def _personal_values() -> set[str]:
    values: set[str] = set()
    for model, names in PERSONAL_FIELDS.items():
        for row in model.objects.values_list(*names):
            values.update(str(v) for v in row if v and len(str(v)) >= 6)
    return values


def _public_urls(client: Client) -> set[str]:
    """Every public URL: the fixed ones plus every link they lead to under /draws/."""
    start = {
        "/draws/",
        "/draws.csv",
        "/draws.atom",
        "/api/v1/draws",
        "/draws/summary/",
        "/draws/charts/",
        "/draws/allocation/",
        "/draws/allocation/2025/",
        "/draws/pool/",
    }
    seen: set[str] = set()
    todo = list(start)
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if "html" not in response["Content-Type"]:
            continue
        for href in re.findall(r'href="(/draws[^"#]*)"', response.content.decode()):
            href = href.replace("&amp;", "&")
            year = re.search(r"/summary/(\d{4})", href)
            if year and year.group(1) not in {"2024", "2025"}:
                continue  # the pager leads on forever through empty periods
            if href not in seen and len(seen) < 400:
                todo.append(href)
    return seen


@ON_DRAW_DAY_2025  # its draw is executed on its date (decision 75)
def test_no_personal_field_is_reachable_from_any_public_page_or_feed(
    client: Client,
    alice: User,
    bob: User,
    carol: User,
    olivia: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        draw = _world(alice, bob, carol, olivia)
    assert draw.invitations_issued == 4
    personal = _personal_values()
    assert {"Zenobia Quartermaine3", "FWX-900011", "JO-Q004-ZZ9X", "alice@example.com"} <= personal
    urls = _public_urls(client)
    assert f"/draws/nominee-{draw.pk}/" in urls
    assert "/draws/summary/2025/week/36/" in urls
    assert any(url.startswith("/draws/summary/2025/09/03") for url in urls)
    assert (
        len(
            [
                u
                for u in urls
                if PublishedDraw.objects.filter(slug=u.strip("/").split("/")[-1]).exists()
            ]
        )
        == 5
    )
    for url in sorted(urls):
        body = client.get(url).content.decode()
        leaked = [value for value in personal if value in body]
        assert not leaked, f"{url} shows {leaked}"


def test_public_pages_need_no_login_and_set_no_cookie(client: Client) -> None:
    import_published_draws(text=SAMPLE_CSV, source_file="sample.csv")
    for url in ("/draws/", "/draws/pool/", "/draws.atom", "/api/v1/draws"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url  # no session, no CSRF cookie: cacheable by anyone


def test_a_signed_in_visitor_gets_a_private_page_with_their_own_header(
    client: Client, alice: User
) -> None:
    import_published_draws(text=SAMPLE_CSV, source_file="sample.csv")
    anonymous = client.get("/draws/")
    client.force_login(alice)
    mine = client.get("/draws/")
    assert "alice@example.com" in mine.content.decode()
    assert mine["Cache-Control"].startswith("private")
    client.logout()
    again = client.get("/draws/")
    assert "alice@example.com" not in again.content.decode()
    assert again.content == anonymous.content
