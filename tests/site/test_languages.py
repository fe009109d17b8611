"""English and French: the language prefix in the URL, the switch, formats, the API, e-mails.

The scheme (Decision 69, docs/architecture.md "Languages in the URL"): every page answers
at its plain path and under ``/en/`` and ``/fr/``; a prefix picks the language and makes
every link of the page carry it; a plain path takes the cookie, then Accept-Language.
The French catalogue is the lead's (not here yet): these tests assert on what the scheme
decides (the active language, the links, the headers) and on what Django translates itself.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy

import nominee
from nominee.accounts import services as accounts
from nominee.accounts.models import OutgoingEmail, User
from nominee.accounts.roles import Role
from nominee.audit.models import AuditEvent
from nominee.core.errors import ValidationFailed
from nominee.core.locale import LanguagePrefixMiddleware, in_language, language_path
from nominee.publication.services import import_published_draws
from tests.personas import PASSWORD, client_for, make_user
from tests.publication.conftest import SAMPLE_CSV

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _html_lang(response: Any) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match is not None
    return match.group(1)


# -- routes ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/", "/draws/", "/calculator/", "/accounts/login/"])
@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/en", "en"), ("/fr", "fr")])
def test_every_page_answers_plain_and_under_each_prefix(
    page: str, prefix: str, language: str
) -> None:
    response = Client().get(prefix + page)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert _html_lang(response) == language


@pytest.mark.parametrize("path", ["/draws/", "/draws.csv", "/draws.atom", "/api/v1/draws"])
def test_the_contract_paths_answer_unprefixed_whatever_the_language(path: str) -> None:
    """INTERFACES §4: the plain paths answer 200, never a redirect to a prefix."""
    for client in (Client(), Client(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")):
        client.cookies[COOKIE] = "fr"
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(("path", "target"), [("/fr", "/fr/"), ("/en?page=2", "/en/?page=2")])
def test_a_bare_prefix_redirects_to_its_home(path: str, target: str) -> None:
    response = Client().get(path)
    assert response.status_code == 301
    assert response["Location"] == target


def test_an_unknown_prefix_is_a_plain_path() -> None:
    assert Client().get("/de/draws/").status_code == 404


def test_static_files_stay_at_their_one_address() -> None:
    response = Client().get("/fr/calculator/")
    assert 'href="/static/nominee/site.css"' in response.content.decode()
    static = Client().get("/static/nominee/site.css")
    static.close()
    assert static.status_code == 200


# -- the switch and the links -------------------------------------------------------------


def test_the_switch_keeps_the_page_and_its_query() -> None:
    response = Client().get("/fr/draws/?stream=foreign-worker&page=2")
    body = response.content.decode()
    assert (
        '<a class="nominee-header__language" href="/en/draws/?stream=foreign-worker&amp;page=2" '
        'lang="en" hreflang="en">English</a>'
    ) in body
    assert (
        '<link rel="alternate" hreflang="fr" href="/fr/draws/?stream=foreign-worker&amp;page=2">'
        in body
    )
    english = Client().get("/calculator/").content.decode()
    assert 'href="/fr/calculator/" lang="fr" hreflang="fr">Français</a>' in english


def test_links_of_a_prefixed_page_carry_the_prefix() -> None:
    body = Client().get("/fr/calculator/").content.decode()
    assert 'class="nominee-wordmark" href="/fr/"' in body
    assert 'href="/fr/draws/"' in body  # the footer and the menu
    assert 'href="/draws/"' not in body
    plain = Client().get("/calculator/").content.decode()
    assert 'href="/draws/"' in plain
    # Under /fr/ only the alternate and the switch: the French version of this page.
    assert plain.count('href="/fr/') == 2


def test_reverse_under_a_prefix_and_the_request_paths() -> None:
    seen: dict[str, Any] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(
            reversed=reverse("publication:list"),
            language=translation.get_language(),
            path=request.path,
            path_info=request.path_info,
            full=request.get_full_path(),
            code=request.LANGUAGE_CODE,  # type: ignore[attr-defined]
        )
        return HttpResponse("ok")

    before = get_script_prefix()
    response = LanguagePrefixMiddleware(view)(RequestFactory().get("/fr/draws/?page=2"))
    assert seen == {
        "reversed": "/fr/draws/",
        "language": "fr",
        "path": "/fr/draws/",
        "path_info": "/draws/",
        "full": "/fr/draws/?page=2",
        "code": "fr",
    }
    assert get_script_prefix() == before  # restored
    assert reverse("publication:list") == "/draws/"
    assert response.cookies[COOKIE].value == "fr"
    assert response["Content-Language"] == "fr"


def test_no_template_has_a_hardcoded_internal_link() -> None:
    """Internal links go through {% url %}: a language prefix must carry over."""
    root = Path(nominee.__file__).parent
    offending = []
    for template in root.rglob("templates/**/*.html"):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            for found in re.findall(r'(?:href|action)="/(?!static/)[^"]*"', line):
                offending.append(f"{template.relative_to(root)}:{number}: {found}")
    assert offending == []


# -- the language of a plain path --------------------------------------------------------


def test_the_cookie_remembers_a_prefixed_choice() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/fr/calculator/")
    assert response.cookies[COOKIE].value == "fr"
    plain = client.get("/calculator/")
    assert plain["Content-Language"] == "fr"
    assert "Cookie" in plain["Vary"]
    assert "Accept-Language" in plain["Vary"]
    client.get("/en/calculator/")
    assert client.get("/calculator/")["Content-Language"] == "en"


def test_accept_language_then_english_without_a_cookie() -> None:
    assert Client(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").get("/")["Content-Language"] == "fr"
    assert Client(HTTP_ACCEPT_LANGUAGE="de").get("/")["Content-Language"] == "en"
    assert Client().get("/")["Content-Language"] == "en"


# -- formats ------------------------------------------------------------------------------


def test_french_and_english_formats() -> None:
    day = date(2025, 9, 3)
    with translation.override("fr"):
        assert date_format(day) == "3 septembre 2025"
        assert number_format(1134, force_grouping=True) == "1\u202f134"
        assert number_format(2.5, decimal_pos=1) == "2,5"
        assert number_format(2025) == "2025"  # no grouping unless asked
    with translation.override("en"):
        assert date_format(day) == "September 3, 2025"
        assert number_format(1134, force_grouping=True) == "1,134"


# -- the API ------------------------------------------------------------------------------


@pytest.fixture
def refusing_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """GET /api/v1/draws refuses with a message Django's own catalogue translates."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ValidationFailed(
            gettext_lazy("Enter a valid date."),
            fields={"date": [gettext_lazy("Enter a valid date.")]},
        )

    monkeypatch.setattr("nominee.publication.api.parse_filters", refuse)


