"""State changes of job offers: submit, change, withdraw, review, and the lapse sweep."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.accounts.mail import queue_email, site_url
from nominee.accounts.models import OutgoingEmail, User
from nominee.accounts.roles import Role, has_role
from nominee.audit.services import record, snapshot
from nominee.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from nominee.core.timeutil import program_date
from nominee.reference.models import Noc

from .. import queries
from ..models import Employer, JobOffer, WorkLocation
from ..tasks import send_employer_email
from ..transitions import move_offer
from ..validation import (
    OFFER_FIELDS,
    Errors,
    field_of_rule,
    offer_values,
    submission_instant,
)
from .access import (
    lock_employer,
    require_access,
    require_confirmed,
)

# Once a representative is appointed these can no longer be changed (the rule).
LOCKED_WITH_REPRESENTATIVE = ("candidate_name", "candidate_email", "job_title")


class JobOfferRefused(DomainError):
    """The job offer fails a rule the program refuses on (named in ``fields``)."""

    status = 422
    code = "job_offer.refused"


def new_public_id() -> str:
    """A fresh Job Offer ID ``JO-XXXX-XXXX`` (8 characters of 31: about 8.5e11 values)."""
    chars = "".join(secrets.choice(queries.ID_ALPHABET) for _ in range(8))
    return f"JO-{chars[:4]}-{chars[4:]}"


def _unique_public_id() -> str:
    for _attempt in range(20):
        candidate = new_public_id()
        if not JobOffer.objects.filter(public_id=candidate).exists():
            return candidate
    raise RuntimeError("could not find a free Job Offer ID")  # pragma: no cover


def _checked_failures(employer: Employer, values: dict[str, Any], on: date) -> list[dict[str, str]]:
    """The offer's and the employer's failing rules; raises JobOfferRefused on a refusal."""
    location: WorkLocation = values["location"]
    offer_failures = queries.job_offer_failures(
        stream=values["stream"],
        noc=values["noc"].code,
        hourly_wage=values["hourly_wage"],
        hours_per_week=values["hours_per_week"],
        permanent=values["permanent"],
        census_division=location.census_division_id,
        on=on,
    )
    refusals = [f for f in offer_failures if f.severity == "refuse"]
    # From the policy that requires it, only an approved employer's offers are accepted
    # (DOMAIN §9), reported with the offer's other refused rules.
    unregistered = queries.registration_failure(employer, on)
    if unregistered is not None:
        refusals.insert(0, unregistered)
    if refusals:
        fields: dict[str, list[str]] = {}
        for failure in refusals:
            field = "employer" if failure is unregistered else field_of_rule(failure.rule)
            fields.setdefault(field, []).append(f"{failure.message} ({failure.rule})")
        raise JobOfferRefused(
            _("the job offer does not meet the program's rules: %(rules)s")
            % {"rules": ", ".join(f.rule for f in refusals)},
            fields=fields,
        )
    stored = [f.to_document() | {"subject": "offer"} for f in offer_failures]
    stored += [
        f.to_document() | {"subject": "employer", "severity": "flag"}
        for f in queries.employer_eligibility(employer, location, on)
    ]
    return stored


def _recipient(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def _queue_offer_email(offer: JobOffer, kind: str, template: str, **context: Any) -> OutgoingEmail:

    return queue_email(
        kind=kind,
        to=offer.candidate_email,
        recipient=_recipient(offer.candidate_email),
        template=template,
        context={"offer": offer, "employer": offer.employer, **context},
        task=send_employer_email,
        employer=offer.employer,
        job_offer=offer,
    )


def _offer_snapshot(offer: JobOffer) -> dict[str, Any]:
    out = snapshot(offer, OFFER_FIELDS)
    out["status"] = offer.status
    return out


@transaction.atomic(durable=True)
def submit_job_offer(
    *,
    actor: User,
    employer: Employer,
    location: WorkLocation | int,
    stream: str,
    noc: Noc | str,
    job_title: str,
    hourly_wage: Decimal | str | float | None = None,
    annual_salary: Decimal | str | float | None = None,
    hours_per_week: Decimal | str | float,
    permanent: bool,
    candidate_name: str,
    candidate_email: str,
    on: date | datetime | None = None,
) -> JobOffer:
    """Submit a job offer for one named candidate; returns it with its Job Offer ID.

    Checks (DOMAIN §3, named failures): full-time (weekly and yearly hours), permanent,
    TEER and list for the stream (In-Demand Skills and its outside-GTA NOCs), and the
    Job Bank wage floor for the location's region (else Ontario-wide, else a flag). A
    refusal raises JobOfferRefused (422) naming each rule and writes nothing; flags (and
    every threshold the employer fails at that location) are stored on the offer, which
    then needs an officer's review. An annual salary is converted to an hourly wage over
    52 weeks of the weekly hours. ``on`` (a date or an aware instant, default now) is the
    submission time: the offer lapses after the policy's validity, counted from it.
    The candidate is e-mailed the ID once the transaction commits. When the policy of
    the submission's day requires it, the employer's registration with the program must
    be approved on that day (``employer.not_registered``, refused with the other rules).
    Raises NotFound when the actor may not act for the employer, PermissionDenied when
    their e-mail is not confirmed, ValidationFailed per field.
    """
    return _submit_job_offer(
        actor=actor,
        employer=employer,
        location=location,
        stream=stream,
        noc=noc,
        job_title=job_title,
        hourly_wage=hourly_wage,
        annual_salary=annual_salary,
        hours_per_week=hours_per_week,
        permanent=permanent,
        candidate_name=candidate_name,
        candidate_email=candidate_email,
        on=on,
    )


def _submit_job_offer(
    *,
    actor: User,
    employer: Employer,
    location: WorkLocation | int,
    stream: str,
    noc: Noc | str,
    job_title: str,
    hourly_wage: Decimal | str | float | None = None,
    annual_salary: Decimal | str | float | None = None,
    hours_per_week: Decimal | str | float,
    permanent: bool,
    candidate_name: str,
    candidate_email: str,
    on: date | datetime | None = None,
) -> JobOffer:
    """The body of ``submit_job_offer``, in the caller's transaction."""
    locked = lock_employer(employer)
    require_access(actor, locked)
    require_confirmed(actor)
    errors = Errors()
    submitted_at = submission_instant(on)
    values = offer_values(
        errors,
        locked,
        {
            "location": location,
            "stream": stream,
            "noc": noc,
            "job_title": job_title,
            "hourly_wage": hourly_wage,
            "annual_salary": annual_salary,
            "hours_per_week": hours_per_week,
            "permanent": permanent,
            "candidate_name": candidate_name,
            "candidate_email": candidate_email,
        },
        program_date(submitted_at),
    )
    errors.raise_if_any(_("the job offer is incomplete"))
    failures = _checked_failures(locked, values, program_date(submitted_at))
    offer = JobOffer.objects.create(
        public_id=_unique_public_id(),
        employer=locked,
        failures=failures,
        needs_review=bool(failures),
        submitted_by=actor,
        submitted_at=submitted_at,
        lapses_at=queries.lapse_instant(submitted_at),
        updated_at=submitted_at,
        **values,
    )
    record(
        actor=actor,
        action="employers.job_offer_submitted",
        subject=offer,
        after=_offer_snapshot(offer) | {"public_id": offer.public_id},
        data={"failing_rules": [f["rule"] for f in failures]},
    )
    _queue_offer_email(
        offer,
        OutgoingEmail.Kind.JOB_OFFER_ID,
        "employers/email/job_offer_id.txt",
        eoi_link=site_url(reverse("eois:dashboard")),
        signup_link=site_url(reverse("accounts:signup")),
    )
    return offer


