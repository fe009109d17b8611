"""Demo step of the employer portal: a business with two locations and offers in several
states, registered with the program (approved by the demo officer); an ineligible business
with its failing rules, whose registration awaits an officer (the queue shows it); a
candidate with an offer waiting, and a representative appointed by the demo employer.

Runs inside ``nominee demo load``'s transaction, so it calls the services' private bodies
(``services._submit_job_offer``...), which the durable public services wrap: the same
checks and audit events, without a transaction of their own (a durable one cannot
nest). E-mails are delivered at once (files under ``var/mail/`` with the demo's file
backend) so that the pages show them as sent without a background worker.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from nominee.accounts import services as account_services
from nominee.accounts.mail import deliver
from nominee.accounts.models import OutgoingEmail, RepresentativeProfile, User
from nominee.demo.accounts import DEMO_PASSWORD
from nominee.employers import services
from nominee.employers.models import Employer, JobOffer
from nominee.eois.models import Candidate

from .clock import demo_now, demo_today

EMPLOYER_EMAIL = "employer@demo.nominee.test"
CAFE_EMAIL = "cafe@demo.nominee.test"
CANDIDATE_EMAIL = "candidate@demo.nominee.test"
OFFICER_EMAIL = "officer@demo.nominee.test"
REPRESENTATIVE_EMAIL = "representative@demo.nominee.test"


def business_number(prefix: str) -> str:
    """A valid 9-digit CRA business number: 8 digits and their Luhn check digit."""
    for check in "0123456789":
        if services.luhn_valid(prefix + check):
            return prefix + check
    raise ValueError(prefix)  # pragma: no cover


def _user(email: str, name: str) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    return user


def _register(actor: User, **fields: Any) -> Employer:
    return services._register_employer(actor=actor, **fields)


def _offer(actor: User, employer: Employer, location: Any, **fields: Any) -> JobOffer:
    defaults: dict[str, Any] = {
        "on": demo_now(),
        "stream": "foreign-worker",
        "hours_per_week": Decimal("40"),
        "permanent": True,
    }
    return services._submit_job_offer(
        actor=actor, employer=employer, location=location, **{**defaults, **fields}
    )


def load(out: TextIO | Any) -> None:
    """Create the demo employer side (see the module docstring)."""

    now = demo_now()
    emma = _user(EMPLOYER_EMAIL, "Emma Employer")
    maple = _register(
        emma,
        legal_name="Maple Leaf Robotics Inc.",
        operating_name="Maple Robotics",
        cra_business_number=business_number("87965432"),
        street_address="200 Front St W",
        municipality="Toronto",
        postal_code="M5V 3K2",
        years_in_business=12,
        gross_revenue=Decimal("4200000"),
        location_census_division="3520",
        location_municipality="Toronto",
        location_street_address="200 Front St W",
        location_full_time_employees=48,
    )
    toronto = maple.locations.get()
    # Registered with the program before its offers, as the 2026 rules require (DOMAIN §9).
    services._approve_registration(
        actor=User.objects.get(email=OFFICER_EMAIL),
        registration=services._request_registration(actor=emma, employer=maple),
        reasons="Business number, premises and signing officer checked.",
    )
    sudbury = services._add_work_location(
        actor=emma,
        employer=maple,
        census_division="3553",
        municipality="Greater Sudbury",
        street_address="1 Mine Rd",
        full_time_employees=9,
    )

    candidate_user = _user(CANDIDATE_EMAIL, "Chris Candidate")
    Candidate.objects.create(
        user=candidate_user, full_name="Chris Candidate", email=CANDIDATE_EMAIL, created_at=now
    )
    # The offer waiting for the demo candidate: submitted now, so it has not lapsed.
    waiting = _offer(
        emma,
        maple,
        toronto,
        noc="21231",
        job_title="Robotics software engineer",
        hourly_wage=Decimal("58.00"),
        candidate_name="Chris Candidate",
        candidate_email=CANDIDATE_EMAIL,
    )
    # An In-Demand Skills offer at the northern location, from an annual salary.
    _offer(
        emma,
        maple,
        sudbury,
        stream="in-demand-skills",
        noc="94106",
        job_title="CNC machining tool operator",
        annual_salary=Decimal("56500"),
        candidate_name="Dmitri Volkov",
        candidate_email="dmitri.volkov@example.org",
        on=demo_today() - timedelta(days=6),
    )
    # A wage that cannot be checked (no Job Bank figure for NOC 21232): flagged for an officer.
    _offer(
        emma,
        maple,
        toronto,
        noc="21232",
        job_title="Embedded software developer",
        hourly_wage=Decimal("47.50"),
        candidate_name="Priya Raman",
        candidate_email="priya.raman@example.org",
        on=demo_today() - timedelta(days=12),
    )
    # An offer whose candidate never registered: 45 days old, lapsed by the sweep.
    _offer(
        emma,
        maple,
        toronto,
        noc="21231",
        job_title="Machine vision engineer",
        hourly_wage=Decimal("56.00"),
        candidate_name="Lucas Moreau",
        candidate_email="lucas.moreau@example.org",
        on=demo_today() - timedelta(days=45),
    )
    lapsed = services._lapse_job_offers(now=now)
    # An offer the employer withdrew.
    withdrawn = _offer(
        emma,
        maple,
        sudbury,
        noc="72106",
        job_title="Welder",
        hourly_wage=Decimal("33.00"),
        candidate_name="Ana Souza",
        candidate_email="ana.souza@example.org",
        on=demo_today() - timedelta(days=3),
    )
    services._withdraw_job_offer(
        actor=emma, offer=withdrawn, reason="The position was filled locally.", now=now
    )

    # The representative, appointed by the demo employer.
    rep_user = _user(REPRESENTATIVE_EMAIL, "Rosa Representative")
    RepresentativeProfile.objects.create(
        user=rep_user,
        kind=RepresentativeProfile.Kind.LAWYER,
        licence_number="LSO-P12345",
        organisation="Rosa Legal Services",
    )
    account_services._appoint_representative(actor=emma, representative=rep_user, employer=maple)

    # A business that does not meet the requirements: registered, every failing rule named.
    owner = _user(CAFE_EMAIL, "Omar Owner")
    cafe = _register(
        owner,
        legal_name="Northern Lights Café Ltd.",
        operating_name="Northern Lights Café",
        cra_business_number=business_number("71234560"),
        street_address="12 Red River Rd",
        municipality="Thunder Bay",
        postal_code="P7B 1A1",
        years_in_business=2,
        gross_revenue=Decimal("310000"),
        location_census_division="3558",
        location_municipality="Thunder Bay",
        location_full_time_employees=2,
    )
    # Its offers are accepted, carrying the employer's failing rules as flags.
    _offer(
        owner,
        cafe,
        cafe.locations.get(),
        noc="63200",
        job_title="Cook",
        hourly_wage=Decimal("19.00"),
        candidate_name="Mei Chen",
        candidate_email="mei.chen@example.org",
        stream="foreign-worker",
        on=demo_today() - timedelta(days=2),
    )

    # Its request of registration waits in the officers' queue (/staff/employers/registrations/).
    services._request_registration(actor=owner, employer=cafe)

    sent = 0
    for email_id in OutgoingEmail.objects.order_by("id").values_list("id", flat=True):
        sent += int(deliver(email_id))
    out.write(
        "  employers: 2 (one ineligible; one registered with the program, one awaiting an "
        f"officer), job offers: {JobOffer.objects.count()} "
        f"({lapsed} lapsed); waiting for {CANDIDATE_EMAIL}: {waiting.public_id}; "
        f"e-mails sent: {sent}"
    )
