"""Withdrawing a job offer from its page asks first (decision 73b)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nominee.accounts.models import User
from nominee.employers.models import JobOffer
from tests.dates import IN_2025
from tests.personas import client_for

pytestmark = [pytest.mark.django_db, IN_2025]


def test_withdrawing_an_offer_is_restated_first(
    bob: User, dave: User, submit: Callable[..., JobOffer]
) -> None:
    offer = submit()
    url = f"/employer/job-offers/{offer.public_id}/withdraw/"
    client = client_for(bob)
    page = client.post(url, {"reason": "The position is filled"})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Job offer {offer.public_id} is withdrawn: Alice Candidate can no longer" in text
    assert "The reason recorded: The position is filled" in text
    assert 'name="reason" value="The position is filled"' in text
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.AWAITING_EOI
    # Another business's officer sees nothing of it, confirmed or not.
    assert client_for(dave).post(url, {"confirm": "yes"}).status_code == 404
    done = client.post(url, {"reason": "The position is filled", "confirm": "yes"})
    assert done.status_code == 302
    offer.refresh_from_db()
    assert offer.status == JobOffer.Status.WITHDRAWN
