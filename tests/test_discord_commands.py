"""Discord slash commands called with interaction fakes: owner and non-owner, bad input, time zones and autocomplete."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from discord import app_commands
from discord_harness import make_service
from discord_interactions import FakeInteraction, find_command
from factories import ny
from memory_store import MemoryStore

from adapters.discord import handlers as discord_handlers
from adapters.discord.bot import BoundaryBot
from adapters.discord.commands import build_commands
from bot.commands.run import REFUSAL
from bot.messages import ChannelRef
from bot.models import ChannelMode, Closure, ClosureKind, MeetingSlot

OWNER, CLIENT, GUILD, CHANNEL = 1001, 2002, 111, 222
NOW = ny(2026, 11, 23, 21, 0)  # Monday night
REF = ChannelRef("discord", str(GUILD), str(CHANNEL))
EVER = datetime(2000, 1, 1, tzinfo=UTC)
TONIGHT = "At today at 9:00 PM EST (America/New_York time)"


@pytest.fixture
def service():
    return make_service(MemoryStore(), NOW, owners=[OWNER])


async def call(service, path: str, user: int = OWNER, **options) -> str:
    """Run /path as `user` in the guild channel and return its (ephemeral) answer."""
    interaction = FakeInteraction(user_id=user, guild_id=GUILD, channel_id=CHANNEL)
    await find_command(build_commands(service), path).callback(interaction, **options)
    return interaction.answer


async def snapshot(service) -> tuple:
    store = service.store
    closures = await store.list_closures(ending_after=EVER, include_cancelled=True)
    return (tuple(closures), tuple(await store.list_meeting_slots()), await store.get_channel_mode(REF))


async def seed_closure(service):
    await service.store.add_closure(Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 3), reason="the holidays"))


async def seed_meeting(service):
    await service.store.set_meeting_slot(MeetingSlot(REF, 1, ny(2026, 1, 1, 10, 0).time(), 30))


async def nothing(service):
    pass


OWNER_COMMANDS = [
    ("closure add", dict(dates="Dec 24 to Jan 2", reason="the holidays"), nothing, "Saved closure #1: closed "),
    ("closure now", dict(until="tomorrow", reason="sick day"), nothing, "Saved closure #1: closed "),
    ("closure list", {}, seed_closure, "#1 closed "),
    ("closure cancel", dict(number=1), seed_closure, "Cancelled closure #1"),
    (
        "closure change",
        dict(number=1, dates="Dec 24 to Jan 2", reason="winter break"),
        seed_closure,
        "Changed closure #1, now #2: closed Thursday, Dec 24 through Saturday, Jan 2, 2027, reopening Monday, "
        "Jan 4, 2027 at 9:00 AM EST (America/New_York time) — winter break.",
    ),
    (
        "meeting set",
        dict(weekday="tuesday", time="10:00", minutes=45),
        nothing,
        "This channel's weekly meeting is now Tuesdays at 10:00 (America/New_York) for 45 minutes.",
    ),
    ("meeting list", {}, seed_meeting, f"discord:{GUILD}:{CHANNEL}: Tuesdays 10:00, 30 min"),
    ("meeting skip", dict(date=None), seed_meeting, "Skipped the meeting on Tuesday, Nov 24."),
    ("meeting clear", {}, seed_meeting, "Cleared this channel's weekly meeting."),
    ("channel client", {}, nothing, "This is now a client channel"),
    ("channel internal", {}, nothing, "This is now an internal channel"),
    (
        "boundaries preview",
        dict(text="can you call me?"),
        nothing,
        f"{TONIGHT}, the bot would reply (after_hours, redirect_call)",
    ),
    (
        "boundaries preview",
        dict(text="call me | or text me"),
        nothing,
        f"{TONIGHT}, the bot would reply (after_hours, redirect_",
    ),
    (
        "boundaries preview",
        dict(text="hi | there", at="tuesday 10:00"),
        nothing,
        "At tomorrow (Tuesday, Nov 24) at 10:00 AM EST (America/New_York time), the bot would not reply",
    ),
]


@pytest.mark.parametrize(("path", "options", "seed", "expected"), OWNER_COMMANDS, ids=[c[0] for c in OWNER_COMMANDS])
async def test_owner_commands_work_for_the_owner_only(service, path, options, seed, expected):
    await seed(service)
    before = await snapshot(service)
    assert await call(service, path, user=CLIENT, **options) == REFUSAL
    assert await snapshot(service) == before  # a refusal changes nothing
    assert (await call(service, path, user=OWNER, **options)).startswith(expected)


async def test_what_the_owner_commands_store(service):
    await call(service, "closure add", dates="Dec 24 to Jan 2", reason="the holidays", backup="Jordan", notice="14,1")
    (closure,) = await service.store.list_closures(ending_after=NOW)
    assert (closure.start, closure.end, closure.reason, closure.backup, closure.notice_days) == (
        ny(2026, 12, 24),
        ny(2027, 1, 3),
        "the holidays",
        "Jordan",
        (14, 1),
    )
    await call(service, "closure now", until="wednesday", reason="sick day")
    emergency = (await service.store.list_closures(ending_after=NOW))[0]
    # "until wednesday": back on Wednesday (at its opening), not closed through it
    assert emergency.kind is ClosureKind.EMERGENCY and emergency.start == NOW and emergency.end == ny(2026, 11, 25)
    await call(service, "meeting set", weekday="thursday", time="2pm", minutes=30)
    slot = await service.store.get_meeting_slot(REF)
    assert (slot.weekday, f"{slot.local_time:%H:%M}", slot.duration_minutes) == (3, "14:00", 30)
    await call(service, "channel internal")
    assert await service.store.get_channel_mode(REF) is ChannelMode.INTERNAL


BAD_INPUT = [
    ("closure add", dict(dates="blorp"), nothing, '"blorp" is not a date I understand'),
    ("closure add", dict(dates="Jan 2 2020"), nothing, "is entirely in the past"),
    ("closure add", dict(dates="tomorrow", notice="soon"), nothing, 'notice: "soon" is not a list of days'),
    ("closure add", dict(dates="tomorrow", backup="b" * 201), nothing, "backup: is 201 characters; keep it under 200"),
    ("closure add", dict(dates="Dec 25 to Dec 26"), seed_closure, "it overlaps closure #1"),
    ("closure now", dict(until="yesterday"), nothing, "is already past"),
    ("closure cancel", dict(number=99), seed_closure, "there is no open closure #99"),
    ("closure change", dict(number=1), seed_closure, "needs new dates, a reason: or a backup:"),
    ("closure change", dict(number=1, dates="through Jan 2 2020"), seed_closure, "is entirely in the past"),
    ("meeting set", dict(weekday="tuesday", time="25:00", minutes=30), nothing, '"25:00" is not a time of day'),
    ("meeting skip", dict(date=None), nothing, "this channel has no weekly meeting"),
    ("meeting skip", dict(date="Dec 2"), seed_meeting, "is not a Tuesday"),
    ("meeting clear", {}, nothing, "this channel has no weekly meeting to clear"),
    ("boundaries preview", dict(text="hello", at="blorp"), nothing, '"blorp" is not a date I understand'),
]


@pytest.mark.parametrize(
    ("path", "options", "seed", "expected"), BAD_INPUT, ids=[f"{c[0]}-{c[3][:20]}" for c in BAD_INPUT]
)
async def test_bad_input_gets_a_private_error_and_stores_nothing(service, path, options, seed, expected):
    await seed(service)
    before = await snapshot(service)
    answer = await call(service, path, **options)  # FakeInteraction.answer checks it was ephemeral
    assert answer.startswith("Sorry, I couldn't do that: ") and expected in answer
    assert await snapshot(service) == before


async def test_hours_and_help_are_for_everyone(service):
    hours = await call(service, "hours", user=CLIENT)
    assert hours.startswith("Opening hours (America/New_York):") and "Monday: 09:00-12:00, 13:00-17:00" in hours
    assert "closure add DATES" in await call(service, "boundaries help", user=CLIENT)


async def test_timezone_set_stores_the_zone_for_that_user_and_rejects_unknown_zones(service):
    assert (
        await call(service, "timezone set", user=CLIENT, zone="Europe/London")
        == "Saved: replies to you will show times in Europe/London."
    )
    assert await service.store.get_client_timezone("discord", str(GUILD), str(CLIENT)) == "Europe/London"
    answer = await call(service, "timezone set", user=OWNER, zone="Mars/Olympus")
    assert answer.startswith("Sorry, I couldn't do that:") and "is not an IANA time zone" in answer
    assert await service.store.get_client_timezone("discord", str(GUILD), str(OWNER)) is None
    hours = await call(service, "hours", user=CLIENT)
    assert "GMT" in hours  # shown in the client's zone now


async def test_commands_in_a_direct_message_use_the_dm_workspace(service):
    interaction = FakeInteraction(user_id=CLIENT, guild_id=None, channel_id=333)
    await find_command(build_commands(service), "timezone set").callback(interaction, zone="Asia/Tokyo")
    assert await service.store.get_client_timezone("discord", "dm", str(CLIENT)) == "Asia/Tokyo"


async def autocomplete(service, path: str, option: str, current: str, user: int = OWNER):
    command = find_command(build_commands(service), path)
    interaction = FakeInteraction(user_id=user, guild_id=GUILD, channel_id=CHANNEL)
    return await command._params[option].autocomplete(interaction, current)


async def test_timezone_autocomplete_over_iana_names(service):
    assert [c.value for c in await autocomplete(service, "timezone set", "zone", "new york")] == ["America/New_York"]
    london = await autocomplete(service, "timezone set", "zone", "lond")
    assert london[0].value == "Europe/London" and london[0].name == "Europe/London"
    europe = await autocomplete(service, "timezone set", "zone", "Europe/")
    assert len(europe) == 25 and all(c.value.startswith("Europe/") for c in europe)
    empty = await autocomplete(service, "timezone set", "zone", "")
    assert empty[0].value == "America/New_York"  # the owner's zone first
    assert await autocomplete(service, "timezone set", "zone", "atlantis") == []


async def test_date_time_and_closure_autocomplete(service):
    (dates,) = await autocomplete(service, "closure add", "dates", "Dec 24 to Jan 2")
    assert dates.value == "Dec 24 to Jan 2"
    assert dates.name == "Dec 24 to Jan 2 → Thu Dec 24, 00:00 until Sun Jan 3, 00:00"
    (bad,) = await autocomplete(service, "closure now", "until", "blorp")
    assert bad.name.startswith("blorp → not understood") and bad.value == "blorp"
    examples = await autocomplete(service, "closure add", "dates", "")
    assert [c.value for c in examples][:2] == ["tomorrow", "next friday"]
    assert [c.value for c in await autocomplete(service, "meeting set", "time", "2pm")] == ["14:00"]
    await seed_closure(service)
    (closure,) = await autocomplete(service, "closure cancel", "number", "")
    assert closure.value == 1 and closure.name.startswith("#1 closed ") and "Dec 24" in closure.name
    assert [c.value for c in await autocomplete(service, "closure cancel", "number", 1)] == [1]
    assert await autocomplete(service, "closure cancel", "number", "2") == []
    assert await autocomplete(service, "closure cancel", "number", "", user=CLIENT) == []


async def test_a_failing_command_still_gets_a_private_answer(service):
    bot = BoundaryBot(service)
    interaction = FakeInteraction(user_id=CLIENT)
    await bot.tree.on_error(interaction, app_commands.AppCommandError("boom"))
    assert interaction.answer == "Sorry, something went wrong on my side; please try again."


async def test_slow_work_is_deferred_privately_and_answered_as_a_follow_up(service, monkeypatch):
    monkeypatch.setattr(discord_handlers, "ANSWER_WITHIN", 0.01)
    execute = service.execute_command

    async def slow(command, invocation):
        await asyncio.sleep(0.05)
        return await execute(command, invocation)

    service.execute_command = slow
    interaction = FakeInteraction(user_id=CLIENT, guild_id=GUILD, channel_id=CHANNEL)
    await find_command(build_commands(service), "hours").callback(interaction)
    assert interaction.response.deferred == {"ephemeral": True, "thinking": True} and not interaction.response.sent
    assert interaction.followups[0].startswith("Opening hours (America/New_York):")


async def test_long_answers_arrive_in_several_private_messages(service):
    for day in range(1, 20):
        await service.store.add_closure(
            Closure(start=ny(2027, 2, day, 9), end=ny(2027, 2, day, 10), reason="a long reason " * 6)
        )
    interaction = FakeInteraction(user_id=OWNER, guild_id=GUILD, channel_id=CHANNEL)
    await find_command(build_commands(service), "closure list").callback(interaction)
    assert (
        len(interaction.answer) <= 2000 and interaction.followups and all(len(f) <= 2000 for f in interaction.followups)
    )
    assert "#19 " in interaction.followups[-1]


async def test_closure_autocomplete_answers_from_memory_however_slow_the_database(service):
    await seed_closure(service)
    commands = build_commands(service)
    interaction = FakeInteraction(user_id=OWNER, guild_id=GUILD, channel_id=CHANNEL)
    suggest = find_command(commands, "closure cancel")._params["number"].autocomplete
    assert [c.value for c in await suggest(interaction, "")] == [1]  # read once, quickly
    read = service.store.list_closures
    reads = []

    async def slow(**kwargs):
        reads.append(kwargs)
        await asyncio.sleep(3.5)
        return await read(**kwargs)

    service.store.list_closures = slow
    for _ in range(3):  # Discord drops suggestions that take 3 s: each answer comes from memory
        assert [c.value for c in await asyncio.wait_for(suggest(interaction, ""), timeout=3)] == [1]
    assert len(reads) == 1  # one read in the background at a time


async def test_status_and_forget_are_the_owners_and_forget_asks_first(service):
    from types import SimpleNamespace

    from factories import message

    from bot.models import SentReply

    await service.store.set_client_timezone("discord", str(GUILD), str(CLIENT), "Europe/Paris")
    await service.store.record_replies(
        message(
            "hello?", NOW, author_id=str(CLIENT), platform="discord", workspace_id=str(GUILD), channel_id=str(CHANNEL)
        ),
        [SentReply("after_hours", "w", NOW)],
    )
    client = SimpleNamespace(id=CLIENT)
    assert await call(service, "boundaries status", user=CLIENT) == REFUSAL
    assert (await call(service, "boundaries status")).startswith("Closed now")
    assert await call(service, "boundaries forget", user=CLIENT, client=client, confirm=True) == REFUSAL
    asked = await call(service, "boundaries forget", client=client)
    assert asked.startswith(f"This erases what is stored about <@{CLIENT}>:") and "confirm" in asked
    assert await service.store.get_client_timezone("discord", str(GUILD), str(CLIENT)) == "Europe/Paris"
    done = await call(service, "boundaries forget", client=client, confirm=True)
    assert done.startswith(f"Erased what was stored about <@{CLIENT}>:")
    assert await service.store.get_client_timezone("discord", str(GUILD), str(CLIENT)) is None
    assert (await call(service, "boundaries forget", client=client)).startswith("Nothing is stored about")
