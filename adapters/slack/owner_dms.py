"""Direct messages to the owner, delivered through their user token: a client's go on to be claimed and answered in
the owner's name; the owner's own keep promises; anyone else's stop here, unstored, counted and never logged."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from adapters.slack.events import PLATFORM
from bot.messages import ChannelRef

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

log = logging.getLogger(__name__)

DM_TYPES = frozenset({"im", "mpim"})


def delivered_for(body: dict[str, Any]) -> str | None:
    """The user an event was delivered on behalf of (a subscription with their user token); None for the bot's."""
    authorizations = body.get("authorizations")
    first = authorizations[0] if isinstance(authorizations, list) and authorizations else None
    if isinstance(first, dict) and first.get("is_bot") is False and isinstance(first.get("user_id"), str):
        return first["user_id"] or None
    return None


def author_team(event: dict[str, Any]) -> str | None:
    """The workspace of a message's author as the event names it (in Slack Connect their own organisation's, not
    the receiving one's); None when it does not say."""
    for name in ("user_team", "source_team"):
        if isinstance(team := event.get(name), str) and team:
            return team
    return None


class OwnerDms:
    """Screens message events delivered through an owner's user token: only a client's plain message in an owner's
    direct message goes on (to be claimed and answered in the owner's name); everything else stops here."""

    def __init__(self, bot: SlackBot) -> None:
        self.bot = bot
        self.dropped = 0  # colleagues' and others' direct messages: counted, never stored or logged
        self._warned = False

    async def screen(
        self, body: dict[str, Any], event: dict[str, Any], team: str, context: Any
    ) -> tuple[bool, str | None]:
        """For a message event: whether it goes on to be claimed, and the owner in whose direct message a client
        wrote (None when the bot's own subscription delivered it)."""
        owner = delivered_for(body)
        if owner is None:
            return True, None
        return (True, owner) if await self._client_message(owner, event, team, context) else (False, None)

    async def _client_message(self, owner: str, event: dict[str, Any], team: str, context: Any) -> bool:
        service = self.bot.service
        if not service.roles.is_owner(PLATFORM, owner, team) or event.get("channel_type") not in DM_TYPES:
            self.dropped += 1
            return False
        user, channel = event.get("user"), event.get("channel")
        if event.get("subtype") or event.get("bot_id") or not isinstance(user, str) or not isinstance(channel, str):
            return False  # edits, deletions, joins and bots' messages are never answered
        if user == owner:  # the owner answering in their own direct message keeps the promises made there
            await service.store.answer_promises(ChannelRef(PLATFORM, team, channel), service.clock())
            return False
        if not service.policy.direct_messages.is_client(user, await self._team_of(user, event, team, context), team):
            self.dropped += 1
            log.debug("Slack: a direct message to an owner from someone not a client dropped (%d so far)", self.dropped)
            return False
        reply_from = service.policy.direct_messages.reply_from
        if reply_from == "owner" and await self.bot.poster.owner_client(team, owner) is None:
            if not self._warned:
                self._warned = True
                log.warning(
                    "Slack: a client wrote to an owner directly, but SLACK_USER_TOKEN is not set, so no reply can go "
                    'out in the owner\'s name; set it, or direct_messages.reply_from = "bot" in the policy'
                )
            return False
        return True

    async def _team_of(self, user: str, event: dict[str, Any], team: str, context: Any) -> str | None:
        """The author's workspace: from the event, else from their profile (users.info, cached), else the event's
        receiving workspace (so someone unknown counts as a colleague, never as a client by mistake)."""
        if named := author_team(event):
            return named
        client = context.get("client")
        person = await self.bot.directory.person(client, team, user) if client is not None else None
        if person is not None and person.team:
            return person.team
        return event.get("team") if isinstance(event.get("team"), str) else None
