"""Live replies in the outbox: the delivery row a decided reply becomes, the post the sender makes of it if the
process that decided could not, and the message it answered (to release the throttle when it is lost)."""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.messages import IncomingMessage, Reply, ReplyStyle
from bot.outbound import Post
from bot.queue import Delivery, DeliveryKey, PlannedDelivery

REPLY_KIND = "reply"
LIVE_LEASE = timedelta(seconds=60)  # the deciding process posts it meanwhile; after it, the sender may
LIVE_OWNER = "live"  # the lease owner of a reply row the deciding process is posting
THREADED_REPLIES = frozenset({"slack"})  # where a reply goes in the message's thread (elsewhere it is attached to it)
REPLY_EXPIRES = timedelta(hours=6)  # an answer later than this is no longer an answer to that message


def reply_key(message: IncomingMessage) -> DeliveryKey:
    return DeliveryKey(REPLY_KIND, message.event_id, "", message.platform, message.workspace_id, message.channel_id)


def reply_delivery(message: IncomingMessage, reply: Reply, now: datetime) -> PlannedDelivery:
    """The row for `reply`: where it goes (thread, the message it answers, the one user of an ephemeral reply)."""
    if message.platform not in THREADED_REPLIES:  # Discord: a thread is a channel of its own, the reply goes there
        thread = message.thread_id
    elif reply.style is ReplyStyle.THREAD:  # Slack: a thread is a place in the channel; the reply starts or joins it
        thread = message.thread_id or message.message_id
    else:  # a channel message goes to the channel; an ephemeral one shows where the client wrote
        thread = message.thread_id if reply.style is ReplyStyle.EPHEMERAL else None
    data = {"client": message.author_id, "message": message.message_id}
    if thread:
        data["thread"] = thread
    if reply.style is not ReplyStyle.CHANNEL:
        data["reply_to"] = message.message_id
    if reply.style is ReplyStyle.EPHEMERAL:
        data["private_to"] = message.author_id
    return PlannedDelivery(reply_key(message), now, now + REPLY_EXPIRES, reply.text, data=data)


def post_of(delivery: Delivery) -> Post:
    """What the sender posts for a row: a reply keeps its thread, the message it answers and its one reader."""
    data = delivery.data or {}
    return Post(delivery.key.channel, delivery.text, delivery.key.token(), thread_id=data.get("thread"),
                reply_to=data.get("reply_to"), private_to=data.get("private_to"))


def answered(delivery: Delivery, now: datetime) -> IncomingMessage:
    """The client message a reply row answers, as far as releasing its throttle needs it."""
    data = delivery.data or {}
    key = delivery.key
    return IncomingMessage(platform=key.platform, workspace_id=key.workspace_id, channel_id=key.channel_id,
                           message_id=data.get("message", ""), author_id=data.get("client", ""), text="",
                           event_id=key.subject_id, received_at=now)
