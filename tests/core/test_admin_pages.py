"""Every admin list and change page opens, with rows in it, in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominee.accounts.models import User
from nominee.accounts.services import appoint_representative, create_api_token
from nominee.audit.services import record
from tests.employers.conftest import bobs_bakery
from tests.personas import client_for, make_user

pytestmark = pytest.mark.django_db

# A list costs a fixed number of queries, not one per row (list_select_related).
MAX_QUERIES = 25


@pytest.fixture
def superuser(bob: User, carol: User) -> User:
    """An admin, with an appointment, a token and their audit events to list."""
    appoint_representative(actor=bob, representative=carol, employer=bobs_bakery(bob))
    create_api_token(user=bob, name="script")
    for number in range(MAX_QUERIES + 5):  # more rows than the bound: a query per row fails
        record(actor=bob, action="tests.event", subject_type="tests", subject_id=number)
    user = make_user("root@example.com")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_the_list_and_the_first_row_open(superuser: User, model: type) -> None:
    client = client_for(superuser)
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    client.get(base)  # warm caches (reference data, content types)
    with CaptureQueriesContext(connection) as captured:
        listing = client.get(base)
    assert listing.status_code == 200
    assert len(captured) <= MAX_QUERIES, [q["sql"][:120] for q in captured]
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        assert client.get(f"{base}{first.pk}/change/").status_code == 200
