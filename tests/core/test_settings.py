"""Settings come from the environment; production values pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nominee.cli", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_it_passes_check_deploy_with_production_values(tmp_path: Path) -> None:
    env = {
        "NOMINEE_SECRET_KEY": "k" * 20 + "production-secret-that-is-long-enough-1234567890",
        "NOMINEE_ALLOWED_HOSTS": "nominee.example.org",
        "NOMINEE_SITE_URL": "https://nominee.example.org",
        "NOMINEE_DEBUG": "false",
        "NOMINEE_DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
        "NOMINEE_VAR_DIR": str(tmp_path),
    }
    # docs/operations.md: collectstatic is a step of every install (else nominee.W002).
    assert _run(env, "collectstatic", "--no-input").returncode == 0
    result = _run(
        env,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_it_refuses_a_malformed_boolean(tmp_path: Path) -> None:
    result = _run({"NOMINEE_DEBUG": "maybe", "NOMINEE_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "NOMINEE_DEBUG must be true or false" in result.stderr


def test_it_refuses_a_malformed_number_naming_the_variable(tmp_path: Path) -> None:
    result = _run({"NOMINEE_EMAIL_PORT": "twenty-five", "NOMINEE_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "NOMINEE_EMAIL_PORT must be a whole number, not 'twenty-five'" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_it_refuses_an_unsupported_database(tmp_path: Path) -> None:
    result = _run(
        {"NOMINEE_DATABASE_URL": "mysql://u@localhost/db", "NOMINEE_VAR_DIR": str(tmp_path)},
        "check",
    )
    assert result.returncode != 0
    assert "unsupported database engine" in result.stderr


def test_the_cli_accepts_dashed_command_names() -> None:
    result = _run({}, "reference", "--help")
    assert result.returncode == 0
    assert "import-wages" in result.stdout


def test_check_deploy_warns_about_a_generated_secret_key(settings: Any) -> None:
    from django.core.checks import run_checks

    settings.NOMINEE_SECRET_KEY_SOURCE = "generated"
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "nominee.W001" in ids
    settings.NOMINEE_SECRET_KEY_SOURCE = "env"
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "nominee.W001" not in ids
