"""The owner keeps the boundary too: posting in a client channel during a closure offers "back early?", and (with
owner.nudge) posting after hours a reminder; each privately, once per closure or off-hours stretch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import make_policy, message, ny
from scheduling_fakes import RecordingPoster
from slack_harness import message_event

from bot.clock import SimulatedClock
from bot.models import ChannelMode, Closure
from bot.owner_prompts import PROMPT_KIND
from bot.roles import Roles
from bot.sender import Sender
from bot.service import BoundaryService

ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})}, team={"slack": frozenset({"U_TEAM"})})
MONDAY_11PM = ny(2026, 11, 23, 23, 4)


def world(database, at, **owner):
    clock = SimulatedClock(at)
    service = BoundaryService(database.store(), make_policy(owner=owner), ROLES, clock)
    service.outbox = database.deliveries()
    chat = RecordingPoster("slack", clock)
    return service, Sender(service.outbox, {"slack": chat}, clock), chat, clock


async def prompts(service) -> list:
    return await service.outbox.list_deliveries(kinds=[PROMPT_KIND])


async def test_the_owner_posting_during_a_closure_is_asked_back_early_once_in_private(database) -> None:
    service, sender, chat, clock = world(database, ny(2026, 12, 28, 10))
    await service.store.add_closure(Closure(ny(2026, 12, 24), ny(2027, 1, 3), "the holidays"))
    await service.handle_message(message("Quick answer: yes, approved.", clock(), author_id="U_OWNER"))
    await service.handle_message(message("And the other one too", clock(), author_id="U_OWNER", channel_id="C2"))
    await sender.run_once()
    (post,) = [p for p, _ in chat.posts]
    assert post.channel.channel_id == "U_OWNER" and post.key.startswith(PROMPT_KIND)  # a direct message, not C1
    assert post.text.startswith("You're closed until Monday, Jan 4, 2027 at 9:00 AM EST")
    assert "`closure end` ends the closure now" in post.text
    await service.handle_message(message("team here", clock(), author_id="U_TEAM"))  # the team is not asked
    assert len(await prompts(service)) == 1


async def test_the_nudge_comes_once_per_off_hours_stretch_and_only_when_asked_for(database) -> None:
    service, sender, chat, clock = world(database, MONDAY_11PM, nudge=True)
    await service.handle_message(message("Sure, sending it now", clock(), author_id="U_TEAM"))
    clock.advance(timedelta(minutes=30))
    await service.handle_message(message("done", clock(), author_id="U_TEAM"))
    await sender.run_once()
    (post,) = [p for p, _ in chat.posts]
    assert post.channel.channel_id == "U_TEAM" and post.text.startswith(
        "It's 11:04 PM: clients learn from when you answer."
    )
    assert "posts your next message tomorrow (Tuesday, Nov 24) at 9:00 AM EST" in post.text
    clock.set(ny(2026, 11, 24, 10))  # open: nothing
    await service.handle_message(message("morning!", clock(), author_id="U_TEAM"))
    clock.set(ny(2026, 11, 24, 22))  # the next evening: once more
    await service.handle_message(message("one more", clock(), author_id="U_TEAM"))
    assert len(await prompts(service)) == 2
    quiet, *_ = world(database, MONDAY_11PM)  # nudge off (the default): nothing
    await quiet.handle_message(message("late reply", MONDAY_11PM, author_id="U_OWNER", channel_id="C9"))
    assert len(await prompts(service)) == 2


@pytest.mark.parametrize("where", ["internal channel", "direct message"])
async def test_no_prompt_for_posts_outside_client_channels(database, where) -> None:
    service, _, _, clock = world(database, MONDAY_11PM, nudge=True)
    if where == "internal channel":
        await service.store.set_channel_mode(message("", clock()).channel, ChannelMode.INTERNAL)
    extra = {"is_direct_message": True} if where == "direct message" else {}
    await service.handle_message(message("late reply", clock(), author_id="U_OWNER", **extra))
    assert await prompts(service) == []


async def test_two_replicas_queue_one_prompt(database) -> None:
    first, *_ = world(database, MONDAY_11PM, nudge=True)
    second, *_ = world(database, MONDAY_11PM, nudge=True)
    await first.handle_message(message("late", MONDAY_11PM, author_id="U_OWNER"))
    await second.handle_message(message("later", MONDAY_11PM, author_id="U_OWNER", channel_id="C2"))
    assert len(await prompts(first)) == 1


async def test_on_slack_the_prompt_s_button_ends_the_closure_and_clients_hear_it_once(http, database) -> None:
    from test_promise_done_button import press

    from bot.scheduling import Scheduling

    http.clock.set(ny(2026, 11, 24, 10))
    store, queue = http.service.store, database.deliveries()
    http.service.outbox = queue
    await store.remember_channel(message("", http.clock(), channel_id="C_CLIENT").channel)
    await store.add_closure(Closure(ny(2026, 11, 23), ny(2026, 11, 28), "a family matter"))
    sender = Sender(queue, {"slack": http.bot.poster}, http.clock)
    scheduling = Scheduling(store, queue, http.service.policy, sender, http.clock)
    await http.event(message_event("Quick yes on the invoice", user="U_OWNER"))
    await http.settle()
    await scheduling.tick()
    (prompt,) = [c for c in http.fake.calls_to("chat.postMessage") if c.args["channel"] == "DU_OWNER"]
    end, once = prompt.args["blocks"][-1]["elements"]
    assert (end["text"]["text"], end["value"], "confirm" in end) == ("End the closure now", "closure end 1", True)
    assert (once["text"]["text"], once["value"]) == ("Just this once", "")
    body = press("DU_OWNER", "1795489000.000300", 0, prompt.args["text"])
    body["actions"][0].update(action_id=end["action_id"], value=end["value"])
    assert await http.interactive(body) == (200, "")
    await http.settle()
    await scheduling.tick()
    await scheduling.tick()
    back = [c for c in http.fake.calls_to("chat.postMessage") if c.args["channel"] == "C_CLIENT"]
    assert [c.args["text"][:11] for c in back] == ["We're back!"]
    assert "Ended closure #1" in http.fake.calls_to("chat.update")[-1].args["blocks"][-1]["elements"][0]["text"]
