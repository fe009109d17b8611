"""Proposing, approving and executing a draw: the two-person rule, the writes, the e-mails."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from nominee.accounts.models import User
from nominee.accounts.roles import Role
from nominee.audit.models import AuditEvent
from nominee.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from nominee.core.timeutil import PROGRAM_TZ, today
from nominee.draws import services
from nominee.draws.criteria import parse_criteria
from nominee.draws.models import Draw, Invitation
from nominee.draws.queries import invitations_for_candidate, invitations_for_employer, preview
from nominee.draws.selection import ranked_digest, select
from nominee.draws.signals import draw_executed
from nominee.employers.models import Employer, JobOffer
from nominee.eois.models import EOI, Candidate
from nominee.scoring.policy import policy_at, policy_document
from tests.dates import ON_DRAW_DAY_2025
from tests.draws.pools import criteria, eoi_row, save_all
from tests.personas import make_user

pytestmark = [pytest.mark.django_db, ON_DRAW_DAY_2025]

D = date(2025, 9, 3)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PROGRAM_TZ)


def _pool(n: int = 5, **extra: Any) -> list[EOI]:
    return save_all(
        eoi_row(registered_at=_at(date(2025, 8, 1)) + timedelta(minutes=i), score=40 + i, **extra)
        for i in range(n)
    )


def _approved(olivia: User, martin: User, **values: Any) -> Draw:
    draw = services.propose_draw(actor=olivia, criteria=criteria(**values))
    return services.approve_draw(actor=martin, draw=draw)


# ------------------------------------------------------------------ the two-person rule


def test_an_officer_proposes_and_a_manager_approves(olivia: User, martin: User) -> None:
    draw = services.propose_draw(actor=olivia, criteria=criteria(invitations=3))
    assert draw.status == Draw.Status.PROPOSED
    assert draw.proposed_by == olivia
    services.approve_draw(actor=martin, draw=draw)
    draw.refresh_from_db()
    assert (draw.status, draw.approved_by) == (Draw.Status.APPROVED, martin)
    events = AuditEvent.objects.filter(subject_id=str(draw.pk)).order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions == ["draws.draw_proposed", "draws.draw_approved"]


def test_a_proposed_draw_cannot_be_executed_before_approval(olivia: User) -> None:
    draw = services.propose_draw(actor=olivia, criteria=criteria(invitations=3))
    with pytest.raises(Conflict, match="approval"):
        services.execute_draw(actor=olivia, draw=draw)


def test_a_manager_cannot_approve_their_own_proposal(martin: User) -> None:
    draw = services.propose_draw(actor=martin, criteria=criteria(invitations=3))
    with pytest.raises(PermissionDenied):
        services.approve_draw(actor=martin, draw=draw)
    other = make_user("maria@example.com", Role.MANAGER)
    services.approve_draw(actor=other, draw=draw)


def test_an_officer_cannot_approve(olivia: User) -> None:
    officer2 = make_user("omar@example.com", Role.OFFICER)
    draw = services.propose_draw(actor=olivia, criteria=criteria(invitations=3))
    with pytest.raises(PermissionDenied):
        services.approve_draw(actor=officer2, draw=draw)


@pytest.mark.parametrize("persona", ["audrey", "alice", "bob", "oscar"])
def test_only_officers_and_managers_propose_or_execute(
    persona: str, request: pytest.FixtureRequest, olivia: User, martin: User
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.propose_draw(actor=user, criteria=criteria(invitations=3))
    draw = _approved(olivia, martin, invitations=3)
    with pytest.raises(PermissionDenied):
        services.execute_draw(actor=user, draw=draw)
    with pytest.raises(PermissionDenied):
        services.cancel_draw(actor=user, draw=draw)
    assert Draw.objects.get(pk=draw.pk).status == Draw.Status.APPROVED


def _without_the_two_person_rule() -> dict[str, Any]:
    text = resources.files("nominee.scoring").joinpath("data", "policy.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    for version in document["versions"]:
        version["two_person_rule"] = False
    return document


def test_without_the_two_person_rule_the_proposer_executes(olivia: User) -> None:
    _pool(3)
    with policy_document(_without_the_two_person_rule()):
        assert not services.two_person_rule()
        draw = services.propose_draw(actor=olivia, criteria=criteria(invitations=2))
        result = services.execute_draw(actor=olivia, draw=draw)
    assert result.invitations == 2


def test_the_two_person_rule_is_the_policy_in_force_today() -> None:
    assert services.two_person_rule()
    assert policy_at(today()).two_person_rule


def test_a_cancelled_draw_is_never_executed(olivia: User, martin: User) -> None:
    draw = _approved(olivia, martin, invitations=3)
    services.cancel_draw(actor=olivia, draw=draw, reason="wrong list")
    with pytest.raises(Conflict):
        services.execute_draw(actor=martin, draw=draw)
    with pytest.raises(Conflict):
        services.cancel_draw(actor=olivia, draw=draw)


def test_a_draw_is_not_executed_before_its_date(olivia: User, martin: User) -> None:
    draw = _approved(olivia, martin, invitations=3, draw_date=today() + timedelta(days=1))
    with pytest.raises(DomainError, match="before that day"):
        services.execute_draw(actor=martin, draw=draw)


# ------------------------------------------------------------------ what the execution writes


def test_the_execution_invites_the_ranked_top_and_records_everything(
    olivia: User, martin: User
) -> None:
    pool = _pool(5)
    draw = _approved(olivia, martin, invitations=3)
    result = services.execute_draw(actor=martin, draw=draw)
    draw.refresh_from_db()
    top = sorted(pool, key=lambda e: -e.score)[:3]
    assert result.invited == [e.external_id for e in top]
    assert (result.invitations, result.eligible, result.min_score) == (3, 5, 42)
    assert result.tie_break == top[-1].registered_at
    assert (draw.status, draw.invitations_issued, draw.eligible) == ("executed", 3, 5)
    assert (draw.min_score, draw.tie_break) == (42, top[-1].registered_at)
    assert (draw.proposed_by, draw.approved_by, draw.executed_by) == (olivia, martin, martin)
    assert list(draw.invitations.order_by("rank").values_list("eoi__external_id", "score")) == [
        (e.external_id, e.score) for e in top
    ]
    statuses = dict(EOI.objects.values_list("external_id", "status"))
    assert [statuses[e.external_id] for e in pool] == ["active", "active"] + ["invited"] * 3
    event = AuditEvent.objects.get(action="draws.draw_executed", subject_id=str(draw.pk))
    assert event.actor == martin
    assert event.data["ranked_digest_sha256"] == draw.ranked_digest
    assert event.data["via"] == "portal"


def test_the_digest_is_that_of_the_invited_ranked_list(olivia: User, martin: User) -> None:
    _pool(4)
    before = select(criteria(invitations=3))
    draw = _approved(olivia, martin, invitations=3)
    services.execute_draw(actor=martin, draw=draw)
    draw.refresh_from_db()
    assert draw.ranked_digest == ranked_digest(before)


def test_invitations_carry_the_policy_deadlines(olivia: User, martin: User) -> None:
    _pool(1)
    draw = _approved(olivia, martin, invitations=1)
    services.execute_draw(actor=martin, draw=draw)
    invitation = Invitation.objects.get()
    days = policy_at(D).streams["foreign-worker"].ita_days
    assert invitation.candidate_deadline == D + timedelta(days=days.candidate)
    assert invitation.employer_deadline == D + timedelta(days=days.employer)  # type: ignore[operator]


def test_masters_invitations_have_no_employer_deadline(olivia: User, martin: User) -> None:
    save_all([eoi_row(registered_at=_at(date(2025, 8, 1)), stream="masters", noc=None)])
    draw = _approved(olivia, martin, invitations=1, stream="masters")
    services.execute_draw(actor=martin, draw=draw)
    invitation = Invitation.objects.get()
    days = policy_at(D).streams["masters"].ita_days
    assert invitation.employer_deadline is None
    assert invitation.candidate_deadline == D + timedelta(days=days.candidate)


def test_executing_twice_is_a_no_op_that_says_so(olivia: User, martin: User) -> None:
    _pool(3)
    draw = _approved(olivia, martin, invitations=2)
    services.execute_draw(actor=martin, draw=draw)
    with pytest.raises(Conflict, match="already executed") as raised:
        services.execute_draw(actor=olivia, draw=draw)
    assert raised.value.code == "draw.already_executed"
    assert Invitation.objects.count() == 2


def test_no_eoi_is_invited_by_two_draws(olivia: User, martin: User) -> None:
    _pool(3)
    first = _approved(olivia, martin, invitations=2)
    second = _approved(olivia, martin, invitations=2)
    services.execute_draw(actor=martin, draw=first)
    result = services.execute_draw(actor=martin, draw=second)
    assert result.invitations == 1
    assert Invitation.objects.count() == 3
    assert Invitation.objects.values("eoi").distinct().count() == 3


def test_a_failure_half_way_leaves_nothing_behind(
    olivia: User, martin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pool(3)
    draw = _approved(olivia, martin, invitations=2)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.execute_draw(actor=martin, draw=draw)
    assert Invitation.objects.count() == 0
    assert not EOI.objects.filter(status="invited").exists()
    draw.refresh_from_db()
    assert (draw.status, draw.invitations_issued) == ("approved", None)


def test_the_signal_and_the_emails_follow_the_commit(
    olivia: User,
    martin: User,
    bob: User,
    alice: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    employer = Employer.objects.get(contacts__user=bob)
    now = timezone.now()
    offer = JobOffer.objects.create(
        public_id="JO-TEST-0001",
        employer=employer,
        location=employer.locations.get(),
        stream="foreign-worker",
        noc_id="21231",
        job_title="Software engineer",
        hourly_wage=Decimal("48.00"),
        hours_per_week=Decimal("40"),
        candidate_name="Alice Candidate",
        candidate_email=alice.email,
        status=JobOffer.Status.EOI_REGISTERED,
        submitted_by=bob,
        submitted_at=now,
        lapses_at=now,
        updated_at=now,
    )
    candidate = Candidate.objects.get(user=alice)
    save_all(
        [
            eoi_row(
                registered_at=_at(date(2025, 8, 1)),
                score=60,
                candidate=candidate,
                job_offer=offer,
                external_id="FW-ALICE",
            ),
            eoi_row(registered_at=_at(date(2025, 8, 2)), score=59, external_id="FW-IMPORTED"),
        ]
    )
    received: list[Draw] = []

    def receiver(sender: Any, draw: Draw, **kwargs: Any) -> None:
        received.append(draw)

    draw_executed.connect(receiver)
    try:
        draw = _approved(olivia, martin, invitations=2)
        with django_capture_on_commit_callbacks(execute=True):
            services.execute_draw(actor=martin, draw=draw)
            assert received == []
    finally:
        draw_executed.disconnect(receiver)
    assert [d.pk for d in received] == [draw.pk]
    assert received[0].status == "executed"
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.INVITED
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == [(alice.email,), (bob.email,)]
    assert "FW-ALICE" in mail.outbox[0].subject or "FW-ALICE" in mail.outbox[1].subject
    candidate_view = invitations_for_candidate(candidate)
    assert [i.eoi.external_id for i in candidate_view] == ["FW-ALICE"]
    assert [i.eoi.external_id for i in invitations_for_employer(employer)] == ["FW-ALICE"]


# ------------------------------------------------------------------ preview and criteria


def test_the_preview_agrees_with_the_execution_and_writes_nothing(
    olivia: User, martin: User
) -> None:
    _pool(6)
    c = criteria(invitations=4)
    shown = preview(c)
    assert Invitation.objects.count() == 0
    assert not EOI.objects.filter(status="invited").exists()
    assert (shown.eligible, shown.count, shown.min_score) == (6, 4, 42)
    assert shown.histogram == [(45, 1), (44, 1), (43, 1), (42, 1), (41, 1), (40, 1)]
    assert shown.allocation.nominations == 10750
    assert shown.allocation.this_draw == 4
    draw = _approved(olivia, martin, invitations=4)
    result = services.execute_draw(actor=martin, draw=draw)
    assert result.invited == shown.result().invited
    assert preview(c).allocation.invitations_issued == 4


def test_a_minimum_score_preview_counts_the_invitations(olivia: User) -> None:
    _pool(6)
    shown = preview(criteria(min_score=43))
    assert (shown.count, shown.min_score, shown.eligible) == (3, 43, 6)


def test_the_criteria_are_checked_field_by_field() -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_criteria(
            {
                "stream": "foreign-worker",
                "noc_codes": "21231, 99999, 12ab",
                "regions": ["northern", "atlantis"],
                "census_divisions": ["3599"],
                "registered_from": "2025-09-01",
                "registered_to": "2025-08-01",
                "min_education": "kindergarten",
                "min_french_clb": "13",
                "occupation_list": "no-such-list",
            }
        )
    fields = raised.value.fields
    assert "give a number of invitations" in fields["invitations"][0]
    assert any("99999" in m for m in fields["noc_codes"])
    assert any("12ab" in m for m in fields["noc_codes"])
    assert "atlantis" in fields["regions"][0]
    assert "3599" in fields["census_divisions"][0]
    assert "starts after it ends" in fields["registered_from"][0]
    assert "kindergarten" in fields["min_education"][0]
    assert fields["min_french_clb"]
    assert "no-such-list" in fields["occupation_list"][0]
    with pytest.raises(ValidationFailed) as raised:
        parse_criteria({"stream": "lottery", "invitations": "ten"})
    assert set(raised.value.fields) == {"stream", "invitations"}


def test_an_occupation_list_and_pasted_codes_are_targeted_together() -> None:
    c = parse_criteria(
        {
            "stream": "foreign-worker",
            "invitations": 5,
            "occupation_list": "targeted-2025-09-03",
            "noc_codes": "21231",
            "draw_date": "2025-09-03",
        }
    )
    assert len(c.noc_codes) == 12
    assert "21231" in c.noc_codes
    assert "10011" in c.noc_codes
    assert c.is_targeted
