"""The first step of EOI registration checks the Job Offer ID, the stream, the candidate's
name and e-mail address, and shows nothing of an offer until they match; another
person's offer and an unknown ID get one answer (decision 73a). The API is the same check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from nominee.accounts.models import User
from nominee.audit.models import AuditEvent
from nominee.core.errors import DomainError
from nominee.employers.models import JobOffer
from nominee.eois import services
from nominee.eois.models import EOI, Candidate
from nominee.eois.views import _wizard_key
from tests.dates import IN_2025
from tests.personas import client_for

from .conftest import FW_FACTS, fw_document

pytestmark = [pytest.mark.django_db, IN_2025]

GENERIC = "No job offer with this ID is addressed to you."
#: What the default offer (tests.factories.OFFER_DEFAULTS) would give away.
SECRETS = ("Software engineer", "Bob&#x27;s Bakery", "Bob's Bakery", "21231", "55.00", "3520")


def _step_one(client: Any, candidate: Candidate, job_offer_id: str, stream: str) -> Any:
    return client.post(
        f"/candidate/{candidate.pk}/eoi/new/stream/",
        {"stream": stream, "job_offer_id": job_offer_id},
    )


def test_a_matching_offer_passes_the_first_step(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for()
    client = client_for(alice)
    response = _step_one(client, alice_candidate, offer.public_id.lower(), "foreign-worker")
    assert response.status_code == 302
    assert response["Location"].endswith("/eoi/new/profile/")
    assert client.session[_wizard_key(alice_candidate)]["job_offer_id"] == offer.public_id.lower()


@pytest.mark.parametrize(
    ("overrides", "typed", "reason"),
    [
        ({}, "JO-ZZZZ-ZZZZ", "job_offer.unknown"),
        ({"candidate_email": "someone@example.com"}, None, "job_offer.email_mismatch"),
        ({"candidate_name": "Alicia Candidate"}, None, "job_offer.name_mismatch"),
    ],
    ids=["unknown-id", "other-email", "other-name"],
)
def test_a_mismatch_gets_one_answer_that_tells_nothing_of_the_offer(
    alice: User,
    alice_candidate: Candidate,
    offer_for: Callable[..., JobOffer],
    overrides: dict[str, Any],
    typed: str | None,
    reason: str,
) -> None:
    offer = offer_for(**overrides)
    client = client_for(alice)
    response = _step_one(client, alice_candidate, typed or offer.public_id, "foreign-worker")
    assert response.status_code == 400
    page = response.content.decode()
    assert GENERIC in page
    for secret in SECRETS:
        assert secret not in page, secret
    assert _wizard_key(alice_candidate) not in client.session
    # No later step can be reached: they send back to the first.
    later = client.get(f"/candidate/{alice_candidate.pk}/eoi/new/review/")
    assert later.status_code == 302
    assert later["Location"].endswith("/eoi/new/stream/")
    # The API answers the same, with the same code whatever the reason.
    api = client.post(
        "/api/v1/eois",
        {
            "document": fw_document(),
            "job_offer_id": typed or offer.public_id,
            "facts": FW_FACTS,
        },
        content_type="application/json",
    )
    assert api.status_code == 422
    body = api.json()
    assert body["code"] == "job_offer.unknown"
    assert body["message"].startswith(GENERIC)
    assert body["fields"] == {"job_offer_id": [body["message"]]}
    for secret in SECRETS:
        assert secret not in api.content.decode(), secret
    assert not EOI.objects.exists()
    # The audit keeps which it was, for an officer: only another person's offer is recorded.
    rules = list(
        AuditEvent.objects.filter(action="eois.job_offer_refused").values_list(
            "data__rule", flat=True
        )
    )
    assert rules == ([] if reason == "job_offer.unknown" else [reason, reason])


def test_the_three_mismatches_read_alike(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    client = client_for(alice)
    other_email = offer_for(candidate_email="someone@example.com")
    other_name = offer_for(candidate_name="Alicia Candidate")

    def error_of(job_offer_id: str) -> str:
        page = _step_one(client, alice_candidate, job_offer_id, "foreign-worker")
        text = page.content.decode().replace(job_offer_id, "ID")
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", text)  # the CSRF token varies

    unknown = error_of("JO-ZZZZ-ZZZZ")
    assert error_of(other_email.public_id) == unknown
    assert error_of(other_name.public_id) == unknown


def test_an_offer_of_another_stream_is_refused_in_the_first_step(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for(stream="international-student")
    client = client_for(alice)
    response = _step_one(client, alice_candidate, offer.public_id, "foreign-worker")
    assert response.status_code == 400
    assert "not foreign-worker" in response.content.decode()
    assert _wizard_key(alice_candidate) not in client.session
    assert "Software engineer" not in response.content.decode()


def test_an_unconfirmed_account_is_told_so_before_the_id_is_looked_up(
    alice: User, alice_candidate: Candidate, offer_for: Callable[..., JobOffer]
) -> None:
    other = offer_for(candidate_email="someone@example.com")
    alice.email_confirmed_at = None
    alice.save(update_fields=["email_confirmed_at"])
    alice_candidate.refresh_from_db()
    answers = set()
    for typed in ("JO-ZZZZ-ZZZZ", other.public_id):
        with pytest.raises(DomainError) as refused:
            services.verify_job_offer_id(
                actor=alice, candidate=alice_candidate, job_offer_id=typed, stream="foreign-worker"
            )
        answers.add((refused.value.code, refused.value.message))
    assert len(answers) == 1
    assert answers.pop()[0] == "job_offer.account_unconfirmed"
