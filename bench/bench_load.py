"""Load benchmark: EOI registrations through the real API, an intake opening, and a soak.

PostgreSQL and gunicorn (``-k gthread --workers 2 --threads 4``) on loopback, as in
production (docs/operations.md); on SQLite the script says so and stops (its writes are
one at a time by design: it is the demo's database). It:

1. migrates a database of its own, and creates the candidates the runs need (confirmed
   accounts with a candidate profile and a personal API token; one EOI each, since a
   candidate holds one live EOI per stream);
2. **registration**: ``POST /api/v1/eois`` (a 2026 physician EOI, which needs no job offer)
   from ``--connections`` keep-alive connections, each request with another candidate's
   token, for ``--duration`` seconds; beside it, in the same run, the smallest Django
   endpoint that inserts a row (``load_urls.insert``), so the ratio says what the program
   costs over Django itself. Goal: 300 registrations a second, p99 under 250 ms, no error;
3. **intake**: ``--intake`` candidates arrive over half of ``--intake-seconds`` (a surge
   at twice the average pace), each signing in on the login page (a real password check)
   and registering through the API with the session. Goal: all done within the window,
   no error, p99 under 1 s;
4. **soak**: registrations at a fixed rate (80% of what step 2 sustained, at most 300 a
   second) for ``--soak-seconds``; the web workers' memory (RSS) after the first minute and
   at the end. Goal: growth under 10%, no error.

Latencies are measured from when a request was due, not when it was sent, so a server
that falls behind shows it (no coordinated omission). The load generator shares the two
cores with the server: the figures are a floor of what the server alone does.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench_publication import _drop, _own_database, _start_gunicorn, _stop

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-bench-password"  # noqa: S105 - the benchmark's own accounts, dropped after
GOAL_RPS, GOAL_P99_MS = 300.0, 250.0
GOAL_INTAKE_P99_MS = 1000.0
GOAL_RSS_GROWTH = 0.10
DOCUMENT = {
    "stream": "workforce-priority",
    "pathway": "physician",
    "practice": {"noc": "31102", "census_division": "3544"},
    "permit": "work",
    "job_tenure_months": 30,
    "languages": {"english": 9, "french": None},
}
FACTS = {"cpso_class": "independent-practice", "ohip_billing_number": "123456"}
BODY = json.dumps({"document": DOCUMENT, "job_offer_id": None, "facts": FACTS})


@dataclass
class Outcome:
    """What a run measured: each request's latency (ms) and the answers that were not
    the expected status."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latency_ms: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.latencies.append(latency_ms)
            if error is not None:
                self.errors.append(error)

    def rate(self) -> float:
        """Requests a second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        """The latency at quantile ``q`` (0-100), in ms."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]

    def line(self, name: str) -> str:
        """One printed line of figures."""
        return (
            f"{name:34} {len(self.latencies):7d} requests {self.rate():8.1f}/s "
            f"p50 {self.p(50):6.0f} ms  p99 {self.p(99):6.0f} ms  errors {len(self.errors)}"
        )


