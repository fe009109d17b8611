"""Every state change of a draw: propose, approve, cancel, execute; and the invitation sweep.

Each public function is one durable transaction that locks what it consumes, raises a
``DomainError`` before writing anything, and records an audit event in the same
transaction. The two-person rule (policy data: ``Policy.two_person_rule``, in force today)
makes a manager other than the proposer approve a draw before anyone executes it.

Two guards of decision 75: a draw is dated today or later, unless it is a recorded replay
of history (``replay_draw``, the demo's path), so that no invitation opens on a day that
is over or has a deadline already past; and every execution carries an idempotency key,
unique in the database, so that a request repeated after a crash (``nominee draw run``
killed while its COMMIT went through) reports the draw it committed instead of drawing
again.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.accounts.roles import Role, has_role
from nominee.audit.services import record
from nominee.core import timeutil
from nominee.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from nominee.employers.models import JobOffer
from nominee.employers.transitions import move_offer
from nominee.eois.models import EOI
from nominee.program import streams
from nominee.program.policy_source import policy_version_on
from nominee.reference.queries import census_divisions_in
from nominee.scoring.policy import policy_at

from .criteria import EMPLOYER_STREAMS, DrawCriteria
from .models import Draw, Invitation
from .policy import deadlines
from .selection import Ranked, count_eligible, ranked_digest, select
from .signals import draw_executed
from .tasks import notify_invitations

# Any constant shared by every execution: PostgreSQL serialises executions on it so that
# two draws never select from the same snapshot of the pool (SQLite's IMMEDIATE
# transactions already serialise writers).
_EXECUTION_LOCK_KEY = 0x4E4F4D_44524157  # "NOM" "DRAW"

SYSTEM_NOTE = "executed by the system (nominee draw run): no portal user, no approval step"


def two_person_rule() -> bool:
    """Whether a draw needs a manager's approval, by someone else, before execution: the
    policy in force today says (``two_person_rule``), whatever the draw's own date, so
    that a draw dated in the past cannot take an earlier version's rule."""
    return policy_at(timeutil.today()).two_person_rule


@dataclass(frozen=True)
class DrawResult:
    """What an execution (or a dry run) produced: INTERFACES §3's draw result."""

    draw: int | None
    stream: str
    executed: bool
    date: date
    invitations: int
    min_score: int | None
    tie_break: datetime | None
    eligible: int
    invited: list[str]
    #: True when the request found its draw already executed and drew nothing (decision
    #: 75): the result is the one that committed. Not part of the JSON document.
    repeated: bool = False

    def to_document(self) -> dict[str, Any]:
        """The draw result JSON, keys in the documented order."""
        tie_break = None
        if self.tie_break is not None:
            tie_break = (
                self.tie_break.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            )
        return {
            "draw": self.draw,
            "stream": self.stream,
            "executed": self.executed,
            "date": self.date.isoformat(),
            "invitations": self.invitations,
            "min_score": self.min_score,
            "tie_break": tie_break,
            "eligible": self.eligible,
            "invited": list(self.invited),
        }

    @classmethod
    def of_draw(cls, draw: Draw, *, repeated: bool = False) -> DrawResult:
        """The stored result of an executed draw (``repeated``: found by a repeated request)."""
        invited = list(draw.invitations.order_by("rank").values_list("eoi__external_id", flat=True))
        return cls(
            draw=draw.pk,
            stream=draw.stream,
            executed=draw.status == Draw.Status.EXECUTED,
            date=draw.draw_date,
            invitations=draw.invitations_issued or 0,
            min_score=draw.min_score,
            tie_break=draw.tie_break,
            eligible=draw.eligible or 0,
            invited=invited,
            repeated=repeated,
        )


def _require_staff(actor: Any, *roles: Role) -> None:
    if not has_role(actor, *roles):
        raise PermissionDenied(_("only program officers and managers may change draws"))


def _lock(draw: Draw | int) -> Draw:
    pk = draw.pk if isinstance(draw, Draw) else draw
    try:
        return Draw.objects.select_for_update().get(pk=pk)
    except Draw.DoesNotExist:
        raise NotFound(_("no such draw")) from None


