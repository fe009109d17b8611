"""Every state change of candidates and EOIs: registration, update, withdrawal, reminders.

The bulk import lives in ``nominee.eois.bulk`` (re-exported here: ``import_eois``), the
withdrawal of a closed stream's EOIs in ``nominee.eois.closing`` (re-exported here:
``withdraw_closed_stream_eois``; its preview ``closed_stream_counts`` is in ``queries``).

Each public function is one transaction (``durable=True``), locks what it consumes, raises
a ``DomainError`` before writing anything, and records an audit event in the same
transaction. The engine (``nominee.scoring``) decides validity, eligibility and points;
this module binds job offers, keeps one live EOI per stream per candidate, and stores.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.accounts.mail import queue_email
from nominee.accounts.models import OutgoingEmail
from nominee.accounts.services import can_act_for, refuse_staff
from nominee.audit.services import record, record_refusal
from nominee.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    profile_invalid,
    profile_refused,
)
from nominee.core.timeutil import end_of, program_date, start_of, today
from nominee.employers.models import JobOffer
from nominee.employers.transitions import move_offer
from nominee.program import streams
from nominee.reference.queries import reference_data
from nominee.scoring import (
    EligibilityFacts,
    Profile,
    ProfileError,
    ReferenceData,
    check_profile,
    parse_profile,
    score_profile,
)
from nominee.scoring.policy import policy_at

from .bulk.service import ImportRefused as ImportRefused  # re-exported: the service's error
from .bulk.service import ImportResult as ImportResult
from .bulk.service import import_eois as import_eois
from .carryover import CarryOver, draft, successor_stream, withdrawn_by_closing
from .closing import ClosedStreamCount as ClosedStreamCount
from .closing import ClosedStreamWithdrawal as ClosedStreamWithdrawal
from .closing import withdraw_closed_stream_eois as withdraw_closed_stream_eois
from .documents import (
    CANDIDATE_KEYS,
    ID_PREFIX,
    OHIP_SHAPE_HELP,
    eoi_columns,
    failures_as_flags,
    is_employer_stream,
    normalise_email,
    normalise_ohip,
    ohip_shape_ok,
)
from .models import EOI, Candidate, ExpiryReminder
from .offers import JobOfferNotUsable as JobOfferNotUsable  # raised by the services
from .offers import (
    check_job_offer_id,
    normalise_job_offer_id,
    offer_document,
    parse_facts,
    registration_document,
)
from .tasks import send_eoi_email

ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
EOI_AUDIT_FIELDS = ["status", "score", "max_score", "grid", "noc", "region", "needs_review"]


class EligibilityRefused(DomainError):
    """The EOI fails a minimum requirement of its stream (DOMAIN §5); the rule is named."""

    status = 422
    code = "eligibility.refused"


# ---- helpers ------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require_actor(actor: Any, candidate: Candidate) -> None:
    """The candidate's own account or their representative; 404 for anyone else."""
    if not can_act_for(actor, candidate=candidate):
        raise NotFound(_("no such candidate"))
    if getattr(actor, "email_confirmed_at", None) is None:
        raise PermissionDenied(
            _("confirm your e-mail address before you submit anything to the program"),
            code="email.unconfirmed",
        )


def _lock_candidate(candidate: Candidate) -> Candidate:
    locked = Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if locked is None:
        raise NotFound(_("no such candidate"))
    return locked


def facts_document(facts: EligibilityFacts | None) -> dict[str, Any]:
    """The facts as JSON for the EOI row (dates as ISO strings; unset facts left out)."""
    return facts.to_document() if facts is not None else {}


def stored_facts(data: Mapping[str, Any]) -> EligibilityFacts | None:
    """The facts stored on an EOI row, back as ``EligibilityFacts`` (None when empty)."""
    return EligibilityFacts.from_document(data) if data else None


def _eligibility(
    profile: Profile, facts: EligibilityFacts | None, on: Any, ref: ReferenceData
) -> list[dict[str, str]]:
    """Refuse with every failing rule named; return the rules flagged for an officer."""
    failures = check_profile(profile, facts=facts, on=on, ref=ref)
    refusals = [f for f in failures if f.severity == "refuse"]
    if refusals:
        raise EligibilityRefused(
            _("the EOI does not meet the stream's minimum requirements: %(rules)s")
            % {"rules": ", ".join(f.rule for f in refusals)},
            fields={"eligibility": [f"{f.message} ({f.rule})" for f in refusals]},
        )
    return failures_as_flags([f for f in failures if f.severity != "refuse"], "eligibility")


