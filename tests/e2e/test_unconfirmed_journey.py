"""An outsider signs up with someone else's address: the account can only confirm it.

The journey of the mailbox attack, in a browser at desktop and phone widths: the employer
has sent Priya her Job Offer ID; someone else signs up as Priya, and finds nothing of hers
anywhere: every page leads back to "Confirm your e-mail address".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from nominee.employers.models import Employer
from tests.dates import IN_2025
from tests.factories import register_dairy, submit_offer
from tests.personas import make_user

from .journeys import WIDTHS, screenshot, sign_up

pytestmark = [pytest.mark.django_db(transaction=True), IN_2025]

PRIYA = "priya.raman@example.org"
CONFIRM_LINK = re.compile(r"/accounts/confirm/(?!sent/|resend/)[^/\s\"'<]+/")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_an_account_opened_with_someone_elses_address_shows_nothing_of_theirs(
    new_page: Callable[..., Any], width: str, tmp_path_factory: Any
) -> None:
    bob = make_user("dave@example.com", full_name="Dave Dairy")
    employer: Employer = register_dairy(bob)
    offer = submit_offer(bob, employer, candidate_name="Priya Raman", candidate_email=PRIYA)

    page = new_page(viewport=WIDTHS[width])
    sign_up(page, role_label="Candidate", full_name="Priya Raman", email=PRIYA)
    screenshot(page, f"unconfirmed-confirm-{width}", tmp_path_factory)
    assert page.get_by_role("button", name="Send the link again").is_visible()
    assert page.get_by_role("link", name="My e-mails").count() == 0

    for path in ("/accounts/emails/", "/dashboard/", "/candidate/", "/accounts/tokens/"):
        page.goto(path)
        page.wait_for_url("**/accounts/confirm/sent/")
        page.get_by_text("Confirm your e-mail address first").first.wait_for()
        content = page.content()
        assert offer.public_id not in content
        assert offer.job_title not in content
        assert not CONFIRM_LINK.search(content)
    screenshot(page, f"unconfirmed-refused-{width}", tmp_path_factory)

    # The public record stays open, as to anyone signed out.
    page.goto("/draws/")
    page.get_by_role("heading", level=1).wait_for()
    assert "/accounts/confirm/sent/" not in page.url

    # Signing out works.
    page.goto("/accounts/confirm/sent/")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.wait_for()