def _refuse_past(draw_date: date, draw_id: int | None = None) -> None:
    """Refuse a draw dated before today (decision 75): its invitations would open on a day
    that is over, and their deadlines, counted from it, may be over too. Only a recorded
    replay of history (``replay_draw``) is dated in the past."""
    today = timeutil.today()
    if draw_date >= today:
        return
    values = {"id": draw_id, "date": draw_date.isoformat(), "today": today.isoformat()}
    if draw_id is None:
        message = (
            _(
                "a draw dated %(date)s is in the past (today is %(today)s): its invitations "
                "would open on a day that is over; date the draw today or later"
            )
            % values
        )
    else:
        message = (
            _(
                "draw %(id)s is dated %(date)s, before today (%(today)s): a draw is executed "
                "on its date; cancel it and propose it again dated today"
            )
            % values
        )
    raise DomainError(
        message,
        code="draw.in_past",
        fields={"draw_date": [_("is before today (%(today)s)") % values]},
    )


def _refuse_past_deadlines(
    draw: Draw, by_pathway: dict[str | None, tuple[date, date | None]]
) -> None:
    """No invitation of a live draw has a deadline already over (decision 75)."""
    today = timeutil.today()
    past = sorted(
        day for pair in by_pathway.values() for day in pair if day is not None and day < today
    )
    if past:
        raise DomainError(
            _(
                "draw %(id)s would give invitations a deadline that is over (%(deadline)s, "
                "before today %(today)s): nothing was written"
            )
            % {"id": draw.pk, "deadline": past[0].isoformat(), "today": today.isoformat()},
            code="draw.deadline_past",
        )


def _propose(
    *,
    actor: Any,
    criteria: DrawCriteria,
    note: str = "",
    replay: bool = False,
    idempotency_key: str | None = None,
) -> Draw:
    if not replay:
        _refuse_past(criteria.draw_date)
    now = timezone.now()
    draw = Draw(
        status=Draw.Status.PROPOSED,
        note=note,
        proposed_at=now,
        replay=replay,
        idempotency_key=idempotency_key,
    )
    criteria.apply_to_draw(draw)
    draw.proposed_by = actor if getattr(actor, "is_authenticated", False) else None
    draw.save()
    data: dict[str, Any] = {"note": note} if note else {}
    if replay:
        data |= {"replay": True, "replayed_on": timeutil.today().isoformat()}
    record(
        actor=actor,
        action="draws.draw_proposed",
        subject=draw,
        after={"status": draw.status, **criteria.to_document()},
        data=data or None,
    )
    return draw


@transaction.atomic(durable=True)
def propose_draw(*, actor: Any, criteria: DrawCriteria, note: str = "") -> Draw:
    """Record a draw's criteria, proposed by an officer or a manager; nothing is selected yet.

    The criteria (``parse_criteria`` checked them) are frozen on the row, the occupation
    list resolved to its NOC codes. Raises PermissionDenied for anyone else, and
    DomainError (``draw.in_past``) for a draw dated before today (decision 75).
    """
    _require_staff(actor, Role.OFFICER, Role.MANAGER)
    return _propose(actor=actor, criteria=criteria, note=note)


def _approve(*, actor: Any, draw: Draw | int) -> Draw:
    _require_staff(actor, Role.MANAGER)
    locked = _lock(draw)
    if locked.status != Draw.Status.PROPOSED:
        raise Conflict(
            _("draw %(id)s is %(status)s: only a proposed draw can be approved")
            % {"id": locked.pk, "status": locked.get_status_display().lower()},
            code="draw.not_proposed",
        )
    if locked.proposed_by_id is not None and locked.proposed_by_id == actor.pk:
        raise PermissionDenied(
            _("the two-person rule: a draw is approved by a manager other than its proposer"),
            code="draw.same_person",
        )
    before = {"status": locked.status}
    locked.status = Draw.Status.APPROVED
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        actor=actor,
        action="draws.draw_approved",
        subject=locked,
        before=before,
        after={"status": locked.status},
    )
    return locked


@transaction.atomic(durable=True)
def approve_draw(*, actor: Any, draw: Draw | int) -> Draw:
    """A manager who did not propose the draw approves it for execution.

    Raises PermissionDenied for non-managers and for the proposer (two-person rule),
    Conflict unless the draw is proposed.
    """
    return _approve(actor=actor, draw=draw)


