"""Lotse's apps exist under one name only: `lotse.<app>`.

A module imported both as `network.models` and `lotse.network.models` would define its models
twice, and Django's app registry refuses (or worse, half-works). ruff's banned-api rule (TID251)
catches bare imports in the code it lints; this test also covers migrations and what dotted
strings in settings import at run time.
"""

import ast
import sys
from pathlib import Path

import lotse.network

ROOT = Path(__file__).resolve().parent.parent
APPS = {"network", "directory", "handover", "search"}
SKIP = {".venv", "build", "node_modules", ".git"}


def python_files():
    for path in ROOT.rglob("*.py"):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def bare_imports(path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            if name.split(".")[0] in APPS:
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {name}"


def test_no_file_imports_an_app_by_its_bare_name():
    found = [hit for path in python_files() for hit in bare_imports(path)]
    assert found == []


def test_no_app_module_was_loaded_under_its_bare_name():
    loaded = sorted(name for name in sys.modules if name.split(".")[0] in APPS)
    assert loaded == []


def test_the_checkout_provides_lotse_network_from_the_network_folder():
    assert Path(lotse.network.__file__) == ROOT / "network" / "__init__.py"
