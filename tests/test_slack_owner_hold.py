"""The owner's after-hours messages moved to the opening (Slack, with the owner's user token): the reminder's "Move
this one" takes the message down and posts it again at 9:00 AM in the owner's name; "Send the next ones" does that
to each message until the opening; a message Slack will not take down stays, with nothing scheduled."""

from __future__ import annotations

import copy
from datetime import timedelta

from factories import make_policy, ny
from slack_harness import message_event, start_http
from slack_payloads import fixture
from slack_user_fake import USER_TOKEN

from bot.at_opening import LATER_KIND
from bot.commands import Invocation
from bot.queue import DeliveryState
from bot.sender import Sender

MONDAY_11PM = ny(2026, 11, 23, 23, 4)
TUESDAY_9AM = ny(2026, 11, 24, 9, 0)


async def hold_app(fake, database, *, token=USER_TOKEN):
    async for http in start_http(
        fake, database, policy=make_policy(owner={"nudge": True}), slack_user_token=token, at=MONDAY_11PM
    ):
        http.service.outbox, http.service.outbox_platforms = database.deliveries(), frozenset({"slack"})
        yield http, Sender(http.service.outbox, {"slack": http.bot.poster}, http.clock)


async def owner_says(http, text: str, *, user: str = "U_OWNER", **event) -> dict:
    """The owner's message in the client channel, as Slack shows it in the channel and delivers it to the bot."""
    body = message_event(text, user=user, **event)
    shown = {"type": "message", "user": user, "text": text, "ts": body["event"]["ts"]}
    http.fake.history[body["event"]["channel"]].insert(0, shown)
    await http.event(body)
    await http.settle()
    return body


def press(reminder, place: int) -> dict:
    """The owner pressing the reminder's button number `place`."""
    body = copy.deepcopy(fixture("block_actions"))
    body["user"]["id"] = "U_OWNER"
    button = reminder.args["blocks"][-1]["elements"][place]
    body["actions"][0].update(action_id=button["action_id"], value=button["value"], text=button["text"])
    body["container"] = {"type": "message", "channel_id": reminder.args["channel"], "message_ts": "1795481200.9"}
    body["message"] = {"type": "message", "text": reminder.args["text"], "ts": "1795481200.9"}
    return body


def reminder_of(fake):
    (post,) = [c for c in fake.calls_to("chat.postMessage") if str(c.args.get("channel", "")).startswith("D")]
    return post


async def test_move_this_one_takes_it_down_and_posts_it_once_at_the_opening_in_the_owner_s_name(fake, database):
    async for http, sender in hold_app(fake, database):
        body = await owner_says(http, "Sure, the draft is attached in email", thread_ts="1795481100.000001")
        channel = body["event"]["channel"]
        await sender.run_once()
        reminder = reminder_of(fake)
        labels = [b["text"]["text"] for b in reminder.args["blocks"][-1]["elements"]]
        assert labels == ["Move this one", "Send the next ones at 9:00 AM", "Not tonight"]
        assert await http.interactive(press(reminder, 0)) == (200, "")
        await http.settle()
        (deleted,) = fake.calls_to("chat.delete")
        assert deleted.token == USER_TOKEN and deleted.args["ts"] == body["event"]["ts"]
        assert fake.history[channel] == []
        (row,) = await http.service.outbox.list_deliveries(kinds=[LATER_KIND])
        assert row.due_at == TUESDAY_9AM and row.state is DeliveryState.PENDING
        (update,) = fake.calls_to("chat.update")
        assert "Moved: your message is down" in str(update.args["blocks"])
        assert (await sender.run_once()).sent == 0  # not before the opening
        http.clock.set(TUESDAY_9AM + timedelta(seconds=1))
        assert (await sender.run_once()).sent == 1
        assert (await sender.run_once()).sent == 0
        (posted,) = [c for c in fake.calls_to("chat.postMessage") if c.args["channel"] == channel]
        assert posted.token == USER_TOKEN and posted.args["text"] == "Sure, the draft is attached in email"
        assert posted.args["thread_ts"] == "1795481100.000001"  # where it was: in the thread


async def test_send_the_next_ones_moves_each_message_until_the_opening_and_then_stops(fake, database):
    async for http, sender in hold_app(fake, database):
        first = await owner_says(http, "Approved.")
        await sender.run_once()
        assert await http.interactive(press(reminder_of(fake), 1)) == (200, "")
        await http.settle()
        assert "Holding until tomorrow" in str(fake.calls_to("chat.update")[0].args["blocks"])
        channel = first["event"]["channel"]
        await owner_says(http, "One more thing: the invoice is fine.")
        await owner_says(http, "And the logo too.")
        assert [m["text"] for m in fake.history[channel]] == ["Approved."]  # the first one was not moved
        assert len(fake.calls_to("chat.delete")) == 2
        http.clock.set(TUESDAY_9AM + timedelta(seconds=1))
        assert (await sender.run_once()).sent == 2
        await owner_says(http, "Good morning!")  # open: the hold is over
        assert [m["text"] for m in fake.history[channel]] == [
            "Good morning!",
            "And the logo too.",
            "One more thing: the invoice is fine.",
            "Approved.",
        ]


async def test_a_message_slack_will_not_take_down_stays_and_nothing_is_scheduled(fake, database):
    async for http, sender in hold_app(fake, database):
        body = await owner_says(http, "Replying late, sorry")
        await sender.run_once()
        fake.history[body["event"]["channel"]][0]["user"] = "U_SOMEONE"  # Slack sees another author: refused
        await http.interactive(press(reminder_of(fake), 0))
        await http.settle()
        assert "would not take the message down" in str(fake.calls_to("chat.update")[0].args["blocks"])
        (row,) = await http.service.outbox.list_deliveries(kinds=[LATER_KIND])
        assert row.state is DeliveryState.CANCELLED
        assert len(fake.history[body["event"]["channel"]]) == 1
        fake.history[body["event"]["channel"]][0]["user"] = "U_OWNER"  # Slack would now let it go: still, the
        result = await http.service.handle_command("boundaries move", Invocation("slack", "T1", "D1", "U_OWNER"))
        assert not result.ok and "tried before" in result.text  # cancelled row is never revived by a deletion
        assert len(fake.history[body["event"]["channel"]]) == 1 and len(fake.calls_to("chat.delete")) == 1


async def test_without_the_user_token_the_reminder_only_points_to_boundaries_later(fake, database):
    async for http, sender in hold_app(fake, database, token=None):
        await owner_says(http, "Approved.")
        await sender.run_once()
        reminder = reminder_of(fake)
        assert [b["text"]["text"] for b in reminder.args["blocks"][-1]["elements"]] == ["Not tonight"]
        assert "`boundaries later TEXT` posts your next message" in reminder.args["text"]
        await http.interactive(press(reminder, 0))  # "Not tonight" only acknowledges
        result = await http.service.handle_command("boundaries hold", Invocation("slack", "T1", "D1", "U_OWNER"))
        assert not result.ok and "needs Slack with your own user token" in result.text


async def test_a_message_with_a_file_is_never_offered_to_be_moved(fake, database):
    async for http, sender in hold_app(fake, database):
        await owner_says(http, "Here it is", files=[{"id": "F1", "name": "draft.pdf"}])
        await sender.run_once()
        assert [b["text"]["text"] for b in reminder_of(fake).args["blocks"][-1]["elements"]] == ["Not tonight"]
