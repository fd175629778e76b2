"""A command that fails in an unexpected way is answered privately and logged, never left without an answer."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from factories import make_policy, ny
from memory_store import MemoryStore

from bot.commands import Invocation, run_command
from bot.commands.closures import MAX_OPEN_CLOSURES
from bot.commands.run import FAILED
from bot.commands.types import Context
from bot.roles import Roles

POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
NOW = ny(2026, 11, 22, 10, 0)
OWNER = Invocation("slack", "T1", "C1", "U_OWNER")


class BrokenStore(MemoryStore):
    async def list_closures(self, *args, **kwargs):
        raise RuntimeError("disk I/O error")


async def test_an_error_inside_a_command_gets_a_private_answer_and_a_log_line(caplog):
    with caplog.at_level(logging.ERROR, logger="bot.commands.run"):
        result = await run_command(
            "closure add Dec 24 to Jan 2", Context(OWNER, store=BrokenStore(), policy=POLICY, roles=ROLES, now=NOW)
        )
    assert result == type(result)(FAILED, ok=False)
    [record] = caplog.records
    assert "AddClosure" in record.getMessage() and "U_OWNER" in record.getMessage()
    assert "disk I/O error" in caplog.text  # the traceback is in the log, for the owner or operator


@pytest.mark.parametrize(
    "text",
    ["closure add Dec 31 9999", "closure add 0001-01-01 to 0001-01-03", "closure add Dec 30 9999 to Dec 31 9999"],
)
async def test_years_that_overflowed_are_a_clear_refusal(text):
    store = MemoryStore()
    result = await run_command(text, Context(OWNER, store=store, policy=POLICY, roles=ROLES, now=NOW))
    assert not result.ok
    assert "use a date within 5 years of today" in result.text
    assert await store.list_closures(ending_after=NOW) == []


async def test_the_number_of_closures_to_come_is_capped_with_a_clear_answer():
    store = MemoryStore()
    for week in range(MAX_OPEN_CLOSURES):
        result = await run_command(
            f"closure add {(NOW + timedelta(days=7 * week + 1)).date().isoformat()}",
            Context(OWNER, store=store, policy=POLICY, roles=ROLES, now=NOW),
        )
        assert result.ok, result.text
    result = await run_command(
        "closure add 2027-12-24", Context(OWNER, store=store, policy=POLICY, roles=ROLES, now=NOW)
    )
    assert not result.ok and "already 50 closures to come" in result.text
    assert len(await store.list_closures(ending_after=NOW)) == MAX_OPEN_CLOSURES
