"""An upgraded database: the wage figures stored before versions become the first one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nominee.reference.models import WageFigure, WageTableVersion
from tests.migrations import migrate_to

BEFORE_VERSIONS = [("reference", "0003_merge_place_lists_region_2026")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_existing_figures_as_the_first_version() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("reference")
    executor = migrate_to(BEFORE_VERSIONS)
    old = executor.loader.project_state(BEFORE_VERSIONS).apps.get_model("reference", "WageFigure")
    old.objects.all().delete()
    old.objects.create(
        noc_id="21231",
        er_code="35",
        er_name="Ontario",
        median_wage=Decimal("54.33"),
        source="Job Bank 2024 (partial, shipped)",
    )
    old.objects.create(
        noc_id="21231",
        er_code="3530",
        er_name="Toronto",
        median_wage=Decimal("58.10"),
        source="manual.csv",
    )
    migrate_to(latest)
    (first,) = WageTableVersion.objects.all()
    assert first.effective_from == date(2022, 11, 22)
    assert first.source == "Job Bank 2024 (partial, shipped); manual.csv"
    assert first.rows == 2
    assert sorted(
        WageFigure.objects.filter(version=first).values_list("er_code", "median_wage")
    ) == [("35", Decimal("54.33")), ("3530", Decimal("58.10"))]