def _pathway_facts(
    stream: str, pathway: str | None, facts: EligibilityFacts | None, on: date
) -> EligibilityFacts | None:
    """A physician's certificate class and OHIP billing number must be given, the number
    of its issued shape (ValidationFailed per field); returns the facts, number normalised.

    The engine checks what is given; registering in the portal or the API needs both.
    """
    rules = policy_at(on).streams.get(stream)
    own = rules.pathway(pathway) if rules is not None else None
    if own is None:
        return facts
    errors: dict[str, list[str]] = {}
    if own.practice_classes is not None and (facts is None or not facts.cpso_class):
        errors["facts.cpso_class"] = [
            _("Give your certificate class with the College of Physicians and Surgeons of Ontario.")
        ]
    number = facts.ohip_billing_number if facts is not None else None
    if own.ohip_billing_required:
        if not number or not number.strip():
            errors["facts.ohip_billing_number"] = [_("Give your OHIP billing number.")]
        elif not ohip_shape_ok(normalise_ohip(number)):
            errors["facts.ohip_billing_number"] = [str(OHIP_SHAPE_HELP)]
    if errors:
        raise ValidationFailed(
            _("the physician's registration facts are missing or invalid"), fields=errors
        )
    if facts is not None and number:
        facts = dataclasses.replace(facts, ohip_billing_number=normalise_ohip(number))
    return facts


def _new_external_id(stream: str) -> str:
    for _attempt in range(20):
        token = "".join(secrets.choice(ID_ALPHABET) for _ in range(8))
        external_id = f"{ID_PREFIX[stream]}-{token}"
        if not EOI.objects.filter(external_id=external_id).exists():
            return external_id
    raise RuntimeError("could not find a free EOI id")  # pragma: no cover


def _parse(document: Mapping[str, Any], ref: ReferenceData) -> Profile:
    if not isinstance(document, Mapping):
        raise profile_refused({"document": [_("must be an object")]})
    try:
        return parse_profile(dict(document), ref=ref)
    except ProfileError as error:
        raise profile_invalid(error) from None


def live_eois(candidate: Candidate, *, now: datetime) -> Any:
    """The candidate's live EOIs: active, not legacy, not expired at ``now``."""
    return EOI.objects.filter(
        candidate=candidate, status=EOI.Status.ACTIVE, is_legacy=False, expires_at__gt=now
    )


def _snapshot(eoi: EOI) -> dict[str, Any]:
    return {name: getattr(eoi, name) for name in EOI_AUDIT_FIELDS}


# ---- candidates ---------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_candidate(*, user: Any, full_name: str, now: datetime | None = None) -> Candidate:
    """Give a signed-in user a candidate profile (name as on their passport; their e-mail).

    Raises Conflict when they have one already, ValidationFailed for an empty name,
    StaffCannotTakePart for a staff account (Decision 79: staff take no part).
    """
    refuse_staff(user)
    name = " ".join((full_name or "").split())
    if not name:
        raise ValidationFailed(
            _("enter your name"), fields={"full_name": [_("Enter your full name.")]}
        )
    if len(name) > 200:
        raise ValidationFailed(
            _("the name is too long"), fields={"full_name": [_("Use at most 200 characters.")]}
        )
    if Candidate.objects.filter(user=user).exists():
        raise Conflict(_("you already have a candidate profile"))
    candidate = Candidate.objects.create(
        user=user, full_name=name, email=normalise_email(user.email), created_at=_now(now)
    )
    record(
        actor=user,
        action="eois.candidate_created",
        subject=candidate,
        after={"full_name": name, "email": candidate.email},
    )
    return candidate


# ---- registration, update, withdrawal -----------------------------------------------


# Refusals of a Job Offer ID that suggest someone trying to take another person's offer.
# The reason is the refusal's own (``JobOfferNotMatched.reason``), which its answer hides.
AUDITED_OFFER_REFUSALS = frozenset(
    {"job_offer.name_mismatch", "job_offer.email_mismatch", "job_offer.account_unconfirmed"}
)


