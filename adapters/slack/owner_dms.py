"""Direct messages to the owner, delivered through their user token: a client's go on to be claimed and answered in
the owner's name; the owner's own keep promises; anyone else's stop here, unstored, counted and never logged."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.slack.events import PLATFORM
from bot.messages import ChannelRef

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

log = logging.getLogger(__name__)

OWNER_DM = "boundary_bot_owner_dm"  # in Bolt's context: the owner whose direct message a client's event came through
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


class OwnerDms(AsyncMiddleware):
    """Runs before the claim: only a client's plain message in an owner's direct message reaches it, marked with
    the owner (OWNER_DM); everything else delivered through a user token is acknowledged here."""

    def __init__(self, bot: SlackBot) -> None:
        self.bot = bot
        self.dropped = 0  # colleagues' and others' direct messages: counted, never stored or logged
        self._warned = False

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # Bolt's keyword
    ) -> BoltResponse | None:
        body = req.body
        event = body.get("event") if body.get("type") == "event_callback" else None
        owner = delivered_for(body) if isinstance(event, dict) and event.get("type") == "message" else None
        if owner is None or not isinstance(event, dict):
            return await next()
        if await self._client_message(owner, event, req.context.team_id or body.get("team_id") or "", req.context):
            req.context[OWNER_DM] = owner
            return await next()
        return BoltResponse(status=200, body="")

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
