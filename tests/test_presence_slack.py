"""The owner's Slack status and snooze follow closures: SlackPresence through the real slack_sdk client and the fake."""

from __future__ import annotations

import logging

import pytest
from factories import make_policy, ny
from memory_store import MemoryStore
from pydantic import ValidationError
from slack_fakes import BOT_TOKEN
from slack_harness import slack_settings
from slack_sdk.errors import SlackApiError
from slack_user_fake import USER_TOKEN

from adapters.logs import secret_values
from adapters.presence import PresenceSync
from adapters.runner import App, owner_presence
from adapters.slack.client import web_client
from adapters.slack.presence import SlackPresence
from bot.clock import SimulatedClock
from bot.models import Closure
from bot.roles import Roles
from bot.service import BoundaryService
from bot.settings import Settings

BEFORE = ny(2026, 12, 23, 17, 0)
VACATION = Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 4), reason="Vacation")


async def presence_on(fake, token: str | None = USER_TOKEN) -> tuple[PresenceSync, SimulatedClock, MemoryStore]:
    store, clock = MemoryStore(), SimulatedClock(BEFORE)
    client = web_client(slack_settings(fake, "sqlite://"), token, retries=False)
    await store.add_closure(VACATION)
    return PresenceSync(store, make_policy(), clock, {"slack": SlackPresence(client)}), clock, store


async def test_closed_sets_the_status_until_the_end_and_snoozes_then_open_restores_both(fake) -> None:
    sync, clock, store = await presence_on(fake)
    assert (await sync.run_once()).text == "Open · answers within 1 business day"
    assert fake.calls_to("users.profile.set") == [] and fake.calls_to("dnd.endSnooze") == []  # nothing of ours yet

    clock.set(ny(2026, 12, 24, 0, 0, 30))
    assert (await sync.run_once()).text == "Closed until Mon, Jan 4, 2027"
    assert fake.status == {
        "status_text": "Closed until Mon, Jan 4, 2027",
        "status_emoji": ":palm_tree:",
        "status_expiration": int(ny(2027, 1, 4).timestamp()),  # Slack clears it at the closure's end by itself
    }
    [snooze] = fake.calls_to("dnd.setSnooze")
    assert snooze.args["num_minutes"] == str(24 * 60) and snooze.token == USER_TOKEN and fake.snooze_until

    clock.set(ny(2026, 12, 24, 0, 5))
    assert await sync.run_once() is None and len(fake.calls_to("dnd.setSnooze")) == 1  # unchanged: not shown again
    clock.set(ny(2026, 12, 24, 12, 1))
    await sync.run_once()  # half a day on: the snooze is renewed, so it lasts the closure
    assert len(fake.calls_to("dnd.setSnooze")) == 2

    [vacation] = await store.list_closures(ending_after=clock())
    await store.cancel_closure(vacation.id or 0, clock())  # ended early: restored at once, not at Jan 4
    assert (await sync.run_once()).text == "Open · answers within 1 business day"
    assert fake.status["status_text"] == "" and fake.status["status_emoji"] == "" and fake.snooze_until is None
    assert all(call.token == USER_TOKEN for call in fake.calls)


async def test_the_owners_own_status_and_snooze_are_left_alone(fake) -> None:
    sync, clock, _ = await presence_on(fake)
    fake.status = {"status_text": "Out sick", "status_emoji": ":face_with_thermometer:", "status_expiration": 0}
    clock.set(ny(2026, 12, 24, 8))
    await sync.run_once()
    assert fake.status["status_text"] == "Out sick" and fake.calls_to("users.profile.set") == []
    assert len(fake.calls_to("dnd.setSnooze")) == 1  # notifications are still snoozed

    clock.set(ny(2027, 1, 4, 0, 1))
    await sync.run_once()  # open again: the status is not ours, so neither it nor a snooze of theirs is touched
    assert fake.status["status_text"] == "Out sick" and fake.calls_to("dnd.endSnooze") == []


async def test_a_snooze_that_already_ended_is_no_failure(fake) -> None:
    sync, clock, _ = await presence_on(fake)
    clock.set(ny(2026, 12, 24, 8))
    await sync.run_once()
    fake.snooze_until = None  # it ran out, while Slack has not cleared the status yet
    clock.set(ny(2027, 1, 4, 0, 1))
    assert (await sync.run_once()) is not None and fake.status["status_text"] == ""


@pytest.mark.parametrize(("token", "error"), [(None, "not_authed"), ("xoxp-test-T9", "invalid_auth")])
async def test_a_missing_or_wrong_user_token_is_refused_logged_and_tried_again(fake, caplog, token, error) -> None:
    sync, clock, _ = await presence_on(fake, token)
    clock.set(ny(2026, 12, 24, 8))
    with caplog.at_level(logging.WARNING, logger="adapters.presence"):
        assert await sync.run_once() is None
    assert "presence on slack not updated" in caplog.text and error in caplog.text
    assert "xoxp-" not in caplog.text  # the token never shows in a log line
    assert fake.status["status_text"] == ""
    await sync.run_once()  # nothing was recorded as shown: the next pass tries again
    assert len(fake.calls_to("users.profile.get")) == 2


async def test_the_fake_refuses_what_slack_refuses(fake) -> None:
    owner = web_client(slack_settings(fake, "sqlite://"), USER_TOKEN, retries=False)
    with pytest.raises(SlackApiError) as too_long:
        await owner.users_profile_set(profile={"status_text": "x" * 101, "status_emoji": ":palm_tree:"})
    assert too_long.value.response["error"] == "too_long"
    bot = web_client(slack_settings(fake, "sqlite://"), BOT_TOKEN, retries=False)
    with pytest.raises(SlackApiError) as bot_token:
        await bot.dnd_setSnooze(num_minutes=5)
    assert bot_token.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as not_snoozed:
        await owner.dnd_endSnooze()
    assert not_snoozed.value.response["error"] == "snooze_not_active"


def test_without_a_user_token_nothing_follows_closures(fake) -> None:
    service = BoundaryService(MemoryStore(), make_policy(), Roles(), SimulatedClock(BEFORE))

    def app(**settings) -> App:
        return App(slack_settings(fake, "sqlite://", **settings), service, None, {}, SimulatedClock(BEFORE))  # type: ignore[arg-type]

    assert owner_presence(app(), discord=False) is None
    assert list(owner_presence(app(slack_user_token=USER_TOKEN), discord=False).targets) == ["slack"]
    assert list(owner_presence(app(), discord=True).targets) == []  # the Discord bot adds itself once connected


def test_the_user_token_must_be_a_user_token_and_is_redacted_like_the_others() -> None:
    with pytest.raises(ValidationError, match=r"User OAuth Token .* starts with xoxp-"):
        Settings(_env_file=None, slack_user_token=BOT_TOKEN)
    settings = Settings(_env_file=None, slack_user_token=USER_TOKEN)
    assert USER_TOKEN in secret_values(settings)
