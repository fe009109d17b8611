"""Static file links before and after ``collectstatic`` (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from nominee.core.checks import static_files_collected
from nominee.core.staticfiles import StaticFilesStorage


def test_a_file_not_collected_is_linked_by_its_plain_name(tmp_path: Path) -> None:
    storage = StaticFilesStorage(location=str(tmp_path))
    # whitenoise's own storage raised ValueError here: every page was a 500.
    assert storage.url("nominee/site.css") == "/static/nominee/site.css"
    assert not storage.has_manifest()


@pytest.mark.slow
def test_a_collected_file_is_linked_by_its_hashed_name(tmp_path: Path, settings: Any) -> None:
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "nominee.core.staticfiles.StaticFilesStorage"},
    }
    assert [w.id for w in static_files_collected()] == ["nominee.W002"]
    call_command("collectstatic", "--no-input", verbosity=0)
    storage = StaticFilesStorage(location=str(tmp_path))
    url = storage.url("nominee/site.css")
    assert url.startswith("/static/nominee/site.")
    assert url != "/static/nominee/site.css"
    assert static_files_collected() == []
