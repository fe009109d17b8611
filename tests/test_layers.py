"""The layer order of docs/architecture.md, enforced: no import runs against it.

Every module of ``src/nominee`` is parsed with ``ast`` (imports inside functions too) and
mapped to its app; an app may import its own modules and the apps of lower layers only.
A function-level import of project code must say why on its line or the line above, so
that they stay rare and deliberate.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "nominee"

#: Bottom first. Apps in one layer may not import each other (there is none such today,
#: except the top layer's, which compose everything). Keep docs/architecture.md in step.
LAYERS: list[tuple[str, ...]] = [
    ("scoring",),
    ("core",),
    ("audit",),
    ("program",),
    ("reference",),
    ("accounts",),
    ("api",),
    ("calculator",),
    ("employers",),
    ("eois",),
    ("draws",),
    ("casework",),
    ("publication",),
    ("site", "demo", "nominee"),
]
TOP = LAYERS[-1]


def _rank(app: str) -> int:
    for index, layer in enumerate(LAYERS):
        if app in layer:
            return index
    raise AssertionError(f"{app} is in no layer: add it to LAYERS and docs/architecture.md")


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "nominee":
        return None
    if len(parts) == 1 or not (SRC / parts[1]).is_dir():
        return "nominee"  # settings, urls, cli, wsgi: the project's own top
    return parts[1]


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported module, inside a function) for every import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found: list[tuple[int, str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - child.level + 1]
                    module = ".".join([*base, child.module] if child.module else base)
                else:
                    module = child.module or ""
                found.append((child.lineno, module, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_every_app_is_in_a_layer() -> None:
    apps = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    for app in apps:
        _rank(app)


def test_no_import_runs_against_the_layers() -> None:
    wrong = []
    for path in _sources():
        source = _app(_module(path))
        assert source is not None
        for line, target, _lazy in _imports(path):
            app = _app(target)
            if app is None or app == source:
                continue
            if source in TOP and app in TOP:
                continue
            if _rank(app) >= _rank(source):
                wrong.append(f"{path.relative_to(SRC.parent)}:{line}: {source} imports {target}")
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def test_function_level_imports_of_project_code_say_why() -> None:
    silent = []
    for path in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, target, lazy in _imports(path):
            if not lazy or _app(target) is None:
                continue
            here, above = lines[line - 1], lines[line - 2] if line > 1 else ""
            if "#" not in here and not above.strip().startswith("#"):
                silent.append(f"{path.relative_to(SRC.parent)}:{line}: {here.strip()}")
    assert not silent, "function-level imports without a reason:\n" + "\n".join(silent)


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [("eois", "draws", False), ("draws", "eois", True), ("core", "accounts", False)],
)
def test_the_check_itself_can_fail(source: str, target: str, allowed: bool) -> None:
    assert (_rank(target) < _rank(source)) is allowed
