"""Job offers as candidates quote them: the checks of a Job Offer ID, and what an offer
puts into a profile document. Reads only (the service locks the row it binds).

The registration service and the registration preview share these, so that the preview
shows what registering would do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nominee.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from nominee.core.timeutil import program_date
from nominee.employers import queries as employer_queries
from nominee.employers.models import JobOffer
from nominee.program import streams
from nominee.scoring import EligibilityFacts

from .documents import CANDIDATE_KEYS, is_employer_stream, normalise_email, normalise_name
from .models import Candidate


class JobOfferNotUsable(DomainError):
    """The quoted Job Offer ID cannot be bound: unknown, lapsed, another stream, not yours."""

    status = 422
    code = "job_offer.not_usable"


class JobOfferNotMatched(JobOfferNotUsable):
    """No job offer with the quoted ID is addressed to this candidate: unknown, or made
    out to another e-mail address or name. One message and one code for all three, so
    that the answer tells nothing of another person's offer; ``reason`` (for the audit
    only) says which it was."""

    code = "job_offer.unknown"

    def __init__(self, reason: str) -> None:
        message = _(
            "No job offer with this ID is addressed to you. Check the ID against your "
            "employer's e-mail, and that your name and e-mail address are exactly those "
            "of the offer."
        )
        super().__init__(message, fields={"job_offer_id": [message]})
        self.reason = reason


# An offer once bound to an EOI stays used, whatever became of that EOI.
USED_OFFER_STATUSES = frozenset(
    {JobOffer.Status.EOI_REGISTERED, JobOffer.Status.INVITED, JobOffer.Status.EOI_WITHDRAWN}
)


def normalise_job_offer_id(value: str) -> str:
    """A Job Offer ID as typed (any case, spaces) in its canonical ``JO-XXXX-XXXX`` form."""
    compact = "".join(value.split()).upper().replace("-", "")
    if compact.startswith("JO") and len(compact) == 10:
        return f"JO-{compact[2:6]}-{compact[6:]}"
    return "".join(value.split()).upper()


def check_job_offer_id(
    *,
    job_offer_id: str | None,
    stream: str,
    candidate: Candidate,
    now: datetime | None = None,
    lock: bool = False,
    pathway: str | None = None,
) -> JobOffer | None:
    """The job offer a candidate may quote in a stream, or a refusal naming the rule.

    None for streams without a job offer (refused if one is quoted). Reads only; with
    ``lock`` (inside a service's transaction) the offer row is locked for binding. The
    offer is first established as addressed to this candidate (the e-mail address their
    account has confirmed, then the name) before anything else about it is told, so that
    an ID typed by someone else reveals neither its stream nor its state (DOMAIN §3.4).
    When the policy of ``now``'s day requires it, the offer's employer must be registered
    with the program on that day (``employer.not_registered``, DOMAIN §9).
    """
    now = now or timezone.now()
    field_name = "job_offer_id"
    choices = streams.pathway_codes(stream) if streams.is_stream(stream) else ()
    if choices and pathway not in choices:
        # No known pathway, so no job-offer rule to apply yet: the profile refuses the
        # pathway itself, naming the choices (INTERFACES §1).
        return None
    if not is_employer_stream(stream, pathway):
        if job_offer_id:
            raise ValidationFailed(
                _("this stream takes no job offer"),
                fields={
                    field_name: [
                        _("The %(stream)s stream takes no job offer.")
                        % {"stream": stream if pathway is None else f"{stream} ({pathway})"}
                    ]
                },
            )
        return None
    if not job_offer_id or not job_offer_id.strip():
        raise ValidationFailed(
            _("a Job Offer ID is required"),
            fields={field_name: [_("Enter the Job Offer ID your employer sent you.")]},
        )
    # The offer is addressed to an e-mail address: only an account that proved it controls
    # that address may take it (anyone can sign up with any address and any name). Told
    # before the ID is looked up, so that it says nothing about the ID.
    account = candidate.user
    if account is None or account.email_confirmed_at is None:
        unconfirmed = _(
            "The candidate's account must confirm its e-mail address before a Job Offer "
            "ID can be used."
        )
        raise PermissionDenied(
            unconfirmed, code="job_offer.account_unconfirmed", fields={field_name: [unconfirmed]}
        )
    offers = JobOffer.objects.filter(public_id=normalise_job_offer_id(job_offer_id))
    if lock:
        offers = offers.select_for_update(of=("self",))
    offer = offers.select_related("location", "employer", "noc").first()

    def refuse(code: str, message: str, cls: type[DomainError] = JobOfferNotUsable) -> DomainError:
        return cls(message, code=f"job_offer.{code}", fields={field_name: [message]})

    # An unknown ID, and an offer made out to another e-mail address or another name, get
    # one answer: whoever types an ID that is not theirs learns nothing of it, not even
    # that it exists (decision 73a). The audit keeps which it was (``reason``).
    if offer is None:
        raise JobOfferNotMatched("job_offer.unknown")
    if normalise_email(offer.candidate_email) != normalise_email(account.email):
        raise JobOfferNotMatched("job_offer.email_mismatch")
    if normalise_name(offer.candidate_name) != normalise_name(candidate.full_name):
        raise JobOfferNotMatched("job_offer.name_mismatch")
    if offer.status in USED_OFFER_STATUSES:
        raise refuse("used", _("This Job Offer ID has already been used for an EOI."), Conflict)
    if offer.status == JobOffer.Status.WITHDRAWN:
        raise refuse("withdrawn", _("The employer withdrew this job offer."))
    if offer.status == JobOffer.Status.LAPSED or offer.lapses_at <= now:
        raise refuse(
            "lapsed",
            _(
                "This job offer lapsed: an EOI had to be registered within its validity. "
                "Ask the employer to submit it again."
            ),
        )
    if offer.stream != stream:
        raise refuse(
            "wrong_stream",
            _("This job offer is for the %(offer)s stream, not %(stream)s.")
            % {"offer": offer.stream, "stream": stream},
        )
    # DOMAIN §9: from the policy that requires it, only an offer of an employer whose
    # registration is approved on the day can support an EOI (the submission's own rule).
    unregistered = employer_queries.registration_failure(offer.employer_id, program_date(now))
    if unregistered is not None:
        message = f"{unregistered.message} ({unregistered.rule})"
        raise JobOfferNotUsable(message, code=unregistered.rule, fields={field_name: [message]})
    teers = streams.pathway_info(stream, pathway).teers if pathway is not None else None
    if teers is not None and offer.noc.teer not in teers:
        # The engine's rule (job_offer.teer), told before any step shows the offer's terms.
        allowed = ", ".join(str(t) for t in sorted(teers))
        raise refuse(
            "teer",
            _(
                "This job offer is in NOC %(noc)s, TEER %(teer)s; the %(pathway)s pathway "
                "accepts TEER %(allowed)s only (job_offer.teer)."
            )
            % {"noc": offer.noc_id, "teer": offer.noc.teer, "pathway": pathway, "allowed": allowed},
        )
    return offer


def offer_document(offer: JobOffer) -> dict[str, Any]:
    """The ``job_offer`` sub-document of a profile: the bound offer's NOC, wage and place."""
    wage = float(offer.hourly_wage)
    return {
        "noc": offer.noc_id,
        "hourly_wage": int(wage) if wage.is_integer() else wage,
        "census_division": offer.location.census_division_id,
    }


def parse_facts(facts: EligibilityFacts | Mapping[str, Any] | None) -> EligibilityFacts | None:
    """The eligibility facts given with a registration, parsed (ValidationFailed when not)."""
    if facts is None or isinstance(facts, EligibilityFacts):
        return facts
    try:
        return EligibilityFacts.from_document(
            {k: v for k, v in dict(facts).items() if v is not None}
        )
    except (TypeError, ValueError) as error:
        raise ValidationFailed(
            _("the eligibility facts are invalid"), fields={"facts": [str(error)]}
        ) from None


def registration_document(
    document: Mapping[str, Any], offer: JobOffer | None, now: datetime
) -> dict[str, Any]:
    """The document a registration at ``now`` scores: the candidate's, without an ``id``
    or the import's candidate keys, dated ``now``, with the bound offer's facts."""
    data = dict(document)
    data.pop("id", None)
    for key in CANDIDATE_KEYS:
        data.pop(key, None)
    data["registered_at"] = now.isoformat()
    if offer is not None:
        data["job_offer"] = offer_document(offer)
    return data
