"""Fixtures of the employer portal's tests: employers and offers made through the services."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from typing import Any

import pytest

from nominee.accounts.models import User
from nominee.employers.models import Employer, JobOffer
from nominee.scoring.policy import policy_document
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


# ---- Registration with the program -----------------------------------------------

#: The day from which the tests' policy requires an employer's approved registration (a day
#: of the tests' choosing: in the past whenever they run, and not the shipped 2026 version's).
REQUIRED_FROM = date(2026, 1, 15)


def registration_policy(required_from: date | None) -> dict[str, Any]:
    """The shipped policy document, its versions requiring an employer's registration from
    ``required_from`` only (never, for None), whatever the shipped versions say.

    A version effective on ``required_from`` is added (a copy of the one in force then)
    unless one starts that day; every later version requires it too.
    """
    text = resources.files("nominee.scoring").joinpath("data", "policy.json").read_text("utf-8")
    document = json.loads(text)
    versions = sorted(document["versions"], key=lambda v: v["effective_from"])
    for version in versions:
        version["employer_registration_required"] = False
    if required_from is not None:
        day = required_from.isoformat()
        if not any(v["effective_from"] == day for v in versions):
            in_force = [v for v in versions if v["effective_from"] <= day][-1]
            added = copy.deepcopy(in_force)
            added["effective_from"] = day
            added["note"] = "tests: employers must be registered with the program"
            versions.append(added)
        for version in versions:
            if version["effective_from"] >= day:
                version["employer_registration_required"] = True
    document["versions"] = versions
    return document


@pytest.fixture
def registration_required() -> Iterator[date]:
    """The policy requires an approved registration from ``REQUIRED_FROM`` (returned)."""
    with policy_document(registration_policy(REQUIRED_FROM)):
        yield REQUIRED_FROM


@pytest.fixture
def registration_not_required() -> Iterator[None]:
    """No policy version requires an employer's registration."""
    with policy_document(registration_policy(None)):
        yield
