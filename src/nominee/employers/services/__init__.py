"""State changes of the employer portal: businesses, locations, contacts, job offers.

Every public function is one transaction (``durable=True``), keyword-only, checks every
rule before writing, raises a ``nominee.core.errors.DomainError`` subclass on refusal
and writes an audit event in the same transaction. E-mails are recorded in that
transaction and delivered by a background task once it commits.

Where a caller already holds a transaction (a demo step), it calls the private body a
durable service wraps (``_submit_job_offer`` for ``submit_job_offer``), as draws does
with ``_propose``/``_execute``: the same checks and audit event, no transaction of its own.

The functions live in ``businesses``, ``contacts``, ``job_offers`` and ``registrations``
(field validation in ``nominee.employers.validation``); this package re-exports them, so
callers import ``nominee.employers.services`` as before.
"""

from ..validation import (
    EMPLOYER_EDITABLE,
    EMPLOYER_FIELDS,
    LOCATION_FIELDS,
    MAX_REVENUE,
    OFFER_FIELDS,
    field_of_rule,
    luhn_valid,
    normalise_business_number,
    normalise_postal_code,
    unchangeable_fields,
)
from .businesses import (
    _add_work_location,
    _register_employer,
    add_work_location,
    register_employer,
    update_employer,
    update_work_location,
)
from .contacts import invite_contact, remove_contact
from .job_offers import (
    LOCKED_WITH_REPRESENTATIVE,
    JobOfferRefused,
    _lapse_job_offers,
    _submit_job_offer,
    _withdraw_job_offer,
    lapse_job_offers,
    new_public_id,
    review_job_offer,
    submit_job_offer,
    update_job_offer,
    withdraw_job_offer,
)
from .registrations import (
    DECIDERS as REGISTRATION_DECIDERS,
)
from .registrations import (
    _approve_registration,
    _request_registration,
    approve_registration,
    refuse_registration,
    request_registration,
)

__all__ = [
    "EMPLOYER_EDITABLE",
    "EMPLOYER_FIELDS",
    "LOCATION_FIELDS",
    "LOCKED_WITH_REPRESENTATIVE",
    "MAX_REVENUE",
    "OFFER_FIELDS",
    "REGISTRATION_DECIDERS",
    "JobOfferRefused",
    "_add_work_location",
    "_approve_registration",
    "_lapse_job_offers",
    "_register_employer",
    "_request_registration",
    "_submit_job_offer",
    "_withdraw_job_offer",
    "add_work_location",
    "approve_registration",
    "field_of_rule",
    "invite_contact",
    "lapse_job_offers",
    "luhn_valid",
    "new_public_id",
    "normalise_business_number",
    "normalise_postal_code",
    "refuse_registration",
    "register_employer",
    "remove_contact",
    "request_registration",
    "review_job_offer",
    "submit_job_offer",
    "unchangeable_fields",
    "update_employer",
    "update_job_offer",
    "update_work_location",
    "withdraw_job_offer",
]
