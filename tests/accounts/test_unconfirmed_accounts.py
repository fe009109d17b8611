"""An account that has not confirmed its e-mail address can only confirm it.

The attack these tests replay: an outsider signs up with someone else's address, reads that
person's mail (a Job Offer ID, and with the file e-mail backend the confirmation link) on
"My e-mails", confirms the account with the link, and takes the person's job offer through
the API. Anyone may sign up with any address, so nothing addressed to a person is shown to
or usable by an account until it has proved it controls the address.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from nominee.accounts import services
from nominee.accounts.middleware import CONFIRMATION_VIEWS, PUBLIC_NAMESPACES, PUBLIC_VIEWS
from nominee.accounts.models import ApiToken, Appointment, OutgoingEmail, User
from nominee.accounts.roles import Role
from nominee.api.auth import new_token
from nominee.audit.models import AuditEvent
from nominee.core.errors import DomainError, PermissionDenied, ValidationFailed
from nominee.employers.models import Employer, JobOffer
from nominee.eois import services as eoi_services
from nominee.eois.models import EOI, Candidate
from tests.dates import IN_2025
from tests.eois.conftest import DECLARED, FW_FACTS
from tests.factories import submit_offer
from tests.personas import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db

PRIYA = "priya.raman@example.org"
# A link that confirms an address (not the "sent" page or the "resend" form).
CONFIRM_LINK = re.compile(r"/accounts/confirm/(?!sent/|resend/)[^/\s\"'<]+/")


@pytest.fixture(autouse=True)
def _mail_as_in_the_demo(settings: Any, tmp_path: Any) -> None:
    """The demo's set-up: e-mail written to files, the "My e-mails" page on."""
    settings.NOMINEE_DEV_MAILBOX = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")


@pytest.fixture
def priyas_offer(bob: User) -> JobOffer:
    """Bob's Bakery offers Priya Raman a job: the e-mail with its ID goes to her address."""
    employer = Employer.objects.get(contacts__user=bob)
    return submit_offer(bob, employer, candidate_name="Priya Raman", candidate_email=PRIYA)


