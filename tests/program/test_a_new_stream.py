"""A stream that uses existing rule kinds is a data change (review Top-8 item 1).

The fixture below edits only the policy and grid *documents*: it adds two streams to the
registry, gives them rules in the policy version and columns in the 2024-01-01 grid, and
swaps the documents in with ``policy_document``:

- "Ontario Graduate" (no job offer, education required, CLB 6, a 12-month graduate
  certificate or better, open from 2024-01-01);
- "Regional Worker" (an employer's job offer, TEER 0-3, the median wage, 14 and 21 days
  to answer an invitation).

No code names either stream, yet each registers, scores, is drawn and shows in the forms;
the employer's one goes through the job offer, the Job Offer ID and the employer's window.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

import pytest
from django.utils import timezone

from nominee.accounts.models import User
from nominee.calculator.forms import CalculatorForm
from nominee.draws import services as draws
from nominee.draws.criteria import parse_criteria
from nominee.draws.models import Invitation
from nominee.employers.forms import JobOfferForm
from nominee.employers.models import Employer, JobOffer
from nominee.eois import services as eois
from nominee.eois.forms import StreamForm
from nominee.eois.models import EOI, Candidate
from nominee.scoring import (
    EligibilityFacts,
    ProfileError,
    check_profile,
    parse_profile,
    policy_at,
    score_profile,
)
from nominee.scoring.policy import policy_document, stream_codes
from tests.dates import IN_2025
from tests.factories import submit_offer

# The streams added here are 2025 streams: they register on a day the 2025 program was open.
pytestmark = IN_2025

CODE = "ontario-graduate"
WORKER = "regional-worker"
GRADUATE = {
    "stream": CODE,
    "permit": "study",
    "highest_annual_earnings": 0,
    "education": {
        "level": "graduate-certificate",
        "field": "health",
        "canadian_credentials": 1,
        "study_census_division": "3520",
    },
    "languages": {"english": 8, "french": None},
}
FACTS = {
    "credential_kind": "graduate-certificate",
    "credential_completed_on": "2025-06-30",
    "credential_length_months": 12,
}


def _shipped(*parts: str) -> Any:
    path = resources.files("nominee.scoring").joinpath("data")
    for part in parts:
        path = path.joinpath(part)
    return json.loads(path.read_text("utf-8"))


def documents() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The shipped policy and grids, with the new stream added as data only."""
    policy = _shipped("policy.json")
    policy["streams"].append(
        {
            "code": CODE,
            "name": "Ontario Graduate",
            "id_prefix": "OG",
            "job_offer_required": False,
            "wage_floor": None,
            "education_required": True,
            "legacy_applies": False,
            "ita_days": {"employer": None, "candidate": 21},
            "colour": "#56b4e9",
            "shape": "square",
            "effective_from": "2024-01-01",
            "until": None,
        }
    )
    policy["streams"].append(
        {
            "code": WORKER,
            "name": "Regional Worker",
            "id_prefix": "RW",
            "job_offer_required": True,
            "wage_floor": "median",
            "education_required": False,
            "legacy_applies": True,
            "ita_days": {"employer": 14, "candidate": 21},
            "colour": "#e69f00",
            "shape": "diamond",
            "effective_from": "2024-01-01",
            "until": None,
        }
    )
    # The new streams belong to the 2025 program (DOMAIN §2): they close with it.
    for entry in policy["streams"][-2:]:
        entry["until"] = "2026-05-30"
    for version in policy["versions"][:1]:
        version["streams"][WORKER] = {
            "allowed_teers": [0, 1, 2, 3],
            "in_demand_list": False,
            "min_clb": 5,
        }
        version["streams"][CODE] = {
            "allowed_teers": None,
            "in_demand_list": False,
            "min_clb": 6,
            "credential_min_months": {"graduate-certificate": 12, "masters": 12},
            "credential_recent_months": 24,
        }
    grids = [
        _shipped("grids", f"{name}.json") for name in ("2022-11-22", "2024-01-01", "2026-06-26")
    ]
    grids[1]["streams"][CODE] = copy.deepcopy(grids[1]["streams"]["masters"])
    grids[1]["streams"][WORKER] = copy.deepcopy(grids[1]["streams"]["foreign-worker"])
    return policy, grids


@pytest.fixture
def new_stream() -> Iterator[None]:
    policy, grids = documents()
    with policy_document(policy, grids):
        yield


@pytest.mark.django_db
def test_the_new_stream_is_in_every_derived_list(new_stream: None) -> None:
    assert CODE in stream_codes()
    assert CODE not in stream_codes(job_offer=True)
    assert (CODE, "Ontario Graduate") in CalculatorForm().fields["stream"].choices
    assert (CODE, "Ontario Graduate") in StreamForm().fields["stream"].choices
    assert policy_at(date(2025, 1, 1)).stream(CODE).ita_days.candidate == 21


