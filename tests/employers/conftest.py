"""Fixtures of the employer portal's tests: employers and offers made through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nominee.accounts.models import User
from nominee.employers.models import Employer, JobOffer
from tests.factories import register_dairy, submit_offer
from tests.personas import make_user


def bobs_bakery(user: User) -> Employer:
    """The employer the ``bob`` persona is signing officer of."""
    return Employer.objects.get(contacts__user=user, contacts__is_signing_officer=True)


@pytest.fixture
def submit(bob: User) -> Callable[..., JobOffer]:
    """Submit an offer as Bob for Bob's Bakery's Toronto location (overrides by keyword)."""

    def build(**overrides: Any) -> JobOffer:
        employer = overrides.pop("employer", None) or bobs_bakery(bob)
        return submit_offer(overrides.pop("actor", bob), employer, **overrides)

    return build


@pytest.fixture
def dave(db: None) -> User:
    """Signing officer of another business (Dave's Dairy, Sudbury): employer B."""
    user = make_user("dave@example.com", full_name="Dave Dairy")
    register_dairy(user)
    return user
