"""Words for the codes a person may see: score factors, eligibility rules, audit actions.

One table per concept, each lazily translated; pages reach them through the ``labels``
template library (``nominee.reference.templatetags.labels``), Python through the
functions below. The engine (``nominee.scoring``) keeps its codes and English messages:
it is pure and knows no Django, so the words people read live here.

Streams and pathways are named by the policy registry (``program.streams``); regions by
``reference.models.Region``; census divisions by the reference table. A code none of
these tables knows is shown as words built from the code, never as the bare code.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# The names of the streams and pathways of the shipped policy registry
# (``scoring/data/policy.json``), marked for the catalogue: the registry's name is the
# message id, so a name a manager changes in a new policy version shows as written until
# the catalogue has it (``program.streams.label``).
REGISTRY_NAMES = (
    gettext_noop("Employer Job Offer: Foreign Worker"),
    gettext_noop("Employer Job Offer: International Student"),
    gettext_noop("Employer Job Offer: In-Demand Skills"),
    gettext_noop("Masters Graduate"),
    gettext_noop("PhD Graduate"),
    gettext_noop("Ontario Workforce Priority"),
    gettext_noop("Workers in TEER 0-3 occupations"),
    gettext_noop("Workers in TEER 4-5 occupations"),
    gettext_noop("Self-employed physicians"),
)


def data_name(name: str) -> str:
    """A name the policy data gives (a stream's, a pathway's) in the active language."""
    return gettext(name) if name else name


# The score document's factor keys (spec/INTERFACES.md §2) as a person reads them.
FACTOR_LABELS: dict[str, Promise] = {
    "job_offer_teer": _("Job offer: TEER"),
    "job_offer_category": _("Job offer: broad occupational category"),
    "job_offer_wage": _("Job offer: hourly wage"),
    "permit": _("Work or study permit"),
    "job_tenure": _("Job tenure in the position"),
    "ontario_experience": _("Ontario work experience"),
    "earnings_history": _("Earnings history"),
    "education_level": _("Highest education"),
    "field_of_study": _("Field of study"),
    "canadian_education": _("Canadian education experience"),
    "language_ability": _("Official language ability"),
    "official_languages": _("Knowledge of official languages"),
    "job_location": _("Regional: location of the job offer (physicians: of the practice)"),
    "study_location": _("Regional: location of study"),
}

# The eligibility rules (``scoring.eligibility.Failure.rule``, the employer's registration
# and the job offer checks of an EOI) as the rule a person meets or fails.
RULE_LABELS: dict[str, Promise] = {
    "credential.completed": _("The credential must be completed"),
    "credential.kind": _("The credential must be of a kind the stream accepts"),
    "credential.length": _("The program of study must be long enough"),
    "credential.phd_months_in_ontario": _("Enough of the PhD must have been spent in Ontario"),
    "credential.recent": _("The credential must be recent enough"),
    "education.high_school": _("A high school diploma (or its equivalent) is needed"),
    "education.post_secondary": _("A post-secondary credential is needed"),
    "employer.census_division": _("The business must have a location in Ontario"),
    "employer.employees": _("The business must have enough full-time employees"),
    "employer.revenue": _("The business's gross revenue must be high enough"),
    "employer.years_in_business": _("The business must have operated long enough"),
    "employer.not_registered": _("The business must be registered with the program"),
    "experience.noc_months": _("Enough work experience in the occupation is needed"),
    "experience.ontario_months": _("Enough work experience in Ontario is needed"),
    "experience.ontario_position_months": _("Enough months in the position in Ontario are needed"),
    "experience.pathway": _("The work experience must suit the pathway"),
    "funds.settlement": _("Enough settlement funds are needed"),
    "in_demand.not_listed": _("The occupation must be on the stream's list of in-demand jobs"),
    "in_demand.outside_gta_only": _(
        "This occupation qualifies only for a job outside the Greater Toronto Area"
    ),
    "job_offer.census_division": _("The job must be in Ontario"),
    "job_offer.hours_per_week": _("The job must be full-time (enough hours a week)"),
    "job_offer.hours_per_year": _("The job must offer enough hours a year"),
    "job_offer.noc": _("The job's occupation must be one the stream accepts"),
    "job_offer.permanent": _("The job must be permanent"),
    "job_offer.stream_closed": _("The stream of the job offer must be open"),
    "job_offer.teer": _("The job's occupation must be of a TEER category the stream accepts"),
    "job_offer.wage_floor": _("The wage must be at least the floor for the occupation and region"),
    "job_offer.account_unconfirmed": _("The candidate's e-mail address must be confirmed"),
    "job_offer.email_mismatch": _("The job offer must be made to the candidate's e-mail address"),
    "job_offer.lapsed": _("The job offer must not have lapsed"),
    "job_offer.name_mismatch": _("The job offer must be made to the candidate's name"),
    "job_offer.unknown": _("The Job Offer ID must be one the employer gave"),
    "job_offer.used": _("The job offer must not already support another EOI"),
    "job_offer.withdrawn": _("The job offer must not have been withdrawn"),
    "job_offer.wrong_stream": _("The job offer must be for the EOI's stream"),
    "language.min_clb": _("The language test results must be high enough"),
    "physician.cpso_class": _("The physician must hold a CPSO certificate of a class accepted"),
    "physician.noc": _("The physician's occupation must be one the stream accepts"),
    "physician.ohip_billing_number": _("The physician must have an OHIP billing number"),
    "residence.ontario_months": _("Enough months living in Ontario are needed"),
}

# Audit actions (``audit.Event.action``) as a line of a history.
ACTION_LABELS: dict[str, Promise] = {
    "accounts.api_token_created": _("API token created"),
    "accounts.api_token_revoked": _("API token revoked"),
    "accounts.appointment_revoked": _("Representative's appointment revoked"),
    "accounts.confirmation_refused": _("E-mail confirmation refused"),
    "accounts.confirmation_resent": _("Confirmation e-mail sent again"),
    "accounts.email_confirmed": _("E-mail address confirmed"),
    "accounts.representative_appointed": _("Representative appointed"),
    "accounts.representative_registered": _("Representative registered"),
    "accounts.role_granted": _("Role granted"),
    "accounts.role_revoked": _("Role revoked"),
    "accounts.sign_up_refused": _("Sign-up refused"),
    "accounts.signed_up": _("Signed up"),
    "accounts.unconfirmed_access_refused": _("Access refused: e-mail not confirmed"),
    "allocation.set": _("Yearly allocation set"),
    "allocation.stream_set": _("Stream allocation set"),
    "casework.application_opened": _("Application started"),
    "casework.deadline_reminders": _("Deadline reminders sent"),
    "casework.details_saved": _("Application details saved"),
    "casework.document_added": _("Document added"),
    "casework.invitation_declined": _("Invitation declined"),
    "casework.position_approval_saved": _("Position approval saved"),
    "casework.position_approval_submitted": _("Position approval submitted"),
    "casework.snapshot_confirmed": _("Profile confirmed"),
    "casework.declined": _("Application declined"),
    "casework.held": _("Application put on hold"),
    "casework.info_answered": _("Request for information answered"),
    "casework.refused": _("Application refused"),
    "casework.returned": _("Application returned"),
    "draws.draw_approved": _("Draw approved"),
    "draws.draw_cancelled": _("Draw cancelled"),
    "draws.draw_executed": _("Draw held"),
    "draws.draw_proposed": _("Draw proposed"),
    "draws.invitations_expired": _("Invitations expired"),
    "draws.job_offer_invited": _("Candidate invited to apply"),
    "employers.contact_invited": _("Contact invited"),
    "employers.contact_removed": _("Contact removed"),
    "employers.employer_registered": _("Business added"),
    "employers.employer_updated": _("Business details changed"),
    "employers.job_offer_lapsed": _("Job offer lapsed"),
    "employers.job_offer_reviewed": _("Job offer reviewed by an officer"),
    "employers.job_offer_submitted": _("Job offer submitted"),
    "employers.job_offer_updated": _("Job offer changed"),
    "employers.job_offer_withdrawn": _("Job offer withdrawn"),
    "employers.location_added": _("Work location added"),
    "employers.location_updated": _("Work location changed"),
    "employers.registration_approved": _("Registration approved"),
    "employers.registration_refused": _("Registration refused"),
    "employers.registration_requested": _("Registration requested"),
    "eois.candidate_created": _("Candidate file created"),
    "eois.demo_loaded": _("Demonstration data loaded"),
    "eois.eoi_carried_over": _("EOI carried over to the successor stream"),
    "eois.eoi_registered": _("EOI registered"),
    "eois.eoi_updated": _("EOI updated"),
    "eois.eoi_withdrawn": _("EOI withdrawn"),
    "eois.expiry_reminder_sent": _("Expiry reminder sent"),
    "eois.imported": _("EOIs imported"),
    "eois.job_offer_bound": _("Job offer quoted in the candidate's EOI"),
    "eois.job_offer_eoi_withdrawn": _("The candidate withdrew the EOI"),
    "eois.job_offer_refused": _("Job offer refused for an EOI"),
    "program.policy_published": _("Policy version published"),
    "publication.draws_imported": _("Published draws imported"),
    "reference.data_loaded": _("Reference data loaded"),
    "reference.wages_imported": _("Wage table imported"),
}

# The events of an application's history (``casework.ApplicationEvent.kind``) and the
# party each concerns.
EVENT_LABELS: dict[str, Promise] = {
    "approved": _("Approved"),
    "assigned": _("Assigned to an officer"),
    "declined": _("Declined"),
    "document_added": _("Document added"),
    "held": _("Put on hold"),
    "info_answered": _("Request for information answered"),
    "info_requested": _("Information requested"),
    "intent_to_refuse": _("Notice of intent to refuse"),
    "notice_answered": _("Notice answered"),
    "position_approval_submitted": _("Position approval submitted"),
    "refused": _("Refused"),
    "returned": _("Returned for changes"),
    "submitted": _("Submitted"),
    "withdrawn": _("Withdrawn"),
}
PARTY_LABELS: dict[str, Promise] = {
    "candidate": _("the candidate"),
    "employer": _("the employer"),
    "both": _("both parties"),
    "response": _("the answer"),
}


def words(code: str) -> str:
    """A code no table knows, as words: its last part, underscores as spaces, capitalised
    (``eois.eoi_reopened`` → "Eoi reopened"). Better than a code, and a sign a label is due."""
    last = str(code).rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").strip()
    return last[:1].upper() + last[1:]


def factor_label(code: str) -> str:
    """A score factor's name (``job_offer_teer`` → "Job offer: TEER")."""
    label = FACTOR_LABELS.get(code)
    return str(label) if label is not None else words(code)


def rule_label(code: str) -> str:
    """The plain sentence of an eligibility rule (``job_offer.wage_floor`` → "The wage
    must be at least the floor for the occupation and region")."""
    label = RULE_LABELS.get(code)
    return str(label) if label is not None else words(code)


def action_label(code: str) -> str:
    """An audit action as a line of history (``employers.job_offer_submitted`` → "Job
    offer submitted")."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else words(code)


def event_label(code: str) -> str:
    """An application event (``info_requested`` → "Information requested")."""
    label = EVENT_LABELS.get(code)
    return str(label) if label is not None else words(code)


def party_label(code: str) -> str:
    """The party an event concerns (``candidate`` → "the candidate")."""
    label = PARTY_LABELS.get(code)
    return str(label) if label is not None else words(code).lower()
