"""The Slack adapter's pure parts: event translation, reply routing, command text, the modal's reading, the cache."""

from __future__ import annotations

import asyncio
import copy
from datetime import UTC, datetime

import pytest
from factories import NEW_YORK, ny
from slack_payloads import fixture

from adapters.slack.commands import command_text
from adapters.slack.directory import Directory, Person, person_from
from adapters.slack.events import reply_call, to_incoming, with_person
from adapters.slack.modal import read_submission
from bot.messages import MessageKind, Reply, ReplyStyle
from bot.replies import answering

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
SAM = Person("U_CLIENT", "Sam", "Europe/London")


def translate(event_changes: dict | None = None, person: Person | None = SAM, drop: tuple[str, ...] = ()):
    body = copy.deepcopy(fixture("message"))
    body["event"].update(event_changes or {})
    for key in drop:
        body["event"].pop(key)
    message = to_incoming(body, body["event"], team_id="T1", bot_user_id="U_BOT", bot_id="B_BOT", received_at=NOW)
    return with_person(message, person, "https://acme.slack.com/")


def test_a_plain_channel_message() -> None:
    message = translate()
    assert (message.platform, message.workspace_id, message.channel_id) == ("slack", "T1", "C_CLIENT")
    assert message.event_id == "Ev01MESSAGE" and message.message_id == "1795481200.000100"
    assert message.author_id == "U_CLIENT" and message.author_name == "Sam" and message.author_tz == "Europe/London"
    assert message.kind is MessageKind.NEW and not message.author_is_bot and not message.is_from_this_bot
    assert message.thread_id is None and not message.is_direct_message
    assert message.permalink == "https://acme.slack.com/archives/C_CLIENT/p1795481200000100"


def test_threads_and_direct_messages() -> None:
    threaded = translate({"thread_ts": "1795481100.000001", "channel_type": "im", "channel": "D_CLIENT"})
    assert threaded.thread_id == "1795481100.000001" and threaded.is_direct_message
    assert threaded.permalink.endswith("?thread_ts=1795481100.000001&cid=D_CLIENT")


@pytest.mark.parametrize(
    ("changes", "kind", "is_bot"),
    [
        (
            {"subtype": "message_changed", "message": {"user": "U_CLIENT", "text": "new", "ts": "1.5"}},
            MessageKind.EDIT,
            False,
        ),
        (
            {"subtype": "message_deleted", "deleted_ts": "1.5", "previous_message": {"user": "U_CLIENT", "ts": "1.5"}},
            MessageKind.DELETE,
            False,
        ),
        ({"subtype": "channel_join"}, MessageKind.JOIN, False),
        ({"subtype": "file_share"}, MessageKind.SHARE, False),
        ({"subtype": "thread_broadcast", "thread_ts": "1.4"}, MessageKind.SHARE, False),
        ({"subtype": "bot_message", "bot_id": "B_ZAPIER"}, MessageKind.OTHER, True),
        ({"bot_id": "B_ZAPIER"}, MessageKind.NEW, True),
    ],
)
def test_subtypes_and_bots(changes, kind, is_bot) -> None:
    message = translate(changes)
    assert message.kind is kind and message.author_is_bot is is_bot
    if "message" in changes or "previous_message" in changes:
        assert message.message_id == "1.5" and message.author_id == "U_CLIENT"


def test_the_apps_own_messages() -> None:
    assert translate({"user": "U_BOT"}).is_from_this_bot
    assert translate({"bot_id": "B_BOT"}, drop=("user",)).is_from_this_bot
    assert translate(person=Person("U_CLIENT", is_bot=True)).author_is_bot


def test_person_from_users_info_drops_an_unknown_zone() -> None:
    user = {"id": "U1", "tz": "Mars/Olympus", "real_name": "Kim Lee", "profile": {"display_name": "kim"}}
    assert person_from(user) == Person("U1", "kim", None, False)
    assert person_from({**user, "tz": "Asia/Tokyo", "profile": {"first_name": "Kim"}}).tz == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("style", "method", "expected"),
    [
        (ReplyStyle.THREAD, "chat.postMessage", {"thread_ts": "1795481200.000100"}),
        (ReplyStyle.CHANNEL, "chat.postMessage", {}),
        (ReplyStyle.EPHEMERAL, "chat.postEphemeral", {"user": "U_CLIENT"}),
    ],
)
def test_reply_routing_by_style(style, method, expected) -> None:
    message = translate()
    reply = Reply(text="a < b & c", reasons=("after_hours",), style=style)
    called, args = reply_call(message.channel_id, answering(message, reply), reply.text)
    assert called == method and args["text"] == "a &lt; b &amp; c" and args["channel"] == "C_CLIENT"
    assert {k: args[k] for k in expected} == expected and ("thread_ts" in args) == ("thread_ts" in expected)


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("/closure", "  list ", "closure list"),
        ("/closure", "add Dec 24 to Jan 2 reason: x", "closure add Dec 24 to Jan 2 reason: x"),
        ("/hours", "", "hours"),
        ("/meeting", "", "meeting"),
        ("/boundaries", "", "boundaries"),
        ("/boundaries", "channel internal", "channel internal"),
        ("/boundaries", "Channel  client", "Channel client"),
        ("/boundaries", "preview at friday 21:00 | call me", "boundaries preview at friday 21:00 | call me"),
        ("/boundaries", "timezone set Europe/Paris", "boundaries timezone set Europe/Paris"),
    ],
)
def test_command_text(command, text, expected) -> None:
    assert command_text(command, text) == expected


def form(start: str | None, end: str | None = None, **more) -> dict:
    values = {"start": {"value": {"selected_date": start}}, "end": {"value": {"selected_date": end}}}
    values.update({k: {"value": v} for k, v in more.items()})
    return {"state": {"values": values}}


def test_the_modal_reads_dates_in_the_owners_zone_with_the_last_day_included() -> None:
    command, errors = read_submission(form("2027-03-13", "2027-03-14"), NEW_YORK, NOW)  # across the DST change
    assert errors == {}
    assert command.start == ny(2027, 3, 13, 0, 0) and command.end == ny(2027, 3, 15, 0, 0)
    assert command.reason == "" and command.backup is None and command.notice_days is None
    single, _ = read_submission(
        form(
            "2026-12-24", None, backup={"value": " Jo "}, notice={"selected_options": [{"value": "1"}, {"value": "14"}]}
        ),
        NEW_YORK,
        NOW,
    )
    assert single.end == ny(2026, 12, 25, 0, 0) and single.backup == "Jo" and single.notice_days == (14, 1)
    today, _ = read_submission(form("2026-11-23"), NEW_YORK, NOW)
    assert today.start == NOW  # a closure starting today starts now
    assert read_submission(form(None), NEW_YORK, NOW)[1].keys() == {"start"}


async def test_the_directory_caches_coalesces_and_expires() -> None:
    calls = []
    now = [0.0]

    class Client:
        async def users_info(self, user):
            calls.append(user)
            await asyncio.sleep(0.01)
            return {"user": {"id": user, "tz": "Europe/London", "profile": {"first_name": "Sam"}}}

    directory = Directory(ttl=60, clock=lambda: now[0])
    people = await asyncio.gather(*(directory.person(Client(), "T1", "U1") for _ in range(4)))
    assert people == [Person("U1", "Sam", "Europe/London")] * 4 and calls == ["U1"]
    now[0] = 61
    await directory.person(Client(), "T1", "U1")
    assert calls == ["U1", "U1"]