def register_eoi(
    *,
    actor: Any,
    candidate: Candidate,
    document: Mapping[str, Any],
    job_offer_id: str | None,
    facts: EligibilityFacts | Mapping[str, Any] | None,
    now: datetime | None = None,
    carried_from: EOI | None = None,
) -> EOI:
    """Register an EOI for a candidate in the stream the document names, scored at once.

    ``actor`` is the candidate's account or their appointed representative (404 for
    anyone else); both must have confirmed their e-mail address. Employer streams bind
    the quoted job offer: it must exist, await an EOI, not have lapsed, be for the
    stream, and be addressed to this candidate: the name must match, and the e-mail
    address must be the one the candidate's account has confirmed. Its NOC, wage and
    work location replace whatever the document says. Refused with the rule named when
    the profile fails a minimum requirement (``facts`` are what eligibility needs beyond
    the document); rules that cannot be checked, and the employer's flagged rules, are
    stored as flags for an officer. At most one live EOI per stream per candidate
    (Conflict). A pathway's TEERs must hold the quoted offer's (``job_offer.teer``); a
    physician gives the certificate class and the OHIP billing number (per field).
    ``carried_from`` is an EOI withdrawn by its stream's closing that this one carries
    over (:func:`carry_over_eoi`): it must be this candidate's, not carried already, and
    the new EOI in its successor stream; the link is stored and recorded on both. The EOI
    is registered at ``now``. One transaction; a refused offer that is addressed to
    someone else is recorded as ``eois.job_offer_refused`` after it. A staff account
    takes no part (StaffCannotTakePart, Decision 79).
    """
    try:
        return _register_eoi(
            actor=actor,
            candidate=candidate,
            document=document,
            job_offer_id=job_offer_id,
            facts=facts,
            now=now,
            carried_from=carried_from,
        )
    except DomainError as error:
        _audit_offer_refusal(actor, candidate, job_offer_id, error)
        raise


def verify_job_offer_id(
    *,
    actor: Any,
    candidate: Candidate,
    job_offer_id: str | None,
    stream: str,
    pathway: str | None = None,
) -> JobOffer | None:
    """``check_job_offer_id`` for the first step of registration, before anything is shown.

    A refusal because the offer is addressed to someone else is recorded as
    ``eois.job_offer_refused`` (someone may be trying IDs that are not theirs).
    """
    try:
        return check_job_offer_id(
            job_offer_id=job_offer_id, stream=stream, candidate=candidate, pathway=pathway
        )
    except DomainError as error:
        _audit_offer_refusal(actor, candidate, job_offer_id, error)
        raise


def _audit_offer_refusal(
    actor: Any, candidate: Candidate, job_offer_id: str | None, error: DomainError
) -> None:
    rule = getattr(error, "reason", error.code)
    if rule in AUDITED_OFFER_REFUSALS:
        record_refusal(
            actor=actor,
            action="eois.job_offer_refused",
            subject=candidate,
            data={"job_offer": normalise_job_offer_id(job_offer_id or ""), "rule": rule},
        )


