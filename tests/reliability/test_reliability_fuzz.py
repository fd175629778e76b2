"""Property-based fuzzing of every command's text (owner and client): only clear errors (CommandResult ok=False
with text), never an unhandled exception, no change on error. The policy's fuzzing is in test_reliability_fuzz_policy."""

from __future__ import annotations

import asyncio
import copy
from collections import Counter
from datetime import UTC, time

from conftest import SOAK
from factories import make_policy, ny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from memory_store import MemoryStore

from bot.commands import CommandResult, Invocation, run_command
from bot.commands.types import Context
from bot.messages import ChannelRef
from bot.models import ChannelMode, Closure, MeetingSlot
from bot.roles import Roles

EXAMPLES = 2_000 if SOAK else 300
POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
NOW = ny(2026, 11, 22, 10, 0)
OWNER = Invocation("slack", "T1", "C1", "U_OWNER", "Europe/London")
CLIENT = Invocation("slack", "T1", "C1", "U_CLIENT")

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
            result = await run_command(text, Context(invocation, store=store, policy=POLICY, roles=ROLES, now=NOW))
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
