"""`boundaries later TEXT`: the owner's message waits in the outbox and is posted once, at the next opening."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from factories import make_policy, ny
from scheduling_fakes import RecordingPoster

from bot.clock import SimulatedClock
from bot.commands import Invocation, run_command
from bot.commands.run import REFUSAL
from bot.commands.types import Context
from bot.models import Closure
from bot.roles import Roles
from bot.sender import Sender

POLICY = make_policy(owner={"name": "Dana"})
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
OWNER = Invocation("slack", "T1", "C1", "U_OWNER")
CLIENT = Invocation("slack", "T1", "C1", "U_CLIENT")
TEN_PM = ny(2026, 11, 23, 22, 0)  # a Monday night
NINE_AM = ny(2026, 11, 24, 9, 0)


async def later(database, text: str, now=TEN_PM, who=OWNER):
    return await run_command(
        f"boundaries later {text}".strip(),
        Context(who, store=database.store(), policy=POLICY, roles=ROLES, now=now, queue=database.deliveries()),
    )


def sender(database, clock, poster) -> Sender:
    return Sender(database.deliveries(), {"slack": poster}, clock, pacing={})


async def test_a_message_at_ten_pm_is_posted_once_at_nine_and_not_before(database_factory) -> None:
    database = await database_factory.migrated()
    answer = await later(database, "Here is the draft; more on Monday.")
    assert answer.ok and answer.text.startswith("#1 will be posted here tomorrow (Tuesday, Nov 24) at 9:00 AM EST")
    assert "signed as Dana;" in answer.text and "boundaries later cancel 1" in answer.text
    clock = SimulatedClock(TEN_PM)
    poster = RecordingPoster("slack", clock)
    await sender(database, clock, poster).run_once()
    clock.set(NINE_AM - timedelta(minutes=1))
    await sender(database, clock, poster).run_once()
    assert poster.posts == []
    clock.set(NINE_AM)
    restarted = sender(database, clock, poster)  # a new process: nothing in memory
    await asyncio.gather(restarted.run_once(), sender(database, clock, poster).run_once())  # and a second replica
    await restarted.run_once()
    ((post, at),) = poster.posts
    assert (post.channel.channel_id, post.text, at) == ("C1", "Dana: Here is the draft; more on Monday.", NINE_AM)


async def test_listing_and_cancelling_what_waits(database_factory) -> None:
    database = await database_factory.migrated()
    await later(database, "first")
    await later(database, "second " + "x" * 200)
    listed = (await later(database, "")).text
    assert listed.startswith("Waiting to be sent at the opening:\n#1 tomorrow (Tuesday, Nov 24) at 9:00 AM EST")
    assert "in #C1: Dana: first" in listed and listed.count("\n#") == 2 and listed.endswith("…")
    assert (await later(database, "cancel 1")).text == "Cancelled: #1 will not be sent."
    again = await later(database, "cancel #1")
    assert not again.ok and "there is no message #1 waiting to be sent later" in again.text
    clock = SimulatedClock(NINE_AM)
    poster = RecordingPoster("slack", clock)
    await sender(database, clock, poster).run_once()
    assert [post.text[:12] for post, _ in poster.posts] == ["Dana: second"]
    assert (await later(database, "cancel 2")).ok is False  # already out
    assert (await later(database, "")).text == "Nothing is waiting to be sent later."


async def test_a_closure_in_between_moves_it_to_the_reopening(database) -> None:
    await database.store().add_closure(Closure(start=ny(2026, 11, 24), end=ny(2026, 11, 25), reason="sick"))
    answer = await later(database, "Back on Wednesday with this.")
    assert answer.text.startswith("#1 will be posted here Wednesday, Nov 25 at 9:00 AM EST")


async def test_while_open_it_goes_out_at_once(database) -> None:
    answer = await later(database, "Quick note.", now=ny(2026, 11, 24, 10, 0))
    assert answer.text.startswith("#1 will be posted here now: you are open")


async def test_only_the_owner_and_only_with_a_message_that_fits(database) -> None:
    assert (await later(database, "hello", who=CLIENT)).text == REFUSAL
    long = await later(database, "x" * 1_901)
    assert not long.ok and "the message is 1,901 characters; keep it under 1,900" in long.text
    blank = await later(database, "cancel")
    assert not blank.ok and "boundaries later cancel needs the message's number" in blank.text
    assert await database.deliveries().list_deliveries() == []
    no_outbox = await run_command(
        "boundaries later hi", Context(OWNER, store=database.store(), policy=POLICY, roles=ROLES, now=TEN_PM)
    )
    assert not no_outbox.ok and "needs the bot's outbox" in no_outbox.text


async def test_on_slack_with_the_owner_s_token_it_goes_out_in_their_own_name(fake, database) -> None:
    from slack_harness import command_fields, start_http
    from slack_user_fake import USER_TOKEN

    from bot.scheduling import Scheduling

    async for http in start_http(fake, database, at=ny(2026, 11, 23, 22), slack_user_token=USER_TOKEN):
        http.service.outbox = queue = database.deliveries()
        fields = command_fields("/boundaries", "later Here is the draft; more on Monday.", fake=fake)
        fields["channel_id"] = "C_CLIENT"
        assert (await http.command(fields))[0] == 200
        await http.settle()
        sender = Sender(queue, {"slack": http.bot.poster}, http.clock, pacing={})
        scheduling = Scheduling(http.service.store, queue, http.service.policy, sender, http.clock)
        http.clock.set(ny(2026, 11, 24, 9, 0))
        fake.fail("chat.postMessage", status=0, handled=True)  # posted, but the answer is lost
        await scheduling.tick()
        for _ in range(3):
            http.clock.advance(timedelta(minutes=1))
            await scheduling.tick()
        (lookup,) = fake.calls_to("conversations.history")  # found by the bot, whose token reads the channel
        assert lookup.token != USER_TOKEN
        (post,) = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "C_CLIENT"]
        assert (post.token, post.args["text"]) == (USER_TOKEN, "Here is the draft; more on Monday.")  # unsigned
        assert fake.history["C_CLIENT"][0]["user"] == "U_OWNER"