@transaction.atomic(durable=True)
def cancel_draw(*, actor: Any, draw: Draw | int, reason: str = "") -> Draw:
    """An officer or manager cancels a draw that has not been executed.

    Raises Conflict for an executed or already cancelled draw.
    """
    _require_staff(actor, Role.OFFICER, Role.MANAGER)
    locked = _lock(draw)
    if locked.status not in {Draw.Status.PROPOSED, Draw.Status.APPROVED}:
        raise Conflict(
            _("draw %(id)s is %(status)s and cannot be cancelled")
            % {"id": locked.pk, "status": locked.get_status_display().lower()},
            code="draw.not_cancellable",
        )
    before = {"status": locked.status}
    locked.status = Draw.Status.CANCELLED
    if reason:
        locked.note = (locked.note + "\n" if locked.note else "") + reason
    locked.save(update_fields=["status", "note"])
    record(
        actor=actor,
        action="draws.draw_cancelled",
        subject=locked,
        before=before,
        after={"status": locked.status},
        data={"reason": reason} if reason else None,
    )
    return locked


def _execute(*, actor: Any, draw: Draw, via: str, operator: str | None = None) -> DrawResult:
    """The body of an execution; the caller holds the lock on ``draw`` in a transaction.

    ``operator`` (the command line's OS user) goes into the audit event's data.
    """
    if draw.status == Draw.Status.EXECUTED:
        raise Conflict(
            _("draw %(id)s was already executed on %(at)s: nothing was done")
            % {
                "id": draw.pk,
                "at": timeutil.program_date(draw.executed_at).isoformat()
                if draw.executed_at
                else "?",
            },
            code="draw.already_executed",
        )
    if draw.status == Draw.Status.CANCELLED:
        raise Conflict(_("draw %(id)s was cancelled") % {"id": draw.pk}, code="draw.cancelled")
    today = timeutil.today()
    if draw.draw_date > today:
        raise DomainError(
            _("draw %(id)s is dated %(date)s: it cannot be executed before that day")
            % {"id": draw.pk, "date": draw.draw_date.isoformat()},
            code="draw.too_early",
            fields={"draw_date": [_("is in the future")]},
        )
    if not draw.replay:
        _refuse_past(draw.draw_date, draw.pk)
    criteria = DrawCriteria.from_draw(draw)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_EXECUTION_LOCK_KEY])

    rows: list[Ranked] = select(criteria)
    eligible = count_eligible(criteria)
    now = timezone.now()
    # One pair of deadlines per pathway drawn (a stream without pathways: the None key).
    by_pathway = {
        pathway: deadlines(draw.stream, draw.draw_date, pathway)
        for pathway in {row.pathway for row in rows} | {None}
    }
    if not draw.replay:
        _refuse_past_deadlines(draw, by_pathway)
    candidate_deadline, employer_deadline = by_pathway[None]
    policy_version = policy_version_on(draw.draw_date)
    try:
        Invitation.objects.bulk_create(
            [
                Invitation(
                    draw=draw,
                    eoi_id=row.id,
                    rank=rank,
                    score=row.score,
                    invited_at=now,
                    candidate_deadline=by_pathway[row.pathway][0],
                    employer_deadline=by_pathway[row.pathway][1],
                    policy_version=policy_version,
                )
                for rank, row in enumerate(rows, start=1)
            ],
            batch_size=500,
        )
    except IntegrityError:
        raise Conflict(
            _("an EOI of this selection was invited meanwhile; run the draw again"),
            code="draw.pool_changed",
        ) from None
    invited_eois = Invitation.objects.filter(draw=draw).values("eoi_id")
    updated = EOI.objects.filter(id__in=invited_eois, status=EOI.Status.ACTIVE).update(
        status=EOI.Status.INVITED
    )
    if updated != len(rows):
        # Another transaction changed an EOI between the selection and this update:
        # refuse, and the atomic block takes every write back with it.
        raise Conflict(
            _("the pool changed while the draw ran; nothing was written; run it again"),
            code="draw.pool_changed",
        )
    if draw.stream in EMPLOYER_STREAMS:
        draw_id = draw.pk
        move_offer(
            invited_eois.filter(eoi__job_offer__isnull=False).values_list(
                "eoi__job_offer_id", flat=True
            ),
            to=JobOffer.Status.INVITED,
            actor=actor,
            via=via,
            now=now,
            data=lambda _offer: {"draw": draw_id},
        )

    last = rows[-1] if rows else None
    digest = ranked_digest(rows)
    before = {"status": draw.status}
    draw.status = Draw.Status.EXECUTED
    draw.executed_by = actor if getattr(actor, "is_authenticated", False) else None
    draw.executed_at = now
    draw.invitations_issued = len(rows)
    draw.min_score = last.score if last else None
    draw.tie_break = last.registered_at if last else None
    draw.eligible = eligible
    draw.ranked_digest = digest
    # A proposal's execution is keyed by the proposal (a draw run already has its key).
    draw.idempotency_key = draw.idempotency_key or f"proposal:{draw.pk}"
    draw.save(
        update_fields=[
            "idempotency_key",
            "status",
            "executed_by",
            "executed_at",
            "invitations_issued",
            "min_score",
            "tie_break",
            "eligible",
            "ranked_digest",
        ]
    )
    result = DrawResult(
        draw=draw.pk,
        stream=draw.stream,
        executed=True,
        date=draw.draw_date,
        invitations=len(rows),
        min_score=draw.min_score,
        tie_break=draw.tie_break,
        eligible=eligible,
        invited=[row.external_id for row in rows],
    )
    record(
        actor=actor,
        action="draws.draw_executed",
        subject=draw,
        before=before,
        after={
            "status": draw.status,
            "invitations_issued": draw.invitations_issued,
            "min_score": draw.min_score,
            "tie_break": result.to_document()["tie_break"],
            "eligible": eligible,
        },
        data={
            "ranked_digest_sha256": digest,
            "digest_lines": "rank\\texternal_id\\tscore\\tregistered_at(UTC ISO)\\n",
            "criteria": criteria.to_document(),
            "proposed_by": draw.proposed_by_id,
            "approved_by": draw.approved_by_id,
            "executed_by": draw.executed_by_id,
            "via": via,
            "idempotency_key": draw.idempotency_key,
            **({"replay": True, "replayed_on": today.isoformat()} if draw.replay else {}),
            **({"operator": operator} if operator is not None else {}),
            "candidate_deadline": candidate_deadline.isoformat(),
            "employer_deadline": employer_deadline.isoformat() if employer_deadline else None,
            **_pathway_deadlines(draw.stream, by_pathway),
            **_regions_read(criteria),
        },
    )
    draw_id = draw.pk

    def after_commit() -> None:
        committed = Draw.objects.get(pk=draw_id)
        draw_executed.send(sender=Draw, draw=committed)
        if rows:
            notify_invitations.enqueue(draw_id)

    transaction.on_commit(after_commit)
    return result