@pytest.mark.parametrize(
    ("accept", "message"),
    [("fr-CA,fr;q=0.9", "Saisissez une date valide."), ("en", "Enter a valid date.")],
)
def test_api_errors_follow_accept_language_not_the_cookie(
    refusing_api: None, accept: str, message: str
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    client.cookies[COOKIE] = "en" if accept.startswith("fr") else "fr"
    response = client.get("/api/v1/draws")
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert response.json()["fields"] == {"date": [message]}
    assert response["Content-Language"] == accept[:2]
    assert COOKIE not in response.cookies


def test_api_validation_answers_in_the_asked_language() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").post(
        "/api/v1/score", "{}", content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Language"] == "fr"


# -- accounts: the preferred language, sign-up, e-mails -------------------------------------


def test_a_prefixed_page_sets_the_signed_in_persons_language(alice: User) -> None:
    client = client_for(alice)
    client.get("/draws/")
    alice.refresh_from_db()
    assert alice.preferred_language == "en"
    client.get("/fr/draws/")
    alice.refresh_from_db()
    assert alice.preferred_language == "fr"
    assert AuditEvent.objects.filter(action="accounts.preferred_language_set").count() == 1
    client.get("/fr/calculator/")  # unchanged: nothing written
    assert AuditEvent.objects.filter(action="accounts.preferred_language_set").count() == 1


def test_sign_up_under_fr_makes_a_french_account_and_a_french_e_mail() -> None:
    client = Client()
    response = client.post(
        "/fr/accounts/signup/",
        {
            "role": "candidate",
            "full_name": "Françoise Candidate",
            "email": "francoise@example.com",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/")
    user = User.objects.get(email="francoise@example.com")
    assert user.preferred_language == "fr"
    message = OutgoingEmail.objects.get(recipient=user)
    assert f"{settings.SITE_URL}/fr/accounts/confirm/" in message.body


def test_an_e_mail_is_rendered_in_its_recipients_language(
    ursula: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the language of the page that causes it (here English)."""
    languages: list[str | None] = []
    render = nominee.accounts.mail.render_to_string

    def spy(*args: Any, **kwargs: Any) -> str:
        languages.append(translation.get_language())
        with_month = date_format(date(2025, 9, 3))
        return render(*args, **kwargs) + f"\n{with_month}"

    monkeypatch.setattr("nominee.accounts.mail.render_to_string", spy)
    User.objects.filter(pk=ursula.pk).update(preferred_language="fr")
    ursula.refresh_from_db()
    with translation.override("en"):
        accounts.resend_confirmation(user=ursula)
    assert languages == ["fr"]
    message = OutgoingEmail.objects.get(recipient=ursula)
    assert "3 septembre 2025" in message.body
    assert f"{settings.SITE_URL}/fr/accounts/confirm/" in message.body
    assert "/fr/fr/" not in message.body


def test_an_e_mail_link_takes_the_recipients_prefix_not_the_pages(ursula: User) -> None:
    client = client_for(ursula)
    response = client.post("/fr/accounts/confirm/resend/")  # ursula is English
    assert response.status_code in (200, 302)
    message = OutgoingEmail.objects.get(recipient=ursula)
    assert f"{settings.SITE_URL}/en/accounts/confirm/" in message.body


def test_language_path() -> None:
    assert language_path("/fr/draws/", "en") == "/en/draws/"
    assert language_path("/draws/", "fr") == "/fr/draws/"
    assert language_path("/french/", "fr") == "/fr/french/"


# -- the feed -------------------------------------------------------------------------------


def test_the_french_feed_is_french_and_the_plain_feed_english() -> None:
    french = Client().get("/fr/draws.atom")
    assert french.status_code == 200
    assert french["Content-Language"] == "fr"
    assert f'href="{settings.SITE_URL}/fr/draws/"' in french.content.decode()
    client = Client()
    client.cookies[COOKIE] = "fr"
    plain = client.get("/draws.atom")
    assert plain["Content-Language"] == "en"
    assert f'href="{settings.SITE_URL}/draws/"' in plain.content.decode()


# -- staff pages, the admin, signing in under /fr/ ----------------------------------------


def test_staff_pages_and_the_admin_under_fr() -> None:
    olivia = make_user("officer.fr@example.com", Role.OFFICER)
    body = client_for(olivia).get("/fr/staff/").content.decode()
    assert 'href="/fr/staff/pool/"' in body
    assert client_for(olivia).get("/fr/staff/pool/").status_code == 200
    root = make_user("root.fr@example.com")
    root.is_staff = root.is_superuser = True
    root.save()
    admin = client_for(root)
    assert admin.get("/fr/admin/").status_code == 200
    response = admin.get("/fr/admin/accounts/user/")
    assert response.status_code == 200
    assert 'href="/fr/admin/accounts/user/' in response.content.decode()


def test_signing_in_under_fr_with_csrf_and_the_session(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    protected = client.get("/fr/dashboard/")
    assert protected.status_code == 302
    assert protected["Location"] == "/fr/accounts/login/?next=/fr/dashboard/"
    form = client.get(protected["Location"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())
    assert token is not None
    response = client.post(
        "/fr/accounts/login/?next=/fr/dashboard/",
        {"username": alice.email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/dashboard/"
    dashboard = client.get("/fr/dashboard/")
    assert dashboard.status_code in (200, 302)
    if dashboard.status_code == 302:
        assert dashboard["Location"].startswith("/fr/")
    refused = Client(enforce_csrf_checks=True).post(
        "/fr/accounts/login/", {"username": alice.email, "password": PASSWORD}
    )
    assert refused.status_code == 403


def test_a_password_reset_e_mail_is_in_the_accounts_language(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=alice.pk).update(preferred_language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/en/accounts/password_reset/", {"email": alice.email})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/")
    (message,) = mail.outbox
    assert f"{settings.SITE_URL}/fr/accounts/reset/" in message.body
    assert get_script_prefix() == "/"


def test_in_language_sets_and_restores_the_prefix() -> None:
    with in_language("fr"):
        assert reverse("publication:list") == "/fr/draws/"
        assert translation.get_language() == "fr"
        with in_language("en"):
            assert reverse("publication:list") == "/en/draws/"
        assert reverse("publication:list") == "/fr/draws/"
    assert reverse("publication:list") == "/draws/"


@pytest.mark.parametrize("path", ["/draws.csv", "/api/v1/draws", "/api/v1/program/changes"])
def test_contract_bodies_are_the_same_under_a_prefix(path: str) -> None:
    """One cached body for every language: built under /fr/ first, its links stay plain."""
    cache.clear()
    import_published_draws(text=SAMPLE_CSV, source_file="sample.csv")
    french = Client().get(f"/fr{path}")
    plain = Client().get(path)
    assert french.status_code == plain.status_code == 200
    assert french.content == plain.content
    assert b"/fr/" not in plain.content
    if path == "/api/v1/draws":
        assert f"{settings.SITE_URL}/draws/".encode() in plain.content


def test_the_english_feed_under_en_is_not_the_plain_one() -> None:
    cache.clear()
    assert (
        f'href="{settings.SITE_URL}/en/draws/"' in Client().get("/en/draws.atom").content.decode()
    )
    assert f'href="{settings.SITE_URL}/draws/"' in Client().get("/draws.atom").content.decode()
