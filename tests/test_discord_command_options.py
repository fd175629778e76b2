"""Discord slash-command options are read field by field into the core's command values, never joined into text."""

from __future__ import annotations

import pytest
from discord_harness import make_service
from memory_store import MemoryStore
from test_discord_commands import CHANNEL, CLIENT, NOW, OWNER, autocomplete, call, seed_closure

from bot.commands.run import REFUSAL


@pytest.fixture
def service():
    return make_service(MemoryStore(), NOW, owners=[OWNER])


async def test_each_option_is_its_own_field_whatever_words_it_holds(service):
    # Options are built into the command field by field, never joined into text and read again, so a reason may
    # say "backup:" and a preview may hold "|" without being misread.
    await call(service, "closure add", dates="Dec 24 to Jan 2", reason="flu, backup: Jo covers | urgent", notice="1")
    (closure,) = await service.store.list_closures(ending_after=NOW)
    assert (closure.reason, closure.backup, closure.notice_days) == ("flu, backup: Jo covers | urgent", None, (1,))
    await call(service, "closure change", number=closure.id, reason="moved, notice: 3 later")
    (changed,) = await service.store.list_closures(ending_after=NOW)
    assert (changed.reason, changed.notice_days) == ("moved, notice: 3 later", (1,))
    preview = await call(service, "boundaries preview", text="a | b, can you call me?", at="friday 21:00")
    assert "Calls happen at" in preview


async def test_a_blank_reason_is_refused_like_an_empty_reason_in_text(service):
    answer = await call(service, "closure add", dates="tomorrow", reason=" ")
    assert answer == "Sorry, I couldn't do that: reason: is empty; write reason: followed by the text"
    assert await service.store.list_closures(ending_after=NOW) == []


async def test_an_owner_only_command_refuses_before_it_reads_the_options(service):
    assert await call(service, "closure add", user=CLIENT, dates="blorp") == REFUSAL
    assert await call(service, "meeting set", user=CLIENT, weekday="tuesday", time="25:00", minutes=30) == REFUSAL


async def test_closure_change_suggests_both_its_number_and_its_dates(service):
    await seed_closure(service)
    numbers = await autocomplete(service, "closure change", "number", "")
    assert [choice.value for choice in numbers] == [1] and numbers[0].name.startswith("#1 ")
    dates = await autocomplete(service, "closure change", "dates", "dec 2")
    assert dates and all(isinstance(choice.value, str) for choice in dates)


async def test_boundaries_later_plans_lists_and_cancels_through_the_outbox(database) -> None:
    service = make_service(database.store(), NOW, owners=[OWNER])
    service.outbox = database.deliveries()
    planned = await call(service, "boundaries later", text="Here is the draft | more Monday, backup: none")
    assert planned.startswith("#1 will be posted here tomorrow (Tuesday, Nov 24) at 9:00 AM EST")
    (row,) = await database.deliveries().list_deliveries()
    assert row.text.endswith(": Here is the draft | more Monday, backup: none") and row.key.channel_id == str(CHANNEL)
    assert "#1 tomorrow (Tuesday, Nov 24) at 9:00 AM EST" in await call(service, "boundaries later")
    assert await call(service, "boundaries later", user=CLIENT, text="hi") == REFUSAL
    assert await call(service, "boundaries later", cancel=1) == "Cancelled: #1 will not be sent."
    assert await call(service, "boundaries later") == "Nothing is waiting to be sent later."
