"""The owner's own Slack messages taken down with their user token (bot.outbound.OwnerMessages): a moved message."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from adapters.slack.events import PLATFORM
from adapters.slack.poster import SlackPoster, post_error
from bot.messages import ChannelRef
from bot.roles import Roles

GONE = frozenset({"message_not_found"})  # already taken down (by the owner, or a first try whose answer was lost)


class SlackOwnerMessages:
    """Only an owner's messages, only with a user token (SLACK_USER_TOKEN or their own install): Slack lets a
    user token delete its own user's messages, and the bot's token none of theirs."""

    def __init__(self, poster: SlackPoster, roles: Roles) -> None:
        self.poster = poster
        self.roles = roles

    async def can_delete(self, platform: str, workspace_id: str, owner_id: str) -> bool:
        if platform != PLATFORM or not self.roles.is_owner(platform, owner_id, workspace_id):
            return False
        return await self.poster.owner_client(workspace_id, owner_id) is not None

    async def delete(self, channel: ChannelRef, owner_id: str, message_id: str) -> bool:
        client = await self.poster.owner_client(channel.workspace_id, owner_id)
        if client is None:
            return False
        try:
            await client.chat_delete(channel=channel.channel_id, ts=message_id)
        except SlackApiError as error:
            if isinstance(error.response.data, dict) and error.response.get("error") in GONE:
                return True
            failure = post_error("chat.delete", error)
            if failure.permanent:
                return False  # refused: another user's message, a workspace setting, a channel they left
            raise failure from None
        except Exception as error:
            raise post_error("chat.delete", error) from None
        return True