def _lock_offer(offer: JobOffer) -> JobOffer:
    locked = JobOffer.objects.select_for_update().filter(pk=offer.pk).first()
    if locked is None:
        raise NotFound(_("no such job offer"))
    return locked


@transaction.atomic(durable=True)
def update_job_offer(*, actor: User, offer: JobOffer, **changes: Any) -> JobOffer:
    """Change a job offer still awaiting the candidate's EOI; the checks run again.

    ``changes`` may name any of the submission's fields (``hourly_wage`` and
    ``annual_salary`` replace each other). Once a representative is appointed for the
    employer, the candidate's name and e-mail and the job title are locked (Conflict
    naming them). The Job Offer ID and the lapse date do not change; a new candidate
    e-mail address gets the ID by e-mail. Raises NotFound without access, Conflict
    when the offer is no longer awaiting an EOI, JobOfferRefused or ValidationFailed.
    """
    locked = _lock_offer(offer)
    employer = lock_employer(locked.employer_id)
    require_access(actor, employer)
    require_confirmed(actor)
    unknown = set(changes) - set(OFFER_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("these fields cannot be changed"), fields={f: [_("unknown field")] for f in unknown}
        )
    queries.with_effective_status(locked)
    if locked.status != JobOffer.Status.AWAITING_EOI:
        raise Conflict(
            _("only an offer awaiting the candidate's EOI can be changed (this one is %(status)s)")
            % {"status": locked.get_status_display()}
        )
    current: dict[str, Any] = {name: getattr(locked, name) for name in OFFER_FIELDS}
    if "annual_salary" in changes and "hourly_wage" not in changes:
        current["hourly_wage"] = None
    if "hourly_wage" in changes and "annual_salary" not in changes:
        current["annual_salary"] = None
    if current["annual_salary"] is not None:
        current["hourly_wage"] = None
    merged = {**current, **changes}
    errors = Errors()
    values = offer_values(errors, employer, merged, program_date(locked.submitted_at))
    errors.raise_if_any(_("the job offer cannot be changed"))
    changed = [
        name
        for name in OFFER_FIELDS
        if values[name] != getattr(locked, name)
        and not (
            name in ("hourly_wage", "annual_salary", "hours_per_week")
            and _same_amount(values[name], getattr(locked, name))
        )
    ]
    if not changed:
        return locked
    if queries.has_live_representative(employer):
        frozen = [name for name in changed if name in LOCKED_WITH_REPRESENTATIVE]
        if frozen:
            raise Conflict(
                _(
                    "a representative is appointed: the candidate's name and e-mail and the "
                    "job title are locked"
                ),
                code="job_offer.locked",
                fields={
                    name: [_("Locked since a representative was appointed.")] for name in frozen
                },
            )
    failures = _checked_failures(employer, values, program_date(locked.submitted_at))
    before = {name: _jsonable(getattr(locked, name)) for name in changed}
    old_email = locked.candidate_email
    for name in OFFER_FIELDS:
        setattr(locked, name, values[name])
    if {f["rule"] for f in failures} != {f["rule"] for f in locked.failures or []}:
        # Different failing rules need a fresh look by an officer.
        locked.needs_review = bool(failures)
    locked.failures = failures
    locked.updated_at = timezone.now()
    locked.save()
    record(
        actor=actor,
        action="employers.job_offer_updated",
        subject=locked,
        before=before,
        after={name: _jsonable(getattr(locked, name)) for name in changed},
        data={"failing_rules": [f["rule"] for f in failures]},
    )
    if locked.candidate_email != old_email:
        _queue_offer_email(
            locked,
            OutgoingEmail.Kind.JOB_OFFER_ID,
            "employers/email/job_offer_id.txt",
            eoi_link=site_url(reverse("eois:dashboard")),
            signup_link=site_url(reverse("accounts:signup")),
        )
    else:
        _queue_offer_email(
            locked,
            OutgoingEmail.Kind.JOB_OFFER_CHANGED,
            "employers/email/job_offer_changed.txt",
            changed=changed,
        )
    return locked


