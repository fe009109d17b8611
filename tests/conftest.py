"""Shared fixtures: the personas of the definition of done, and test-friendly settings.

Personas (each a user with one role, named so that permission tests read like prose):
``alice`` a candidate, ``bob`` an employer contact (signing officer of Bob's Bakery),
``carol`` a representative, ``olivia`` an officer, ``martin`` a manager, ``audrey`` an
auditor, ``oscar`` an outsider with an account and no role, ``ursula`` an account that has not
confirmed its e-mail address (anyone may sign up with any address). ``anonymous`` is no account.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from nominee.accounts.models import RepresentativeProfile, User
from nominee.accounts.roles import Role
from nominee.scoring.policy import policy_document

from .personas import PASSWORD, client_for, make_user
from .policies import REQUIRED_FROM, registration_policy


@pytest.fixture(autouse=True)
def _program_date(request: pytest.FixtureRequest) -> Iterator[None]:
    """Travel to the instant of a ``program_date`` mark, the clock ticking from there.

    Autouse, so that it starts before the persona fixtures: everything a test creates is
    dated on its program's day, not half in 2025 and half today.
    """
    mark = request.node.get_closest_marker("program_date")
    if mark is None:
        yield
        return
    with time_machine.travel(mark.args[0], tick=True):
        yield


__all__ = ["PASSWORD", "client_for", "make_user"]


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> Iterator[None]:
    """Fast hashing, no login throttling, tasks run at once, e-mail kept in memory."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A test's rolled-back reference rows must not survive in the process-wide cache.
    from nominee.reference.queries import invalidate_reference_data

    invalidate_reference_data()
    # A rolled-back test's policy version must not stay installed in the engine.
    from nominee.program.policy_source import reset as reset_policy_source

    reset_policy_source()
    # Cached pages are keyed on database ids, which repeat after a test's rollback.
    from django.core.cache import cache

    cache.clear()
    yield
    invalidate_reference_data()
    reset_policy_source()


@pytest.fixture
def alice(db: None) -> User:
    """A candidate (with a candidate profile, no EOI yet)."""
    from nominee.eois.models import Candidate

    user = make_user("alice@example.com", full_name="Alice Candidate")
    Candidate.objects.create(
        user=user, full_name="Alice Candidate", email=user.email, created_at=timezone.now()
    )
    return user


@pytest.fixture
def bob(db: None) -> User:
    """An employer contact: signing officer of Bob's Bakery, in Toronto."""
    from nominee.employers.models import Employer, EmployerContact, WorkLocation

    user = make_user("bob@example.com", full_name="Bob Employer")
    now = timezone.now()
    employer = Employer.objects.create(
        legal_name="Bob's Bakery Inc.",
        cra_business_number="123456782",
        street_address="1 King St W",
        municipality="Toronto",
        postal_code="M5H 1A1",
        years_in_business=10,
        gross_revenue=Decimal("2500000"),
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    WorkLocation.objects.create(
        employer=employer,
        census_division_id="3520",
        municipality="Toronto",
        full_time_employees=12,
        created_at=now,
    )
    EmployerContact.objects.create(
        employer=employer, user=user, is_signing_officer=True, created_at=now
    )
    return user


@pytest.fixture
def carol(db: None) -> User:
    """A representative (licensed consultant) appointed by nobody yet."""
    user = make_user("carol@example.com", full_name="Carol Representative")
    RepresentativeProfile.objects.create(
        user=user, kind=RepresentativeProfile.Kind.CONSULTANT, licence_number="R512345"
    )
    return user


@pytest.fixture
def olivia(db: None) -> User:
    """A program officer."""
    return make_user("olivia@example.com", Role.OFFICER, full_name="Olivia Officer")


@pytest.fixture
def martin(db: None) -> User:
    """A program manager."""
    return make_user("martin@example.com", Role.MANAGER, full_name="Martin Manager")


@pytest.fixture
def audrey(db: None) -> User:
    """An auditor: reads everything, changes nothing."""
    return make_user("audrey@example.com", Role.AUDITOR, full_name="Audrey Auditor")


@pytest.fixture
def oscar(db: None) -> User:
    """An outsider: an account with no role and no files."""
    return make_user("oscar@example.com", full_name="Oscar Outsider")


@pytest.fixture
def ursula(db: None) -> User:
    """An unconfirmed account: signed up as a candidate, never followed the e-mailed link."""
    from nominee.eois.models import Candidate

    user = make_user("ursula@example.com", full_name="Ursula Unconfirmed", confirmed=False)
    Candidate.objects.create(
        user=user, full_name=user.full_name, email=user.email, created_at=timezone.now()
    )
    return user


@pytest.fixture
def at() -> Any:
    """Build an aware instant in the program's time zone: ``at(2025, 9, 3, 10)``."""
    from nominee.core.timeutil import PROGRAM_TZ

    def build(*parts: int) -> datetime:
        return datetime(*parts, tzinfo=PROGRAM_TZ)  # type: ignore[misc]

    return build


@pytest.fixture(autouse=True, scope="session")
def _flush_passes_the_audit_triggers() -> Iterator[None]:
    """Django's flush after a transactional test empties the audit log too, which its
    triggers refuse: the flush runs with them lifted, in its own transaction."""
    from django.db import transaction
    from django.db.backends.base.operations import BaseDatabaseOperations

    from tests.audit.triggers import lifted

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with transaction.atomic(using=self.connection.alias), lifted(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture
def registration_required() -> Iterator[date]:
    """The policy requires an approved registration from ``REQUIRED_FROM`` (returned)."""
    with policy_document(registration_policy(REQUIRED_FROM)):
        yield REQUIRED_FROM


@pytest.fixture
def registration_not_required() -> Iterator[None]:
    """No policy version requires an employer's registration."""
    with policy_document(registration_policy(None)):
        yield
