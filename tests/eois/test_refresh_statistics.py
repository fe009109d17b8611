"""After a large import the pool's statistics are refreshed (outside any transaction)."""

from __future__ import annotations

import pytest
from django.db import connection

from nominee.eois.bulk.write import REFRESH_FROM_ROWS, refresh_pool_statistics


@pytest.mark.django_db(transaction=True)
def test_it_refreshes_after_a_large_import_only() -> None:
    assert refresh_pool_statistics(REFRESH_FROM_ROWS - 1) is False
    assert refresh_pool_statistics(REFRESH_FROM_ROWS) is True


@pytest.mark.django_db
def test_it_leaves_a_callers_transaction_alone() -> None:
    assert connection.in_atomic_block
    assert refresh_pool_statistics(REFRESH_FROM_ROWS) is False