@transaction.atomic(durable=True)
def _register_eoi(
    *,
    actor: Any,
    candidate: Candidate,
    document: Mapping[str, Any],
    job_offer_id: str | None,
    facts: EligibilityFacts | Mapping[str, Any] | None,
    now: datetime | None,
    carried_from: EOI | None = None,
) -> EOI:
    now = _now(now)
    _require_actor(actor, candidate)
    candidate = _lock_candidate(candidate)
    # The two-person rule (Decision 79): neither who registers nor whose EOI it is is staff.
    refuse_staff(actor)
    if candidate.user_id is not None and candidate.user_id != getattr(actor, "pk", None):
        refuse_staff(candidate.user)
    old = None
    if carried_from is not None:
        old = _lock_eoi(carried_from)
        if old.candidate_id != candidate.pk:
            raise NotFound(_("no such EOI"))
        _require_carriable(old, now)
    ref = reference_data()
    data = dict(document) if isinstance(document, Mapping) else document
    if not isinstance(data, dict):
        raise profile_refused({"document": [_("must be an object")]})
    stream = data.get("stream")
    if not streams.is_stream(stream):
        raise profile_refused(
            {"stream": [_("Choose one of: %(streams)s.") % {"streams": ", ".join(streams.codes())}]}
        )
    eligibility_facts = parse_facts(facts)
    if old is not None and stream != successor_stream(old.stream, program_date(now)):
        raise ValidationFailed(
            _("a carried-over EOI is registered in the stream that succeeded the old one"),
            fields={
                "stream": [
                    _("Register it in %(stream)s.")
                    % {"stream": successor_stream(old.stream, program_date(now))}
                ]
            },
        )
    if live_eois(candidate, now=now).filter(stream=stream).exists():
        raise Conflict(
            _("you already have a live EOI in this stream: update it instead"),
            code="eoi.live_exists",
            fields={"stream": [_("You already have a live EOI in this stream.")]},
        )
    pathway = data.get("pathway") if isinstance(data.get("pathway"), str) else None
    offer = check_job_offer_id(
        job_offer_id=job_offer_id,
        stream=stream,
        candidate=candidate,
        now=now,
        lock=True,
        pathway=pathway,
    )
    eligibility_facts = _pathway_facts(stream, pathway, eligibility_facts, program_date(now))
    profile = _parse(registration_document(data, offer, now), ref)
    flags = _eligibility(profile, eligibility_facts, program_date(now), ref)
    if offer is not None and offer.failures:
        flags += failures_as_flags(offer.failures, "employer")
    score = score_profile(profile, ref=ref)
    columns = eoi_columns(profile, score, ref)
    external_id = _new_external_id(stream)
    columns["profile"] = {"id": external_id, **columns["profile"]}
    eoi = EOI.objects.create(
        external_id=external_id,
        candidate=candidate,
        job_offer=offer,
        updated_at=now,
        flags=flags,
        needs_review=bool(flags),
        facts=facts_document(eligibility_facts),
        carried_from=old,
        **columns,
    )
    record(
        actor=actor,
        action="eois.eoi_registered",
        subject=eoi,
        after=_snapshot(eoi)
        | {
            "external_id": external_id,
            "pathway": eoi.pathway,
            "job_offer": offer.public_id if offer else None,
            "carried_from": old.external_id if old else None,
        },
    )
    if old is not None:
        record(
            actor=actor,
            action="eois.eoi_carried_over",
            subject=old,
            after={"carried_to": external_id, "stream": stream, "pathway": eoi.pathway},
        )
    if offer is not None:
        move_offer(
            [offer.pk],
            to=JobOffer.Status.EOI_REGISTERED,
            actor=actor,
            via="eoi registration",
            now=now,
            after=lambda _offer: {"eoi": external_id},
        )
    return eoi


def _require_carriable(eoi: EOI, now: datetime) -> None:
    """Withdrawn by its stream's closing, not carried yet, with a successor open today."""
    if not withdrawn_by_closing(eoi):
        raise Conflict(
            _(
                "only an EOI withdrawn because its stream closed can be carried over; this "
                "one was not"
            ),
            code="eoi.not_carriable",
        )
    if EOI.objects.filter(carried_from=eoi).exists():
        raise Conflict(
            _("this EOI has been carried over already: %(id)s")
            % {"id": EOI.objects.filter(carried_from=eoi).values_list("external_id", flat=True)[0]},
            code="eoi.already_carried",
        )
    if successor_stream(eoi.stream, program_date(now)) is None:
        raise Conflict(
            _("no stream open today succeeds the %(stream)s stream") % {"stream": eoi.stream},
            code="eoi.no_successor",
        )


def carry_over_eoi(*, actor: Any, eoi: EOI, now: datetime | None = None) -> CarryOver:
    """The prefilled draft of a new EOI carried over from one withdrawn by a closing.

    Writes nothing: the draft is registered through :func:`register_eoi` with
    ``carried_from``, once the employer has submitted a new job offer under the new rules
    (the old offer stays used). 404 for anyone who may not act for the candidate, 403 for an
    unconfirmed account, Conflict when the EOI was not withdrawn by a closing
    (``eoi.not_carriable``), is carried already (``eoi.already_carried``), or no successor
    stream is open (``eoi.no_successor``).
    """
    now = _now(now)
    _require_eoi_actor(actor, eoi)
    _require_carriable(eoi, now)
    stream = successor_stream(eoi.stream, program_date(now))
    assert stream is not None
    return draft(eoi, stream, now=now, ref=reference_data())


def _lock_eoi(eoi: EOI) -> EOI:
    # Lock the EOI row only (of=self): its candidate and job offer are nullable joins.
    locked = (
        EOI.objects.select_for_update(of=("self",))
        .filter(pk=eoi.pk)
        .select_related("candidate", "job_offer")
        .first()
    )
    if locked is None:
        raise NotFound(_("no such EOI"))
    return locked


def _require_eoi_actor(actor: Any, eoi: EOI) -> Candidate:
    if eoi.candidate is None or not can_act_for(actor, candidate=eoi.candidate):
        raise NotFound(_("no such EOI"))
    if getattr(actor, "email_confirmed_at", None) is None:
        raise PermissionDenied(
            _("confirm your e-mail address before you submit anything to the program"),
            code="email.unconfirmed",
        )
    return eoi.candidate


