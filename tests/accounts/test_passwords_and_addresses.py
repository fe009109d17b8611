"""Forgotten and changed passwords, a changed e-mail address, and what every e-mail carries.

Issue 13: "Forgot your password?" showed the Django administration's page and its e-mail
signed "the 127.0.0.1:8111 team"; links pointed at :8000 whatever served the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from nominee.accounts import services
from nominee.accounts.mail import render_email
from nominee.accounts.models import ApiToken, OutgoingEmail, User
from nominee.audit.models import AuditEvent
from tests.personas import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db

SITE = "http://nominee.example.test:8111"
NEW_PASSWORD = "another fine passphrase 9"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    """A site URL unlike any test client's host, so a link built from the request shows."""
    settings.SITE_URL = SITE


def _path(body: str) -> str:
    """The path of the one link into the site in an e-mail body (it must be under SITE)."""
    links = re.findall(r"https?://\S+", body)
    assert links, body
    assert all(link.startswith(f"{SITE}/") for link in links), links
    return links[0].removeprefix(SITE)


def _ask_reset(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post("/accounts/password_reset/", {"email": email})


# ------------------------------------------------------------------ forgot your password


def test_the_reset_pages_are_the_sites_not_the_admins(bob: User) -> None:
    client = Client()
    for path in ("/accounts/password_reset/", "/accounts/password_reset/done/"):
        page = client.get(path).content.decode()
        assert "Django administration" not in page
        assert 'class="nominee-header"' in page  # the site's base.html
    form = client.get("/accounts/password_reset/").content.decode()
    assert "ontario-button" in form
    assert "Send the link" in form
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in login
    assert "Django administration" not in client.get("/accounts/reset/done/").content.decode()


def test_forgot_password_end_to_end(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    response = _ask_reset(client, "BOB@example.com", django_capture_on_commit_callbacks)
    assert response["Location"] == "/accounts/password_reset/done/"
    assert [m.to for m in mailoutbox] == [["bob@example.com"]]
    message = mailoutbox[0]
    assert message.subject == "Nominee: choose a new password"
    assert "Nominee" in message.body
    assert "127.0.0.1" not in message.body
    assert "testserver" not in message.body
    recorded = OutgoingEmail.objects.get(kind="password_reset")
    assert (recorded.recipient, recorded.private_link) == (bob, True)
    assert recorded.sent_at is not None

    form = client.get(_path(message.body), follow=True)
    assert form.status_code == 200
    assert form.context["validlink"]
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/en/accounts/reset/done/"  # the link carries the language
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.password_reset", actor=bob).exists()
    assert AuditEvent.objects.filter(action="accounts.password_reset_requested").exists()
    assert Client().login(username="bob@example.com", password=NEW_PASSWORD)

    # The link works once: followed again, it says so and sets nothing.
    again = Client().get(_path(message.body), follow=True)
    assert again.context["validlink"] is False
    assert "used already or has expired" in again.content.decode()


def test_a_reset_revokes_the_accounts_api_tokens(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    services.create_api_token(user=bob, name="nightly")
    client = Client()
    _ask_reset(client, bob.email, django_capture_on_commit_callbacks)
    form = client.get(_path(mailoutbox[0].body), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert not ApiToken.objects.filter(user=bob, revoked_at__isnull=True).exists()


def test_a_reset_revokes_each_token_through_the_service_audited(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    first, _secret = services.create_api_token(user=bob, name="nightly")
    second, _secret = services.create_api_token(user=bob, name="weekly")
    services.revoke_api_token(actor=bob, token=second)
    third, _secret = services.create_api_token(user=bob, name="monthly")
    services.set_password_by_link(user=bob, password=NEW_PASSWORD, kind="reset")
    events = AuditEvent.objects.filter(action="accounts.api_token_revoked").order_by("pk")
    # The one revoked before by its owner, then the two live ones, each with the reason.
    assert [e.subject_id for e in events] == [str(second.pk), str(first.pk), str(third.pk)]
    assert [e.data.get("reason") for e in events][1:] == ["password_reset", "password_reset"]
    reset = AuditEvent.objects.get(action="accounts.password_reset")
    assert reset.after["tokens_revoked"] == [first.pk, third.pk]


def test_a_reset_link_dies_when_a_newer_password_is_set(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    _ask_reset(client, bob.email, django_capture_on_commit_callbacks)
    services.change_password(user=bob, old_password=PASSWORD, new_password=NEW_PASSWORD)
    form = client.get(_path(mailoutbox[0].body), follow=True)
    assert form.context["validlink"] is False


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    response = _ask_reset(Client(), "nobody@example.com", django_capture_on_commit_callbacks)
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()


def test_a_weak_new_password_is_refused_on_the_page(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    _ask_reset(client, bob.email, django_capture_on_commit_callbacks)
    form = client.get(_path(mailoutbox[0].body), follow=True)
    refused = client.post(
        form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert refused.status_code == 200
    assert "ontario-error-messaging" in refused.content.decode() or refused.context["form"].errors
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


# ------------------------------------------------------------------ change your password


def test_a_signed_in_person_changes_their_password(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(bob)
    page = client.get("/accounts/password_change/").content.decode()
    assert "Django administration" not in page
    assert 'class="nominee-header"' in page
    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/accounts/password_change/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert done["Location"] == "/accounts/password_change/done/"
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.password_changed", actor=bob).exists()
    # Still signed in (the session follows the new password); the address is told.
    assert client.get("/accounts/password_change/done/").status_code == 200
    assert [m.subject for m in mailoutbox] == ["Nominee: your password was changed"]
    assert f"{SITE}/en/accounts/password_reset/" in mailoutbox[0].body


# ------------------------------------------------------------------ change your e-mail address


def test_a_new_address_takes_effect_when_its_link_is_followed(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(bob)
    account = client.get("/accounts/account/").content.decode()
    assert 'href="/accounts/account/email/"' in account
    assert 'href="/accounts/password_change/"' in account
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/accounts/account/email/", {"email": "Bob.New@example.com", "password": PASSWORD}
        )
    assert sent.status_code == 200
    assert "bob.new@example.com" in sent.content.decode()
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"  # nothing changes before the link is followed
    assert [m.to for m in mailoutbox] == [["bob.new@example.com"]]
    assert mailoutbox[0].subject == "Nominee: confirm your new e-mail address"

    with django_capture_on_commit_callbacks(execute=True):
        followed = client.get(_path(mailoutbox[0].body))
    assert followed["Location"] == "/en/accounts/account/"
    bob.refresh_from_db()
    assert (bob.email, bob.username) == ("bob.new@example.com", "bob.new@example.com")
    assert bob.email_confirmed_at is not None
    event = AuditEvent.objects.get(action="accounts.email_changed")
    assert event.before["email"] == "bob@example.com"
    # The old address is told; the person signs in with the new one.
    assert mailoutbox[-1].to == ["bob@example.com"]
    assert mailoutbox[-1].subject == "Nominee: your e-mail address was changed"
    assert Client().login(username="bob.new@example.com", password=PASSWORD)
    # A second click changes nothing and is not an error.
    assert client.get(_path(mailoutbox[0].body)).status_code == 302


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("dave@example.com", PASSWORD, "email"),  # another account's
        ("bob@example.com", PASSWORD, "email"),  # the account's own
        ("not an address", PASSWORD, "email"),
        ("bob.new@example.com", "wrong password", "password"),
    ],
)
def test_an_address_change_is_refused_with_the_reason(
    bob: User, dave: User, email: str, password: str, field: str
) -> None:
    response = client_for(bob).post(
        "/accounts/account/email/", {"email": email, "password": password}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not OutgoingEmail.objects.filter(kind="email_change").exists()


def test_a_change_link_fails_once_another_account_took_the_address(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_email_change(
            user=bob, password=PASSWORD, new_email="taken.later@example.com"
        )
    make_user("taken.later@example.com")
    assert Client().get(_path(mailoutbox[0].body)).status_code == 400
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_an_address_change_voids_earlier_reset_links(
    bob: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    _ask_reset(client, bob.email, django_capture_on_commit_callbacks)
    reset_path = _path(mailoutbox[0].body)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_email_change(user=bob, password=PASSWORD, new_email="b2@example.com")
    Client().get(_path(mailoutbox[-1].body))
    assert client.get(reset_path, follow=True).context["validlink"] is False


# ------------------------------------------------------------------ every e-mail


def _email_templates() -> list[Path]:
    root = Path(__file__).resolve().parents[2] / "src" / "nominee"
    return sorted(p for p in root.glob("*/templates/*/email/*.txt"))


def test_every_email_template_signs_with_the_sites_name() -> None:
    templates = _email_templates()
    assert len(templates) >= 15
    for path in templates:
        text = path.read_text()
        assert "Nominee" in text, path
        assert ":8000" not in text, path
        assert "127.0.0.1" not in text, path
        # Links come from SITE_URL: a link is a context value, never a literal host.
        assert not re.search(r"https?://", text), path


def test_no_email_is_sent_past_the_recorded_outbox() -> None:
    """Every e-mail goes through accounts.mail (recorded, listed on "My e-mails")."""
    root = Path(__file__).resolve().parents[2] / "src" / "nominee"
    senders = []
    for path in root.rglob("*.py"):
        text = path.read_text()
        if re.search(r"\bsend_mail\(|\bsend_messages\(|EmailMessage\(", text):
            senders.append(path.relative_to(root).as_posix())
    assert sorted(senders) == ["accounts/mail.py", "draws/tasks.py"]


def test_the_account_emails_render_with_the_site_url() -> None:
    user = User(email="x@example.com", full_name="X")
    for template in (
        "accounts/email/password_reset.txt",
        "accounts/email/password_changed.txt",
        "accounts/email/confirm_email_change.txt",
        "accounts/email/email_changed.txt",
        "accounts/email/confirm_email.txt",
    ):
        subject, body = render_email(
            template,
            {"user": user, "link": f"{SITE}/x/", "days": 7, "old": "a@x", "new": "b@x"},
            language="en",
        )
        assert subject.startswith("Nominee: "), template
        assert body.rstrip().endswith("Nominee"), template
        assert f"{SITE}/x/" in body
