"""docs/operations.md's production start, followed on a fresh directory and database.

The steps the document lists (migrate, collectstatic, check --deploy, gunicorn behind the
proxy's headers, NOMINEE_DEBUG false) and nothing more give a 200 on every public page.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "nominee.example.org"

#: Every page anyone may read without signing in (publication/urls.py, the site's urls).
PUBLIC_PAGES = [
    "/",
    "/fr/",
    "/draws/",
    "/draws.csv",
    "/draws.atom",
    "/draws/summary/",
    "/draws/charts/",
    "/draws/allocation/",
    "/draws/pool/",
    "/draws/sources/",
    "/program/changes/",
    "/calculator/",
    "/accounts/login/",
    "/api/v1/draws",
    "/api/v1/openapi.json",
    "/healthz",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """A database URL of an empty database of the engine the suite runs on."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'nominee.sqlite3'}"
        return
    import psycopg  # only on PostgreSQL: the server's own administration connection

    name = f"{db['NAME']}_prodstart_{os.getpid()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    admin = f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The environment docs/operations.md sets in /etc/nominee/nominee.env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOMINEE_")}
    env.update(
        {
            "NOMINEE_DEBUG": "false",
            "NOMINEE_SECRET_KEY": secrets.token_urlsafe(50),
            "NOMINEE_ALLOWED_HOSTS": HOST,
            "NOMINEE_SITE_URL": f"https://{HOST}",
            "NOMINEE_BEHIND_PROXY": "true",
            "NOMINEE_DATABASE_URL": database_url,
            "NOMINEE_DATABASE_POOL": "false",
            "NOMINEE_VAR_DIR": str(tmp_path / "var"),
            "NOMINEE_STATIC_ROOT": str(tmp_path / "static"),
            "NOMINEE_METRICS_TOKEN": "scraper-token",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    return env


def _nominee(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "nominee"), *args],
        env=env,
        cwd=env["NOMINEE_VAR_DIR"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"nominee {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout + result.stderr


def _get(port: int, path: str, **headers: str) -> tuple[int, bytes]:
    # As nginx forwards it (docs/operations.md): the public host name, over HTTPS.
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": HOST, "X-Forwarded-Proto": "https", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn as the systemd unit of docs/operations.md starts it, on ``port``."""
    with log.open("wb") as log_file:
        server = _popen_gunicorn(env, port, log_file)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {log.read_text()}")
        try:
            if _get(port, "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.kill()
    server.wait(timeout=30)
    raise AssertionError(f"gunicorn did not answer /healthz within 60 s: {log.read_text()}")


def _popen_gunicorn(env: dict[str, str], port: int, log_file: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "nominee.wsgi",
            "-k",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ],
        env=env,
        cwd=env["NOMINEE_VAR_DIR"],
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "nominee"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_documented_steps_serve_every_public_page(tmp_path: Path, fresh_database: str) -> None:
    env = production_env(tmp_path, fresh_database)
    Path(env["NOMINEE_VAR_DIR"]).mkdir()
    _nominee(env, "migrate", "--no-input")

    # Before collectstatic: check --deploy names the missing step, and pages still work
    # (they were all a 500 when the manifest storage found no manifest).
    early = _check_deploy(env)
    assert early.returncode != 0
    assert "nominee.W002" in early.stdout + early.stderr
    port = _free_port()
    server = start_gunicorn(env, port, tmp_path / "gunicorn-early.log")
    try:
        for path in ["/", "/draws/", "/calculator/"]:
            status, body = _get(port, path)
            assert status == 200, path
            assert b'href="/static/' in body
    finally:
        server.terminate()
        server.wait(timeout=30)

    _nominee(env, "collectstatic", "--no-input")
    report = _check_deploy(env)
    assert report.returncode == 0, report.stdout + report.stderr
    assert "no issues" in report.stdout
    port = _free_port()
    server = start_gunicorn(env, port, tmp_path / "gunicorn.log")
    try:
        answers = {path: _get(port, path) for path in PUBLIC_PAGES}
        failing = {path: status for path, (status, _body) in answers.items() if status != 200}
        assert failing == {}
        home = answers["/"][1].decode()
        # The hashed names of collectstatic, served by whitenoise from STATIC_ROOT.
        css = home.split('href="/static/', 1)[1].split('"', 1)[0]
        assert css.count(".") >= 2, css  # name.HASH.css
        assert _get(port, f"/static/{css}")[0] == 200

        # The worker's unit: /readyz sees it once it has run the heartbeat it queues.
        assert _get(port, "/readyz")[0] == 503
        with (tmp_path / "worker.log").open("wb") as log_file:
            worker = subprocess.Popen(
                [str(BIN / "nominee"), "db_worker", "--interval", "0.5"],
                env=env,
                cwd=env["NOMINEE_VAR_DIR"],
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 60
            while _get(port, "/readyz")[0] != 200:
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
                time.sleep(0.5)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        status, body = _get(port, "/metrics", Authorization="Bearer scraper-token")
        assert status == 200
        assert b"nominee_task_queue_depth" in body
    finally:
        server.terminate()
        server.wait(timeout=30)
