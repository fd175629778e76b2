"""Store.recent_reply_log: the latest automatic replies across channels, newest first, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from factories import message as client_message

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ReplyLogEntry, SentReply
from bot.store import DecisionRecord

T0 = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)
A = ChannelRef("slack", "T1", "C1")
B = ChannelRef("discord", "G1", "C9")


def incoming(channel: ChannelRef, author: str, text: str, **kwargs: object) -> IncomingMessage:
    return client_message(
        text,
        T0,
        channel,
        author_id=author,
        message_id=f"m-{text[:5]}",
        event_id=f"e-{text[:5]}",
        **kwargs,
    )


async def test_empty_log_is_an_empty_list(store) -> None:
    assert await store.recent_reply_log() == []


async def test_newest_first_across_channels_with_every_field(store) -> None:
    await store.record_replies(
        incoming(A, "U1", "first message", author_name="Sam", permalink="https://acme.slack.com/archives/C1/p1"),
        [SentReply("after_hours", "window:x", T0)],
    )
    await store.record_replies(
        incoming(B, "U2", "second message" + "!" * 300, author_name="Kim"),
        [SentReply("redirect", "", T0 + timedelta(minutes=5))],
    )
    log = await store.recent_reply_log()
    assert [entry.kind for entry in log] == ["redirect", "after_hours"]
    newest, oldest = log
    assert isinstance(newest, ReplyLogEntry)
    assert newest.channel == B and newest.client_id == "U2" and newest.client_name == "Kim"
    assert newest.text_excerpt.startswith("second message") and len(newest.text_excerpt) == 200
    assert newest.permalink is None
    assert newest.sent_at == T0 + timedelta(minutes=5) and newest.sent_at.utcoffset() == timedelta(0)
    assert oldest == ReplyLogEntry(
        channel=A,
        client_id="U1",
        client_name="Sam",
        kind="after_hours",
        sent_at=T0,
        text_excerpt="first message",
        permalink="https://acme.slack.com/archives/C1/p1",
    )


async def test_limit_keeps_the_newest_and_ties_keep_the_latest_written_first(store) -> None:
    for n in range(5):
        await store.record_replies(incoming(A, "U1", f"message {n}"), [SentReply("closed", "closure:1", T0)])
    await store.record_replies(
        incoming(A, "U1", "combined"),
        [SentReply("after_hours", "w", T0 + timedelta(hours=1)), SentReply("redirect", "", T0 + timedelta(hours=1))],
    )
    log = await store.recent_reply_log(limit=3)
    assert [(e.kind, e.text_excerpt) for e in log] == [
        ("redirect", "combined"),
        ("after_hours", "combined"),
        ("closed", "message 4"),
    ]
    assert await store.recent_reply_log(limit=0) == []
    assert len(await store.recent_reply_log(limit=100)) == 7


async def test_releasing_a_lost_reply_forgets_only_its_own_entries_and_moves_the_version(store) -> None:
    lost, kept = incoming(A, "U1", "lost reply"), incoming(A, "U1", "kept reply")
    since = lambda context, closures: T0 - timedelta(days=1)  # noqa: E731
    assert await store.record_decision(
        DecisionRecord(lost, [SentReply("after_hours", "window:x", T0)], version=0, remember_channel=True)
    )
    state = await store.load_message_state(A, "U1", T0, since)
    assert await store.record_decision(
        DecisionRecord(kept, [SentReply("redirect", "day:x", T0)], version=state.version, remember_channel=False)
    )
    before = await store.load_message_state(A, "U1", T0, since)
    assert await store.release_replies(lost) == 1
    after = await store.load_message_state(A, "U1", T0, since)
    assert [reply.kind for reply in after.history] == ["redirect"]
    assert after.version != before.version  # a decision read before the release must read again
    assert not await store.record_decision(
        DecisionRecord(
            incoming(A, "U1", "stale"), [SentReply("urgent", "", T0)], version=before.version, remember_channel=False
        )
    )
    assert await store.release_replies(lost) == 0
