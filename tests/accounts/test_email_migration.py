"""Upgrading to the case-blind address constraint: accounts whose addresses differ only by
case are named, and the upgrade stops before anything changes; without them it goes on."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrations import migrate_to

BEFORE = [("accounts", "0007_language_and_mail_kinds")]


@pytest.mark.django_db(transaction=True)
def test_addresses_differing_only_by_case_stop_the_upgrade_with_their_accounts() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("accounts")
    executor = migrate_to(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("accounts", "User")
    first = old.objects.create(username="a", email="Bob@Example.com", password="!")
    second = old.objects.create(username="b", email="bob@example.com", password="!")
    with pytest.raises(RuntimeError, match=rf"accounts {first.pk} and {second.pk} \(bob@"):
        migrate_to(latest)
    old.objects.filter(pk=second.pk).update(email="robert@example.com")
    migrate_to(latest)
    assert MigrationExecutor(connection).loader.applied_migrations.keys() >= set(latest)
