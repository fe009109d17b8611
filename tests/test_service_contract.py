"""The service contract, one row per durable service (docs/architecture.md, "services").

Every state change goes through one service function that is one durable transaction,
refuses before it writes, and leaves an audit event. Rule tests pin *what* each service
decides; this table pins the contract itself, so that deleting a service's ``record(...)``,
or letting a refusal leave a write behind, fails the row named after that service:

- ``test_it_records_its_audit_event``: the call records the row's action, by the row's
  actor, with the row's ``before``/``after`` (a subset of what the event holds);
- ``test_a_refusal_changes_no_table``: the refusing call raises the row's error, every
  table's rows are as they were (the audit log gains only the refusal event the service
  documents, if any), and it sent no INSERT, UPDATE or DELETE at all: a write placed
  before the refusal is rolled back by the service's transaction, so only the queries
  show that it refused after writing;
- ``test_it_is_durable``: called inside a transaction it raises RuntimeError, so it can
  never become half of somebody else's transaction.

A new durable service gets a row here; ``test_every_durable_service_has_a_row`` finds
them in the code.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import nominee
from nominee.accounts import services as accounts
from nominee.accounts.models import User
from nominee.accounts.roles import Role
from nominee.audit.models import AuditEvent, ChainHead
from nominee.casework import services as casework
from nominee.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from nominee.core.timeutil import PROGRAM_TZ, program_date
from nominee.draws import services as draws
from nominee.employers import services as employers
from nominee.employers.models import Employer, EmployerContact, JobOffer
from nominee.eois import services as eois
from nominee.eois.models import EOI, Candidate
from nominee.program import services as program
from nominee.program.models import Allocation
from nominee.publication import services as publication
from nominee.reference import services as reference
from tests.casework.conftest import CANDIDATE_DEADLINE, DETAILS, IN_WINDOW, _invited_alice
from tests.closing import closed
from tests.dates import IN_2025
from tests.draws.pools import criteria
from tests.eois.conftest import FW_FACTS, MASTERS_FACTS, fw_document, masters_document
from tests.factories import OFFER_DEFAULTS, make_eoi, register_dairy, submit_offer
from tests.personas import PASSWORD
from tests.program.policy_helpers import permit_grid
from tests.publication.conftest import SAMPLE_CSV
from tests.reference.test_noc_titles_fr import _statcan_file

pytestmark = [pytest.mark.django_db, IN_2025]


class World:
    """The personas (tests/conftest.py), fetched when a row first names one, and what a
    row's ``arrange`` adds (``w.offer``, ``w.draw``...)."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request
        # Every persona exists before a row starts, so that a refusal's table comparison
        # does not see one made on first mention.
        for name in ("alice", "bob", "carol", "olivia", "martin", "audrey", "oscar", "ursula"):
            getattr(self, name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._request.getfixturevalue(name)
        setattr(self, name, value)
        return value

    @property
    def employer(self) -> Employer:
        """Bob's Bakery."""
        return Employer.objects.get(contacts__user=self.bob, contacts__is_signing_officer=True)

    @property
    def candidate(self) -> Candidate:
        """Alice's candidate profile."""
        return Candidate.objects.get(user=self.alice)


def _nothing(w: World) -> None:
    return None


@dataclass(frozen=True)
class Row:
    """One durable service's contract.

    ``call`` makes the change once ``arrange`` has run; ``actor`` names who the event
    says did it (None: the system). ``refuse`` is a call the service must refuse with
    ``refusal``; for a sweep, which has nothing to refuse, ``refusal`` is None and
    ``refuse`` is a run with nothing due, which must write nothing (``refuse`` None: a
    service that neither refuses nor idles, such as reloading the shipped files).
    ``refusal_event`` is the action of the event a service records for a refusal that
    matters for security.
    ``durable`` names the durable function when ``service`` is a wrapper around it.
    ``writes_then_rolls_back`` marks a composition whose refusal comes after a first step
    has written (its transaction undoes it); every other refusal issues no write at all.
    """

    service: str
    action: str
    call: Callable[[World], Any]
    actor: Callable[[World], Any]
    refuse: Callable[[World], Any] | None
    refusal: type[DomainError] | None
    arrange: Callable[[World], None] = _nothing
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    refusal_event: str | None = None
    durable: str | None = None
    writes_then_rolls_back: bool = False
    marks: tuple[Any, ...] = field(default=())

    @property
    def id(self) -> str:
        """The row's name in the test report: the service and, if several, the action."""
        return f"{self.service}[{self.action}]"


# ---- arrangements -------------------------------------------------------------------


def _offer(w: World, **overrides: Any) -> None:
    w.offer = submit_offer(w.bob, w.employer, **overrides)


def _flagged_offer(w: World) -> None:
    _offer(w)
    JobOffer.objects.filter(pk=w.offer.pk).update(needs_review=True)
    w.offer.refresh_from_db()


def _registration_requested(w: World) -> None:
    w.registration = employers.request_registration(actor=w.bob, employer=w.employer)


def _contact(w: World) -> None:
    w.contact = employers.invite_contact(
        actor=w.bob, employer=w.employer, email="erin@example.com", full_name="Erin"
    )


def _appointment(w: World) -> None:
    w.appointment = accounts.appoint_representative(
        actor=w.bob, representative=w.carol, employer=w.employer
    )


def _token(w: World) -> None:
    w.token, _secret = accounts.create_api_token(user=w.alice, name="nightly export")


def _masters_eoi(w: World) -> None:
    w.eoi = eois.register_eoi(
        actor=w.alice,
        candidate=w.candidate,
        document=masters_document(),
        job_offer_id=None,
        facts=MASTERS_FACTS,
    )


def _bound_eoi(w: World) -> None:
    _offer(w)
    w.eoi = eois.register_eoi(
        actor=w.alice,
        candidate=w.candidate,
        document=fw_document(),
        job_offer_id=w.offer.public_id,
        facts=FW_FACTS,
    )


def _register_fw(w: World) -> EOI:
    return eois.register_eoi(
        actor=w.alice,
        candidate=w.candidate,
        document=fw_document(),
        job_offer_id=w.offer.public_id,
        facts=FW_FACTS,
    )


def _second_manager(w: World) -> None:
    from tests.personas import make_user

    w.mona = make_user("mona@example.com", Role.MANAGER, full_name="Mona Manager")


def _proposed(w: World) -> None:
    _second_manager(w)
    w.draw = draws.propose_draw(
        actor=w.mona, criteria=criteria(invitations=5, draw_date=date.today())
    )


def _approved(w: World) -> None:
    _proposed(w)
    draws.approve_draw(actor=w.martin, draw=w.draw)


def _approved_and_unapproved(w: World) -> None:
    _pool_eoi(w)
    _approved(w)
    w.unapproved = draws.propose_draw(
        actor=w.mona, criteria=criteria(invitations=5, draw_date=date.today())
    )


def _bound_eoi_and_approved_draw(w: World) -> None:
    _bound_eoi(w)
    _second_manager(w)
    w.draw = draws.propose_draw(
        actor=w.mona, criteria=criteria(invitations=5, draw_date=date.today())
    )
    draws.approve_draw(actor=w.martin, draw=w.draw)


def _pool_eoi(w: World) -> None:
    w.pooled = make_eoi(registered_at=datetime(2025, 8, 1, 10, tzinfo=PROGRAM_TZ))


def _open_invitation(w: World) -> None:
    _pool_eoi(w)
    draws.run_draw(criteria=criteria(invitations=5, draw_date=date.today()))


def _expiring_eoi(w: World) -> None:
    registered = timezone.now() - timedelta(days=300)
    w.eoi = make_eoi(registered_at=registered, candidate=w.candidate)
    w.reminder_day = program_date(w.eoi.expires_at) - timedelta(days=7)


_IMPORT_LINE = (
    '{"id": "FW-000123", "stream": "foreign-worker", "registered_at": "2025-07-15T10:20:30Z",'
    ' "job_offer": {"noc": "21231", "hourly_wage": 60.5, "census_division": "3520"},'
    ' "permit": "work", "job_tenure_months": 7, "highest_annual_earnings": 52000,'
    ' "languages": {"english": 9, "french": null}}\n'
)


def _eoi_in_pool(w: World) -> None:
    # A pool with an EOI in it: the import keeps its indexes (an empty pool drops them
    # for the load, which a test's transaction cannot hold on every database).
    _pool_eoi(w)


def policy_later(days: int = 30) -> date:
    """A date to publish a grid on: after today whatever day the suite runs or travels to
    (the rows are built at import, the calls on the travelled day), and after the newest
    shipped grid, whose columns the published copy keeps."""
    return date(2099, 1, 1) + timedelta(days=days)


def _closing_pool(w: World) -> None:
    from tests.eois.closing_world import closing_pool  # the pool of the closing tests

    w.closing = closing_pool(w.alice, w.bob, w.carol)


def _withdraw_closed(
    actor: Callable[[World], Any], now: datetime = datetime(2026, 6, 25, 10, tzinfo=PROGRAM_TZ)
) -> Callable[[World], Any]:
    # Foreign Worker closes on 2026-05-30; ``now`` before that: not closed yet, refused.
    def call(w: World) -> Any:
        with closed("foreign-worker", on=date(2026, 5, 30)):
            return eois.withdraw_closed_stream_eois(
                actor=actor(w), stream="foreign-worker", now=now
            )

    return call


def _superuser(w: World) -> None:
    w.root = User.objects.create_superuser(
        email="root@example.com", password=PASSWORD, full_name="Root"
    )


def _user(email: str) -> Callable[[World], User]:
    return lambda w: User.objects.get(email=email)


# casework: Alice's file on Bob's Bakery's offer (tests/casework/conftest.py), in its window.

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
LATER = datetime(2087, 6, 1, 10, tzinfo=PROGRAM_TZ)  # no allocation unless a row sets one


def _invited(w: World) -> None:
    w.invitation = _invited_alice(w.alice, w.bob)


def _opened(w: World) -> None:
    _invited(w)
    w.file = casework.open_application(actor=w.alice, invitation=w.invitation, now=IN_WINDOW)


def _filled(w: World) -> None:
    _opened(w)
    for key, data in DETAILS.items():
        casework.save_details(actor=w.alice, application=w.file, section=key, data=data)
    casework.confirm_snapshot(actor=w.alice, application=w.file)


def _employer_draft(w: World) -> None:
    _opened(w)
    casework.save_position_approval(
        actor=w.bob, application=w.file, offer_confirmed=True, declaration_name="Bob Employer"
    )


def _submitted(w: World) -> None:
    _filled(w)
    casework.submit_application(
        actor=w.alice, application=w.file, declaration_name="Alice Candidate", now=IN_WINDOW
    )
    casework.save_position_approval(
        actor=w.bob, application=w.file, offer_confirmed=True, declaration_name="Bob Employer"
    )
    casework.submit_position_approval(
        actor=w.bob, application=w.file, declaration_name="Bob Employer", now=IN_WINDOW
    )


def _in_review(w: World) -> None:
    _submitted(w)
    casework.assign_application(actor=w.olivia, application=w.file, now=IN_WINDOW)


def _info_requested(w: World) -> None:
    _in_review(w)
    casework.request_information(
        actor=w.olivia, application=w.file, party="candidate", text="Your passport", now=IN_WINDOW
    )


def _noticed(w: World) -> None:
    _in_review(w)
    casework.notice_of_intent_to_refuse(
        actor=w.olivia, application=w.file, reasons="Wage below the floor", now=IN_WINDOW
    )


def _notice_answered(w: World) -> None:
    _noticed(w)
    casework.respond_to_notice(
        actor=w.alice, application=w.file, text="The wage was raised", now=IN_WINDOW
    )


def _in_review_year_spent(w: World) -> None:
    _in_review(w)
    Allocation.objects.filter(year=IN_WINDOW.year).update(nominations_issued=F("nominations"))


def _in_review_and_a_spent_year(w: World) -> None:
    _in_review(w)
    program.set_allocation(year=LATER.year, nominations=0, actor=w.martin)


def _refund_due(w: World) -> None:
    _in_review(w)
    casework.record_fee_received(actor=w.olivia, application=w.file, reference="PAY-1")
    casework.return_application(
        actor=w.olivia, application=w.file, reason="Allocation spent", now=IN_WINDOW
    )


def _opened_documents_in_tmp(w: World) -> None:
    w.settings.CASEWORK_DOCUMENT_ROOT = w.tmp_path / "documents"
    _opened(w)


# ---- the table ----------------------------------------------------------------------

ROWS: list[Row] = [
    # accounts
    Row(
        service="nominee.accounts.services.sign_up",
        durable="_sign_up",
        action="accounts.signed_up",
        call=lambda w: accounts.sign_up(
            email="nina@example.com",
            password="correct horse battery staple 42",
            full_name="Nina New",
            role="candidate",
        ),
        actor=_user("nina@example.com"),
        after={"email": "nina@example.com", "role": "candidate"},
        refuse=lambda w: accounts.sign_up(
            email="nina@example.com",
            password="correct horse battery staple 42",
            full_name="Nina New",
            role="astronaut",
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.accounts.services.confirm_email",
        durable="_confirm_email",
        action="accounts.email_confirmed",
        call=lambda w: accounts.confirm_email(token=accounts.confirmation_token(w.ursula)),
        actor=lambda w: w.ursula,
        before={"email_confirmed_at": None},
        refuse=lambda w: accounts.confirm_email(token="forged"),
        refusal=ValidationFailed,
        refusal_event="accounts.confirmation_refused",
    ),
    Row(
        service="nominee.accounts.services.resend_confirmation",
        action="accounts.confirmation_resent",
        call=lambda w: accounts.resend_confirmation(user=w.ursula),
        actor=lambda w: w.ursula,
        refuse=lambda w: accounts.resend_confirmation(user=w.alice),
        refusal=Conflict,
    ),
    Row(
        service="nominee.accounts.services.set_preferred_language",
        action="accounts.preferred_language_set",
        call=lambda w: accounts.set_preferred_language(user=w.alice, language="fr"),
        actor=lambda w: w.alice,
        before={"preferred_language": "en"},
        after={"preferred_language": "fr"},
        refuse=lambda w: accounts.set_preferred_language(user=w.alice, language="de"),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.accounts.services.set_password_by_link",
        action="accounts.password_reset",
        call=lambda w: accounts.set_password_by_link(
            user=w.ursula, password="another long passphrase 7", kind="reset"
        ),
        actor=lambda w: w.ursula,
        before={"email_confirmed_at": None},
        refuse=lambda w: accounts.set_password_by_link(user=w.ursula, password="x", kind="reset"),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.accounts.services.passwords.request_password_reset",
        action="accounts.password_reset_requested",
        call=lambda w: accounts.request_password_reset(email=w.alice.email),
        actor=lambda w: None,
        # An address without an account: the same answer, and nothing written.
        refuse=lambda w: accounts.request_password_reset(email="nobody@example.com"),
        refusal=None,
    ),
    Row(
        service="nominee.accounts.services.passwords.change_password",
        action="accounts.password_changed",
        call=lambda w: accounts.change_password(
            user=w.alice, old_password=PASSWORD, new_password="another long passphrase 7"
        ),
        actor=lambda w: w.alice,
        refuse=lambda w: accounts.change_password(
            user=w.alice, old_password="not it", new_password="another long passphrase 7"
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.accounts.services.signup.request_email_change",
        action="accounts.email_change_requested",
        call=lambda w: accounts.request_email_change(
            user=w.alice, password=PASSWORD, new_email="alice.new@example.com"
        ),
        actor=lambda w: w.alice,
        refuse=lambda w: accounts.request_email_change(
            user=w.alice, password="not it", new_email="alice.new@example.com"
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.accounts.services.accept_invitation",
        action="accounts.invitation_accepted",
        call=lambda w: accounts.accept_invitation(
            user=w.ursula, password="another long passphrase 7"
        ),
        actor=lambda w: w.ursula,
        before={"email_confirmed_at": None},
        refuse=lambda w: accounts.accept_invitation(user=w.ursula, password="x"),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.accounts.services.become_representative",
        action="accounts.representative_registered",
        call=lambda w: accounts.become_representative(
            user=w.oscar, kind="lawyer", licence_number="LSO-12345"
        ),
        actor=lambda w: w.oscar,
        after={"kind": "lawyer", "licence_number": "LSO-12345"},
        refuse=lambda w: accounts.become_representative(
            user=w.carol, kind="lawyer", licence_number="LSO-1"
        ),
        refusal=Conflict,
    ),
    Row(
        service="nominee.accounts.services.appoint_representative",
        action="accounts.representative_appointed",
        call=_appointment,
        actor=lambda w: w.bob,
        after={"representative": "carol@example.com"},
        refuse=lambda w: accounts.appoint_representative(
            actor=w.oscar, representative=w.carol, employer=w.employer
        ),
        refusal=NotFound,
    ),
    Row(
        service="nominee.accounts.services.revoke_appointment",
        action="accounts.appointment_revoked",
        arrange=_appointment,
        call=lambda w: accounts.revoke_appointment(actor=w.bob, appointment=w.appointment),
        actor=lambda w: w.bob,
        before={"revoked_at": None},
        refuse=lambda w: accounts.revoke_appointment(actor=w.oscar, appointment=w.appointment),
        refusal=NotFound,
    ),
    Row(
        service="nominee.accounts.services.grant_role",
        action="accounts.role_granted",
        call=lambda w: accounts.grant_role(manager=w.martin, user=w.oscar, role="officer"),
        actor=lambda w: w.martin,
        after={"role": "officer"},
        refuse=lambda w: accounts.grant_role(manager=w.olivia, user=w.oscar, role="officer"),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.accounts.services.set_password_by_admin",
        action="accounts.password_set_by_admin",
        arrange=lambda w: (_superuser(w), _token(w)),
        call=lambda w: accounts.set_password_by_admin(
            actor=w.root, user=w.alice, password="another long passphrase 7"
        ),
        actor=lambda w: w.root,
        after={"usable_password": True},
        refuse=lambda w: accounts.set_password_by_admin(
            actor=w.martin, user=w.alice, password="another long passphrase 7"
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.accounts.services.revoke_role",
        action="accounts.role_revoked",
        call=lambda w: accounts.revoke_role(manager=w.martin, user=w.olivia, role="officer"),
        actor=lambda w: w.martin,
        before={"role": "officer"},
        refuse=lambda w: accounts.revoke_role(manager=w.martin, user=w.martin, role="manager"),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.accounts.services.create_api_token",
        action="accounts.api_token_created",
        call=_token,
        actor=lambda w: w.alice,
        after={"name": "nightly export"},
        refuse=lambda w: accounts.create_api_token(user=w.ursula, name="nightly export"),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.accounts.services.revoke_api_token",
        action="accounts.api_token_revoked",
        arrange=_token,
        call=lambda w: accounts.revoke_api_token(actor=w.alice, token=w.token),
        actor=lambda w: w.alice,
        before={"revoked_at": None},
        refuse=lambda w: accounts.revoke_api_token(actor=w.oscar, token=w.token),
        refusal=NotFound,
    ),
    # employers
    Row(
        service="nominee.employers.services.register_employer",
        action="employers.employer_registered",
        call=lambda w: register_dairy(w.oscar),
        actor=lambda w: w.oscar,
        after={"legal_name": "Dave's Dairy Ltd.", "signing_officer": "oscar@example.com"},
        refuse=lambda w: employers.register_employer(
            actor=w.oscar,
            legal_name="Dave's Dairy Ltd.",
            cra_business_number="123456789",
            street_address="10 Elm St",
            municipality="Sudbury",
            postal_code="P3E 1A1",
            years_in_business=8,
            gross_revenue=Decimal("900000"),
            location_census_division="3553",
            location_municipality="Sudbury",
            location_full_time_employees=6,
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.employers.services.register_employer",
        action="employers.location_added",
        call=lambda w: register_dairy(w.oscar),
        actor=lambda w: w.oscar,
        after={"municipality": "Sudbury", "full_time_employees": 6},
        refuse=lambda w: register_dairy(w.ursula),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.employers.services.update_employer",
        action="employers.employer_updated",
        call=lambda w: employers.update_employer(
            actor=w.bob, employer=w.employer, legal_name="Bob's Bakery Ltd."
        ),
        actor=lambda w: w.bob,
        before={"legal_name": "Bob's Bakery Inc."},
        after={"legal_name": "Bob's Bakery Ltd."},
        refuse=lambda w: employers.update_employer(
            actor=w.oscar, employer=w.employer, legal_name="Oscar's"
        ),
        refusal=NotFound,
    ),
    Row(
        service="nominee.employers.services.add_work_location",
        action="employers.location_added",
        call=lambda w: employers.add_work_location(
            actor=w.bob,
            employer=w.employer,
            census_division="3553",
            municipality="Sudbury",
            full_time_employees=3,
        ),
        actor=lambda w: w.bob,
        after={"census_division": "3553", "full_time_employees": 3},
        refuse=lambda w: employers.add_work_location(
            actor=w.bob,
            employer=w.employer,
            census_division="0000",
            municipality="Nowhere",
            full_time_employees=3,
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.employers.services.update_work_location",
        action="employers.location_updated",
        call=lambda w: employers.update_work_location(
            actor=w.bob, location=w.employer.locations.first(), full_time_employees=20
        ),
        actor=lambda w: w.bob,
        before={"full_time_employees": 12},
        after={"full_time_employees": 20},
        refuse=lambda w: employers.update_work_location(
            actor=w.oscar, location=w.employer.locations.first(), full_time_employees=20
        ),
        refusal=NotFound,
    ),
    Row(
        service="nominee.employers.services.invite_contact",
        action="employers.contact_invited",
        call=_contact,
        actor=lambda w: w.bob,
        after={"email": "erin@example.com", "active": True},
        refuse=lambda w: employers.invite_contact(
            actor=w.bob, employer=w.employer, email="not an address"
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.employers.services.remove_contact",
        action="employers.contact_removed",
        arrange=_contact,
        call=lambda w: employers.remove_contact(actor=w.bob, contact=w.contact),
        actor=lambda w: w.bob,
        before={"active": True},
        after={"active": False},
        refuse=lambda w: employers.remove_contact(
            actor=w.bob, contact=EmployerContact.objects.get(user=w.bob)
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.employers.services.submit_job_offer",
        action="employers.job_offer_submitted",
        call=_offer,
        actor=lambda w: w.bob,
        after={"status": "awaiting_eoi", "job_title": OFFER_DEFAULTS["job_title"]},
        refuse=lambda w: _offer(w, hourly_wage=Decimal("1.00")),
        refusal=employers.JobOfferRefused,
    ),
    Row(
        service="nominee.employers.services.update_job_offer",
        action="employers.job_offer_updated",
        arrange=_offer,
        call=lambda w: employers.update_job_offer(
            actor=w.bob, offer=w.offer, job_title="Senior software engineer"
        ),
        actor=lambda w: w.bob,
        before={"job_title": "Software engineer"},
        after={"job_title": "Senior software engineer"},
        refuse=lambda w: employers.update_job_offer(
            actor=w.bob, offer=w.offer, hourly_wage=Decimal("1.00")
        ),
        refusal=employers.JobOfferRefused,
    ),
    Row(
        service="nominee.employers.services.withdraw_job_offer",
        action="employers.job_offer_withdrawn",
        arrange=_offer,
        call=lambda w: employers.withdraw_job_offer(actor=w.bob, offer=w.offer),
        actor=lambda w: w.bob,
        before={"status": "awaiting_eoi"},
        after={"status": "withdrawn"},
        refuse=lambda w: employers.withdraw_job_offer(actor=w.oscar, offer=w.offer),
        refusal=NotFound,
    ),
    Row(
        service="nominee.employers.services.review_job_offer",
        action="employers.job_offer_reviewed",
        arrange=_flagged_offer,
        call=lambda w: employers.review_job_offer(
            officer=w.olivia, offer=w.offer, note="checked the wage"
        ),
        actor=lambda w: w.olivia,
        before={"needs_review": True},
        after={"needs_review": False, "review_note": "checked the wage"},
        refuse=lambda w: employers.review_job_offer(officer=w.bob, offer=w.offer, note="fine"),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.employers.services.lapse_job_offers",
        action="employers.job_offer_lapsed",
        arrange=_offer,
        call=lambda w: employers.lapse_job_offers(now=w.offer.lapses_at),
        actor=lambda w: None,
        before={"status": "awaiting_eoi"},
        after={"status": "lapsed"},
        refuse=lambda w: employers.lapse_job_offers(now=w.offer.submitted_at),
        refusal=None,
    ),
    Row(
        service="nominee.employers.services.request_registration",
        action="employers.registration_requested",
        call=_registration_requested,
        actor=lambda w: w.bob,
        after={"status": "pending", "requested_by": "bob@example.com"},
        refuse=lambda w: employers.request_registration(actor=w.oscar, employer=w.employer),
        refusal=NotFound,
    ),
    Row(
        service="nominee.employers.services.approve_registration",
        action="employers.registration_approved",
        arrange=_registration_requested,
        call=lambda w: employers.approve_registration(actor=w.olivia, registration=w.registration),
        actor=lambda w: w.olivia,
        before={"status": "pending"},
        after={"status": "approved"},
        refuse=lambda w: employers.approve_registration(actor=w.bob, registration=w.registration),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.employers.services.refuse_registration",
        action="employers.registration_refused",
        arrange=_registration_requested,
        call=lambda w: employers.refuse_registration(
            actor=w.martin, registration=w.registration, reasons="No premises in Ontario."
        ),
        actor=lambda w: w.martin,
        before={"status": "pending"},
        after={"status": "refused", "reasons": "No premises in Ontario."},
        refuse=lambda w: employers.refuse_registration(
            actor=w.olivia, registration=w.registration, reasons="  no "
        ),
        refusal=ValidationFailed,
    ),
    # eois
    Row(
        service="nominee.eois.services.create_candidate",
        action="eois.candidate_created",
        call=lambda w: eois.create_candidate(user=w.oscar, full_name="Oscar Outsider"),
        actor=lambda w: w.oscar,
        after={"full_name": "Oscar Outsider", "email": "oscar@example.com"},
        refuse=lambda w: eois.create_candidate(user=w.alice, full_name="Alice Again"),
        refusal=Conflict,
    ),
    Row(
        service="nominee.eois.services.register_eoi",
        durable="_register_eoi",
        action="eois.eoi_registered",
        call=_masters_eoi,
        actor=lambda w: w.alice,
        after={"status": "active", "job_offer": None},
        refuse=lambda w: eois.register_eoi(
            actor=w.oscar,
            candidate=w.candidate,
            document=masters_document(),
            job_offer_id=None,
            facts=MASTERS_FACTS,
        ),
        refusal=NotFound,
    ),
    Row(
        service="nominee.eois.services.register_eoi",
        durable="_register_eoi",
        action="eois.job_offer_bound",
        arrange=_offer,
        call=_register_fw,
        actor=lambda w: w.alice,
        before={"status": "awaiting_eoi"},
        after={"status": "eoi_registered"},
        # Refused on eligibility after the offer was locked for binding.
        refuse=lambda w: eois.register_eoi(
            actor=w.alice,
            candidate=w.candidate,
            document=fw_document(),
            job_offer_id=w.offer.public_id,
            facts={"experience_months_in_noc_last_5y": 6},
        ),
        refusal=eois.EligibilityRefused,
    ),
    Row(
        service="nominee.eois.services.update_eoi",
        action="eois.eoi_updated",
        arrange=_masters_eoi,
        call=lambda w: eois.update_eoi(
            actor=w.alice, eoi=w.eoi, document=masters_document(highest_annual_earnings=30000)
        ),
        actor=lambda w: w.alice,
        before={"status": "active"},
        refuse=lambda w: eois.update_eoi(
            actor=w.alice, eoi=w.eoi, document=masters_document(stream="phd")
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.eois.services.withdraw_eoi",
        action="eois.eoi_withdrawn",
        arrange=_masters_eoi,
        call=lambda w: eois.withdraw_eoi(actor=w.alice, eoi=w.eoi),
        actor=lambda w: w.alice,
        before={"status": "active"},
        after={"status": "withdrawn"},
        refuse=lambda w: eois.withdraw_eoi(actor=w.oscar, eoi=w.eoi),
        refusal=NotFound,
    ),
    Row(
        service="nominee.eois.services.withdraw_eoi",
        action="eois.job_offer_eoi_withdrawn",
        arrange=_bound_eoi,
        call=lambda w: eois.withdraw_eoi(actor=w.alice, eoi=w.eoi),
        actor=lambda w: w.alice,
        before={"status": "eoi_registered"},
        after={"status": "eoi_withdrawn"},
        refuse=lambda w: eois.withdraw_eoi(actor=w.oscar, eoi=w.eoi),
        refusal=NotFound,
    ),
    Row(
        service="nominee.eois.services.withdraw_closed_stream_eois",
        action="eois.closed_stream_withdrawn",
        arrange=_closing_pool,
        call=_withdraw_closed(lambda w: w.martin),
        actor=lambda w: w.martin,
        after={"withdrawn": 3},
        refuse=_withdraw_closed(lambda w: w.olivia),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.eois.services.withdraw_closed_stream_eois",
        action="eois.job_offer_eoi_withdrawn",
        arrange=_closing_pool,
        call=_withdraw_closed(lambda w: w.martin),
        actor=lambda w: w.martin,
        before={"status": "eoi_registered"},
        after={"status": "eoi_withdrawn"},
        refuse=_withdraw_closed(
            lambda w: w.martin, now=datetime(2026, 5, 29, 10, tzinfo=PROGRAM_TZ)
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.eois.services.import_eois",
        action="eois.imported",
        arrange=_eoi_in_pool,
        call=lambda w: eois.import_eois(actor=w.olivia, lines=[_IMPORT_LINE], workers=0),
        actor=lambda w: w.olivia,
        refuse=lambda w: eois.import_eois(
            actor=w.olivia, lines=[_IMPORT_LINE, "{not json\n"], workers=0
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.eois.services.send_expiry_reminders",
        action="eois.expiry_reminder_sent",
        arrange=_expiring_eoi,
        call=lambda w: eois.send_expiry_reminders(on=w.reminder_day),
        actor=lambda w: None,
        refuse=lambda w: eois.send_expiry_reminders(on=w.reminder_day - timedelta(days=60)),
        refusal=None,
    ),
    # draws
    Row(
        service="nominee.draws.services.propose_draw",
        action="draws.draw_proposed",
        call=lambda w: draws.propose_draw(
            actor=w.olivia, criteria=criteria(invitations=5, draw_date=date.today())
        ),
        actor=lambda w: w.olivia,
        after={"status": "proposed", "stream": "foreign-worker"},
        refuse=lambda w: draws.propose_draw(
            actor=w.alice, criteria=criteria(invitations=5, draw_date=date.today())
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.draws.services.approve_draw",
        action="draws.draw_approved",
        arrange=_proposed,
        call=lambda w: draws.approve_draw(actor=w.martin, draw=w.draw),
        actor=lambda w: w.martin,
        before={"status": "proposed"},
        after={"status": "approved"},
        refuse=lambda w: draws.approve_draw(actor=w.mona, draw=w.draw),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.draws.services.cancel_draw",
        action="draws.draw_cancelled",
        arrange=_proposed,
        call=lambda w: draws.cancel_draw(actor=w.olivia, draw=w.draw, reason="wrong date"),
        actor=lambda w: w.olivia,
        before={"status": "proposed"},
        after={"status": "cancelled"},
        refuse=lambda w: draws.cancel_draw(actor=w.alice, draw=w.draw),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.draws.services.execute_draw",
        action="draws.draw_executed",
        arrange=_approved_and_unapproved,
        call=lambda w: draws.execute_draw(actor=w.olivia, draw=w.draw),
        actor=lambda w: w.olivia,
        before={"status": "approved"},
        after={"status": "executed", "invitations_issued": 1},
        refuse=lambda w: draws.execute_draw(actor=w.olivia, draw=w.unapproved),
        refusal=Conflict,
    ),
    Row(
        service="nominee.draws.services.execute_draw",
        action="draws.job_offer_invited",
        arrange=_bound_eoi_and_approved_draw,
        call=lambda w: draws.execute_draw(actor=w.olivia, draw=w.draw),
        actor=lambda w: w.olivia,
        before={"status": "eoi_registered"},
        after={"status": "invited"},
        refuse=lambda w: draws.execute_draw(actor=w.alice, draw=w.draw),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.draws.services.run_draw",
        action="draws.draw_executed",
        arrange=_pool_eoi,
        call=lambda w: draws.run_draw(criteria=criteria(invitations=5, draw_date=date.today())),
        actor=lambda w: None,
        after={"status": "executed", "invitations_issued": 1},
        # The draw is proposed (written) before the date is checked: nothing may stay.
        writes_then_rolls_back=True,
        refuse=lambda w: draws.run_draw(
            criteria=criteria(invitations=5, draw_date=date.today() + timedelta(days=30))
        ),
        refusal=DomainError,
    ),
    Row(
        service="nominee.draws.services.expire_invitations",
        action="draws.invitations_expired",
        arrange=_open_invitation,
        call=lambda w: draws.expire_invitations(today=date.today() + timedelta(days=3650)),
        actor=lambda w: None,
        before={"status": "open"},
        after={"status": "expired"},
        refuse=lambda w: draws.expire_invitations(today=date(2025, 9, 3)),
        refusal=None,
    ),
    # program
    Row(
        service="nominee.program.services.set_allocation",
        action="allocation.set",
        call=lambda w: program.set_allocation(year=2031, nominations=9000, actor=w.martin),
        actor=lambda w: w.martin,
        after={"nominations": 9000},
        refuse=lambda w: program.set_allocation(year=2031, nominations=-1, actor=w.martin),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.program.services.set_allocation",
        action="allocation.stream_set",
        call=lambda w: program.set_allocation(
            year=2025, nominations=100, actor=w.martin, stream="foreign-worker"
        ),
        actor=lambda w: w.martin,
        after={"stream": "foreign-worker", "nominations": 100},
        # Refused once the year's row is locked: the shares would exceed the year.
        refuse=lambda w: program.set_allocation(
            year=2025, nominations=10**6, actor=w.martin, stream="foreign-worker"
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.program.services.publish_policy_version",
        action="program.policy_published",
        call=lambda w: program.publish_policy_version(
            actor=w.martin,
            kind="grid",
            document=permit_grid(policy_later()),
            effective_from=policy_later(),
            reason="Permit points rebalanced",
        ),
        actor=lambda w: w.martin,
        after={"kind": "grid", "effective_from": policy_later().isoformat()},
        # Refused once the versions of the kind are locked: that date is taken.
        refuse=lambda w: program.publish_policy_version(
            actor=w.martin,
            kind="grid",
            document=permit_grid(policy_later(60)),
            effective_from=policy_later(60),
            reason="again",
        ),
        refusal=Conflict,
        arrange=lambda w: program.publish_policy_version(
            actor=w.martin,
            kind="grid",
            document=permit_grid(policy_later(60)),
            effective_from=policy_later(60),
            reason="first",
        ),
    ),
    # casework
    Row(
        service="nominee.casework.services.open_application",
        action="casework.application_opened",
        arrange=_invited,
        call=lambda w: casework.open_application(
            actor=w.alice, invitation=w.invitation, now=IN_WINDOW
        ),
        actor=lambda w: w.alice,
        after={"status": "draft"},
        refuse=lambda w: casework.open_application(
            actor=w.oscar, invitation=w.invitation, now=IN_WINDOW
        ),
        refusal=NotFound,
    ),
    Row(
        service="nominee.casework.services.save_details",
        action="casework.details_saved",
        arrange=_opened,
        call=lambda w: casework.save_details(
            actor=w.alice, application=w.file, section="identity", data=DETAILS["identity"]
        ),
        actor=lambda w: w.alice,
        refuse=lambda w: casework.save_details(
            actor=w.alice,
            application=w.file,
            section="identity",
            data={**DETAILS["identity"], "date_of_birth": "02/03/1994"},
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.confirm_snapshot",
        action="casework.snapshot_confirmed",
        arrange=_opened,
        call=lambda w: casework.confirm_snapshot(actor=w.alice, application=w.file),
        actor=lambda w: w.alice,
        refuse=lambda w: casework.confirm_snapshot(actor=w.bob, application=w.file),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.casework.services.submit_application",
        action="casework.application_submitted",
        arrange=_filled,
        call=lambda w: casework.submit_application(
            actor=w.alice, application=w.file, declaration_name="Alice Candidate", now=IN_WINDOW
        ),
        actor=lambda w: w.alice,
        before={"status": "draft"},
        after={"status": "submitted", "fee_status": "due"},
        refuse=lambda w: casework.submit_application(
            actor=w.alice, application=w.file, declaration_name="Someone Else", now=IN_WINDOW
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.decline_invitation",
        action="casework.invitation_declined",
        arrange=_opened,
        call=lambda w: casework.decline_invitation(
            actor=w.alice, invitation=w.invitation, now=IN_WINDOW
        ),
        actor=lambda w: w.alice,
        before={"status": "draft"},
        after={"status": "declined"},
        refuse=lambda w: casework.decline_invitation(
            actor=w.oscar, invitation=w.invitation, now=IN_WINDOW
        ),
        refusal=NotFound,
    ),
    Row(
        service="nominee.casework.services.save_position_approval",
        action="casework.position_approval_saved",
        arrange=_opened,
        call=lambda w: casework.save_position_approval(
            actor=w.bob, application=w.file, offer_confirmed=True, declaration_name="Bob Employer"
        ),
        actor=lambda w: w.bob,
        refuse=lambda w: casework.save_position_approval(
            actor=w.alice, application=w.file, offer_confirmed=True
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.casework.services.submit_position_approval",
        action="casework.position_approval_submitted",
        arrange=_employer_draft,
        call=lambda w: casework.submit_position_approval(
            actor=w.bob, application=w.file, declaration_name="Bob Employer", now=IN_WINDOW
        ),
        actor=lambda w: w.bob,
        before={"status": "draft"},
        refuse=lambda w: casework.submit_position_approval(
            actor=w.bob, application=w.file, declaration_name=" ", now=IN_WINDOW
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.assign_application",
        action="casework.application_assigned",
        arrange=_submitted,
        call=lambda w: casework.assign_application(
            actor=w.olivia, application=w.file, now=IN_WINDOW
        ),
        actor=lambda w: w.olivia,
        before={"status": "submitted", "assignee": None},
        after={"status": "in_review"},
        refuse=lambda w: casework.assign_application(
            actor=w.olivia, application=w.file, officer=w.martin, now=IN_WINDOW
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.casework.services.request_information",
        action="casework.information_requested",
        arrange=_in_review,
        call=lambda w: casework.request_information(
            actor=w.olivia, application=w.file, party="candidate", text="Passport", now=IN_WINDOW
        ),
        actor=lambda w: w.olivia,
        before={"status": "in_review"},
        after={"status": "info_requested"},
        refuse=lambda w: casework.request_information(
            actor=w.olivia, application=w.file, party="candidate", text=" ", now=IN_WINDOW
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.answer_request",
        action="casework.request_answered",
        arrange=_info_requested,
        call=lambda w: casework.answer_request(
            actor=w.alice, application=w.file, text="Attached", now=IN_WINDOW
        ),
        actor=lambda w: w.alice,
        before={"status": "info_requested"},
        after={"status": "in_review"},
        # Too late: the request's window has closed.
        refuse=lambda w: casework.answer_request(
            actor=w.alice, application=w.file, text="Attached", now=IN_WINDOW + timedelta(days=90)
        ),
        refusal=DomainError,
    ),
    Row(
        service="nominee.casework.services.notice_of_intent_to_refuse",
        action="casework.intent_to_refuse",
        arrange=_in_review,
        call=lambda w: casework.notice_of_intent_to_refuse(
            actor=w.olivia, application=w.file, reasons="Wage below the floor", now=IN_WINDOW
        ),
        actor=lambda w: w.olivia,
        before={"status": "in_review"},
        after={"status": "intent_to_refuse"},
        refuse=lambda w: casework.notice_of_intent_to_refuse(
            actor=w.olivia, application=w.file, reasons="", now=IN_WINDOW
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.respond_to_notice",
        action="casework.notice_answered",
        arrange=_noticed,
        call=lambda w: casework.respond_to_notice(
            actor=w.alice, application=w.file, text="The wage was raised", now=IN_WINDOW
        ),
        actor=lambda w: w.alice,
        before={"status": "intent_to_refuse"},
        refuse=lambda w: casework.respond_to_notice(
            actor=w.alice, application=w.file, text=" ", now=IN_WINDOW
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.refuse_application",
        action="casework.application_refused",
        arrange=_notice_answered,
        call=lambda w: casework.refuse_application(
            actor=w.olivia, application=w.file, reasons="Still below", now=IN_WINDOW
        ),
        actor=lambda w: w.olivia,
        before={"status": "intent_to_refuse"},
        after={"status": "refused"},
        refuse=lambda w: casework.refuse_application(
            actor=w.olivia, application=w.file, reasons="", now=IN_WINDOW
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.approve_application",
        action="casework.application_approved",
        arrange=_in_review_and_a_spent_year,
        call=lambda w: casework.approve_application(
            actor=w.olivia, application=w.file, now=IN_WINDOW
        ),
        actor=lambda w: w.olivia,
        before={"status": "in_review"},
        after={"status": "approved"},
        # Refused once the year's allocation is locked: that year has none left.
        refuse=lambda w: casework.approve_application(
            actor=w.olivia, application=w.file, now=LATER
        ),
        refusal=DomainError,
    ),
    Row(
        service="nominee.casework.services.hold_application",
        action="casework.application_held",
        arrange=_in_review_year_spent,
        call=lambda w: casework.hold_application(actor=w.olivia, application=w.file, now=IN_WINDOW),
        actor=lambda w: w.olivia,
        before={"status": "in_review"},
        after={"status": "held"},
        refuse=lambda w: casework.hold_application(actor=w.olivia, application=w.file, now=LATER),
        refusal=Conflict,
    ),
    Row(
        service="nominee.casework.services.return_application",
        action="casework.application_returned",
        arrange=_in_review,
        call=lambda w: casework.return_application(
            actor=w.olivia, application=w.file, reason="Allocation spent", now=IN_WINDOW
        ),
        actor=lambda w: w.olivia,
        before={"status": "in_review", "fee_status": "due"},
        after={"status": "returned", "fee_status": "waived"},
        refuse=lambda w: casework.return_application(
            actor=w.audrey, application=w.file, reason="Allocation spent", now=IN_WINDOW
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.casework.services.return_applications",
        action="casework.application_returned",
        arrange=_submitted,
        call=lambda w: casework.return_applications(
            actor=w.martin, stream="foreign-worker", reason="Program integrity", now=IN_WINDOW
        ),
        actor=lambda w: w.martin,
        before={"status": "submitted"},
        after={"status": "returned"},
        refuse=lambda w: casework.return_applications(
            actor=w.martin, stream="foreign-worker", reason=" ", now=IN_WINDOW
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.withdraw_application",
        action="casework.application_withdrawn",
        arrange=_in_review,
        call=lambda w: casework.withdraw_application(
            actor=w.alice, application=w.file, reason="Moved", now=IN_WINDOW
        ),
        actor=lambda w: w.alice,
        before={"status": "in_review"},
        after={"status": "withdrawn"},
        refuse=lambda w: casework.withdraw_application(
            actor=w.bob, application=w.file, now=IN_WINDOW
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.casework.services.record_fee_received",
        action="casework.fee_received",
        arrange=_in_review,
        call=lambda w: casework.record_fee_received(
            actor=w.olivia, application=w.file, reference="PAY-1"
        ),
        actor=lambda w: w.olivia,
        before={"fee_status": "due"},
        after={"fee_status": "received"},
        refuse=lambda w: casework.record_fee_received(
            actor=w.audrey, application=w.file, reference="PAY-1"
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.casework.services.record_fee_refunded",
        action="casework.fee_refunded",
        arrange=_refund_due,
        call=lambda w: casework.record_fee_refunded(
            actor=w.olivia, application=w.file, reference="REF-1"
        ),
        actor=lambda w: w.olivia,
        before={"fee_status": "refund_due"},
        after={"fee_status": "refunded"},
        refuse=lambda w: casework.record_fee_refunded(
            actor=w.audrey, application=w.file, reference="REF-1"
        ),
        refusal=PermissionDenied,
    ),
    Row(
        service="nominee.casework.services.add_document",
        action="casework.document_added",
        arrange=_opened_documents_in_tmp,
        call=lambda w: casework.add_document(
            actor=w.alice,
            application=w.file,
            party="candidate",
            label="Passport",
            name="passport.pdf",
            content=PDF,
        ),
        actor=lambda w: w.alice,
        after={"size": len(PDF)},
        # Refused on its content after the file was locked: HTML named as a PDF.
        refuse=lambda w: casework.add_document(
            actor=w.alice,
            application=w.file,
            party="candidate",
            label="Passport",
            name="passport.pdf",
            content=HTML,
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.casework.services.send_deadline_reminders",
        action="casework.deadline_reminders",
        arrange=_invited,
        call=lambda w: casework.send_deadline_reminders(on=CANDIDATE_DEADLINE - timedelta(days=3)),
        actor=lambda w: None,
        refuse=lambda w: casework.send_deadline_reminders(on=date(2025, 9, 1)),
        refusal=None,
    ),
    # publication, reference
    Row(
        service="nominee.publication.services.import_published_draws",
        action="publication.draws_imported",
        call=lambda w: publication.import_published_draws(
            text=SAMPLE_CSV, source_file="sample.csv", actor=w.martin
        ),
        actor=lambda w: w.martin,
        refuse=lambda w: publication.import_published_draws(
            text=SAMPLE_CSV + "not,a,draw\n", source_file="sample.csv", actor=w.martin
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.reference.services.load_reference_data",
        action="reference.data_loaded",
        call=lambda w: reference.load_reference_data(actor=w.martin),
        actor=lambda w: w.martin,
        refuse=None,
        refusal=None,
    ),
    Row(
        service="nominee.reference.services.import_noc_titles_fr",
        action="reference.noc_titles_fr_imported",
        call=lambda w: reference.import_noc_titles_fr(
            _statcan_file(["21231"]).encode(), source="cnp.csv", actor=w.martin, partial=True
        ),
        actor=lambda w: w.martin,
        # A file short of unit groups, without --partial: refused whole.
        refuse=lambda w: reference.import_noc_titles_fr(
            _statcan_file(["21231"]).encode(), source="cnp.csv", actor=w.martin
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.reference.services.import_wages",
        action="reference.wages_imported",
        call=lambda w: reference.import_wages(
            ["noc,er_code,median_wage\n", "21231,3530,51.25\n"], source="wages.csv", actor=w.martin
        ),
        actor=lambda w: w.martin,
        refuse=lambda w: reference.import_wages(
            ["noc,er_code,median_wage\n", "21231,3530,51.25\n", "99999,35,40\n"],
            source="wages.csv",
            actor=w.martin,
        ),
        refusal=ValidationFailed,
    ),
    Row(
        service="nominee.reference.services.import_wages",
        action="reference.wages_imported",
        call=lambda w: reference.import_wages(
            ["noc,er_code,median_wage\n", "21231,3530,51.25\n"],
            source="wages.csv",
            effective=date(2026, 1, 1),
            actor=w.martin,
        ),
        actor=lambda w: w.martin,
        after={"effective_from": "2026-01-01", "rows": 1},
        # A version already starts on (or after) that date: versions are appended in order.
        refuse=lambda w: reference.import_wages(
            ["noc,er_code,median_wage\n", "21231,3530,60\n"],
            source="wages.csv",
            effective=date(2025, 6, 1),
            actor=w.martin,
        ),
        refusal=Conflict,
        arrange=lambda w: reference.import_wages(
            ["noc,er_code,median_wage\n", "21231,3530,55\n"],
            source="earlier.csv",
            effective=date(2025, 6, 1),
        ),
    ),
]


def _table_contents(*, skip: tuple[type, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the reference tables too), by table."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or model in skip:
            continue
        out[meta.db_table] = list(model._base_manager.order_by("pk").values_list())
    return out


_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE)


def _writes(queries: list[dict[str, Any]], *, audit: bool) -> list[str]:
    """The tables the queries wrote to (the audit log left out when a refusal records)."""
    out = []
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match and not (audit and match.group(1).startswith("audit_")):
            out.append(match.group(1))
    return out


def _last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _events_since(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def _subset(expected: dict[str, Any] | None, recorded: dict[str, Any] | None) -> bool:
    if expected is None:
        return True
    recorded = recorded or {}
    return all(name in recorded and recorded[name] == value for name, value in expected.items())


def _function(row: Row) -> Any:
    module_name, name = row.service.rsplit(".", 1)
    module = importlib.import_module(module_name)
    return getattr(module, row.durable or name)


@pytest.fixture
def world(request: pytest.FixtureRequest) -> World:
    """The personas and the row's arrangement."""
    return World(request)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_it_records_its_audit_event(row: Row, world: World) -> None:
    row.arrange(world)
    seq = _last_seq()
    row.call(world)
    events = [e for e in _events_since(seq) if e.action == row.action]
    assert events, f"{row.service} recorded no {row.action} event"
    expected_actor = row.actor(world)
    assert any(
        e.actor_id == getattr(expected_actor, "pk", None)
        and _subset(row.before, e.before)
        and _subset(row.after, e.after)
        for e in events
    ), [(e.actor_id, e.before, e.after) for e in events]


@pytest.mark.parametrize(
    "row", [row for row in ROWS if row.refuse is not None], ids=lambda row: row.id
)
def test_a_refusal_changes_no_table(row: Row, world: World) -> None:
    row.arrange(world)
    audit = (AuditEvent, ChainHead) if row.refusal_event else ()
    tables = _table_contents(skip=audit)
    seq = _last_seq()
    assert row.refuse is not None
    with CaptureQueriesContext(connection) as queries:
        if row.refusal is None:
            row.refuse(world)  # a sweep with nothing due
        else:
            with pytest.raises(row.refusal):
                row.refuse(world)
    assert _table_contents(skip=audit) == tables
    if not row.writes_then_rolls_back:
        assert _writes(queries.captured_queries, audit=bool(row.refusal_event)) == []
    assert [e.action for e in _events_since(seq)] == (
        [row.refusal_event] if row.refusal_event else []
    )


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_it_is_durable(row: Row, world: World) -> None:
    row.arrange(world)
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        row.call(world)


def _durable_services() -> set[str]:
    """``module.function`` of every ``@transaction.atomic(durable=True)`` in the code."""
    found: set[str] = set()
    root = Path(inspect.getfile(nominee)).parent
    for info in pkgutil.walk_packages([str(root)], prefix="nominee."):
        spec = importlib.util.find_spec(info.name)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            continue
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call)
                and any(k.arg == "durable" for k in d.keywords)
                and ast.unparse(d.func).endswith("atomic")
                for d in node.decorator_list
            ):
                found.add(f"{info.name}.{node.name}")
    return found


def test_every_durable_service_has_a_row() -> None:
    # A row names a service where callers import it; the scan finds where it is defined.
    covered = {f"{_function(row).__module__}.{_function(row).__name__}" for row in ROWS}
    assert _durable_services() - covered == set()


def test_the_table_counts_every_durable_service() -> None:
    # Written down so that a service that stops being durable shows up here too.
    assert len(_durable_services()) == len({row.service for row in ROWS})
