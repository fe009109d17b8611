"""The "My e-mails" page: every e-mail sent to the account, links into the site clickable.

Issue 13: the confirmation link was plain text and the draws' invitation e-mails were
missing (sent straight through the mail backend, never recorded as ``OutgoingEmail``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from nominee.accounts.models import OutgoingEmail, User
from nominee.accounts.templatetags.email_text import email_body
from nominee.core.timeutil import PROGRAM_TZ
from nominee.draws import services as draws
from nominee.employers.models import Employer, JobOffer
from nominee.eois.models import Candidate
from tests.dates import ON_DRAW_DAY_2025
from tests.draws.pools import criteria, eoi_row, save_all
from tests.personas import client_for

pytestmark = pytest.mark.django_db

SITE = "http://nominee.example.test:8111"


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.NOMINEE_DEV_MAILBOX = True


def _record(user: User, body: str, **extra: Any) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        kind="other",
        to_email=user.email,
        recipient=user,
        subject="Nominee: a test",
        body=body,
        created_at=timezone.now(),
        **extra,
    )


def test_links_into_the_site_are_clickable_others_stay_text() -> None:
    html = email_body(
        f"Go to {SITE}/accounts/confirm/abc:def/. Or http://evil.example/x, or "
        f'{SITE}/a?b=1&c="><script>alert(1)</script>'
    )
    assert (
        f'<a href="{SITE}/accounts/confirm/abc:def/">{SITE}/accounts/confirm/abc:def/</a>.' in html
    )
    assert "http://evil.example/x" in html
    assert 'href="http://evil.example' not in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert f'<a href="{SITE}/a?b=1&amp;c=">' in html
    # A look-alike host is not the site.
    assert "<a" not in email_body(f"{SITE}.evil.example/x")


def test_the_page_shows_the_confirmation_link_as_a_link(alice: User) -> None:
    _record(alice, f"Hello,\n\n{SITE}/dashboard/\n\n<b>Nominee</b>\n")
    page = client_for(alice).get("/accounts/emails/").content.decode()
    assert f'<a href="{SITE}/dashboard/">' in page
    assert "&lt;b&gt;Nominee&lt;/b&gt;" in page


def test_nothing_is_shown_before_the_address_is_confirmed(ursula: User) -> None:
    _record(ursula, f"{SITE}/secret/")
    ursula.email_confirmed_at = None
    ursula.save()
    response = client_for(ursula).get("/accounts/emails/")
    assert "/secret/" not in response.content.decode()


def test_the_page_is_off_without_the_development_mailbox(alice: User, settings: Any) -> None:
    settings.NOMINEE_DEV_MAILBOX = False
    assert client_for(alice).get("/accounts/emails/").status_code == 404


@ON_DRAW_DAY_2025
def test_the_draws_invitations_are_on_my_emails(
    olivia: User,
    martin: User,
    bob: User,
    alice: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    employer = Employer.objects.get(contacts__user=bob)
    now = timezone.now()
    offer = JobOffer.objects.create(
        public_id="JO-TEST-0001",
        employer=employer,
        location=employer.locations.get(),
        stream="foreign-worker",
        noc_id="21231",
        job_title="Software engineer",
        hourly_wage=Decimal("48.00"),
        hours_per_week=Decimal("40"),
        candidate_name="Alice Candidate",
        candidate_email=alice.email,
        status=JobOffer.Status.EOI_REGISTERED,
        submitted_by=bob,
        submitted_at=now,
        lapses_at=now,
        updated_at=now,
    )
    registered = datetime(2025, 8, 1, 10, tzinfo=PROGRAM_TZ)
    save_all(
        [
            eoi_row(
                registered_at=registered,
                score=60,
                candidate=Candidate.objects.get(user=alice),
                job_offer=offer,
                external_id="FW-ALICE",
            )
        ]
    )
    draw = draws.propose_draw(actor=olivia, criteria=criteria(invitations=1))
    draws.approve_draw(actor=martin, draw=draw)
    with django_capture_on_commit_callbacks(execute=True):
        draws.execute_draw(actor=martin, draw=draw)

    invitations = OutgoingEmail.objects.filter(kind="draw_invitation")
    assert sorted(invitations.values_list("to_email", flat=True)) == [alice.email, bob.email]
    assert all(e.sent_at is not None for e in invitations)
    assert sorted(tuple(m.to) for m in mailoutbox) == [(alice.email,), (bob.email,)]
    for message in mailoutbox:
        assert message.subject.startswith("Nominee: ")
        assert f"{SITE}/en/dashboard/" in message.body
    assert invitations.get(to_email=bob.email).job_offer == offer

    for user in (alice, bob):
        page = client_for(user).get("/accounts/emails/").content.decode()
        assert "FW-ALICE" in page or "JO-TEST-0001" in page, user
        assert f'<a href="{SITE}/en/dashboard/">' in page
