"""Documents and pools for the policy-version tests."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from importlib import resources
from typing import Any

from django.utils import timezone

from nominee.core.timeutil import start_of, today
from nominee.eois import services as eois
from nominee.eois.models import EOI, Candidate
from tests.personas import make_user


def shipped_grid() -> dict[str, Any]:
    """The newest shipped grid document."""
    folder = resources.files("nominee.scoring").joinpath("data", "grids")
    newest = max(e.name for e in folder.iterdir() if e.name.endswith(".json"))
    document: dict[str, Any] = json.loads(folder.joinpath(newest).read_text("utf-8"))
    return document


def permit_grid(effective_from: date, *, work: int = 15, study: int = 2) -> dict[str, Any]:
    """The newest grid with the permit factor's work and study bands changed."""
    document = copy.deepcopy(shipped_grid())
    document["effective_from"] = effective_from.isoformat()
    permit = document["factors"]["permit"]
    permit["categories"]["work"]["points"] = work
    permit["categories"]["study"]["points"] = study
    permit["max"] = max(b["points"] for b in permit["categories"].values())
    for stream in document["streams"].values():
        for rule in (stream.get("overrides") or {}).values():
            if "work" in (rule.get("categories") or {}):
                rule["categories"]["work"]["points"] = work
                rule["categories"]["study"]["points"] = study
                rule["max"] = max(b["points"] for b in rule["categories"].values())
    return document


def later(days: int = 30) -> date:
    """A program date after today."""
    return today() + timedelta(days=days)


def noon(day: date) -> Any:
    """Noon of a program date."""
    return start_of(day) + timedelta(hours=12)


def candidate(email: str) -> tuple[Any, Candidate]:
    """A confirmed account with a candidate file."""
    user = make_user(email)
    return user, Candidate.objects.create(
        user=user, full_name=email, email=email, created_at=timezone.now()
    )


#: Today's program: a self-employed physician's Workforce Priority EOI takes no job offer,
#: so a candidate registers one alone (DOMAIN §9).
STREAM = "workforce-priority"


PHYSICIAN_FACTS = {"cpso_class": "independent-practice", "ohip_billing_number": "123456"}


def physician_document(*, permit: str) -> dict[str, Any]:
    """A physician's profile document with the given permit."""
    return {
        "stream": STREAM,
        "pathway": "physician",
        "practice": {"noc": "31102", "census_division": "3553"},
        "permit": permit,
        "job_tenure_months": 30,
        "languages": {"english": 9, "french": None},
    }


def register_physician(email: str, *, permit: str = "study", now: Any = None) -> EOI:
    """A Workforce Priority physician's EOI registered by a new candidate."""
    user, file = candidate(email)
    return eois.register_eoi(
        actor=user,
        candidate=file,
        document=physician_document(permit=permit),
        job_offer_id=None,
        facts=PHYSICIAN_FACTS,
        now=now,
    )
