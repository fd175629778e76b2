"""The digest's client messages: grouped by client, urgent ones first and flagged, excerpts cut at a word."""

from __future__ import annotations

from datetime import UTC

from factories import make_policy, ny

from bot.digest import compose_digest
from bot.messages import ChannelRef
from bot.models import ReplyLogEntry

POLICY = make_policy()
C1 = ChannelRef("slack", "T1", "C1")


def entry(client: str, hour: int, text: str, kind: str = "after_hours") -> ReplyLogEntry:
    return ReplyLogEntry(
        channel=C1,
        client_id=f"U_{client}",
        client_name=client,
        kind=kind,
        sent_at=ny(2026, 11, 23, hour, 0).astimezone(UTC),
        text_excerpt=text,
    )


def test_messages_are_grouped_by_client_with_urgent_ones_first_and_flagged() -> None:
    entries = [
        entry("Kim", 18, "Here is the draft"),
        entry("Sam", 19, "Quick question about the invoice"),
        entry("Kim", 20, "One more thing"),
        entry("Sam", 21, "URGENT the site is down", "after_hours"),
        entry("Sam", 21, "URGENT the site is down", "urgent"),
        entry("Ana", 22, "the report is late", "urgent"),  # the after-hours reply was already sent: urgent alone
    ]
    text = compose_digest(POLICY, entries, [])
    assert text.splitlines()[0] == (
        "Good morning! While Acme Admin was closed, 5 client message(s) arrived (5 answered automatically, 2 urgent):"
    )
    lines = [line.split(", Monday")[0] for line in text.splitlines()[1:]]
    assert lines == [
        "• URGENT: Sam in #C1 (slack)",
        "• Sam in #C1 (slack)",
        "• URGENT: Ana in #C1 (slack)",
        "• Kim in #C1 (slack)",
        "• Kim in #C1 (slack)",
    ]
    assert "“URGENT the site is down” — after-hours reply" in text
    assert text.splitlines()[3].endswith("“the report is late”")  # no reply label: only the urgent notice went out
    assert "URGENT" not in text.splitlines()[4]


def test_a_long_excerpt_is_cut_at_a_word_with_an_ellipsis() -> None:
    stored = (
        "Could you please have a look at the quarterly reconciliation before Friday, because the auditors "
        "arrive on Monday morning and want every single statement signed off by then, thanks so much " * 2
    )[:200]
    text = compose_digest(POLICY, [entry("Sam", 21, stored)], [])
    shown = text.split("“")[1].split("”")[0]
    assert shown.endswith("…") and len(shown) <= 141
    assert stored.startswith(shown.removesuffix("…")) and stored[len(shown) - 1] == " "  # the cut fell between words
    short = compose_digest(POLICY, [entry("Sam", 21, "Thanks,\nsee you Monday")], [])
    assert "“Thanks, see you Monday”" in short
