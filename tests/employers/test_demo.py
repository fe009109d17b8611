"""The demo's employers: one registered with the program, one awaiting an officer's decision."""

from __future__ import annotations

import html
from io import StringIO

import pytest

from nominee.accounts.models import User
from nominee.demo import accounts as demo_accounts
from nominee.demo import employers as demo_employers
from nominee.employers import queries
from nominee.employers.models import Employer
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_one_employer_approved_and_one_in_the_officers_queue() -> None:
    out = StringIO()
    demo_accounts.load(out)
    demo_employers.load(out)
    maple = Employer.objects.get(legal_name="Maple Leaf Robotics Inc.")
    cafe = Employer.objects.get(legal_name="Northern Lights Café Ltd.")
    assert queries.registration_state(maple) == "approved"
    assert queries.registration_state(cafe) == "pending"
    officer = User.objects.get(email=demo_employers.OFFICER_EMAIL)
    queue = html.unescape(
        client_for(officer).get("/staff/employers/registrations/").content.decode()
    )
    assert "Northern Lights Café" in queue
    assert "Maple Robotics" not in queue
    assert "1 request awaits a decision." in queue
