"""The "Reply at the opening" message shortcut: a reply to a client's message, typed at 10 PM, is posted in that
message's thread at 9:00 AM, once; a client cannot schedule one, and an empty reply is refused in the form."""

from __future__ import annotations

import copy
import json

from factories import ny
from slack_fakes import CLIENT, OWNER
from slack_harness import start_http
from slack_payloads import fixture
from test_slack_manifest import MANIFEST, entries

from adapters.slack.reply_later import SHORTCUT, SUBMIT
from bot.scheduling import Scheduling
from bot.sender import Sender

CLIENT_TS = "1795481200.000100"


def shortcut(user: str = OWNER) -> dict:
    return {
        "type": "message_action",
        "callback_id": SHORTCUT,
        "trigger_id": "1.2.3",
        "team": {"id": "T1", "domain": "acme"},
        "channel": {"id": "C_CLIENT", "name": "client-acme"},
        "user": {"id": user, "team_id": "T1"},
        "message": {"type": "message", "user": CLIENT, "ts": CLIENT_TS, "text": "Can you send the report?"},
        "response_url": "http://127.0.0.1:9/respond/x",
    }


def submission(view: dict, text: str | None, user: str = OWNER) -> dict:
    payload = copy.deepcopy(fixture("view_submission"))
    payload["user"]["id"] = user
    payload["view"].update(callback_id=SUBMIT, private_metadata=view["private_metadata"])
    payload["view"]["state"] = {"values": {"text": {"value": {"type": "plain_text_input", "value": text}}}}
    return payload


async def test_a_reply_typed_at_ten_pm_goes_into_the_thread_at_nine(fake, database) -> None:
    async for http in start_http(fake, database, at=ny(2026, 11, 23, 22)):
        http.service.outbox = queue = database.deliveries()
        assert await http.interactive(shortcut()) == (200, "")
        await http.settle()
        (opened,) = fake.calls_to("views.open")
        view = opened.args["view"]
        view = json.loads(view) if isinstance(view, str) else view
        status, body = await http.interactive(submission(view, ""))
        assert status == 200 and "needs the message to send" in body  # shown on the field: nothing is queued
        status, body = await http.interactive(submission(view, "Sending it at nine.", user=CLIENT))
        assert "Only the business owner" in body
        status, body = await http.interactive(submission(view, "Sending it at nine."))
        assert status == 200 and "will be posted as a reply to that message" in body
        sender = Sender(queue, {"slack": http.bot.poster}, http.clock, pacing={})
        scheduling = Scheduling(http.service.store, queue, http.service.policy, sender, http.clock)
        await scheduling.tick()
        assert fake.calls_to("chat.postMessage") == []  # not before the opening
        http.clock.set(ny(2026, 11, 24, 9, 0))
        await scheduling.tick()
        await scheduling.tick()
        (post,) = fake.calls_to("chat.postMessage")
        assert post.args["thread_ts"] == CLIENT_TS and post.args["text"] == "Acme Admin: Sending it at nine."


def test_the_manifest_offers_the_shortcut() -> None:
    assert entries("features.shortcuts") == ["name: Reply at the opening"]
    shortcuts = MANIFEST.split("  shortcuts:", 1)[1].split("  slash_commands:", 1)[0]
    assert f"callback_id: {SHORTCUT}" in shortcuts and "type: message" in shortcuts
