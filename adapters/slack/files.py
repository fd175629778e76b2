"""Files attached to the owner's email answer, uploaded by the bot in the thread the answer went to (files:write)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.outbound import Post

Call = Callable[[str, Awaitable[Any]], Awaitable[Any]]  # SlackPoster._call: Slack's errors as PostError


def _thread(post: Post) -> str | None:
    answering = post.answering
    return (answering.thread_id or answering.message_id or None) if answering is not None else None


async def upload(call: Call, client: AsyncWebClient, post: Post) -> str:
    """Upload the post's file into its thread (files.getUploadURLExternal, the upload, completeUploadExternal)."""
    assert post.file is not None
    file = post.file
    sent = client.files_upload_v2(
        channel=post.channel.channel_id, thread_ts=_thread(post), file=file.data, filename=file.name, title=file.name
    )
    response = await call("files.uploadV2", sent)
    return str(response["file"]["id"])


async def find_uploaded(call: Call, client: AsyncWebClient, post: Post) -> str | None:
    """The file already uploaded for this post (an upload whose answer was lost): one of that name that the bot
    shared in the thread."""
    assert post.file is not None
    if (thread := _thread(post)) is None:
        return None
    replies = await call(
        "conversations.replies", client.conversations_replies(channel=post.channel.channel_id, ts=thread, limit=200)
    )
    for message in replies.get("messages") or []:
        if not message.get("bot_id"):
            continue
        for shared in message.get("files") or []:
            if shared.get("name") == post.file.name:
                return str(shared.get("id"))
    return None
