"""Browser journeys: Playwright (sync API) drives Debian's Chromium against ``live_server``.

How it fits together (docs/testing.md says more):

- ``live_server`` (pytest-django) serves the app from a thread of this process; it needs
  ``transactional_db``, so every journey starts from an empty database with the reference
  data re-loaded by its post_migrate receiver after each flush.
- The browser is the system's ``/usr/bin/chromium`` (``apt-get install chromium``);
  ``playwright install`` is never run. Without it (or without the playwright package)
  every journey is skipped, with the reason.
- One Playwright driver and one browser per test (about 1.5 s): Playwright's sync API keeps
  an asyncio event loop *running* in this thread from ``start()`` to ``stop()``, and Django
  refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation). Keeping
  the loop's life to one test means the other tests of the same xdist worker never see it;
  during a journey ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set (and unset at its end) so the test
  may read rows (e.g. an e-mail's link) while the browser is open. That is safe here: the
  loop only carries Playwright's messages, no Django code runs in it.
- On failure the page's screenshot and HTML are saved under
  ``$NOMINEE_E2E_ARTIFACTS`` (default: ``<pytest basetemp>/e2e-artifacts``) and their paths
  printed in the failure report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

CHROMIUM = Path(os.environ.get("NOMINEE_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous for a loaded CI machine, short enough that a wrong selector fails fast.
TIMEOUT_MS = 15_000

try:
    from playwright import sync_api as playwright_sync
except ImportError:  # pragma: no cover - the dev extra installs it
    playwright_sync = None

if playwright_sync is None:
    SKIP_REASON = "browser journeys need the playwright package (pip install -e '.[dev]')"
elif not CHROMIUM.exists():
    SKIP_REASON = f"browser journeys need Chromium at {CHROMIUM} (apt-get install chromium)"
else:
    SKIP_REASON = ""


@pytest.fixture(autouse=True)
def _browser_available() -> None:
    """Skip every journey, with the reason, where there is no browser to drive."""
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


@pytest.fixture
def _e2e_settings(settings: Any) -> None:
    """Plain HTTP on 127.0.0.1, whatever NOMINEE_SITE_URL the environment sets, and the
    demo's "My e-mails" page (e-mail stays on this machine)."""
    settings.NOMINEE_DEV_MAILBOX = True
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0


@pytest.fixture(scope="session")
def live_server(live_server: Any) -> Iterator[Any]:
    """pytest-django's server, whose pooled database connections are closed at the end.

    The server's request threads hand their PostgreSQL connections back to the psycopg
    pool, which keeps them open: the test database could not be dropped at the end of the
    session ("being accessed by other users").
    """
    yield live_server
    _close_database_pools()


def _close_database_pools() -> None:
    for connection in connections.all():
        pools = getattr(type(connection), "_connection_pools", {})
        if connection.alias in pools:
            connection.close_pool()


@pytest.fixture
def base_url(live_server: Any, transactional_db: None, _e2e_settings: None) -> str:
    """The live server's address (the database is flushed after each journey)."""
    return str(live_server.url)


@pytest.fixture
def browser(base_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium for one test (set up after, torn down before, the database)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    driver = playwright_sync.sync_playwright().start()
    try:
        chromium = driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        # While the loop runs, asgiref keeps this thread's database connections in a
        # context-local store of their own: the ones the test body opened are closed here,
        # while that store is still the current one, or they would stay open for good.
        connections.close_all()
        driver.stop()


@pytest.fixture
def new_page(
    browser: Any, base_url: str, request: pytest.FixtureRequest, tmp_path_factory: Any
) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh browser contexts (``new_page(java_script_enabled=False)``).

    Each context is a separate person (its own cookies). When the test fails, every page
    opened is saved as a PNG screenshot and an HTML file.
    """
    contexts: list[Any] = []
    pages: list[Any] = []

    def open_page(**options: Any) -> Any:
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_page

    report = getattr(request.node, "e2e_report_call", None)
    if report is not None and report.failed:
        _save_artifacts(request.node.nodeid, pages, tmp_path_factory)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """One page with JavaScript on, for a journey of one person."""
    return new_page()


def _save_artifacts(nodeid: str, pages: list[Any], tmp_path_factory: Any) -> None:
    root = os.environ.get("NOMINEE_E2E_ARTIFACTS")
    folder = Path(root) if root else tmp_path_factory.getbasetemp() / "e2e-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:120]
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        picture = folder / f"{stem}-{number}.png"
        html = folder / f"{stem}-{number}.html"
        try:
            page.screenshot(path=str(picture), full_page=True)
            html.write_text(page.content(), encoding="utf-8")
        except playwright_sync.Error as error:  # a crashed page: say so, keep the real failure
            print(f"e2e: could not save page {number} ({page.url}): {error}")
        else:
            print(f"e2e: page {number} at {page.url}\n  screenshot {picture}\n  html {html}")
