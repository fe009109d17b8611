"""Demo step of casework: files in every stage, nominations, and an invitation to try.

From the invitations of the replayed 2025-09 draws, a dozen files are taken through the
services (as their candidates, the pool employers' contact and the demo officers) to each
stage: draft, submitted and waiting for the employer, complete and unassigned, in review,
more information requested, notice of intent to refuse, approved (nominated), refused,
returned with the fee refunded, withdrawn, and a declined invitation. Each candidate gets
an account (``file01@demo.nominee.test``…, the demo password) so the files can be opened
as they see them. The walkthrough: ``applicant@demo.nominee.test`` (Priya Applicant) holds
a Foreign Worker EOI on Maple Leaf Robotics' job offer, invited by a draw dated today, with
no file yet: the person trying the demo applies, ``employer@demo.nominee.test`` files the
position approval, ``officer@demo.nominee.test`` reviews and approves.

Runs inside ``nominee demo load``'s transaction: the services' bodies (``__wrapped__``).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from nominee.accounts.models import User
from nominee.casework import services
from nominee.core.timeutil import PROGRAM_TZ
from nominee.demo.accounts import DEMO_PASSWORD
from nominee.draws.criteria import parse_criteria
from nominee.draws.models import Invitation
from nominee.draws.services import replay_draw
from nominee.employers.models import Employer, JobOffer
from nominee.employers.services import submit_job_offer
from nominee.eois.documents import eoi_columns
from nominee.eois.generate import Generator
from nominee.eois.models import EOI, Candidate
from nominee.reference.queries import reference_data
from nominee.scoring import parse_profile, score_profile

from .clock import demo_today

STAGES = (
    "draft",
    "waiting_for_employer",
    "complete",
    "in_review",
    "info_requested",
    "intent_to_refuse",
    "approved",
    "approved",
    "approved",
    "refused",
    "returned",
    "withdrawn",
    "declined",
)
APPLICANT = "applicant@demo.nominee.test"
PDF = b"%PDF-1.4\n% demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _w(fn: Any) -> Any:
    return fn.__wrapped__


def _account(email: str, name: str) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    return user


def _details(name: str, email: str) -> dict[str, dict[str, str]]:
    given, _sep, family = name.rpartition(" ")
    return {
        "identity": {
            "family_name": family or name,
            "given_names": given or name,
            "date_of_birth": "1993-04-18",
            "citizenship": "Philippines",
            "passport_number": "P0000000",
            "phone": "416-555-0199",
            "email": email,
        },
        "status": {"status_in_canada": "work-permit", "status_expires_on": "2027-01-31"},
        "history": {
            "work_history": "2022- present: the employer of the job offer",
            "education_history": "2012-2016 bachelor's degree",
            "address_history": "2022- present: Toronto, Ontario",
        },
        "family": {"family_members": ""},
    }


def _file(stage: str, invitation: Any, n: int, staff: dict[str, User], employer: User) -> None:
    candidate = invitation.eoi.candidate
    email = f"file{n:02d}@demo.nominee.test"
    user = _account(email, candidate.full_name)
    candidate.user = user
    candidate.email = email
    candidate.save(update_fields=["user", "email"])
    start = datetime.combine(
        invitation.draw.draw_date + timedelta(days=4), time(10), tzinfo=PROGRAM_TZ
    )
    if stage == "declined":
        _w(services.decline_invitation)(actor=user, invitation=invitation, now=start)
        return
    app = _w(services.open_application)(actor=user, invitation=invitation, now=start)
    details = _details(candidate.full_name, email)
    for key, data in details.items():
        _w(services.save_details)(actor=user, application=app, section=key, data=data)
    _w(services.confirm_snapshot)(actor=user, application=app)
    _w(services.add_document)(
        actor=user,
        application=app,
        party="candidate",
        label="Passport",
        name="passport.pdf",
        content=PDF,
    )
    if stage == "draft":
        return
    name = f"{details['identity']['given_names']} {details['identity']['family_name']}"
    _w(services.submit_application)(
        actor=user, application=app, declaration_name=name, now=start + timedelta(hours=2)
    )
    if stage == "waiting_for_employer":
        return
    if hasattr(app, "position_approval"):
        _w(services.save_position_approval)(
            actor=employer,
            application=app,
            offer_confirmed=True,
            declaration_name="Pat Signing-Officer",
        )
        _w(services.submit_position_approval)(
            actor=employer,
            application=app,
            declaration_name="Pat Signing-Officer",
            now=start + timedelta(days=1),
        )
    if stage == "complete":
        return
    officer, manager = staff["officer"], staff["manager"]
    _w(services.assign_application)(actor=manager, application=app, officer=officer)
    _w(services.record_fee_received)(actor=officer, application=app, reference=f"PAY-{n:05d}")
    if stage == "in_review":
        return
    if stage == "info_requested":
        _w(services.request_information)(
            actor=officer,
            application=app,
            party="candidate",
            text="Please upload your most recent pay slips.",
        )
        return
    if stage in ("intent_to_refuse", "refused"):
        when = None if stage == "intent_to_refuse" else start + timedelta(days=30)
        _w(services.notice_of_intent_to_refuse)(
            actor=officer,
            application=app,
            now=when,
            reasons="The job offer's wage is below the Job Bank median for the NOC and region.",
        )
        if stage == "refused":
            _w(services.refuse_application)(
                actor=officer,
                application=app,
                reasons="No response to the notice: the wage requirement is not met.",
            )
        return
    if stage == "approved":
        _w(services.approve_application)(actor=officer, application=app)
    elif stage == "returned":
        _w(services.return_application)(
            actor=officer, application=app, reason="Labour-market fit: the occupation is closed."
        )
        _w(services.record_fee_refunded)(actor=officer, application=app, reference=f"REF-{n:05d}")
    elif stage == "withdrawn":
        _w(services.withdraw_application)(actor=user, application=app, reason="Moved abroad.")


def _walkthrough(staff: dict[str, User]) -> str:
    """Priya Applicant's fresh EOI on Maple Leaf Robotics' offer, invited today."""

    ref = reference_data()
    user = _account(APPLICANT, "Priya Applicant")
    candidate = Candidate.objects.create(
        user=user, full_name="Priya Applicant", email=APPLICANT, created_at=timezone.now()
    )
    emma = User.objects.get(email="employer@demo.nominee.test")
    maple = Employer.objects.get(legal_name="Maple Leaf Robotics Inc.")
    location = maple.locations.filter(census_division_id="3520").first() or maple.locations.first()
    assert location is not None
    registered = demo_today() - timedelta(days=6)
    doc = next(
        Generator(
            count=1,
            seed=20261,
            start=registered,
            end=registered,
            streams=["foreign-worker"],
            first_number=900001,
        ).documents()
    )
    doc.pop("candidate_name", None)
    doc.pop("candidate_email", None)
    offer = _w(submit_job_offer)(
        actor=emma,
        employer=maple,
        location=location,
        stream="foreign-worker",
        noc="21231",
        job_title="Robotics software engineer",
        hourly_wage=Decimal("58.00"),
        hours_per_week=Decimal("40"),
        permanent=True,
        candidate_name="Priya Applicant",
        candidate_email=APPLICANT,
        on=datetime.combine(registered, time(9), PROGRAM_TZ),
    )
    doc["job_offer"] = {
        **doc["job_offer"],
        "noc": "21231",
        "census_division": location.census_division_id,
        "hourly_wage": 58.0,
    }
    profile = parse_profile(doc, ref=ref)
    columns = eoi_columns(profile, score_profile(profile, ref=ref), ref)
    eoi = EOI.objects.create(
        external_id=f"FW-DEMO-{registered:%Y%m%d}",
        candidate=candidate,
        job_offer=offer,
        status=EOI.Status.ACTIVE,
        updated_at=columns["registered_at"],
        **columns,
    )
    offer.status = JobOffer.Status.EOI_REGISTERED
    offer.save(update_fields=["status"])
    criteria = parse_criteria(
        {
            "stream": "foreign-worker",
            "invitations": 1,
            "noc_codes": ["21231"],
            "registered_from": registered,
            "registered_to": registered,
            "draw_date": demo_today(),
        }
    )
    replay_draw(
        proposer=staff["officer"],
        approver=staff["manager"],
        executor=staff["officer"],
        criteria=criteria,
        note="Demo walkthrough: Priya Applicant's invitation.",
    )
    return eoi.external_id


def load(out: TextIO | Any) -> None:
    """Files in every stage, and the walkthrough invitation (see the module docstring)."""

    staff = {
        "officer": User.objects.get(email="officer@demo.nominee.test"),
        "manager": User.objects.get(email="manager@demo.nominee.test"),
    }
    employer = User.objects.get(email="pool-employers@demo.nominee.test")
    invitations = list(
        Invitation.objects.filter(eoi__job_offer__isnull=False, eoi__candidate__user__isnull=True)
        .select_related("eoi__candidate", "draw", "eoi__job_offer")
        .order_by("draw__draw_date", "rank")[: len(STAGES)]
    )
    for n, (stage, invitation) in enumerate(zip(STAGES, invitations, strict=False), start=1):
        _file(stage, invitation, n, staff, employer)
    walkthrough = _walkthrough(staff)
    out.write(
        f"  casework: {min(len(STAGES), len(invitations))} files in every stage; "
        f"{APPLICANT} invited today ({walkthrough})\n"
    )
