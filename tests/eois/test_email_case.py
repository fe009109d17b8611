"""A Job Offer ID made out to the candidate's address in another case matches (issue 14)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nominee.accounts.models import User
from nominee.employers.models import JobOffer
from nominee.eois import services
from nominee.eois.models import Candidate
from tests.dates import IN_2025

pytestmark = pytest.mark.django_db


@IN_2025
def test_a_job_offer_id_made_out_in_another_case_matches(
    alice: User, offer_for: Callable[..., JobOffer]
) -> None:
    offer = offer_for(candidate_email="Alice@EXAMPLE.com")
    assert offer.candidate_email == "alice@example.com"
    services.verify_job_offer_id(
        actor=alice,
        candidate=Candidate.objects.get(user=alice),
        job_offer_id=offer.public_id,
        stream="foreign-worker",
    )
