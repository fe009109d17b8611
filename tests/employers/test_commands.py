"""``nominee employer ...`` and ``nominee job-offer show`` for support staff."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from nominee.employers.models import JobOffer
from tests.dates import IN_2025

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_employer_list_names_each_failing_rule(bob: Any, dave: Any) -> None:
    text = _run("employer", "list")
    assert "Bob's Bakery Inc." in text
    assert "2 employer(s)" in text
    assert _run("employer", "list", "--flagged", "--json") == ""
    employer = bob.employer_contacts.get().employer
    employer.years_in_business = 2
    employer.save()
    rows = [
        json.loads(line) for line in _run("employer", "list", "--flagged", "--json").splitlines()
    ]
    assert [r["legal_name"] for r in rows] == ["Bob's Bakery Inc."]
    assert rows[0]["failing_rules"] == ["employer.years_in_business"]


def test_employer_show_finds_a_business_by_its_business_number(bob: Any) -> None:
    text = _run("employer", "show", "123456782")
    assert "signing officer: bob@example.com" in text
    with pytest.raises(CommandError) as error:
        _run("employer", "show", "999999999")
    assert error.value.returncode == 2


@IN_2025
def test_job_offer_show_prints_the_offer_and_its_history(submit: Any) -> None:
    offer = submit(noc="21232", hourly_wage="44")
    text = _run("job_offer", "show", offer.public_id.lower())
    assert offer.public_id in text
    assert "job_offer.wage_floor" in text
    assert "employers.job_offer_submitted" in text
    document = json.loads(_run("job_offer", "show", offer.public_id, "--json"))
    assert document["public_id"] == offer.public_id
    assert document["failures"][0]["severity"] == "flag"


@pytest.mark.parametrize("bad", ["JO-OOOO-1111", "nonsense", "JO-2345-6789"])
def test_job_offer_show_refuses_bad_or_unknown_ids_with_exit_code_2(bad: str) -> None:
    with pytest.raises(CommandError) as error:
        _run("job_offer", "show", bad)
    assert error.value.returncode == 2


@IN_2025
def test_sweep_lapsed_lapses_old_offers(submit: Any, at: Any) -> None:
    old = submit(on=at(2025, 8, 1, 10))
    fresh = submit()
    assert _run("employer", "sweep-lapsed").strip() == "1 job offer(s) lapsed"
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (JobOffer.Status.LAPSED, JobOffer.Status.AWAITING_EOI)