def _pathway_deadlines(
    stream: str, deadlines: dict[str | None, tuple[date, date | None]]
) -> dict[str, Any]:
    """The deadlines of each pathway drawn, for the audit event (streams with pathways)."""
    if not streams.pathway_codes(stream):
        return {}
    return {
        "deadlines_by_pathway": {
            pathway: {
                "candidate": candidate.isoformat(),
                "employer": employer.isoformat() if employer else None,
            }
            for pathway, (candidate, employer) in sorted(
                ((p, d) for p, d in deadlines.items() if p is not None), key=lambda i: i[0]
            )
        }
    }


def _regions_read(criteria: DrawCriteria) -> dict[str, Any]:
    """The census divisions the draw's regions stood for on its date, for the audit event."""
    if not criteria.regions:
        return {}
    return {
        "region_census_divisions": {
            region: list(census_divisions_in((region,), criteria.draw_date))
            for region in criteria.regions
        }
    }


def _execute_as(*, actor: Any, draw: Draw | int, via: str) -> DrawResult:
    """An officer's or manager's execution (two-person rule checked), in the caller's
    transaction: ``execute_draw``'s body, and ``replay_draw``'s last step."""
    _require_staff(actor, Role.OFFICER, Role.MANAGER)
    locked = _lock(draw)
    if two_person_rule() and locked.status == Draw.Status.PROPOSED:
        raise Conflict(
            _("draw %(id)s needs a manager's approval before it is executed") % {"id": locked.pk},
            code="draw.not_approved",
        )
    return _execute(actor=actor, draw=locked, via=via)


@transaction.atomic(durable=True)
def execute_draw(*, actor: Any, draw: Draw | int) -> DrawResult:
    """Execute a draw: select, invite, record; all in one transaction, or nothing at all.

    An officer or manager executes an approved draw (a proposed one when the two-person
    rule is off). The draw row is locked first, so that two executions of one draw cannot
    both run: the second finds it executed and raises Conflict (``draw.already_executed``),
    changing nothing. Executions of different draws are serialised too (an advisory lock
    on PostgreSQL; SQLite's write lock), and ``Invitation.eoi`` is unique, so no EOI is
    ever invited twice. Invitations carry the deadlines of the policy in force on the
    draw date, counted from the draw date (the invitation's date). After the commit the
    ``draw_executed`` signal is sent and a task e-mails the candidates and employers.
    """
    return _execute_as(actor=actor, draw=draw, via="portal")


