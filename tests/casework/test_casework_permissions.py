"""Who may see and do what on a file: every persona, pages and API (another candidate's
file, documents and letter: 404)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from tests.casework.files import close
from tests.personas import client_for, make_user

from nominee.accounts.services import appoint_representative
from nominee.casework import services
from nominee.casework.models import Application
from nominee.core.timeutil import PROGRAM_TZ
from nominee.eois.models import Candidate

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
PERSONAS = ("alice", "other", "bob", "carol", "olivia", "martin", "audrey", "oscar", "public")


@pytest.fixture
def world(
    in_review: Application,
    alice: Any,
    bob: Any,
    carol: Any,
    olivia: Any,
    martin: Any,
    audrey: Any,
    oscar: Any,
    settings: Any,
    tmp_path: Path,
) -> dict[str, Any]:
    settings.CASEWORK_DOCUMENT_ROOT = tmp_path
    other = make_user("dana@example.com", full_name="Dana Other")
    Candidate.objects.create(
        user=other, full_name="Dana Other", email=other.email, created_at=timezone.now()
    )
    appoint_representative(actor=alice, representative=carol, candidate=alice.candidate)
    Application.objects.filter(pk=in_review.pk).update(
        status="info_requested", awaiting="candidate"
    )
    document = services.add_document(
        actor=alice,
        application=in_review,
        party="candidate",
        label="Passport",
        name="p.pdf",
        content=PDF,
    )
    Application.objects.filter(pk=in_review.pk).update(status="in_review", awaiting="")
    services.approve_application(
        actor=olivia, application=in_review, now=datetime(2025, 11, 12, 9, tzinfo=PROGRAM_TZ)
    )
    people = {
        "alice": alice,
        "other": other,
        "bob": bob,
        "carol": carol,
        "olivia": olivia,
        "martin": martin,
        "audrey": audrey,
        "oscar": oscar,
        "public": None,
    }
    return {"app": in_review, "document": document, "people": people}


# Expected status per persona, in PERSONAS order (302: to sign in, or staff to their page).
MATRIX = {
    "file": (200, 404, 200, 200, 302, 302, 302, 404, 302),
    "letter": (200, 404, 404, 200, 200, 200, 200, 404, 302),
    "document": (200, 404, 404, 200, 200, 200, 200, 404, 302),
    "staff_file": (404, 404, 404, 404, 200, 200, 200, 404, 302),
    "staff_queue": (404, 404, 404, 404, 200, 200, 200, 404, 302),
    "staff_allocation": (404, 404, 404, 404, 200, 200, 200, 404, 302),
    "public_allocation": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api_file": (200, 404, 200, 200, 200, 200, 200, 404, 401),
    "api_queue": (404, 404, 404, 404, 200, 200, 200, 404, 401),
    "api_allocation": (200, 200, 200, 200, 200, 200, 200, 200, 200),
}


def _url(page: str, app: Application, document: Any) -> str:
    return {
        "file": f"/applications/{app.pk}/",
        "letter": f"/applications/{app.pk}/letter.pdf",
        "document": f"/applications/{app.pk}/documents/{document.pk}/",
        "staff_file": f"/staff/applications/{app.pk}/",
        "staff_queue": "/staff/applications/",
        "staff_allocation": "/staff/allocation/",
        "public_allocation": "/allocation/2025/",
        "api_file": f"/api/v1/applications/{app.pk}",
        "api_queue": "/api/v1/staff/applications",
        "api_allocation": "/api/v1/allocation/2025",
    }[page]


@pytest.mark.parametrize("page", list(MATRIX))
def test_the_permission_matrix(page: str, world: dict[str, Any]) -> None:
    url = _url(page, world["app"], world["document"])
    got = []
    for name in PERSONAS:
        response = client_for(world["people"][name]).get(url)
        got.append(response.status_code)
        close(response)
    assert dict(zip(PERSONAS, tuple(got), strict=True)) == dict(
        zip(PERSONAS, MATRIX[page], strict=True)
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("olivia", 400),
        ("martin", 400),
        ("audrey", 403),
        ("bob", 404),
        ("oscar", 404),
        ("alice", 404),
    ],
)
def test_only_officers_and_managers_act_on_a_file(
    name: str, expected: int, world: dict[str, Any]
) -> None:
    # Approving an approved file is refused by the state machine: 400 on the form.
    response = client_for(world["people"][name]).post(
        f"/staff/applications/{world['app'].pk}/", {"action": "approve", "confirm": "yes"}
    )
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("name", "expected"), [("martin", 302), ("olivia", 403), ("audrey", 403), ("oscar", 404)]
)
def test_only_managers_set_the_allocation(name: str, expected: int, world: dict[str, Any]) -> None:
    response = client_for(world["people"][name]).post(
        "/staff/allocation/", {"year": "2027", "nominations": "9000", "confirm": "yes"}
    )
    assert response.status_code == expected


def test_another_candidate_cannot_act_on_the_file(world: dict[str, Any]) -> None:
    other = client_for(world["people"]["other"])
    pk = world["app"].pk
    for path in (f"/applications/{pk}/withdraw/", f"/applications/{pk}/answer/"):
        assert other.post(path, {"text": "x", "confirm": "yes"}).status_code == 404
        assert other.get(path).status_code in (404, 405)
    assert other.get(f"/applications/{pk}/apply/identity/").status_code == 404
    assert Application.objects.get(pk=pk).status == "approved"
