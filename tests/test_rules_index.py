"""docs/rules.md stays true: every test it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_test_the_rules_index_names_exists() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    missing = []
    current = None
    for match in re.finditer(r"`([a-z_]+/test_[a-z_]+\.py)?(::)?([a-z0-9_]+)?`", text):
        path, _sep, name = match.groups()
        if path:
            current = ROOT / "tests" / path
            if not current.exists():
                missing.append(path)
                continue
        elif not _sep:
            continue
        if name and current is not None and f"def {name}(" not in current.read_text("utf-8"):
            missing.append(f"{current.relative_to(ROOT)}::{name}")
    assert not missing, f"docs/rules.md names tests that do not exist: {missing}"