def _sign_up(client: Client, email: str, name: str = "Priya Raman") -> Any:
    """Sign up, then sign in as a new account does (sign-up alone signs nobody in)."""
    response = client.post(
        "/accounts/signup/",
        {
            "role": "candidate",
            "full_name": name,
            "email": email,
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    if response.status_code == 302:
        client.login(username=email, password=PASSWORD)
    return response


def _register_through_api(client: Client, offer: JobOffer, **headers: str) -> Any:
    return client.post(
        "/api/v1/eois",
        {
            "document": {"stream": "foreign-worker", **DECLARED},
            "job_offer_id": offer.public_id,
            "facts": FW_FACTS,
        },
        content_type="application/json",
        **headers,
    )


def _assert_offer_untouched(offer: JobOffer) -> None:
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.AWAITING_EOI
    assert not EOI.objects.exists()


# ---- the attack, step by step -----------------------------------------------------------


@pytest.mark.parametrize("address", [PRIYA, "Priya.Raman@EXAMPLE.org"])
@pytest.mark.parametrize("via", ["session", "token"])
@IN_2025
def test_an_outsider_who_signs_up_with_someone_elses_address_gets_nothing_of_theirs(
    priyas_offer: JobOffer, address: str, via: str
) -> None:
    attacker = Client()
    # 1. Signing up with the address works (the owner may be the one signing up)...
    assert _sign_up(attacker, address).status_code == 302
    account = User.objects.get(email__iexact=PRIYA)
    assert account.email_confirmed_at is None

    # 2. ...but "My e-mails" shows nothing: not the Job Offer ID, not the confirmation link.
    mailbox = attacker.get("/accounts/emails/", follow=True)
    page = mailbox.content.decode()
    assert priyas_offer.public_id not in page
    assert priyas_offer.job_title not in page
    link = CONFIRM_LINK.search(page)
    if link:  # what the attacker would do with it
        attacker.get(link.group(0))
    assert link is None
    account.refresh_from_db()
    assert account.email_confirmed_at is None
    assert mailbox.redirect_chain == [("/accounts/confirm/sent/", 302)]

    # 3. The offer cannot be taken through the API, with the session or with a token.
    headers: dict[str, str] = {}
    if via == "token":
        token, prefix, digest = new_token()  # as if one existed: the account cannot make one
        ApiToken.objects.create(user=account, name="script", prefix=prefix, digest=digest)
        attacker = Client()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    refused = _register_through_api(attacker, priyas_offer, **headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "email.unconfirmed"
    _assert_offer_untouched(priyas_offer)
    assert AuditEvent.objects.filter(
        action="accounts.unconfirmed_access_refused", actor=account
    ).exists()


@IN_2025
def test_the_registration_pages_are_closed_to_an_unconfirmed_account(
    priyas_offer: JobOffer,
) -> None:
    attacker = Client()
    _sign_up(attacker, PRIYA)
    candidate = Candidate.objects.get(email=PRIYA)
    step = f"/candidate/{candidate.pk}/eoi/new/stream/"
    assert attacker.get(step)["Location"] == "/accounts/confirm/sent/"
    posted = attacker.post(
        step, {"stream": "foreign-worker", "job_offer_id": priyas_offer.public_id}
    )
    assert posted.status_code == 403
    assert priyas_offer.job_title not in posted.content.decode()
    _assert_offer_untouched(priyas_offer)


def test_an_unconfirmed_account_cannot_make_an_api_token() -> None:
    client = Client()
    _sign_up(client, "someone@example.com", name="Some One")
    user = User.objects.get()
    assert client.post("/accounts/tokens/", {"name": "x"}).status_code == 403
    api = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert api.status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_api_token(user=user, name="x")
    assert not ApiToken.objects.exists()


# ---- the owner of the address -------------------------------------------------------------


@IN_2025
def test_the_owner_confirms_sees_the_mail_sent_since_and_registers_with_the_offer(
    bob: User,
    priyas_offer: JobOffer,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    priya = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(priya, PRIYA)
    # Her inbox has the link: she confirms.
    (confirmation,) = [m for m in mailoutbox if "confirm" in m.subject.lower()]
    link = CONFIRM_LINK.search(confirmation.body)
    assert link is not None
    assert priya.get(link.group(0)).status_code == 302
    account = User.objects.get(email=PRIYA)
    assert account.email_confirmed_at is not None

    # Mail sent before her account existed stays in her real inbox, not on the page;
    # what is sent after she confirmed is listed.
    employer = Employer.objects.get(contacts__user=bob)
    later = submit_offer(bob, employer, candidate_name="Priya Raman", candidate_email=PRIYA)
    page = priya.get("/accounts/emails/").content.decode()
    assert later.public_id in page
    assert priyas_offer.public_id not in page
    assert not CONFIRM_LINK.search(page)

    # She quotes the ID from the employer's e-mail: the EOI is hers.
    response = _register_through_api(priya, priyas_offer)
    assert response.status_code == 201, response.content
    priyas_offer.refresh_from_db()
    assert priyas_offer.status == JobOffer.Status.EOI_REGISTERED
    assert EOI.objects.get().candidate.user == account


@IN_2025
def test_the_owner_takes_back_an_account_someone_opened_with_their_address(
    priyas_offer: JobOffer,
    mailoutbox: list[Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    attacker = Client()
    _sign_up(attacker, PRIYA, name="Not Priya")
    owner = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post("/accounts/password_reset/", {"email": PRIYA})
    assert response.status_code == 302
    link = re.search(r"http://[^/\s]+(/\S+)", mailoutbox[-1].body)
    assert link is not None
    form = owner.get(link.group(1), follow=True)
    new = "a brand new passphrase 77"
    done = owner.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    account = User.objects.get(email=PRIYA)
    assert account.check_password(new)
    assert account.email_confirmed_at is not None  # the reset link proved control
    assert AuditEvent.objects.filter(action="accounts.password_reset", actor=account).exists()
    # The other session is signed out by the new password.
    assert attacker.get("/candidate/")["Location"].startswith("/accounts/login/")


# ---- what shared the root cause -----------------------------------------------------------


@IN_2025
def test_a_job_offer_binds_only_to_the_confirmed_address_of_the_candidates_account(
    carol: User, priyas_offer: JobOffer
) -> None:
    owner = make_user(PRIYA, full_name="Priya Raman", confirmed=False)
    candidate = Candidate.objects.create(
        user=owner, full_name="Priya Raman", email=PRIYA, created_at=owner.date_joined
    )
    # Her (confirmed) representative acts for her: still refused while her account is not.
    Appointment.objects.create(
        representative=carol.representative_profile,
        candidate=candidate,
        appointed_by=owner,
        appointed_at=owner.date_joined,
    )
    with pytest.raises(DomainError) as refused:
        eoi_services.register_eoi(
            actor=carol,
            candidate=candidate,
            document={"stream": "foreign-worker", **DECLARED},
            job_offer_id=priyas_offer.public_id,
            facts=FW_FACTS,
        )
    assert refused.value.code == "job_offer.account_unconfirmed"
    _assert_offer_untouched(priyas_offer)
    event = AuditEvent.objects.get(action="eois.job_offer_refused")
    assert event.data == {
        "job_offer": priyas_offer.public_id,
        "rule": "job_offer.account_unconfirmed",
    }


@IN_2025
def test_another_confirmed_account_sees_nothing_of_an_offer_addressed_to_someone_else(
    oscar: User, priyas_offer: JobOffer
) -> None:
    candidate = Candidate.objects.create(
        user=oscar, full_name="Priya Raman", email=oscar.email, created_at=oscar.date_joined
    )
    response = client_for(oscar).post(
        f"/candidate/{candidate.pk}/eoi/new/stream/",
        {"stream": "foreign-worker", "job_offer_id": priyas_offer.public_id},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No job offer with this ID is addressed to you." in page
    for secret in (priyas_offer.job_title, "Bob's Bakery", "foreign-worker stream"):
        assert secret not in page
    assert AuditEvent.objects.filter(action="eois.job_offer_refused", actor=oscar).exists()


def test_an_unconfirmed_representative_cannot_be_appointed(alice: User) -> None:
    rep = make_user("lawyer@example.com", full_name="Lee Lawyer", confirmed=False)
    services.become_representative(user=rep, kind="lawyer", licence_number="LSO-9")
    with pytest.raises(ValidationFailed) as refused:
        services.appoint_representative(
            actor=alice, representative=rep.email, candidate=Candidate.objects.get(user=alice)
        )
    assert "representative" in refused.value.fields
    assert not Appointment.objects.exists()


def test_a_staff_role_goes_only_to_a_confirmed_account(martin: User, ursula: User) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.grant_role(manager=martin, user=ursula, role=Role.MANAGER)
    assert refused.value.code == "email.unconfirmed"
    assert not ursula.groups.exists()


def test_the_mailbox_page_is_off_in_production_and_with_a_mail_server(
    settings: Any, alice: User
) -> None:
    client = client_for(alice)
    assert client.get("/accounts/emails/").status_code == 200
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert client.get("/accounts/emails/").status_code == 404
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.NOMINEE_DEV_MAILBOX = False
    assert client.get("/accounts/emails/").status_code == 404
    assert b"My e-mails" not in client.get("/").content


@IN_2025
def test_mail_to_an_address_the_account_no_longer_has_is_not_listed(alice: User, bob: User) -> None:
    employer = Employer.objects.get(contacts__user=bob)
    offer = submit_offer(bob, employer)
    assert offer.public_id in client_for(alice).get("/accounts/emails/").content.decode()
    alice.email = "alice.new@example.com"
    alice.save(update_fields=["email"])
    assert offer.public_id not in client_for(alice).get("/accounts/emails/").content.decode()


# ---- audit --------------------------------------------------------------------------------


def test_sign_ups_confirmations_and_refused_attempts_leave_events(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "new@example.com", name="New Person")
    user = User.objects.get(email="new@example.com")
    assert AuditEvent.objects.filter(action="accounts.signed_up", actor=user).exists()

    assert client.get("/accounts/confirm/forged-token/").status_code == 400
    refused = AuditEvent.objects.get(action="accounts.confirmation_refused")
    assert refused.data == {"reason": "invalid"}

    link = CONFIRM_LINK.search(mailoutbox[0].body)
    assert link is not None
    client.get(link.group(0))
    assert AuditEvent.objects.filter(action="accounts.email_confirmed", actor=user).exists()

    # Someone tries to open a second account on Bob's address.
    # The answer is a new account's (Decision 78); Bob is told, nothing is made.
    again = _sign_up(Client(), "BOB@example.com", name="Bob Again")
    assert again["Location"] == "/accounts/confirm/sent/"
    taken = AuditEvent.objects.get(action="accounts.sign_up_refused")
    assert taken.subject_id == str(bob.pk)
    assert taken.data["reason"] == "email_taken"
    assert OutgoingEmail.objects.filter(kind="signup_attempt", recipient=bob).count() == 1
    assert User.objects.filter(email__iexact="bob@example.com").count() == 1


# ---- the permission matrix: every page and operation, for the unconfirmed persona --------


def _routes(resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Any:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            yield prefix + str(entry.pattern), name, namespaces


def _concrete(pattern: str) -> str | None:
    """A URL for a route pattern (1 for each parameter); None for regex routes."""
    if pattern.startswith("^") or "(?P" in pattern:
        return None
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", pattern)


PAGES = sorted(
    {
        (url, name)
        for pattern, name, namespaces in _routes(get_resolver())
        if "api" not in namespaces
        and "admin" not in namespaces
        and (url := _concrete(pattern)) is not None
    }
)


@pytest.mark.parametrize(("url", "name"), PAGES, ids=[url for url, _name in PAGES])
def test_every_page_is_closed_to_an_unconfirmed_account_except_confirming_and_public_ones(
    ursula: User, url: str, name: str
) -> None:
    client = client_for(ursula)
    public = name in PUBLIC_VIEWS or name.split(":")[0] in PUBLIC_NAMESPACES
    if public or name in CONFIRMATION_VIEWS:
        return  # open (they answer as for anyone signed out, or confirm)
    got = client.get(url)
    assert got.status_code == 302, (url, name, got.status_code)
    assert got["Location"] == "/accounts/confirm/sent/"
    assert client.post(url, {}).status_code == 403


def test_the_admin_is_closed_to_an_unconfirmed_account(ursula: User) -> None:
    ursula.is_staff = True
    ursula.save(update_fields=["is_staff"])
    assert client_for(ursula).get("/admin/")["Location"] == "/accounts/confirm/sent/"


def test_public_pages_stay_open_to_an_unconfirmed_account(ursula: User) -> None:
    client = client_for(ursula)
    for url in ("/", "/draws/", "/calculator/", "/accounts/confirm/sent/"):
        assert client.get(url).status_code == 200, url


def _operations() -> list[tuple[str, str]]:
    from nominee.api.root import api

    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if operation.get("security"):
                found.append((method, re.sub(r"\{\w+\}", "1", path)))
    return sorted(found)


OPERATIONS = _operations()


@pytest.mark.parametrize("via", ["session", "token"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_api_operation_that_needs_an_account_refuses_an_unconfirmed_one(
    ursula: User, method: str, path: str, via: str
) -> None:
    client = client_for(ursula) if via == "session" else Client()
    headers: dict[str, str] = {}
    if via == "token":
        token, prefix, digest = new_token()
        ApiToken.objects.create(user=ursula, name="script", prefix=prefix, digest=digest)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = getattr(client, method)(path, {}, content_type="application/json", **headers)
    assert response.status_code == 403, (method, path, response.content)
    assert response.json()["code"] == "email.unconfirmed"


@IN_2025
def test_public_api_operations_stay_open_to_an_unconfirmed_account(ursula: User) -> None:
    client = client_for(ursula)
    assert client.get("/api/v1/draws").status_code == 200
    scored = client.post(
        "/api/v1/score", {"stream": "masters", **DECLARED}, content_type="application/json"
    )
    assert scored.status_code == 200


def test_an_unconfirmed_account_has_no_e_mail_to_read(ursula: User) -> None:
    OutgoingEmail.objects.create(
        kind=OutgoingEmail.Kind.OTHER,
        to_email=ursula.email,
        recipient=ursula,
        subject="Secret",
        body="for the owner of the address",
        created_at=ursula.date_joined,
    )
    from nominee.accounts.queries import mailbox

    assert not mailbox(ursula).exists()


def test_an_invitation_to_an_unconfirmed_account_lets_the_owner_choose_the_password(
    bob: User,
) -> None:
    from nominee.employers import services as employer_services

    squatter = Client()
    _sign_up(squatter, PRIYA, name="Not Priya")
    employer = Employer.objects.get(contacts__user=bob)
    employer_services.invite_contact(actor=bob, employer=employer, email=PRIYA)
    invitation = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.CONTACT_INVITATION)
    assert invitation.private_link
    link = re.search(r"http://[^/\s]+(?:/en)?(/accounts/invitation/\S+)", invitation.body)
    assert link is not None
    owner = Client()
    form = owner.get(link.group(1), follow=True)
    new = "the owner's own passphrase 5"
    owner.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    account = User.objects.get(email=PRIYA)
    assert account.check_password(new)
    assert account.email_confirmed_at is not None
    assert AuditEvent.objects.filter(action="accounts.invitation_accepted", actor=account).exists()
    assert squatter.get("/employer/")["Location"].startswith("/accounts/login/")