def _require_changeable(eoi: EOI, now: datetime, verb: str) -> None:
    if eoi.status != EOI.Status.ACTIVE:
        raise Conflict(
            _("this EOI is %(status)s and can no longer be %(verb)s")
            % {"status": eoi.get_status_display().lower(), "verb": verb},
            code="eoi.not_active",
        )
    if eoi.expires_at <= now:
        raise Conflict(_("this EOI has expired; register a new one"), code="eoi.expired")
    if eoi.is_legacy:
        raise Conflict(
            _(
                "a legacy EOI cannot be changed: ask your employer to submit the job offer "
                "again, then register a new EOI"
            ),
            code="eoi.legacy",
        )


@transaction.atomic(durable=True)
def update_eoi(
    *,
    actor: Any,
    eoi: EOI,
    document: Mapping[str, Any],
    facts: EligibilityFacts | Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> EOI:
    """Replace the EOI's declared profile, re-check eligibility and re-score it.

    Keeps ``registered_at`` (the tie-break) and therefore the expiry; the stream cannot
    change, and in employer streams the bound offer's NOC, wage and location stay. The
    grid in force on the update date scores it. Only an active, unexpired, non-legacy EOI
    may be updated (Conflict otherwise). ``facts`` None keeps the stored facts. A staff
    account takes no part (StaffCannotTakePart, Decision 79).
    """
    now = _now(now)
    candidate = _require_eoi_actor(actor, eoi)
    refuse_staff(actor)
    _lock_candidate(candidate)
    eoi = _lock_eoi(eoi)
    _require_changeable(eoi, now, _("updated"))
    info = streams.info(eoi.stream)
    if not info.open_on(program_date(now)):
        # DOMAIN §9: no update on or after a stream's closing (refused before any write).
        raise profile_refused(
            {
                "stream": [
                    _("The %(stream)s stream is %(dates)s; it is not open on %(day)s.")
                    % {
                        "stream": eoi.stream,
                        "dates": info.dates_in_words(),
                        "day": program_date(now).isoformat(),
                    }
                ]
            }
        )
    if not isinstance(document, Mapping):
        raise profile_refused({"document": [_("must be an object")]})
    data = dict(document)
    if data.get("stream", eoi.stream) != eoi.stream:
        raise ValidationFailed(
            _("the stream of an EOI cannot change"),
            fields={"stream": [_("Withdraw this EOI and register one in the other stream.")]},
        )
    ref = reference_data()
    eligibility_facts = parse_facts(facts) if facts is not None else stored_facts(eoi.facts)
    if facts is not None:
        eligibility_facts = _pathway_facts(
            eoi.stream, eoi.pathway, eligibility_facts, program_date(now)
        )
    for key in CANDIDATE_KEYS:
        data.pop(key, None)
    data["id"] = eoi.external_id
    data["stream"] = eoi.stream
    data["registered_at"] = eoi.registered_at.isoformat()
    if eoi.job_offer is not None:
        data["job_offer"] = offer_document(eoi.job_offer)
    elif is_employer_stream(eoi.stream, eoi.pathway):
        # An imported EOI carries its job offer in the profile, not as a bound offer.
        data["job_offer"] = eoi.profile.get("job_offer")
    profile = _parse(data, ref)
    flags = _eligibility(profile, eligibility_facts, program_date(now), ref)
    if eoi.job_offer is not None and eoi.job_offer.failures:
        flags += failures_as_flags(eoi.job_offer.failures, "employer")
    score = score_profile(profile, at=now, ref=ref)
    columns = eoi_columns(profile, score, ref, judged_on=program_date(now))
    before = _snapshot(eoi)
    for name in (
        "profile",
        "score",
        "max_score",
        "grid",
        "policy_version",
        "breakdown",
        "noc",
        "census_division",
        "region",
        "in_canada",
        "education_level",
        "french_clb",
    ):
        setattr(eoi, name, columns[name])
    eoi.flags = flags
    eoi.needs_review = bool(flags)
    eoi.facts = facts_document(eligibility_facts)
    eoi.updated_at = now
    eoi.save()
    record(actor=actor, action="eois.eoi_updated", subject=eoi, before=before, after=_snapshot(eoi))
    return eoi


@transaction.atomic(durable=True)
def withdraw_eoi(*, actor: Any, eoi: EOI, now: datetime | None = None) -> EOI:
    """Withdraw an active EOI for good: it leaves the pool and cannot come back.

    Conflict when it is not active (invited, withdrawn, found ineligible). A legacy or
    expired EOI may be withdrawn too (it tidies the candidate's list). The bound job
    offer stays used (the employer submits a new one if the candidate registers again)
    and says so on the employer's dashboard: its status becomes "the candidate withdrew
    the EOI".
    """
    now = _now(now)
    candidate = _require_eoi_actor(actor, eoi)
    _lock_candidate(candidate)
    eoi = _lock_eoi(eoi)
    if eoi.status != EOI.Status.ACTIVE:
        raise Conflict(
            _("this EOI is %(status)s and can no longer be withdrawn")
            % {"status": eoi.get_status_display().lower()},
            code="eoi.not_active",
        )
    eoi.status = EOI.Status.WITHDRAWN
    eoi.withdrawn_at = now
    eoi.updated_at = now
    eoi.save(update_fields=["status", "withdrawn_at", "updated_at"])
    record(
        actor=actor,
        action="eois.eoi_withdrawn",
        subject=eoi,
        before={"status": EOI.Status.ACTIVE},
        after={"status": EOI.Status.WITHDRAWN, "withdrawn_at": now.isoformat()},
    )
    if eoi.job_offer_id is not None:
        _release_offer(actor=actor, offer_id=eoi.job_offer_id, eoi=eoi, now=now)
    return eoi


def _release_offer(*, actor: Any, offer_id: int, eoi: EOI, now: datetime) -> None:
    # Locked after the EOI, the order a draw's execution takes them in.
    move_offer(
        [offer_id],
        to=JobOffer.Status.EOI_WITHDRAWN,
        actor=actor,
        via="eoi withdrawal",
        now=now,
        after=lambda _offer: {"eoi": eoi.external_id},
    )


# ---- expiry reminders -----------------------------------------------------------------


def reminder_days(on: date) -> tuple[int, ...]:
    """Days before expiry on which candidates are reminded, largest first (policy data)."""
    return tuple(sorted(set(policy_at(on).eoi_reminder_days), reverse=True))


@transaction.atomic(durable=True)
def send_expiry_reminders(*, on: date | None = None) -> int:
    """E-mail the candidates whose live EOI expires within a reminder window; returns how many.

    For each reminder (30 and 7 days before expiry, as configured) an EOI that is active,
    not legacy, has a candidate, and expires after ``on`` but no later than the end of
    day ``on + days`` gets one e-mail, once: a reminder missed by a sweep that did not run
    goes out on the next run. When a later reminder is due, the earlier one is skipped
    (recorded as sent) so nobody gets two e-mails the same day. Idempotent.
    """
    on = on or today()
    now = timezone.now()
    sent_at = now
    days = reminder_days(on)
    count = 0
    already = set(
        ExpiryReminder.objects.filter(eoi__expires_at__gt=start_of(on)).values_list(
            "eoi_id", "days_before"
        )
    )
    due: dict[int, tuple[EOI, int]] = {}
    for window in days:  # largest first: a smaller window overrides
        candidates = (
            EOI.objects.select_for_update(of=("self",))
            .filter(
                status=EOI.Status.ACTIVE,
                is_legacy=False,
                candidate__isnull=False,
                expires_at__gte=end_of(on),
                expires_at__lt=end_of(on + timedelta(days=window)),
            )
            .select_related("candidate")
        )
        for eoi in candidates:
            due[eoi.pk] = (eoi, window)
    for eoi, window in due.values():
        if (eoi.pk, window) in already:
            continue
        for skipped in days:
            if skipped >= window and (eoi.pk, skipped) not in already:
                ExpiryReminder.objects.create(eoi=eoi, days_before=skipped, sent_at=sent_at)
        candidate = eoi.candidate
        assert candidate is not None
        queue_email(
            kind=OutgoingEmail.Kind.EOI_EXPIRY,
            to=candidate.email,
            recipient=candidate.user,
            template="eois/email/expiry_reminder.txt",
            context={
                "eoi": eoi,
                "candidate": candidate,
                "days": (program_date(eoi.expires_at) - on).days,
                "expires_on": program_date(eoi.expires_at).isoformat(),
                "path": f"/eoi/{eoi.external_id}/",
            },
            task=send_eoi_email,
        )
        record(
            actor=None,
            action="eois.expiry_reminder_sent",
            subject=eoi,
            data={"days_before": window},
        )
        count += 1
    return count