def replay_draw(
    *, proposer: Any, approver: Any, executor: Any, criteria: DrawCriteria, note: str = ""
) -> DrawResult:
    """Propose, approve and execute a draw in the CALLER's transaction (demo, history).

    The same steps, checks and audit events as the three portal services, for callers
    that already hold a transaction (``nominee demo load`` runs each step in one), where
    the durable services cannot nest. The two-person rule holds: ``approver`` must be a
    manager other than ``proposer``.

    The one path to a draw dated before today (decision 75): the draw is marked
    ``replay`` and its audit events say ``replay: true`` with the day it was replayed on.
    Its invitations keep the deadlines of its date, so they are history, as the draw is.
    Only the demo (and any import of history) calls it; no page, API or command does.
    """
    _require_staff(proposer, Role.OFFICER, Role.MANAGER)
    draw = _propose(actor=proposer, criteria=criteria, note=note, replay=True)
    _approve(actor=approver, draw=draw)
    return _execute_as(actor=executor, draw=draw, via="replay")


def run_key(criteria: DrawCriteria, key: str | None = None) -> str:
    """The idempotency key of a ``nominee draw run``: a digest of its criteria (the draw
    date included) and of the operator's own ``key``, if any (decision 75)."""
    document = {"criteria": criteria.to_document(), "key": key}
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "run:" + hashlib.sha256(canonical.encode()).hexdigest()


def _executed_under(idempotency_key: str) -> DrawResult | None:
    """The committed result of the draw executed under ``idempotency_key``, if any."""
    draw = Draw.objects.filter(idempotency_key=idempotency_key, status=Draw.Status.EXECUTED).first()
    return DrawResult.of_draw(draw, repeated=True) if draw is not None else None


@transaction.atomic(durable=True)
def run_draw(*, criteria: DrawCriteria, note: str = "", key: str | None = None) -> DrawResult:
    """Propose and execute a draw as the system (``nominee draw run``), in one transaction.

    The command line is the operator's tool, run with direct access to the database (as
    replaying history in the demo is): there is no portal user to propose or approve, so
    the draw is recorded with no proposer, approver or executor and the audit events say
    ``via: cli``, with the operator's OS user. The portal's two-person rule governs
    people; docs/draws.md explains.

    Idempotent (decision 75): the draw carries ``run_key(criteria, key)``, unique in the
    database. When a draw was already executed under that key (the same command run
    again after a crash, or at the same moment), nothing is written and its committed
    result is returned with ``repeated=True``. On PostgreSQL a second execution waits on
    the key until the first commits (then reads it: READ COMMITTED) or rolls back (then
    draws); on SQLite writers are serialised, so it finds the first's draw at once.
    Raises DomainError (``draw.in_past``) for a draw dated before today that was never run.
    """
    idempotency_key = run_key(criteria, key)
    done = _executed_under(idempotency_key)
    if done is not None:
        return done
    try:
        with transaction.atomic():
            draw = _propose(
                actor=None,
                criteria=criteria,
                note=note or SYSTEM_NOTE,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        # Another execution under the same key committed while this one waited on it.
        done = _executed_under(idempotency_key)
        if done is None:
            raise
        return done
    locked = _lock(draw)
    return _execute(actor=None, draw=locked, via="cli", operator=_os_user())


def _os_user() -> str:
    """Who ran the command, as the operating system knows them (for the audit log)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "unknown"


@transaction.atomic(durable=True)
def expire_invitations(*, today: date | None = None) -> int:
    """The daily sweep: open invitations whose candidate deadline has passed become expired.

    Returns how many expired; records one audit event naming them. Idempotent.
    """
    today = today or timeutil.today()
    due = list(
        Invitation.objects.select_for_update()
        .filter(status=Invitation.Status.OPEN, candidate_deadline__lt=today)
        .values_list("id", flat=True)
    )
    if not due:
        return 0
    Invitation.objects.filter(id__in=due, status=Invitation.Status.OPEN).update(
        status=Invitation.Status.EXPIRED
    )
    record(
        actor=None,
        action="draws.invitations_expired",
        subject_type="draws.invitation",
        subject_id=f"sweep-{today.isoformat()}",
        before={"status": Invitation.Status.OPEN},
        after={"status": Invitation.Status.EXPIRED},
        data={"invitations": due, "on": today.isoformat()},
    )
    return len(due)
