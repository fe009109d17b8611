"""`nominee demo load` leaves files in every stage and an invitation to try, all audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from nominee.audit.models import AuditEvent
from nominee.casework.models import Application, Nomination
from nominee.draws.models import Invitation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_holds_files_in_every_stage(settings: object, tmp_path: object) -> None:
    settings.CASEWORK_DOCUMENT_ROOT = tmp_path  # type: ignore[attr-defined]
    out = StringIO()
    call_command("demo", "load", stdout=out)
    assert "casework: 13 files in every stage" in out.getvalue()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses >= {
        "draft", "submitted", "in_review", "info_requested", "intent_to_refuse",
        "approved", "refused", "returned", "withdrawn",
    }  # fmt: skip
    assert Application.objects.filter(status="submitted", ready=False).exists()
    assert Application.objects.filter(status="submitted", ready=True).exists()
    assert Invitation.objects.filter(status="declined").count() == 1
    assert Nomination.objects.count() == 3
    walkthrough = Invitation.objects.get(eoi__candidate__email="applicant@demo.nominee.test")
    assert walkthrough.status == "open"
    assert not Application.objects.filter(invitation=walkthrough).exists()
    assert AuditEvent.objects.filter(action="casework.application_approved").count() == 3
