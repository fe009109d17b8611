"""The pages as people use them: the candidate's wizard, the employer's filing, each
party seeing the other's progress, an officer's request and approval, the public page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.formats import date_format
from tests.casework.conftest import DETAILS
from tests.personas import client_for

from nominee.casework.models import Application
from nominee.core.labels import event_label
from nominee.core.timeutil import today
from nominee.program.models import Allocation

pytestmark = pytest.mark.django_db


def test_the_whole_journey_through_the_pages(
    current: Any, alice: Any, bob: Any, olivia: Any, settings: Any, tmp_path: Path
) -> None:
    settings.CASEWORK_DOCUMENT_ROOT = tmp_path
    candidate, employer, officer = client_for(alice), client_for(bob), client_for(olivia)
    dashboard = candidate.get("/candidate/").content.decode()
    assert "Invitation to apply" in dashboard
    response = candidate.post(f"/invitations/{current.pk}/start/")
    app = Application.objects.get(invitation=current)
    assert response["Location"] == f"/applications/{app.pk}/apply/confirm/"
    page = candidate.get(response["Location"]).content.decode()
    assert "Step 1 of 7" in page
    assert str(current.score) in page
    assert candidate.post(f"/applications/{app.pk}/apply/confirm/").status_code == 302
    bad = candidate.post(
        f"/applications/{app.pk}/apply/identity/", {**DETAILS["identity"], "date_of_birth": "x"}
    )
    assert bad.status_code == 400
    assert "a date, YYYY-MM-DD" in bad.content.decode()
    for key, data in DETAILS.items():
        done = candidate.post(f"/applications/{app.pk}/apply/{key}/", data)
        assert done.status_code == 302, (key, done.content.decode()[:500])
    # Saved between steps: the draft keeps what was entered.
    assert "Alice" in candidate.get(f"/applications/{app.pk}/apply/identity/").content.decode()
    upload = candidate.post(
        f"/applications/{app.pk}/apply/documents/",
        {"label": "Passport", "file": SimpleUploadedFile("passport.pdf", b"%PDF-1.7\n%%EOF")},
    )
    assert upload.status_code == 302
    assert (
        "fee of $2,000 due"
        in candidate.get(f"/applications/{app.pk}/apply/declaration/").content.decode()
    )
    refused = candidate.post(
        f"/applications/{app.pk}/apply/declaration/",
        {"agree": "on", "declaration_name": "Alice Candidate"},
    )
    assert refused.status_code == 302
    app.refresh_from_db()
    assert app.status == "submitted"
    # Each party sees the other's progress and deadline.
    due = date_format(current.employer_deadline, "DATE_FORMAT")
    assert (
        f"Your employer has not filed yet: due {due}."
        in candidate.get("/applications/").content.decode()
    )
    employer_dash = employer.get("/applications/").content.decode()
    assert "The candidate's application is submitted." in employer_dash
    assert f"You have not filed the position approval yet: due {due}." in employer_dash
    not_confirmed = employer.post(
        f"/applications/{app.pk}/position-approval/", {"declaration_name": "Bob", "submit": "1"}
    )
    assert not_confirmed.status_code == 400
    assert "confirm the job offer" in not_confirmed.content.decode()
    filed = employer.post(
        f"/applications/{app.pk}/position-approval/",
        {"offer_confirmed": "on", "declaration_name": "Bob Employer", "submit": "1"},
    )
    assert filed.status_code == 302
    queue = officer.get("/staff/applications/").content.decode()
    assert app.eoi.external_id in queue
    assert officer.post(f"/staff/applications/{app.pk}/", {"action": "claim"}).status_code == 302
    asked = officer.post(
        f"/staff/applications/{app.pk}/",
        {"action": "request_info", "party": "candidate", "text": "Send your diploma"},
    )
    assert asked.status_code == 302
    file_page = candidate.get(f"/applications/{app.pk}/").content.decode()
    assert "Send your diploma" in file_page
    assert "Answer the program" in file_page
    candidate.post(
        f"/applications/{app.pk}/documents/",
        {"label": "Diploma", "file": SimpleUploadedFile("diploma.png", b"\x89PNG\r\n\x1a\nxx")},
    )
    assert (
        candidate.post(f"/applications/{app.pk}/answer/", {"text": "Attached"}).status_code == 302
    )
    before = Allocation.objects.get(year=today().year).remaining
    asked_first = officer.post(f"/staff/applications/{app.pk}/", {"action": "approve"})
    assert asked_first.status_code == 200  # the confirmation (decision 73b)
    assert Allocation.objects.get(year=today().year).remaining == before
    approved = officer.post(
        f"/staff/applications/{app.pk}/", {"action": "approve", "confirm": "yes"}
    )
    assert approved.status_code == 302
    assert Allocation.objects.get(year=today().year).remaining == before - 1
    staff_page = officer.get(f"/staff/applications/{app.pk}/").content.decode()
    for kind in ("submitted", "assigned", "info_requested", "document_added", "approved"):
        assert event_label(kind) in staff_page
    letter = candidate.get(f"/applications/{app.pk}/letter.pdf")
    assert letter.status_code == 200
    assert "Download the nomination letter" in candidate.get("/applications/").content.decode()


def test_the_public_allocation_page_shows_small_counts_as_under_five(
    in_review: Application, olivia: Any
) -> None:
    from datetime import datetime

    from nominee.casework import services
    from nominee.core.timeutil import PROGRAM_TZ

    services.approve_application(
        actor=olivia, application=in_review, now=datetime(2025, 11, 12, tzinfo=PROGRAM_TZ)
    )
    page = client_for(None).get("/allocation/2025/").content.decode()
    assert "10,749" in page
    assert "&lt;5" in page
    assert client_for(None).get("/allocation/1999/").status_code == 404


def test_the_staff_allocation_page_sets_a_share(martin: Any) -> None:
    client = client_for(martin)
    response = client.post(
        "/staff/allocation/",
        {"year": "2025", "nominations": "50", "stream": "phd", "confirm": "yes"},
    )
    assert response.status_code == 302
    page = client.get("/staff/allocation/?year=2025").content.decode()
    assert "Nominations in 2025" in page
    assert "Nominations the pipeline would bring" in page
    too_many = client.post(
        "/staff/allocation/",
        {"year": "2025", "nominations": "99999", "stream": "masters", "confirm": "yes"},
    )
    assert too_many.status_code == 400
    assert "at most" in too_many.content.decode()


def test_the_dashboard_projects_the_pipeline_at_observed_rates() -> None:
    from datetime import datetime, timedelta

    from django.utils import timezone
    from tests.casework.conftest import invite
    from tests.casework.files import ready_file
    from tests.factories import make_eoi

    from nominee.casework.views import _dashboard
    from nominee.core.timeutil import PROGRAM_TZ
    from nominee.draws.models import Invitation

    now = timezone.now()
    for status in ("approved", "refused", "refused", "refused", "in_review", "in_review"):
        app = ready_file(status=status)
        if status != "in_review":
            Application.objects.filter(pk=app.pk).update(
                decided_at=now - timedelta(days=3), submitted_at=now - timedelta(days=40)
            )
    Invitation.objects.update(status=Invitation.Status.APPLIED)
    declined = invite(make_eoi(stream="phd", registered_at=datetime(2025, 8, 2, tzinfo=PROGRAM_TZ)))
    Invitation.objects.filter(pk=declined.pk).update(status=Invitation.Status.DECLINED)
    for n in range(7):
        invite(
            make_eoi(stream="phd", registered_at=datetime(2025, 8, 3, n, tzinfo=PROGRAM_TZ)),
            stream="phd",
            candidate_deadline=today() + timedelta(days=10),
            employer_deadline=None,
        )
    figures = _dashboard(today().year)
    assert figures["rate"] == 0.25  # 1 approved of 4 decided
    assert figures["applying"] == 6 / 7  # 6 applied, 1 declined
    assert figures["outstanding"] == 7
    assert figures["in_review"] == 2
    assert figures["projected"] == round((2 + 7 * 6 / 7) * 0.25)
