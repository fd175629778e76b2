"""House rules: every module says what it holds and stays small (the imports between layers are import-linter's,
see pyproject.toml)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 300


def test_every_module_has_a_docstring():
    missing = [
        str(path.relative_to(ROOT))
        for package in ("bot", "adapters", "storage")
        for path in (ROOT / package).rglob("*.py")
        if "migrations/versions" not in str(path) and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert missing == []


def test_every_module_is_short_enough_to_read_whole():
    packages = ("bot", "adapters", "storage", "tests", "benchmarks", "scripts")
    long = {
        str(path.relative_to(ROOT)): lines
        for package in packages
        for path in (ROOT / package).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
