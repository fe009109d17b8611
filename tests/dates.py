"""Program dates the tests run on (the ``program_date`` mark, tests/conftest.py).

The five 2025 streams closed on 2026-05-30 (DOMAIN §9): a test of the 2025 program that
registers "today" runs on a day they were open, ``pytestmark = IN_2025`` (or the mark on
one test), rather than on the day the suite happens to run.
"""

from __future__ import annotations

import pytest

#: A Monday the five streams of 2025 were open, after the 2025-07-02 reform (no legacy) and
#: the November daylight-saving change, with every invitation window ending before the
#: streams closed.
OPEN_2025 = "2025-11-17T10:00:00-05:00"
IN_2025 = pytest.mark.program_date(OPEN_2025)

#: A day of 2026 before the 2025 streams closed (2026-05-30), after the tests' own policy
#: starts requiring employers' registration (``tests.policies.REQUIRED_FROM``).
BEFORE_CLOSING_2026 = "2026-03-02T10:00:00-05:00"
IN_2026_BEFORE_CLOSING = pytest.mark.program_date(BEFORE_CLOSING_2026)

#: The day of the draws tests' default criteria (``tests.draws.pools.criteria``): a draw is
#: executed on its date, never after (decision 75), so those tests run on that day.
DRAW_DAY_2025 = "2025-09-03T10:00:00-04:00"
ON_DRAW_DAY_2025 = pytest.mark.program_date(DRAW_DAY_2025)
