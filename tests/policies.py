"""Policy documents for tests: the shipped one with a version changed as a test needs."""

from __future__ import annotations

import copy
import json
from datetime import date
from importlib import resources
from typing import Any

#: The day from which the tests' policy requires an employer's approved registration (a day
#: of the tests' choosing: in the past whenever they run, and not the shipped 2026 version's).
REQUIRED_FROM = date(2026, 1, 15)


def registration_policy(required_from: date | None) -> dict[str, Any]:
    """The shipped policy document, its versions requiring an employer's registration from
    ``required_from`` only (never, for None), whatever the shipped versions say.

    A version effective on ``required_from`` is added (a copy of the one in force then)
    unless one starts that day; every later version requires it too.
    """
    text = resources.files("nominee.scoring").joinpath("data", "policy.json").read_text("utf-8")
    document = json.loads(text)
    versions = sorted(document["versions"], key=lambda v: v["effective_from"])
    for version in versions:
        version["employer"]["registration_required"] = False
    if required_from is not None:
        day = required_from.isoformat()
        if not any(v["effective_from"] == day for v in versions):
            in_force = [v for v in versions if v["effective_from"] <= day][-1]
            added = copy.deepcopy(in_force)
            added["effective_from"] = day
            added["note"] = "tests: employers must be registered with the program"
            versions.append(added)
        for version in versions:
            if version["effective_from"] >= day:
                version["employer"]["registration_required"] = True
    document["versions"] = versions
    return document
