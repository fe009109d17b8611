"""A person who forgot their password gets a link by e-mail and chooses a new one.

Issue 13: "Forgot your password?" led to the Django administration's page, and its e-mail
signed off "the 127.0.0.1:8111 team". Walked at desktop and phone widths; the account
pages must not scroll sideways on a 390 px phone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nominee.accounts.models import OutgoingEmail
from tests.personas import make_user

from .journeys import (
    WIDTHS,
    choose_new_password,
    expect_no_form_errors,
    expect_no_sideways_scroll,
    forgot_password,
    screenshot,
    sign_in_as,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "rosa.reset@example.org"
NEW_PASSWORD = "Lighthouse harbour 2026 kettle"


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_forgot_password_from_the_sign_in_page(
    new_page: Callable[..., Any],
    width: str,
    tmp_path_factory: Any,
    settings: Any,
    base_url: str,
) -> None:
    settings.SITE_URL = base_url  # links in e-mails point at the server that sent them
    make_user(EMAIL, full_name="Rosa Reset")
    page = new_page(viewport=WIDTHS[width])
    # The live server's first page of a session can outlast the step timeout on a loaded
    # machine (templates, reference data): open it once with room to spare.
    page.goto("/accounts/login/", timeout=120_000)

    forgot_password(page, email=EMAIL)
    screenshot(page, f"forgot-password-done-{width}", tmp_path_factory)
    assert "Django administration" not in page.content()
    expect_no_sideways_scroll(page)

    email = OutgoingEmail.objects.get(to_email=EMAIL, kind="password_reset")
    assert email.subject == "Nominee: choose a new password"
    assert email.body.rstrip().endswith("Nominee")
    assert f"{base_url}/en/accounts/reset/" in email.body
    assert " team" not in email.body

    choose_new_password(page, email=EMAIL, password=NEW_PASSWORD)
    expect_no_form_errors(page)
    screenshot(page, f"forgot-password-saved-{width}", tmp_path_factory)
    expect_no_sideways_scroll(page)

    sign_in_as(page, EMAIL, NEW_PASSWORD)
    page.goto("/accounts/account/")
    page.get_by_role("heading", name="Your account").wait_for()
    expect_no_sideways_scroll(page)
    screenshot(page, f"forgot-password-account-{width}", tmp_path_factory)

    page.goto("/accounts/emails/")
    page.get_by_role("heading", name="Choose a new password").first.wait_for()
    expect_no_sideways_scroll(page)
    screenshot(page, f"forgot-password-emails-{width}", tmp_path_factory)

    # The link works once.
    page.goto(email.body.split(base_url, 1)[1].split()[0])
    page.get_by_text("used already or has expired").wait_for()
    screenshot(page, f"forgot-password-used-link-{width}", tmp_path_factory)

    # The other account pages fit a phone too.
    for path in ("/accounts/password_change/", "/accounts/account/email/", "/accounts/tokens/"):
        page.goto(path)
        page.get_by_role("heading", level=1).wait_for()
        expect_no_sideways_scroll(page)
    screenshot(page, f"account-tokens-{width}", tmp_path_factory)
