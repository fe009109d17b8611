"""The 2026 region table on the Django side: stored beside the 2025 one, read by date."""

from __future__ import annotations

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from nominee.reference.models import CensusDivision
from nominee.reference.queries import reference_data, region_of

pytestmark = pytest.mark.django_db


def test_both_tables_are_loaded_and_reads_take_a_date() -> None:
    muskoka = CensusDivision.objects.get(code="3544")
    assert (muskoka.region, muskoka.region_2026) == ("other", "northern")
    assert CensusDivision.objects.get(code="3520").region_2026 == "toronto"
    for cd in ("3544", "3546"):
        assert region_of(cd, date(2026, 6, 25)) == "other"
        assert region_of(cd, date(2026, 6, 26)) == "northern"
    assert region_of("3530", date(2026, 7, 1)) == "central"
    # The current call keeps working, and a dated one answers the same data.
    assert reference_data() is reference_data(on=date(2025, 9, 3))
    assert reference_data().region_of("3544", date(2025, 9, 3)) == "other"


def test_the_migration_fills_the_2026_column_of_an_existing_database() -> None:
    CensusDivision.objects.update(region_2026="")
    migration = importlib.import_module(
        "nominee.reference.migrations.0002_census_division_region_2026"
    )
    # The data step needs only the editor's connection (no schema change).
    migration.fill_region_2026(apps, SimpleNamespace(connection=connection))
    assert CensusDivision.objects.filter(region_2026="").count() == 0
    assert CensusDivision.objects.get(code="3546").region_2026 == "northern"
    assert CensusDivision.objects.get(code="3539").region_2026 == "southwestern"
