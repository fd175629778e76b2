"""The new-client welcome: who gets it (once, clients only) and what it says, from the example policy."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from memory_store import MemoryStore

from bot.commands import CommandResult, Invocation, run_command
from bot.commands.types import Context
from bot.messages import ChannelRef
from bot.models import MeetingSlot
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.roles import Roles
from bot.welcome import should_welcome, welcome_text

EXAMPLE = load_policy(EXAMPLE_POLICY)


def test_only_an_unwelcomed_client_is_welcomed():
    assert should_welcome(mode="ephemeral", role=None, is_bot=False, already_welcomed=False)
    assert not should_welcome(mode="ephemeral", role=None, is_bot=False, already_welcomed=True)
    assert not should_welcome(mode="dm", role="owner", is_bot=False, already_welcomed=False)
    assert not should_welcome(mode="dm", role="team", is_bot=False, already_welcomed=False)
    assert not should_welcome(mode="channel", role=None, is_bot=True, already_welcomed=False)
    assert not should_welcome(mode="off", role=None, is_bot=False, already_welcomed=False)


def test_an_unknown_mode_says_what_was_expected():
    with pytest.raises(ValueError, match="ephemeral, dm, channel, off"):
        should_welcome(mode="loud", role=None, is_bot=False, already_welcomed=False)


def test_the_welcome_names_the_hub_turnaround_meeting_closures_and_guide():
    text = welcome_text(
        EXAMPLE,
        client_zone=ZoneInfo("Europe/Paris"),
        meeting="Tuesdays 10:00 AM",
        closures=[(datetime(2026, 12, 24), datetime(2027, 1, 2))],
        guide_link="https://example.com/guide",
    )
    assert EXAMPLE.contact.email in text and "one email per topic" in text
    assert "your time zone is Europe/Paris" in text
    assert "Tuesdays 10:00 AM" in text
    assert "Dec 24–Jan 2" in text
    assert text.endswith("The full guide: https://example.com/guide")


def test_without_meeting_or_closures_those_lines_are_left_out():
    text = welcome_text(EXAMPLE)
    assert "weekly meeting" not in text and "closures" not in text
    assert "/boundaries guide" in text


def test_the_policy_welcome_setting_defaults_to_ephemeral_and_rejects_other_words():
    assert EXAMPLE.replies.welcome == "ephemeral"
    with pytest.raises(ValueError, match="ephemeral"):
        EXAMPLE.model_validate({**EXAMPLE.model_dump(), "replies": {"welcome": "loud"}})


async def test_boundaries_preview_welcome_shows_the_channel_meeting_to_the_owner_only():
    store, roles = MemoryStore(), Roles(owners={"slack": frozenset({"U_OWNER"})})
    await store.set_meeting_slot(MeetingSlot(ChannelRef("slack", "T1", "C1"), weekday=1, local_time=time(10, 0)))
    now = datetime(2026, 12, 1, 15, tzinfo=UTC)

    async def preview_asked_by(user_id: str) -> CommandResult:
        invocation = Invocation("slack", "T1", "C1", user_id)
        return await run_command(
            "boundaries preview welcome", Context(invocation, store=store, policy=EXAMPLE, roles=roles, now=now)
        )

    result = await preview_asked_by("U_OWNER")
    assert "Tuesdays at 10:00" in result.text and EXAMPLE.contact.email in result.text
    refused = await preview_asked_by("U_CLIENT")
    assert not refused.ok and EXAMPLE.contact.email not in refused.text


def test_the_welcome_is_the_owner_s_template_and_a_wrong_placeholder_is_refused() -> None:
    import pytest
    from factories import make_policy

    from bot.policy_loader import PolicyError

    policy = make_policy(
        replies={"welcome_text": "Hi! {business} answers within {turnaround}.\n{meeting_line}\nMail {email}."}
    )
    assert welcome_text(policy) == "Hi! Acme Admin answers within 1 business day.\nMail hello@acme.example."
    with pytest.raises(PolicyError) as caught:
        make_policy(replies={"welcome_text": "Hi {client}!"})
    assert "replies.welcome_text" in str(caught.value) and "unknown placeholder {client}" in str(caught.value)