def _same_amount(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic(durable=True)
def withdraw_job_offer(
    *, actor: User, offer: JobOffer, reason: str = "", now: datetime | None = None
) -> JobOffer:
    """Withdraw a job offer that still awaits the candidate's EOI; the candidate is told.

    Once an EOI is registered with it, the offer is part of that EOI's file and the
    employer asks the program instead (Conflict). Raises NotFound without access.
    ``now`` (default: now) is when the offer's lapse is judged.
    """
    return _withdraw_job_offer(actor=actor, offer=offer, reason=reason, now=now)


def _withdraw_job_offer(
    *, actor: User, offer: JobOffer, reason: str = "", now: datetime | None = None
) -> JobOffer:
    """The body of ``withdraw_job_offer``, in the caller's transaction."""
    locked = _lock_offer(offer)
    employer = lock_employer(locked.employer_id)
    require_access(actor, employer)
    require_confirmed(actor)
    queries.with_effective_status(locked, now=now)
    if locked.status != JobOffer.Status.AWAITING_EOI:
        raise Conflict(
            _(
                "only an offer awaiting the candidate's EOI can be withdrawn "
                "(this one is %(status)s)"
            )
            % {"status": locked.get_status_display()}
        )
    now = timezone.now()
    locked.withdrawn_at = now
    locked.save(update_fields=["withdrawn_at"])
    move_offer(
        [locked.pk],
        to=JobOffer.Status.WITHDRAWN,
        actor=actor,
        via="employer",
        now=now,
        data=lambda offer: {"reason": (reason or "").strip()[:500]},
    )
    locked.status = JobOffer.Status.WITHDRAWN
    locked.updated_at = now
    _queue_offer_email(
        locked, OutgoingEmail.Kind.JOB_OFFER_WITHDRAWN, "employers/email/job_offer_withdrawn.txt"
    )
    return locked


@transaction.atomic(durable=True)
def review_job_offer(*, officer: User, offer: JobOffer, note: str) -> JobOffer:
    """An officer records that they reviewed an offer's flags (with a note); clears the flag.

    Raises PermissionDenied for anyone but an officer, ValidationFailed without a note,
    Conflict when there is nothing to review.
    """
    if not has_role(officer, Role.OFFICER):
        raise PermissionDenied(_("only a program officer may review job offers"))
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(
            _("a review needs a note"), fields={"note": [_("Say what you checked.")]}
        )
    locked = _lock_offer(offer)
    if not locked.needs_review:
        raise Conflict(_("this job offer has no flag to review"))
    now = timezone.now()
    locked.needs_review = False
    locked.reviewed_by = officer
    locked.reviewed_at = now
    locked.review_note = note
    locked.updated_at = now
    locked.save(
        update_fields=["needs_review", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
    )
    record(
        actor=officer,
        action="employers.job_offer_reviewed",
        subject=locked,
        before={"needs_review": True},
        after={"needs_review": False, "review_note": note},
    )
    return locked


@transaction.atomic(durable=True)
def lapse_job_offers(*, now: datetime | None = None) -> int:
    """The daily sweep: every offer still awaiting an EOI past ``lapses_at`` lapses.

    Returns how many lapsed; each gets an audit event by the system.
    """
    return _lapse_job_offers(now=now)


def _lapse_job_offers(*, now: datetime | None = None) -> int:
    """The body of ``lapse_job_offers``, in the caller's transaction."""
    now = now or timezone.now()
    due = JobOffer.objects.filter(
        status=JobOffer.Status.AWAITING_EOI, lapses_at__lte=now
    ).values_list("pk", flat=True)
    lapsed = move_offer(
        list(due),
        to=JobOffer.Status.LAPSED,
        actor=None,
        via="sweep",
        now=now,
        data=lambda offer: {"lapses_at": offer.lapses_at},
    )
    return len(lapsed)
