"""INTERFACES §5: the allocation, return and export commands, and the API paths."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from tests.casework.files import ready_file
from tests.personas import client_for

from nominee.audit.models import AuditEvent
from nominee.casework import services
from nominee.casework.models import Application
from nominee.core.timeutil import PROGRAM_TZ
from nominee.employers.models import Employer
from nominee.program.models import Allocation

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_allocation_show_json_is_the_documented_document() -> None:
    document = json.loads(_run("allocation", "show", "--year", "2025", "--json"))
    assert list(document) == ["year", "nominations", "issued", "remaining", "by_stream"]
    assert document["year"] == 2025
    assert document["nominations"] == 10750
    assert document["remaining"] == 10750
    assert list(document["by_stream"]) == [
        "foreign-worker",
        "international-student",
        "in-demand-skills",
        "masters",
        "phd",
    ]
    assert document["by_stream"]["foreign-worker"] == {"nominations": None, "issued": 0}


def test_allocation_set_by_stream_and_its_refusals() -> None:
    _run("allocation", "set", "--year", "2025", "--nominations", "4000", "--stream", "masters")
    document = json.loads(_run("allocation", "show", "--year", "2025", "--json"))
    assert document["by_stream"]["masters"] == {"nominations": 4000, "issued": 0}
    assert AuditEvent.objects.filter(action="allocation.stream_set").count() == 1
    Allocation.objects.filter(year=2025).update(nominations_issued=20)
    with pytest.raises(CommandError) as raised:
        _run("allocation", "set", "--year", "2025", "--nominations", "19")
    assert raised.value.returncode == 2
    assert "at least 20" in str(raised.value)
    with pytest.raises(CommandError) as raised:
        _run("allocation", "set", "--year", "2025", "--nominations", "20000", "--stream", "phd")
    assert raised.value.returncode == 2
    assert "above the 2025 allocation" in str(raised.value)
    assert Allocation.objects.get(year=2025).nominations == 10750


def test_allocation_show_of_a_year_not_set_is_bad_input() -> None:
    with pytest.raises(CommandError) as raised:
        _run("allocation", "show", "--year", "1999")
    assert raised.value.returncode == 2
    assert "1999" in str(raised.value)


def test_applications_return_counts_and_refunds() -> None:
    kept = ready_file(stream="phd")
    files = [ready_file(), ready_file()]
    Application.objects.filter(pk=files[0].pk).update(fee_status=Application.Fee.RECEIVED)
    out = _run("applications", "return", "--stream", "masters", "--reason", "Allocation spent")
    assert out.strip() == "2 application(s) returned"
    statuses = dict(Application.objects.values_list("pk", "fee_status"))
    assert statuses[files[0].pk] == Application.Fee.REFUND_DUE
    assert statuses[files[1].pk] == Application.Fee.WAIVED
    assert Application.objects.get(pk=kept.pk).status == Application.Status.IN_REVIEW


def test_applications_return_refuses_a_missing_reason() -> None:
    ready_file()
    with pytest.raises(CommandError) as raised:
        _run("applications", "return", "--stream", "masters", "--reason", " ")
    assert raised.value.returncode == 2
    assert Application.objects.get().status == Application.Status.IN_REVIEW


def test_nominations_export_lists_the_nomination(
    in_review: Application, olivia: Any, tmp_path: Path
) -> None:
    nomination = services.approve_application(
        actor=olivia, application=in_review, now=datetime(2025, 11, 12, 9, tzinfo=PROGRAM_TZ)
    )
    text = _run("nominations", "export", "--year", "2025")
    assert text.startswith(
        "certificate,issued_on,expires_on,stream,pathway,eoi,family_name,given_names,"
        "date_of_birth,citizenship,noc,employer"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [
        {
            **rows[0],
            "certificate": nomination.certificate,
            "issued_on": "2025-11-12",
            "expires_on": "2026-05-12",
            "stream": "foreign-worker",
            "eoi": in_review.eoi.external_id,
            "family_name": "Candidate",
            "given_names": "Alice",
            "date_of_birth": "1994-03-02",
            "citizenship": "India",
            "noc": "21231",
            "employer": "Bob's Bakery Inc.",
        }
    ]
    target = tmp_path / "out.csv"
    _run("nominations", "export", "--year", "2025", str(target))
    assert target.read_text() == text


def test_nominations_export_neutralises_formula_cells(in_review: Application, olivia: Any) -> None:
    # Decision 79: names come from the candidate and the employer; the federal partner's
    # spreadsheet must not run them.
    details = in_review.details
    details["identity"] |= {
        "family_name": '=HYPERLINK("http://evil.example","x")',
        "given_names": "@SUM(1)",
        "citizenship": "-2+3",
    }
    Application.objects.filter(pk=in_review.pk).update(details=details)
    Employer.objects.filter(pk=in_review.eoi.job_offer.employer_id).update(legal_name="\t=1")
    services.approve_application(
        actor=olivia, application=in_review, now=datetime(2025, 11, 12, 9, tzinfo=PROGRAM_TZ)
    )
    row = next(csv.DictReader(io.StringIO(_run("nominations", "export", "--year", "2025"))))
    assert row["family_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["given_names"] == "'@SUM(1)"
    assert row["citizenship"] == "'-2+3"
    assert row["employer"] == "'\t=1"
    assert row["noc"] == "21231"


def test_the_public_allocation_path(in_review: Application, olivia: Any) -> None:
    services.approve_application(
        actor=olivia, application=in_review, now=datetime(2025, 11, 12, 9, tzinfo=PROGRAM_TZ)
    )
    response = client_for(None).get("/api/v1/allocation/2025")
    assert response.status_code == 200
    body = response.json()
    assert body["issued"] == 1
    assert body["remaining"] == 10749
    assert body["by_stream"]["foreign-worker"]["issued"] == 1
    missing = client_for(None).get("/api/v1/allocation/1999")
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message", "fields"}


def test_the_openapi_document_has_the_casework_paths() -> None:
    paths = client_for(None).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/allocation/{year}" in paths
    assert any("application" in p for p in paths)
    assert any("nomination" in p for p in paths)
    errors = paths["/api/v1/allocation/{year}"]["get"]["responses"]["404"]
    assert errors["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_the_api_journey_for_both_parties(
    current: Any, alice: Any, bob: Any, olivia: Any, oscar: Any
) -> None:
    from tests.casework.conftest import DETAILS

    candidate = client_for(alice)
    opened = candidate.post(
        "/api/v1/applications", {"invitation": current.pk}, content_type="application/json"
    )
    assert opened.status_code == 201, opened.content
    pk = opened.json()["id"]
    assert client_for(oscar).get(f"/api/v1/applications/{pk}").status_code == 404
    bad = candidate.put(
        f"/api/v1/applications/{pk}/details/identity",
        {"data": {**DETAILS["identity"], "date_of_birth": "soon"}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "date_of_birth" in bad.json()["fields"]
    for key, data in DETAILS.items():
        ok = candidate.put(
            f"/api/v1/applications/{pk}/details/{key}",
            {"data": data},
            content_type="application/json",
        )
        assert ok.status_code == 200, ok.content
    assert candidate.post(f"/api/v1/applications/{pk}/confirm").status_code == 200
    submitted = candidate.post(
        f"/api/v1/applications/{pk}/submit",
        {"declaration_name": "Alice Candidate"},
        content_type="application/json",
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["fee_status"] == "due"
    mine = client_for(bob).get("/api/v1/applications").json()
    assert [a["id"] for a in mine] == [pk]
    assert mine[0]["stage"] == "Submitted: waiting for the other party's part"
    assert client_for(olivia).get("/api/v1/staff/applications").json()["count"] == 0
    filed = client_for(bob).post(
        f"/api/v1/applications/{pk}/position-approval",
        {"offer_confirmed": True, "declaration_name": "Bob Employer"},
        content_type="application/json",
    )
    assert filed.status_code == 200, filed.content
    assert filed.json()["position_approval"]["status"] == "submitted"
    assert client_for(bob).get("/api/v1/staff/applications").status_code == 404
    staff = client_for(olivia)
    assert staff.get("/api/v1/staff/applications").json()["count"] == 1
    for action in ("claim", "approve"):
        done = staff.post(
            f"/api/v1/staff/applications/{pk}/decide",
            {"action": action},
            content_type="application/json",
        )
        assert done.status_code == 200, done.content
    assert done.json()["nomination"]["certificate"].startswith("ON-")
    again = staff.post(
        f"/api/v1/staff/applications/{pk}/decide",
        {"action": "approve"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "application.cannot_approve"
