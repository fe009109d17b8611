"""``make serve`` and ``make demo`` name the served address in links (issue 13).

Links in e-mails and feeds come from ``NOMINEE_SITE_URL``; the targets set it from
``HOST`` unless it is set already, so ``make demo HOST=127.0.0.1:8111`` mails links to
:8111, not :8000.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.personas import make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _site_url(target: str, host: str, env_url: str | None = None) -> str:
    """What NOMINEE_SITE_URL the target's commands see (the recipe's lines, run by bash)."""
    recipe = subprocess.run(
        ["make", "-n", target, f"HOST={host}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in recipe.splitlines() if "NOMINEE_SITE_URL=" in line)
    assignment = line[line.index("NOMINEE_SITE_URL=") :].split(" ", 1)[0].rstrip(";")
    env = {k: v for k, v in os.environ.items() if k != "NOMINEE_SITE_URL"}
    if env_url is not None:
        env["NOMINEE_SITE_URL"] = env_url
    shown = subprocess.run(
        ["bash", "-c", f'{assignment}; echo "$NOMINEE_SITE_URL"'],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return shown.stdout.strip()


@pytest.mark.parametrize("target", ["serve", "demo-data"])
def test_the_site_url_follows_host(target: str) -> None:
    assert _site_url(target, "127.0.0.1:8111") == "http://127.0.0.1:8111"
    assert _site_url(target, "localhost:9000") == "http://localhost:9000"


@pytest.mark.parametrize("target", ["serve", "demo-data"])
def test_a_site_url_set_already_is_kept(target: str) -> None:
    url = "https://nominee.example.org"
    assert _site_url(target, "127.0.0.1:8111", env_url=url) == url


@pytest.mark.django_db
def test_a_second_demo_load_if_empty_keeps_the_database(capsys: pytest.CaptureFixture[str]) -> None:
    make_user("officer@demo.nominee.test")
    call_command("demo", "load", "--if-empty")
    assert "already loaded" in capsys.readouterr().out
