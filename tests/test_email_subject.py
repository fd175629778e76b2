"""A forward's subject stays one readable line whatever the client's name and message."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.forwarding import SUBJECT_MAX, ForwardRequest, subject


def request(name: str, text: str) -> ForwardRequest:
    return ForwardRequest(
        platform="slack",
        workspace_id="T1",
        channel_id="C1",
        message_id="1.1",
        author_id="U1",
        text=text,
        sent_at=datetime(2026, 12, 4, tzinfo=UTC),
        author_name=name,
    )


def test_a_long_name_and_a_long_message_make_a_subject_of_at_most_138_characters():
    long = subject(request("N" * 200, " ".join(["supercalifragilistic"] * 2_000)))
    assert len(long) <= SUBJECT_MAX == 138
    assert long.startswith("[boundary-bot] " + "N" * 59 + "…: supercalifragilistic ") and long.endswith("…")


def test_an_everyday_subject_is_left_whole():
    assert (
        subject(request("Sam", "Can you call me this afternoon?"))
        == "[boundary-bot] Sam: Can you call me this afternoon?"
    )
