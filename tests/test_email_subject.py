"""A forward's subject stays one readable line whatever the client's name and message."""

from __future__ import annotations

from factories import forward_request

from bot.forwarding import SUBJECT_MAX, subject


def test_a_long_name_and_a_long_message_make_a_subject_of_at_most_138_characters():
    long = subject(forward_request(author_name="N" * 200, text=" ".join(["supercalifragilistic"] * 2_000)))
    assert len(long) <= SUBJECT_MAX == 138
    assert long.startswith("[boundary-bot] " + "N" * 59 + "…: supercalifragilistic ") and long.endswith("…")


def test_an_everyday_subject_is_left_whole():
    assert (
        subject(forward_request(author_name="Sam", text="Can you call me this afternoon?"))
        == "[boundary-bot] Sam: Can you call me this afternoon?"
    )
