"""A nomination whose process is killed (SIGKILL) half-way, after the allocation counted it
and before the file's decision and audit event were written, leaves the database as it was,
on SQLite and PostgreSQL; approved again, the file is nominated once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.processes import SNAPSHOT, database_env, kill_half_way, run

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SEED = """
import json
from django.contrib.auth.models import Group
from nominee.accounts.models import User
from tests.casework.files import ready_file
manager = User.objects.create_user(email="martin@example.com", password="x")
manager.groups.add(Group.objects.get(name="manager"))
print(json.dumps(ready_file().pk))
"""

APPROVE = """
import json, sys
from nominee.accounts.models import User
from nominee.casework import services
from nominee.casework.services import nominations
from tests.processes import pause_after
if sys.argv[1] == "pause":
    # The nomination row written and the year's count raised; the decision not yet.
    pause_after(nominations, "_take_nomination")
manager = User.objects.get(email="martin@example.com")
nomination = services.approve_application(actor=manager, application=int(sys.argv[2]))
print(json.dumps(nomination.certificate))
"""


def test_a_nomination_killed_half_way_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    env = database_env(tmp_path)
    pk = json.loads(run(SEED, env).strip().splitlines()[-1])
    before = json.loads(run(SNAPSHOT, env))
    kill_half_way(APPROVE, env, "pause", str(pk))
    assert json.loads(run(SNAPSHOT, env)) == before
    certificate = json.loads(run(APPROVE, env, "go", str(pk)).strip().splitlines()[-1])
    assert certificate.startswith("ON-")
    after = json.loads(run(SNAPSHOT, env))
    assert after["casework_nomination"][0] == before["casework_nomination"][0] + 1
    assert after["casework_allocation"] != before["casework_allocation"]
