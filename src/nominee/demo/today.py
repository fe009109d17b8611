"""Demo step of today's program (DOMAIN §9): the redesign replayed, and a live 2026 pool.

After the 2025 history of the earlier steps:

- the un-invited EOIs of the five 2025 streams (closed on 2026-05-30 by the registry) are
  withdrawn on 2026-06-25, by the demo manager, through the program's own service (so the
  public history of changes, the audit log and the notices are those of the real act);
- the pool's employers are registered with the program (approved by the demo officer in
  July 2026, before the Workforce Priority stream took registrations);
- a live Workforce Priority pool of :data:`POOL_SIZE` EOIs in its three pathways,
  registered over the :data:`POOL_DAYS` days before the day the demo is loaded (never
  before registration reopened on :data:`REOPENED`), so that an officer can preview and
  run a draw today whatever day that is.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from nominee.accounts.models import User
from nominee.audit.services import record
from nominee.core.timeutil import PROGRAM_TZ, today
from nominee.employers.models import Employer, EmployerRegistration
from nominee.eois import services as eois
from nominee.eois.closing import closed_streams
from nominee.eois.generate import Generator
from nominee.program import streams

from .eois import load_pool, pool_owner

STREAM = "workforce-priority"
POOL_SIZE = 4_000
POOL_DAYS = 120
SEED = 2026
EMPLOYERS = 200
#: The day the un-invited EOIs of the closed streams were withdrawn (DOMAIN §9).
WITHDRAWN_ON = datetime(2026, 6, 25, 9, 0, tzinfo=PROGRAM_TZ)
#: Registration reopened in the new stream (one report, UNCONFIRMED; DOMAIN §9).
REOPENED = date(2026, 8, 4)
#: The pool's employers were approved before the stream took registrations.
APPROVED_AT = datetime(2026, 7, 2, 10, 0, tzinfo=PROGRAM_TZ)
MANAGER_EMAIL = "manager@demo.nominee.test"
OFFICER_EMAIL = "officer@demo.nominee.test"


def pool_window(on: date) -> tuple[date, date]:
    """The registration days of the live pool: the :data:`POOL_DAYS` before ``on``."""
    opened = max(streams.info(STREAM).effective_from, REOPENED)
    end = on - timedelta(days=1)
    return max(opened, end - timedelta(days=POOL_DAYS - 1)), end


def load(out: TextIO | Any) -> None:
    """Replay the redesign and load the live Workforce Priority pool (module docstring)."""
    manager = User.objects.get(email=MANAGER_EMAIL)
    withdrawn = 0
    # The demo loads in one transaction: the durable service's body runs inside it, as the
    # casework step's do (decision 39).
    withdraw: Any = getattr(eois.withdraw_closed_stream_eois, "__wrapped__")  # noqa: B009
    for code, _closing in closed_streams(WITHDRAWN_ON.astimezone(PROGRAM_TZ).date()):
        withdrawn += withdraw(actor=manager, stream=code, now=WITHDRAWN_ON).count
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo data, reproducible by design
    start, end = pool_window(today())
    documents = list(
        Generator(
            count=POOL_SIZE,
            seed=SEED,
            start=start,
            end=end,
            first_number=1,
            streams=[STREAM],
        ).documents()
    )
    loaded = load_pool(documents, rng=rng, employers=EMPLOYERS)
    approved = _register_pool_employers(User.objects.get(email=OFFICER_EMAIL))
    record(
        actor=None,
        action="eois.demo_loaded",
        subject_type="eois.import",
        subject_id="demo-today",
        data={
            "eois": loaded.eois,
            "employers": len(loaded.new_employers),
            "registered_employers": approved,
            "withdrawn": withdrawn,
        },
    )
    out.write(
        f"  today's program: {withdrawn} EOIs of the closed streams withdrawn on "
        f"{WITHDRAWN_ON.date().isoformat()}; {loaded.eois} Workforce Priority EOIs registered "
        f"{start.isoformat()}..{end.isoformat()} ({loaded.job_offers} job offers), "
        f"{approved} employers registered with the program"
    )


def _register_pool_employers(officer: User) -> int:
    """Approve the pool employers' registrations, dated before the stream's registrations.

    Written in bulk (hundreds of businesses); the walkthrough employers of the employers'
    step went through the services.
    """
    owner = pool_owner()
    pending = Employer.objects.filter(contacts__user=owner).exclude(
        registrations__status=EmployerRegistration.Status.APPROVED
    )
    requested = APPROVED_AT - timedelta(days=6)
    rows = [
        EmployerRegistration(
            employer=employer,
            status=EmployerRegistration.Status.APPROVED,
            requested_by=owner,
            requested_at=requested,
            decided_by=officer,
            decided_at=APPROVED_AT,
            reasons="Demo: business number, premises and signing officer checked.",
        )
        for employer in pending.distinct()
    ]
    EmployerRegistration.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
