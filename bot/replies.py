"""Live replies in the outbox: the delivery row a decided reply becomes, the post the sender makes of it if the
process that decided could not, and the message it answered (to release the throttle when it is lost)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.channel_state import STATE_KIND
from bot.messages import IncomingMessage, Reply, ReplyStyle
from bot.outbound import Answering, Attachment, OwnerVoice, Post
from bot.queue import Delivery, DeliveryKey, PlannedDelivery

REPLY_KIND = "reply"
LIVE_LEASE = timedelta(seconds=60)  # the deciding process posts it meanwhile; after it, the sender may
LIVE_OWNER = "live"  # the lease owner of a reply row the deciding process is posting
REPLY_EXPIRES = timedelta(hours=6)  # an answer later than this is no longer an answer to that message


def reply_key(message: IncomingMessage) -> DeliveryKey:
    return DeliveryKey(REPLY_KIND, message.event_id, "", message.platform, message.workspace_id, message.channel_id)


def answering(message: IncomingMessage, reply: Reply) -> Answering:
    """What a platform needs to place `reply` to `message`, the live post and the sender's alike."""
    return Answering(
        message.message_id,
        message.author_id,
        message.thread_id,
        reply.style,
        reply.offer_email_forward,
        message.owner_dm,
    )


def reply_delivery(message: IncomingMessage, reply: Reply, now: datetime) -> PlannedDelivery:
    """The row for `reply`: the facts of the message it answers and the style; where that goes is the poster's."""
    data: dict[str, str] = {"client": message.author_id, "message": message.message_id, "style": reply.style.value}
    if message.thread_id:
        data["thread"] = message.thread_id
    if reply.offer_email_forward:
        data["forward"] = "yes"  # rows written before this held true: both are truthy
    if message.owner_dm:
        data["owner_dm"] = message.owner_dm
    return PlannedDelivery(reply_key(message), now, now + REPLY_EXPIRES, reply.text, data=data)


def post_of(delivery: Delivery) -> Post:
    """What the sender posts for a row: a reply answers the message it was decided for; any other row is its text
    in its channel."""
    if delivery.key.kind == STATE_KIND:
        link = (delivery.data or {}).get("link")
        return Post(delivery.key.channel, delivery.text, delivery.key.token(), state_line=True, link=link)
    if delivery.key.kind != REPLY_KIND:
        data = delivery.data or {}
        if data.get("style") == ReplyStyle.EPHEMERAL and data.get("client"):  # shown to that person alone, there
            only = Answering("", data["client"], None, ReplyStyle.EPHEMERAL)
            return Post(delivery.key.channel, delivery.text, delivery.key.token(), answering=only)
        voice = OwnerVoice(data["author"], data["said"]) if data.get("author") and data.get("said") else None
        answer = Answering(data["reply_to"], "", data.get("thread")) if data.get("reply_to") else None
        file = Attachment.from_data(data)
        return Post(
            delivery.key.channel, delivery.text, delivery.key.token(), answering=answer, owner_voice=voice, file=file
        )
    data = delivery.data or {}
    style = data.get("style") or _style_of_older_rows(data)
    return Post(
        delivery.key.channel,
        delivery.text,
        delivery.key.token(),
        answering=Answering(
            data.get("message", ""),
            data.get("client", ""),
            data.get("thread"),
            ReplyStyle(style),
            bool(data.get("forward")),
            data.get("owner_dm"),
        ),
    )


def _style_of_older_rows(data: Mapping[str, str]) -> str:
    """Rows written before the style was recorded named the placement instead (they live at most six hours)."""
    return "ephemeral" if "private_to" in data else "thread" if "reply_to" in data else "channel"


def answered(delivery: Delivery, now: datetime) -> IncomingMessage:
    """The client message a reply row answers, as far as releasing its throttle needs it."""
    data = delivery.data or {}
    key = delivery.key
    return IncomingMessage(
        platform=key.platform,
        workspace_id=key.workspace_id,
        channel_id=key.channel_id,
        message_id=data.get("message", ""),
        author_id=data.get("client", ""),
        text="",
        event_id=key.subject_id,
        received_at=now,
    )
