"""HTTP mode end to end: slash commands, the /closure modal and App Home against the real Bolt app and the fake Slack."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from datetime import time as clock
from datetime import timedelta

from factories import ny
from slack_fakes import CLIENT, OWNER
from slack_harness import MONDAY_9PM, command_fields, message_event
from slack_payloads import fixture

from bot.messages import ChannelRef
from bot.models import ChannelMode, Closure, MeetingSlot


async def run(http, command: str, text: str = "", *, user: str = OWNER) -> str:
    """Send a slash command; it must be acked at once with an empty 200, the answer comes on the response URL."""
    before, started = len(http.fake.responses), time.monotonic()
    assert await http.command(command_fields(command, text, user=user, fake=http.fake)) == (200, "")
    assert time.monotonic() - started < 3
    (*_, answer) = await http.fake.wait_for_response(before + 1)
    await http.settle()
    assert answer["response_type"] == "ephemeral"
    return answer["text"]


def submission(**values) -> dict:
    payload = copy.deepcopy(fixture("view_submission"))
    state = payload["view"]["state"]["values"]
    for block, value in values.items():
        key = "selected_date" if block in ("start", "end") else "value"
        state[block]["value"][key] = value
    return payload


async def closures(http) -> list:
    return await http.service.store.list_closures(ending_after=MONDAY_9PM)


async def test_a_non_owners_closure_command_is_refused_and_stores_nothing(http) -> None:
    text = await run(http, "/closure", "add Dec 24 to Jan 2 reason: the holidays", user=CLIENT)
    assert text.startswith("Only the business owner can use that command")
    assert await run(http, "/closure", "", user=CLIENT) == text
    assert http.fake.calls_to("views.open") == []
    assert await closures(http) == []


async def test_the_owner_adds_lists_and_cancels_a_closure_with_text(http) -> None:
    assert (await run(http, "/closure", "add Dec 24 to Jan 2 reason: the holidays")).startswith("Saved closure #1")
    assert (await run(http, "/closure", "list")).startswith("#1 closed ")
    assert (await run(http, "/closure", "cancel 1")).startswith("Cancelled closure #1")
    assert (await run(http, "/closure", "add someday")).startswith("Sorry, I couldn't do that:")


async def test_the_owner_detaches_an_imported_closure_with_text(http) -> None:
    imported = Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 3), reason="Vacation", calendar_uid="v@example.com")
    closure = await http.service.store.add_closure(imported)
    assert "(imported from your calendar)" in await run(http, "/closure", "list")
    assert (await run(http, "/closure", f"detach {closure.id}", user=CLIENT)).startswith("Only the business owner")
    assert (await run(http, "/closure", f"detach {closure.id}")).startswith(f"Detached closure #{closure.id} (closed")
    assert "imported" not in await run(http, "/closure", "list")
    [detached] = await closures(http)
    assert detached.detached_at is not None and detached.calendar_uid == "v@example.com"


async def test_bare_closure_opens_the_modal_for_the_owner(http) -> None:
    assert await http.command(command_fields("/closure", "", fake=http.fake)) == (200, "")
    (call,) = await http.fake.wait_for("views.open")
    await http.settle()
    assert call.args["trigger_id"] == fixture("slash_command")["trigger_id"]
    view = call.args["view"]
    assert view["callback_id"] == "closure_add"
    assert [b["block_id"] for b in view["blocks"]] == ["start", "end", "reason", "backup", "notice"]
    assert view["blocks"][0]["element"]["type"] == "datepicker"
    assert view["blocks"][0]["element"]["initial_date"] == "2026-11-23"
    assert json.loads(view["private_metadata"]) == {"team_id": "T1", "channel_id": "C_CLIENT"}
    assert http.fake.responses == []


async def test_the_modal_submission_stores_the_closure(http) -> None:
    status, body = await http.interactive(fixture("view_submission"))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    saved = answer["view"]["blocks"][0]["text"]["text"]
    assert saved.startswith("Saved closure #1: closed ") and "Dec 24" in saved
    (closure,) = await closures(http)
    assert closure.start == ny(2026, 12, 24, 0, 0) and closure.end == ny(2027, 1, 2, 0, 0)  # last day included
    assert closure.reason == "the holidays" and closure.backup is None and closure.notice_days == (14, 1)


async def test_modal_errors_go_back_on_the_right_block_and_store_nothing(http) -> None:
    async def errors(payload) -> dict:
        status, body = await http.interactive(payload)
        assert status == 200
        answer = json.loads(body)
        assert answer["response_action"] == "errors"
        return answer["errors"]

    assert list(await errors(submission(start="2026-12-24", end="2026-12-20"))) == ["end"]
    assert "in the past" in (await errors(submission(start="2026-11-01", end="2026-11-02")))["end"]
    refused = copy.deepcopy(fixture("view_submission"))
    refused["user"]["id"] = CLIENT
    assert (await errors(refused))["start"].startswith("Only the business owner")
    assert await closures(http) == []
    await http.interactive(fixture("view_submission"))
    assert "overlaps closure #1" in (await errors(submission(start="2026-12-31", end="2027-01-05")))["start"]
    assert len(await closures(http)) == 1


async def test_hours_are_shown_in_the_callers_time_zone(http) -> None:
    text = await run(http, "/hours", user=CLIENT)
    assert text.startswith("Opening hours (America/New_York):")
    assert "Next opening: today at 2:00 PM GMT (your time)." in text


async def test_boundaries_routes_channel_help_preview_and_timezone(http) -> None:
    assert (await run(http, "/boundaries", "channel internal")).startswith("This is now an internal channel")
    channel = ChannelRef("slack", "T1", "C_CLIENT")
    assert await http.service.store.get_channel_mode(channel) is ChannelMode.INTERNAL
    await http.event(message_event("Could you look at the invoice tonight?"))
    await http.settle()
    assert http.fake.calls_to("chat.postMessage") == []
    assert "Closures (owner only)" in await run(http, "/boundaries")
    assert (await run(http, "/meeting")).startswith("Weekly meeting slot of this channel")
    preview = await run(http, "/boundaries", "preview at tuesday 10:00 | can you call me?")
    assert "the bot would reply (redirect_call)" in preview
    assert "Europe/Paris" in await run(http, "/boundaries", "timezone set Europe/Paris", user=CLIENT)
    assert (await run(http, "/boundaries", "channel client", user=CLIENT)).startswith("Only the business owner")


async def test_app_home_for_the_owner_shows_policy_closures_meetings_and_replies(http) -> None:
    await run(http, "/closure", "add Dec 24 to Jan 2 reason: the holidays")
    await run(http, "/meeting", "set tuesday 10:00")
    await http.event(message_event("Could you look at the invoice tonight?"))
    await http.event(message_event("thanks so much!"))  # kept for the digest, not a reply
    await http.settle()
    assert await http.event(fixture("app_home_opened")) == (200, "")
    (publish,) = await http.fake.wait_for("views.publish")
    await http.settle()
    assert publish.args["user_id"] == OWNER
    view = publish.args["view"]
    assert view["type"] == "home"
    text = json.dumps(view)
    assert "Your policy at a glance" in text and "hello@acme.example" in text and "Monday: 09:00-12:00" in text
    buttons = [b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("action_id") == "cancel_closure"]
    assert [b["value"] for b in buttons] == ["1"]
    assert "Tuesdays 10:00" in text
    assert "<#C_CLIENT> Sam (after_hours)" in text and "Could you look at the invoice tonight?" in text
    assert "thanks so much" not in text
    assert "What a new client is told" in text and "Welcome! Email is our hub" in text and "/boundaries guide" in text


async def test_app_home_for_anyone_else_shows_hours_and_closures(http) -> None:
    await run(http, "/closure", "add Dec 24 to Jan 2 reason: the holidays")
    opened = copy.deepcopy(fixture("app_home_opened"))
    opened["event"]["user"] = CLIENT
    await http.event(opened)
    (publish,) = await http.fake.wait_for("views.publish")
    await http.settle()
    text = json.dumps(publish.args["view"])
    assert publish.args["user_id"] == CLIENT
    assert "Opening hours (America/New_York)" in text and "the holidays" in text
    assert "cancel_closure" not in text and "Your policy" not in text


async def test_the_cancel_button_cancels_through_the_core_and_republishes(http) -> None:
    await run(http, "/closure", "add Dec 24 to Jan 2 reason: the holidays")
    stranger = copy.deepcopy(fixture("block_actions"))
    stranger["user"]["id"] = CLIENT
    assert await http.interactive(stranger) == (200, "")
    await http.settle()
    assert len(await closures(http)) == 1
    assert await http.interactive(fixture("block_actions")) == (200, "")
    calls = await http.fake.wait_for("views.publish", 2)
    await http.settle()
    assert await closures(http) == []
    owner_view = json.dumps(calls[-1].args["view"])
    assert "Cancelled closure #1" in owner_view and "No closures planned." in owner_view


class SlowStore:
    """The real store with every closure read and write taking `delay` seconds, like a database under load."""

    def __init__(self, store, delay: float) -> None:
        self._store, self._delay = store, delay

    def __getattr__(self, name):
        method = getattr(self._store, name)
        if name not in ("list_closures", "add_closure"):
            return method

        async def slow(*args, **kwargs):
            await asyncio.sleep(self._delay)
            return await method(*args, **kwargs)

        return slow


async def test_a_submission_is_acknowledged_in_time_however_slow_the_database(http) -> None:
    http.service.store = SlowStore(http.service.store, 1.6)  # a read and a write: 3.2 s, past Slack's 3 s
    started = time.monotonic()
    status, body = await http.interactive(fixture("view_submission"))
    acked = time.monotonic() - started
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "update"
    assert answer["view"]["title"]["text"] == "Saving…" and acked < 3  # (the harness also fails the test past 3 s)
    (update,) = await http.fake.wait_for("views.update")
    await http.settle()
    assert update.args["view_id"] == fixture("view_submission")["view"]["id"]
    assert update.args["view"]["title"]["text"] == "Closure saved"
    assert update.args["view"]["blocks"][0]["text"]["text"].startswith("Saved closure #1: closed ")
    assert len(await closures(http)) == 1


async def test_a_slow_save_that_fails_says_so_in_the_modal(http) -> None:
    await http.interactive(fixture("view_submission"))
    http.service.store = SlowStore(http.service.store, 2.4)  # the overlap is found on the read, after 2.4 s
    _status, body = await http.interactive(submission(start="2026-12-31", end="2027-01-05"))
    assert json.loads(body)["view"]["title"]["text"] == "Saving…"
    (update,) = await http.fake.wait_for("views.update")
    await http.settle()
    assert update.args["view"]["title"]["text"] == "Not saved"
    assert "overlaps closure #1" in update.args["view"]["blocks"][0]["text"]["text"]


async def test_app_home_says_how_many_more_closures_and_meetings_there_are(http) -> None:
    store = http.service.store
    for week in range(30):
        start = MONDAY_9PM + timedelta(days=7 * week + 1)
        await store.add_closure(Closure(start=start, end=start + timedelta(days=1), reason=f"break {week}"))
    for n in range(120):
        await store.set_meeting_slot(MeetingSlot(ChannelRef("slack", "T1", f"C{n:03d}"), 1, clock(10, 30), 30))
    await http.event(fixture("app_home_opened"))
    (publish,) = await http.fake.wait_for("views.publish")
    await http.settle()
    blocks = publish.args["view"]["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert sum(1 for b in blocks if b.get("accessory", {}).get("action_id") == "cancel_closure") == 20
    assert "…and 10 more: `/closure list`" in texts
    meetings = next(t for t in texts if t.startswith("*Weekly meetings*"))
    shown = meetings.count("\n") - 1
    assert 10 < shown < 120 and meetings.endswith(f"…and {120 - shown} more: `/meeting list`")
    assert all(len(t) <= 3_000 for t in texts)  # and the fake Slack checked every limit
