"""The owner's wordings (bot/owner_words.toml): each is used, and each use gives exactly its placeholders."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from bot.owner_words import PLACEHOLDERS, WORDINGS, load, say

ROOT = Path(__file__).resolve().parents[1]


def _names(node: ast.expr) -> list[str] | None:
    """The wording names a say() call's first argument can be: a literal, or either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _names(node.body), _names(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _say_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """What say() is called in a module: the names it imports bot.owner_words.say as, and the module itself as."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "bot.owner_words":
            functions |= {alias.asname or alias.name for alias in node.names if alias.name == "say"}
        if isinstance(node, ast.ImportFrom) and node.module == "bot":
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == "owner_words"}
    return functions, modules


def _is_say(func: ast.expr, functions: set[str], modules: set[str]) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr == "say" and isinstance(func.value, ast.Name) and func.value.id in modules
    return isinstance(func, ast.Name) and func.id in functions


def _calls() -> tuple[dict[str, list[tuple[str, frozenset[str]]]], list[str]]:
    """Every say() call in the code: wording name -> (where, the placeholders it gives); and the calls no reader can
    check (a name computed at run time, or **values)."""
    calls: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    unreadable = []
    for package in ("bot", "adapters", "storage"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            functions, modules = _say_names(tree)
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and _is_say(node.func, functions, modules)):
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                names = _names(node.args[0]) if len(node.args) == 1 else None
                if names is None or any(keyword.arg is None for keyword in node.keywords):
                    unreadable.append(where)
                    continue
                given = frozenset(keyword.arg for keyword in node.keywords if keyword.arg is not None)
                for name in names:
                    calls[name].append((where, given))
    return calls, unreadable


def test_every_call_names_its_wording_and_gives_exactly_its_placeholders():
    calls, unreadable = _calls()
    assert unreadable == []
    wrong = {
        where: (name, sorted(given), sorted(PLACEHOLDERS.get(name, ())))
        for name, uses in calls.items()
        for where, given in uses
        if name not in WORDINGS or given != PLACEHOLDERS[name]
    }
    assert wrong == {}


def test_every_wording_is_used():
    calls, _ = _calls()
    assert sorted(set(WORDINGS) - set(calls)) == []


def test_a_missing_or_unknown_placeholder_is_an_error_not_a_message():
    with pytest.raises(ValueError, match=r"missing placeholders \['limit'\], unknown \['limits'\]"):
        say("digest.more", left=2, noun="lines", where="Slack", limits=40_000)
    with pytest.raises(KeyError, match=r"no owner wording digest\.evening"):
        say("digest.evening")


def test_counts_choose_their_word_and_formats_apply():
    assert say("closure_summary.waiting", count=1) == "Waiting for the opening: 1 message (boundaries later)."
    assert say("closure_summary.waiting", count=3) == "Waiting for the opening: 3 messages (boundaries later)."
    scheduled = say("closure_summary.scheduled", what="an update", when="tomorrow", count=0)
    assert scheduled == "Scheduled: an update tomorrow, in 0 channels."
    more = say("digest.more", left=2, noun="line(s)", where="Discord", limit=2_000)
    assert more == "…and 2 more line(s), not listed: one Discord message holds at most 2,000 characters."


@pytest.mark.parametrize(
    ("wording", "problem"),
    [
        ("Hello {", "write a literal brace"),
        ("Hello {0}", "not a named placeholder"),
        ("Hello {}", "not a named placeholder"),
        ("Hello {client.name}", "not a named placeholder"),
        ("{count} {count:one|two|many}", "more than two words"),
    ],
)
def test_a_wording_that_does_not_parse_fails_at_load(wording, problem):
    with pytest.raises(ValueError, match=problem):
        load({"digest": {"bad": wording}})


def test_a_wording_that_is_not_text_fails_at_load():
    with pytest.raises(ValueError, match="expected text"):
        load({"digest": {"bad": 3}})
    with pytest.raises(ValueError, match="expected a"):
        load({"bad": "Hello"})