def _setup_candidates(count: int) -> list[str]:
    """``count`` confirmed candidates with a profile and an API token; their tokens."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from nominee.accounts.models import ApiToken, User
    from nominee.accounts.tokens import new_token
    from nominee.eois.models import Candidate

    now, hashed = timezone.now(), make_password(PASSWORD)
    start = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(
                email=f"load{start + i}@example.org",
                username=f"load{start + i}@example.org",
                full_name=f"Load Candidate {start + i}",
                password=hashed,
                email_confirmed_at=now,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    Candidate.objects.bulk_create(
        [Candidate(user=u, full_name=u.full_name, email=u.email, created_at=now) for u in users],
        batch_size=2000,
    )
    tokens, rows = [], []
    for user in users:
        token, prefix, digest = new_token()
        tokens.append(token)
        rows.append(ApiToken(user=user, name="load", prefix=prefix, digest=digest))
    ApiToken.objects.bulk_create(rows, batch_size=2000)
    return tokens


def _connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


Request = Callable[[http.client.HTTPConnection, int], str | None]


def _attempt(
    port: int, conn: http.client.HTTPConnection, request: Request, number: int
) -> tuple[http.client.HTTPConnection, str | None]:
    """Send request ``number``; the connection to go on with, and the error if any. A
    keep-alive connection the server closed while idle is opened again, once: that is
    the client's business, not an error of the server's."""
    try:
        return conn, request(conn, number)
    except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
        conn.close()
        conn = _connect(port)
    try:
        return conn, request(conn, number)
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        return _connect(port), repr(exc)


def _closed_loop(
    port: int,
    seconds: float,
    connections: int,
    request: Callable[[http.client.HTTPConnection, int], str | None],
    limit: int = 10**9,
) -> Outcome:
    """Each connection sends its next request as soon as the last is answered, for
    ``seconds`` or until ``limit`` requests were sent."""
    outcome, counter, stop = Outcome(), iter(range(limit)), time.monotonic() + seconds
    lock = threading.Lock()

    def worker() -> None:
        conn = _connect(port)
        while time.monotonic() < stop:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            started = time.monotonic()
            conn, error = _attempt(port, conn, request, number)
            outcome.add((time.monotonic() - started) * 1000, error)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.monotonic() - began
    return outcome


def _open_loop(
    port: int,
    due: list[float],
    connections: int,
    request: Callable[[http.client.HTTPConnection, int], str | None],
    on_tick: Callable[[float], None] | None = None,
) -> Outcome:
    """Request ``i`` is due ``due[i]`` seconds from the start; its latency counts from then."""
    outcome, work = Outcome(), queue.Queue[tuple[int, float] | None]()
    began = time.monotonic()

    def worker() -> None:
        conn = _connect(port)
        while (item := work.get()) is not None:
            number, at = item
            conn, error = _attempt(port, conn, request, number)
            outcome.add((time.monotonic() - at) * 1000, error)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for number, offset in enumerate(due):
        at = began + offset
        if (wait := at - time.monotonic()) > 0:
            time.sleep(wait)
        work.put((number, at))
        if on_tick is not None:
            on_tick(offset)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join()
    outcome.seconds = time.monotonic() - began
    return outcome


def _register(tokens: list[str]) -> Callable[[http.client.HTTPConnection, int], str | None]:
    def request(conn: http.client.HTTPConnection, number: int) -> str | None:
        conn.request(
            "POST",
            "/api/v1/eois",
            body=BODY,
            headers={
                "Authorization": f"Bearer {tokens[number]}",
                "Content-Type": "application/json",
            },
        )
        response = conn.getresponse()
        text = response.read()
        return None if response.status == 201 else f"{response.status} {text[:200]!r}"

    return request


def _insert(conn: http.client.HTTPConnection, number: int) -> str | None:
    conn.request("POST", "/bench/insert", body=BODY, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    return None if response.status == 201 else str(response.status)


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]


def _intake_candidate(first: int) -> Callable[[http.client.HTTPConnection, int], str | None]:
    """A candidate signs in (login page, password) and registers with the session."""
    token_field = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

    def request(conn: http.client.HTTPConnection, number: int) -> str | None:
        jar: dict[str, str] = {}
        conn.request("GET", "/accounts/login/", headers={"Accept-Language": "en"})
        page = conn.getresponse()
        body = page.read()
        _cookies(page, jar)
        found = token_field.search(body)
        if page.status != 200 or found is None:
            return f"login page {page.status}"
        form = urlencode(
            {
                "username": f"load{first + number}@example.org",
                "password": PASSWORD,
                "csrfmiddlewaretoken": found.group(1).decode(),
            }
        )
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        conn.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        signed_in = conn.getresponse()
        signed_in.read()
        _cookies(signed_in, jar)
        if signed_in.status != 302 or "sessionid" not in jar:
            return f"sign-in {signed_in.status}"
        conn.request(
            "POST",
            "/api/v1/eois",
            body=BODY,
            headers={
                "Content-Type": "application/json",
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                "X-CSRFToken": jar.get("csrftoken", ""),
            },
        )
        registered = conn.getresponse()
        text = registered.read()
        return None if registered.status == 201 else f"{registered.status} {text[:200]!r}"

    return request


def _rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if found := re.search(r"VmRSS:\s+(\d+) kB", status):
            total += int(found.group(1))
    return total


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def main() -> int:
    """Run the three loads; exit 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pool-size", type=int, default=0, help="(unused: every run starts empty)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--duration", type=float, default=30, help="seconds of registration load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--intake", type=int, default=2000, help="candidates at the opening")
    parser.add_argument("--intake-seconds", type=float, default=300)
    parser.add_argument("--soak-seconds", type=float, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite"):
        print("the load benchmark is PostgreSQL's (production); SQLite is the demo's: skipped")
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nominee-bench-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = _own_database(args.database_url, workdir, suffix="load")
    env = {
        **os.environ,
        "NOMINEE_DATABASE_URL": url,
        "NOMINEE_VAR_DIR": str(workdir),
        "NOMINEE_DEBUG": "false",
        "NOMINEE_LOG_LEVEL": "ERROR",
        "NOMINEE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Every simulated candidate comes from 127.0.0.1: the per-address limits of
        # sign-in would otherwise stop the intake after 60 (real ones come from many).
        "NOMINEE_RATE_LOGIN_IP": "off",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")]),
    }
    os.environ.update(env)
    server: subprocess.Popen[bytes] | None = None
    missed: list[str] = []
    try:
        subprocess.run(
            [sys.executable, "-m", "nominee.cli", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        import django

        django.setup()
        from django.db import connection, connections

        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_insert (id bigserial PRIMARY KEY, body text)")
        started = time.monotonic()
        tokens = _setup_candidates(int(args.duration * GOAL_RPS * 1.5) + 4 * args.connections)
        print(
            f"{len(tokens):,} candidates for the registration run: "
            f"{time.monotonic() - started:.1f} s"
        )
        connections.close_all()

        server, port = _start_gunicorn(env)
        print(f"gunicorn: 2 workers x 4 threads; {args.connections} connections")

        # Warm-up: every worker thread past its first requests (imports, the policy loaded).
        warm = 4 * args.connections
        _closed_loop(port, 60, args.connections, _insert, limit=warm)
        _closed_loop(port, 60, args.connections, _register(tokens[:warm]), limit=warm)
        tokens = tokens[warm:]
        baseline = _closed_loop(port, args.duration, args.connections, _insert)
        print(baseline.line("minimal Django insert"), flush=True)
        load = _closed_loop(
            port, args.duration, args.connections, _register(tokens), limit=len(tokens)
        )
        print(load.line("EOI registration (API)"), flush=True)
        print(f"{'ratio registration / insert':34} {load.rate() / baseline.rate():.2f}")
        used = len(load.latencies)
        if load.errors:
            missed.append(f"registration: {len(load.errors)} errors, e.g. {load.errors[0]}")
        if load.rate() < GOAL_RPS:
            missed.append(f"registration {load.rate():.0f}/s < {GOAL_RPS:.0f}/s")
        if load.p(99) >= GOAL_P99_MS:
            missed.append(f"registration p99 {load.p(99):.0f} ms >= {GOAL_P99_MS:.0f} ms")

        first = _count_users()
        _setup_candidates(args.intake)
        connections.close_all()
        window = args.intake_seconds / 2
        due = [window * i / args.intake for i in range(args.intake)]
        intake = _open_loop(port, due, args.connections, _intake_candidate(first))
        print(intake.line(f"intake: {args.intake} sign in + register"), flush=True)
        print(
            f"{'intake: all done after':34} {intake.seconds:7.1f} s "
            f"(window {args.intake_seconds:.0f} s)"
        )
        if intake.errors:
            missed.append(f"intake: {len(intake.errors)} errors, e.g. {intake.errors[0]}")
        if intake.seconds > args.intake_seconds:
            missed.append(f"intake took {intake.seconds:.0f} s > {args.intake_seconds:.0f} s")
        if intake.p(99) >= GOAL_INTAKE_P99_MS:
            missed.append(f"intake p99 {intake.p(99):.0f} ms >= {GOAL_INTAKE_P99_MS:.0f} ms")

        rate = min(GOAL_RPS, 0.8 * load.rate())
        count = int(rate * args.soak_seconds)
        soak_tokens = tokens[used:] + _setup_candidates(max(0, count - (len(tokens) - used)))
        connections.close_all()
        samples: dict[str, int] = {}

        def sample(offset: float) -> None:
            if "warm" not in samples and offset >= min(60.0, args.soak_seconds / 4):
                samples["warm"] = _rss_kib(_workers(server.pid))  # type: ignore[union-attr]

        soak = _open_loop(
            port,
            [i / rate for i in range(count)],
            args.connections,
            _register(soak_tokens),
            on_tick=sample,
        )
        samples["end"] = _rss_kib(_workers(server.pid))
        growth = samples["end"] / samples["warm"] - 1 if samples.get("warm") else 0.0
        print(soak.line(f"soak at {rate:.0f}/s for {args.soak_seconds:.0f} s"), flush=True)
        print(
            f"{'soak: web workers RSS':34} {samples.get('warm', 0) / 1024:.0f} MiB after warm-up, "
            f"{samples['end'] / 1024:.0f} MiB at the end ({growth:+.1%})"
        )
        if soak.errors:
            missed.append(f"soak: {len(soak.errors)} errors, e.g. {soak.errors[0]}")
        if growth >= GOAL_RSS_GROWTH:
            missed.append(f"soak memory grew {growth:.1%} >= {GOAL_RSS_GROWTH:.0%}")
        if soak.p(99) >= GOAL_P99_MS:
            missed.append(f"soak p99 {soak.p(99):.0f} ms >= {GOAL_P99_MS:.0f} ms")
    finally:
        if server is not None:
            _stop(server)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _drop(url)
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    print("all goals met")
    return 0


def _count_users() -> int:
    from nominee.accounts.models import User

    return User.objects.count()


if __name__ == "__main__":
    sys.exit(main())
