"""House rules: the core never imports a platform library, and every module says what it holds."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIBRARIES = {"slack_bolt", "slack_sdk", "discord", "aiohttp"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_never_imports_a_platform_library():
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & PLATFORM_LIBRARIES)
        for path in (ROOT / "bot").rglob("*.py")
        if imported_roots(path) & PLATFORM_LIBRARIES
    }
    assert offenders == {}


def test_the_check_catches_an_offender(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    from slack_sdk.web import WebClient\n    import discord.ext\n")
    assert imported_roots(sneaky) & PLATFORM_LIBRARIES == {"slack_sdk", "discord"}


def test_every_module_has_a_docstring():
    missing = [
        str(path.relative_to(ROOT))
        for package in ("bot", "adapters", "storage")
        for path in (ROOT / package).rglob("*.py")
        if "migrations/versions" not in str(path) and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert missing == []
