"""An EOI import killed (SIGKILL) half-way, with chunks written and the pool's indexes
dropped for the bulk load, leaves the database as it was (rows, indexes and constraints),
on SQLite and PostgreSQL; run again, it imports every line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.processes import SNAPSHOT, database_env, kill_half_way, run

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LINES = 12

# The EOI and candidate tables' indexes and constraints, as the database describes them.
SCHEMA = """
import json
from django.db import connection
from nominee.eois.models import EOI, Candidate
with connection.cursor() as cursor:
    print(json.dumps({
        table: sorted(
            [name, info["columns"], info["unique"], bool(info["foreign_key"]), info["index"]]
            for name, info in connection.introspection.get_constraints(cursor, table).items()
        )
        for table in (EOI._meta.db_table, Candidate._meta.db_table)
    }))
"""

IMPORT = """
import json, sys
from nominee.eois import services
from nominee.eois.bulk import prepare, write
from tests.processes import pause_after
prepare.CHUNK_LINES = 3
if sys.argv[1] == "pause":
    # Written: the first chunk's candidates and EOIs, into a pool whose indexes are dropped.
    pause_after(write, "write_prepared")
line = {
    "stream": "foreign-worker", "registered_at": "2025-07-15T10:20:30Z",
    "job_offer": {"noc": "21231", "hourly_wage": 60.5, "census_division": "3520"},
    "permit": "work", "job_tenure_months": 7, "highest_annual_earnings": 52000,
    "languages": {"english": 9, "french": None},
}
lines = [
    json.dumps({**line, "id": f"FW-{i:04d}", "candidate_name": f"C {i}",
                "candidate_email": f"c{i}@example.com"}) + "\\n"
    for i in range(int(sys.argv[2]))
]
result = services.import_eois(actor=None, lines=lines, workers=1)
print(json.dumps(result.imported))
"""


def test_an_import_killed_half_way_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    env = database_env(tmp_path)
    before, schema = json.loads(run(SNAPSHOT, env)), json.loads(run(SCHEMA, env))
    kill_half_way(IMPORT, env, "pause", str(LINES))
    assert json.loads(run(SNAPSHOT, env)) == before
    assert json.loads(run(SCHEMA, env)) == schema
    assert json.loads(run(IMPORT, env, "go", str(LINES)).strip().splitlines()[-1]) == LINES
    after = json.loads(run(SNAPSHOT, env))
    assert after["eois_eoi"][0] == LINES
    assert json.loads(run(SCHEMA, env)) == schema
