"""Property-based fuzzing of every command's text (owner and client) and of policy files: only clear errors
(CommandResult ok=False with text, PolicyError with problems), never an unhandled exception, no change on error."""

from __future__ import annotations

import asyncio
import copy
import tempfile
import tomllib
from collections import Counter
from datetime import UTC, time, timedelta
from pathlib import Path

from conftest import SOAK
from factories import make_policy, ny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from memory_store import MemoryStore

from bot.commands import CommandResult, Invocation, run_command
from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, Closure, MeetingSlot
from bot.policy import Policy
from bot.policy_loader import EXAMPLE_POLICY, PolicyError, load_policy, parse_policy
from bot.responder import Situation, decide
from bot.roles import Roles

EXAMPLES = 2_000 if SOAK else 300
POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
NOW = ny(2026, 11, 22, 10, 0)
OWNER = Invocation("slack", "T1", "C1", "U_OWNER", "Europe/London")
CLIENT = Invocation("slack", "T1", "C1", "U_CLIENT")
EXAMPLE_TEXT = EXAMPLE_POLICY.read_text(encoding="utf-8")
EXAMPLE_DATA = tomllib.loads(EXAMPLE_TEXT)

GROUPS = {
    "closure": ["add", "now", "list", "cancel"],
    "meeting": ["set", "list", "skip", "clear"],
    "channel": ["client", "internal"],
    "boundaries": ["preview", "guide", "hours", "timezone", "help"],
    "hours": [""],
    "timezone": ["set"],
    "help": [""],
}
TOKENS = [
    "Dec 24",
    "to",
    "Jan 2",
    "tomorrow",
    "yesterday",
    "next friday",
    "13:00",
    "17:00",
    "9am",
    "noon",
    "midnight",
    "25:00",
    "2026-12-24",
    "2026-02-30",
    "1999-01-01",
    "-",
    "until",
    "in 3 days",
    "0",
    "-1",
    "#1",
    "#2",
    "7",
    "99999999999999999999",
    "reason:",
    "backup:",
    "notice:",
    "14,1",
    "0,400",
    "1,,2",
    "|",
    "at",
    "now",
    "Europe/London",
    "America/New_York",
    "Mars/Olympus_Mons",
    "UTC",
    "45m",
    "for 9999 minutes",
    "monday",
    "mon",
    "m",
    "tuesday",
    "𝕯𝖊𝖈 𝟐𝟒",
    "\u200b",
    "\x00",
    "\n",
    "'; DROP TABLE closures; --",
    "x" * 300,
    "{reason}",
    "%s",
]


def text_for_commands() -> st.SearchStrategy[str]:
    group = st.sampled_from(sorted(GROUPS)) | st.text(max_size=12)
    known = st.sampled_from(sorted(GROUPS)).flatmap(lambda g: st.tuples(st.just(g), st.sampled_from(GROUPS[g])))
    head = known.map(" ".join) | st.tuples(group, st.text(max_size=10)).map(" ".join)
    tail = st.lists(st.sampled_from(TOKENS) | st.text(max_size=20), max_size=8).map(" ".join)
    return st.tuples(st.sampled_from(["", "/", "  "]), head, tail).map(lambda parts: f"{parts[0]}{parts[1]} {parts[2]}")


async def seeded_store() -> MemoryStore:
    """State for the commands to act on: an upcoming and a cancelled closure, a meeting, a marked channel."""
    store = MemoryStore()
    channel = ChannelRef("slack", "T1", "C1")
    await store.add_closure(
        Closure(
            start=ny(2026, 12, 24).astimezone(UTC),
            end=ny(2027, 1, 3).astimezone(UTC),
            reason="the holidays",
            created_at=NOW,
        )
    )
    cancelled = await store.add_closure(
        Closure(start=ny(2026, 12, 1).astimezone(UTC), end=ny(2026, 12, 2).astimezone(UTC), created_at=NOW)
    )
    await store.cancel_closure(cancelled.id, NOW)
    await store.set_meeting_slot(MeetingSlot(channel, weekday=1, local_time=time(10, 30)))
    await store.set_channel_mode(channel, ChannelMode.CLIENT)
    await store.set_client_timezone("slack", "T1", "U_CLIENT", "Europe/London")
    return store


def test_command_text_from_owner_and_client_gives_clear_answers_and_changes_nothing_on_error(counts) -> None:
    tally: Counter = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=text_for_commands(), invocation=st.sampled_from([OWNER, CLIENT]))
    def check(text: str, invocation: Invocation) -> None:
        async def run() -> tuple[CommandResult, dict, dict]:
            store = await seeded_store()
            before = copy.deepcopy(vars(store))
            result = await run_command(text, invocation, store=store, policy=POLICY, roles=ROLES, now=NOW)
            return result, before, vars(store)

        result, before, after = asyncio.run(run())
        assert isinstance(result, CommandResult) and isinstance(result.text, str) and result.text.strip()
        who = "owner" if invocation is OWNER else "client"
        if result.ok:
            tally[f"{who} ok"] += 1
        else:
            tally[f"{who} refused"] += 1
            assert after == before, f"{text!r} failed but changed the store"

    check()
    counts("commands", examples=sum(tally.values()), **{k.replace(" ", "_"): v for k, v in sorted(tally.items())})
    assert tally["owner refused"] and tally["owner ok"] and tally["client refused"]


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
    message = IncomingMessage(
        platform="slack",
        workspace_id="T1",
        channel_id="C1",
        message_id="m",
        author_id="U",
        text="Can you call me? it's urgent",
        event_id="e",
        received_at=NOW,
    )
    closure = Closure(start=NOW + timedelta(days=1), end=NOW + timedelta(days=3), reason="a break", id=1)
    for at in (NOW, NOW + timedelta(hours=11), NOW + timedelta(days=2)):
        decide(message, Situation(policy=policy, closures=(closure,)), at.astimezone(UTC))


def test_policy_data_gives_a_policy_or_a_policy_error_naming_each_problem(counts) -> None:
    tally: Counter = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
    def check(mutations: list) -> None:
        try:
            policy = parse_policy(mutate(EXAMPLE_DATA, mutations), "fuzz.toml")
        except PolicyError as error:
            assert error.problems and all(isinstance(p, str) and p.strip() for p in error.problems)
            tally["refused"] += 1
            return
        use(policy)
        tally["accepted"] += 1

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
            try:
                policy = load_policy(path)
            except PolicyError as error:
                assert error.problems and all(isinstance(p, str) and p.strip() for p in error.problems)
                assert str(path) in str(error)
                tally["refused"] += 1
                return
            use(policy)
            tally["accepted"] += 1

        check()
    counts("policy files", examples=sum(tally.values()), **tally)
    assert tally["refused"] and tally["accepted"]
