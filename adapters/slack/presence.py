"""The owner's Slack status and notifications while closed, with their optional user token (SLACK_USER_TOKEN)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.presence import CLOSED_EMOJI, Presence, is_closed_status

STATUS_LIMIT = 100  # characters of status_text Slack accepts


class SlackPresence:
    """While closed: the owner's status says so ("🌴 Closed until Mon, Jan 4", expiring at the closure's end) and
    notifications are snoozed. When open again: the status is cleared and the snooze ended, but only if the status
    is still the one this bot set (the owner's own status and snoozes are left alone)."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client  # with the owner's user token (users.profile:read/write, dnd:write)

    async def show(self, presence: Presence, now: datetime) -> None:
        profile = await self._profile()
        ours = is_closed_status(str(profile.get("status_text", "")), str(profile.get("status_emoji", "")))
        if presence.closed_until is not None:
            if ours or not (profile.get("status_text") or profile.get("status_emoji")):  # never over the owner's own
                status = {
                    "status_text": presence.text[:STATUS_LIMIT],
                    "status_emoji": CLOSED_EMOJI,
                    "status_expiration": int(presence.closed_until.timestamp()),
                }
                await self._client.users_profile_set(profile=status)
            await self._client.dnd_setSnooze(num_minutes=presence.snooze_minutes(now))
        elif ours:
            await self._client.users_profile_set(
                profile={"status_text": "", "status_emoji": "", "status_expiration": 0}
            )
            try:
                await self._client.dnd_endSnooze()
            except SlackApiError as error:
                if error.response.get("error") != "snooze_not_active":  # it ended with the closure: nothing to end
                    raise

    async def _profile(self) -> dict[str, Any]:
        response = await self._client.users_profile_get()
        profile = response.get("profile")
        return profile if isinstance(profile, dict) else {}