def test_it_leaves_no_trace_once_the_documents_are_back() -> None:
    policy, grids = documents()
    with policy_document(policy, grids):
        assert CODE in stream_codes()
    assert CODE not in stream_codes()
    with pytest.raises(ProfileError, match="unknown stream"):
        parse_profile(GRADUATE)


def test_the_new_stream_scores_on_its_grid_column(new_stream: None) -> None:
    profile = parse_profile({**GRADUATE, "registered_at": "2025-08-01T12:00:00Z"})
    score = score_profile(profile)
    assert (score.stream, score.grid) == (CODE, "2024-01-01")
    masters = score_profile(parse_profile({**GRADUATE, "stream": "masters"}), at=date(2025, 8, 1))
    assert score.total == masters.total
    assert score.max == masters.max


def test_its_rules_are_the_data_given(new_stream: None) -> None:
    with pytest.raises(ProfileError) as refused:
        parse_profile(
            {
                **GRADUATE,
                "job_offer": {"noc": "21231", "hourly_wage": 40, "census_division": "3520"},
            }
        )
    assert "job_offer" in refused.value.by_field()
    with pytest.raises(ProfileError) as refused:
        parse_profile({**GRADUATE, "education": None})
    assert "education" in refused.value.by_field()
    # Not open before its effective date: refused with its dates named (INTERFACES §1).
    with pytest.raises(ProfileError) as refused:
        parse_profile({**GRADUATE, "registered_at": "2023-06-01T12:00:00Z"})
    assert "open from 2024-01-01" in refused.value.by_field()["stream"][0]
    # Its own minimums, read from its policy entry.
    weak = parse_profile({**GRADUATE, "languages": {"english": 5, "french": None}})
    failures = check_profile(weak, on=date(2025, 8, 1))
    assert [f.rule for f in failures] == ["language.min_clb"]
    assert "CLB 6" in failures[0].message
    short = EligibilityFacts(
        credential_kind="graduate-certificate",
        credential_completed_on=date(2026, 3, 30),
        credential_length_months=6,
    )
    failures = check_profile(parse_profile(GRADUATE), facts=short, on=date(2026, 5, 1))
    assert any("credential" in f.rule for f in failures)


@pytest.mark.django_db
def test_it_registers_and_is_drawn(new_stream: None, alice: User) -> None:
    candidate = Candidate.objects.get(user=alice)
    now = datetime(2025, 11, 17, 15, tzinfo=UTC)
    eoi = eois.register_eoi(
        actor=alice, candidate=candidate, document=GRADUATE, job_offer_id=None, facts=FACTS, now=now
    )
    assert eoi.external_id.startswith("OG-")
    assert (eoi.stream, eoi.get_stream_display()) == (CODE, "Ontario Graduate")
    eoi.full_clean()  # the model field validates against the registry, with no choices

    result = draws.run_draw(
        criteria=parse_criteria(
            {"stream": CODE, "invitations": 5, "draw_date": timezone.localdate(now).isoformat()}
        )
    )
    assert result.invited == [eoi.external_id]
    invitation = Invitation.objects.get()
    assert invitation.eoi == eoi
    assert invitation.employer_deadline is None
    assert (invitation.candidate_deadline - date(2025, 11, 17)).days == 21
    assert EOI.objects.get(pk=eoi.pk).status == EOI.Status.INVITED


@pytest.mark.django_db
def test_an_employer_stream_takes_a_job_offer_and_gives_the_employer_a_window(
    new_stream: None, alice: User, bob: User
) -> None:
    employer = Employer.objects.get(contacts__user=bob, contacts__is_signing_officer=True)
    choices = JobOfferForm(employer=employer).fields["stream"].choices
    assert (WORKER, "Regional Worker") in choices
    assert (CODE, "Ontario Graduate") not in choices  # takes no job offer
    now = timezone.now()
    offer = submit_offer(bob, employer, stream=WORKER)
    assert offer.stream == WORKER
    eoi = eois.register_eoi(
        actor=alice,
        candidate=Candidate.objects.get(user=alice),
        document={**GRADUATE, "stream": WORKER, "permit": "work", "languages": {"english": 6}},
        job_offer_id=offer.public_id,
        facts=None,
        now=now,
    )
    assert eoi.external_id.startswith("RW-")
    assert eoi.job_offer == offer
    assert eoi.score > 0
    result = draws.run_draw(
        criteria=parse_criteria(
            {"stream": WORKER, "invitations": 1, "draw_date": timezone.localdate(now).isoformat()}
        )
    )
    assert result.invited == [eoi.external_id]
    invitation = Invitation.objects.get(eoi=eoi)
    assert invitation.employer_deadline is not None
    assert (invitation.candidate_deadline - invitation.employer_deadline).days == 7
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.INVITED
