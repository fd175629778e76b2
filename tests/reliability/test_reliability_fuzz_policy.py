"""Property-based fuzzing of policy data and files: a Policy, or a PolicyError naming each problem; never an
unhandled exception."""

from __future__ import annotations

import copy
import tempfile
import tomllib
from collections import Counter
from collections.abc import Callable
from datetime import UTC, timedelta
from pathlib import Path

from conftest import SOAK
from factories import message as client_message
from factories import ny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.models import Closure
from bot.policy import Policy
from bot.policy_loader import EXAMPLE_POLICY, PolicyError, load_policy, parse_policy
from bot.responder import Situation, decide

EXAMPLES = 2_000 if SOAK else 300
NOW = ny(2026, 11, 22, 10, 0)
EXAMPLE_TEXT = EXAMPLE_POLICY.read_text(encoding="utf-8")
EXAMPLE_DATA = tomllib.loads(EXAMPLE_TEXT)


def toml_values() -> st.SearchStrategy:
    scalars = (
        st.booleans()
        | st.integers(-(10**6), 10**6)
        | st.floats(allow_nan=True)
        | st.text(max_size=30)
        | st.sampled_from(
            [
                "09:00-17:00",
                "22:00-02:00",
                "25:00-26:00",
                "9-5",
                "",
                "1 business day",
                "0 business hours",
                "3 weeks",
                "window",
                "closure",
                "0",
                "1d",
                "-1h",
                "Narnia",
                "America/New_York",
                "US",
                "XX",
                "{next_open}",
                "{nope}",
                "{",
                "hello@x",
                "thread",
            ]
        )
        | st.dates()
        | st.times()
        | st.datetimes()
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=8,
    )


def paths(data: dict, prefix: tuple = ()) -> list[tuple]:
    found = []
    for key, value in data.items():
        found.append((*prefix, key))
        if isinstance(value, dict):
            found.extend(paths(value, (*prefix, key)))
    return found


PATHS = paths(EXAMPLE_DATA)
MUTATION = st.tuples(
    st.sampled_from(["set", "delete", "add"]), st.sampled_from(PATHS), st.text(max_size=10), toml_values()
)


def mutate(data: dict, mutations: list) -> dict:
    data = copy.deepcopy(data)
    for action, path, new_key, value in mutations:
        parent = data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue
        if action == "set":
            parent[path[-1]] = value
        elif action == "delete":
            parent.pop(path[-1], None)
        else:
            parent[new_key] = value
    return data


def use(policy: Policy) -> None:
    """A policy that validates must also work: the calendar and a decision at a few instants."""
    message = client_message("Can you call me? it's urgent", NOW)
    closure = Closure(start=NOW + timedelta(days=1), end=NOW + timedelta(days=3), reason="a break", id=1)
    for at in (NOW, NOW + timedelta(hours=11), NOW + timedelta(days=2)):
        decide(message, Situation(policy=policy, closures=(closure,)), at.astimezone(UTC))


def tally_outcome(tally: Counter, parse: Callable[[], Policy], *, named: str = "") -> None:
    """Count what `parse` gives: a policy, which must then work (`use`), or a PolicyError naming each problem (and
    `named`, the file, in its message)."""
    try:
        policy = parse()
    except PolicyError as error:
        assert error.problems and all(isinstance(p, str) and p.strip() for p in error.problems)
        assert named in str(error)
        tally["refused"] += 1
        return
    use(policy)
    tally["accepted"] += 1


def test_policy_data_gives_a_policy_or_a_policy_error_naming_each_problem(counts) -> None:
    tally: Counter = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
    def check(mutations: list) -> None:
        tally_outcome(tally, lambda: parse_policy(mutate(EXAMPLE_DATA, mutations), "fuzz.toml"))

    check()
    counts("policy data", examples=sum(tally.values()), **tally)
    assert tally["refused"] and tally["accepted"]


def edited(text: str) -> st.SearchStrategy[str]:
    """The example policy file with lines deleted, duplicated, cut short or overwritten with junk."""
    lines = text.splitlines()
    edit = st.tuples(
        st.integers(0, len(lines) - 1), st.sampled_from(["delete", "double", "cut", "junk"]), st.text(max_size=30)
    )

    def apply(edits: list) -> str:
        result = list(lines)
        for index, action, junk in edits:
            index %= max(1, len(result))
            if not result:
                break
            if action == "delete":
                del result[index]
            elif action == "double":
                result.insert(index, result[index])
            elif action == "cut":
                result[index] = result[index][: len(result[index]) // 2]
            else:
                result[index] = junk
        return "\n".join(result)

    return st.lists(edit, min_size=1, max_size=5).map(apply)


def test_policy_files_give_a_policy_or_a_policy_error(counts) -> None:
    tally: Counter = Counter()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "policy.toml"

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(
            text=edited(EXAMPLE_TEXT)
            | st.text(max_size=200)
            | st.binary(max_size=100).map(lambda b: b.decode("latin-1"))
        )
        def check(text: str) -> None:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            tally_outcome(tally, lambda: load_policy(path), named=str(path))

        check()
    counts("policy files", examples=sum(tally.values()), **tally)
    assert tally["refused"] and tally["accepted"]
