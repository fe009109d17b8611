"""Managers keep policy tables in the admin; every edit is audited, and allocations go
through the service (never below what was issued)."""

from __future__ import annotations

import pytest

from nominee.audit.models import AuditEvent
from nominee.program.models import Allocation
from nominee.reference.models import OccupationList
from tests.personas import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_in_admin(martin: object) -> object:
    martin.is_staff = True  # type: ignore[attr-defined]
    martin.save()  # type: ignore[attr-defined]
    return martin


def test_a_manager_adds_an_occupation_list_and_it_is_audited(manager_in_admin: object) -> None:
    response = client_for(manager_in_admin).post(  # type: ignore[arg-type]
        "/admin/reference/occupationlist/add/",
        {
            "slug": "tech-2026",
            "name": "Tech occupations 2026",
            "effective_from": "2026-01-05",
            "source": "manager",
            "complete": "on",
            "entries-TOTAL_FORMS": "1",
            "entries-INITIAL_FORMS": "0",
            "entries-0-noc": "21231",
            "entries-0-scope": "anywhere",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = OccupationList.objects.get(slug="tech-2026")
    assert created.codes() == ["21231"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"reference.occupationlist.added", "reference.occupationlistentry.saved"} <= actions


def test_an_allocation_set_in_the_admin_goes_through_the_service(manager_in_admin: object) -> None:
    allocation = Allocation.objects.get(year=2026)
    Allocation.objects.filter(pk=allocation.pk).update(nominations_issued=50)
    client = client_for(manager_in_admin)  # type: ignore[arg-type]
    url = f"/admin/program/allocation/{allocation.pk}/change/"
    refused = client.post(url, {"year": "2026", "nominations": "49", "source": "x"})
    assert refused.status_code == 200
    assert "at least 50" in refused.content.decode()
    accepted = client.post(url, {"year": "2026", "nominations": "15000", "source": "budget"})
    assert accepted.status_code == 302
    assert Allocation.objects.get(year=2026).nominations == 15000
    assert AuditEvent.objects.filter(action="allocation.set").exists()


def test_an_officer_may_read_but_not_change_reference_data(olivia: object) -> None:
    olivia.is_staff = True  # type: ignore[attr-defined]
    olivia.save()  # type: ignore[attr-defined]
    client = client_for(olivia)  # type: ignore[arg-type]
    assert client.get("/admin/reference/noc/21231/change/").status_code == 200
    response = client.post(
        "/admin/reference/noc/21231/change/",
        {"code": "21231", "title": "Hacked", "teer": "1", "broad_category": "2"},
    )
    assert response.status_code == 403


def test_an_outsider_cannot_enter_the_admin() -> None:
    user = make_user("nobody@example.com")
    response = client_for(user).get("/admin/reference/noc/")
    assert response.status_code == 302
