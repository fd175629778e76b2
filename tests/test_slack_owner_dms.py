"""Clients who write to the owner directly (Slack, delivered through the owner's user token) get the same care as in a
channel, answered in the owner's name and marked automatic; colleagues, bots and the owner themself get nothing."""

from __future__ import annotations

import pytest
from email_server import Inbox, smtp_url
from factories import make_policy, ny
from slack_harness import message_event, start_http
from slack_user_fake import USER_TOKEN

from adapters import live_reply
from adapters.email import EmailPoster
from adapters.slack.events import to_incoming
from bot.forwarding import Addresses
from bot.forwarding_service import Forwarding
from bot.models import Closure
from bot.owner_dms import AUTOMATIC
from bot.queue import DeliveryState
from bot.replies import LIVE_LEASE, REPLY_KIND
from bot.sender import Sender
from bot.urgent_alert import ALERT_KIND

DM = "D_OWNER_SAM"  # the owner's direct message with the client; the bot is not in it
TUESDAY_10AM = ny(2026, 11, 24, 10, 0)
EMERGENCY = {"backup": "Jordan Lee (jordan@acme.example)", "alert_email": "jordan@acme.example"}


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(live_reply, "FIRST_WAIT", 0.01)


def dm_event(text: str, *, user: str = "U_CLIENT", team: str = "T_EXT", **event) -> dict:
    """A message in the owner's direct message, as Slack delivers it for the owner's user-token subscription."""
    body = message_event(text, user=user, channel=DM, channel_type="im", user_team=team, team=team, **event)
    body["authorizations"] = [
        {"enterprise_id": None, "team_id": "T1", "user_id": "U_OWNER", "is_bot": False, "is_enterprise_install": False}
    ]
    return body


async def owner_dm_app(fake, database, *, policy=None, at=None, smtp_port: int | None = None, token=USER_TOKEN):
    fake.owner_dms.add(DM)
    policy = policy or make_policy(emergency=EMERGENCY)
    async for harness in start_http(fake, database, policy=policy, slack_user_token=token, **_at(at)):
        service = harness.service
        service.outbox, service.outbox_platforms = database.deliveries(), frozenset({"slack"})
        posters = {"slack": harness.bot.poster}
        if smtp_port is not None:
            posters["email"] = EmailPoster.from_url(smtp_url(smtp_port))
            service.forwarding = Forwarding(
                service.outbox, policy, service.roles, harness.clock, Addresses.for_policy(policy)
            )
        yield harness, Sender(service.outbox, posters, harness.clock, lost=service.delivery_lost)


def _at(at) -> dict:
    return {"at": at} if at is not None else {}


@pytest.fixture
async def owner_dms(fake, database):
    async for pair in owner_dm_app(fake, database):
        yield pair


def posts_in(fake, channel: str) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


async def test_an_external_client_s_after_hours_dm_gets_one_marked_reply_in_the_owner_s_name(owner_dms, database):
    http, _ = owner_dms
    assert await http.event(dm_event("Could you look at the invoice tonight?")) == (200, "")
    await http.event(dm_event("Also the receipts, please"))  # inside the throttle window: nothing more
    await http.settle()
    (post,) = posts_in(http.fake, DM)
    assert post.token == USER_TOKEN and "thread_ts" not in post.args  # in the conversation, not a thread
    assert post.args["text"].startswith(AUTOMATIC) and "outside business hours" in post.args["text"]
    assert "blocks" not in post.args  # no email button on a message in the owner's name
    (shown,) = http.fake.history[DM]
    assert shown["user"] == "U_OWNER" and "bot_id" not in shown
    (row,) = await database.deliveries().list_deliveries(kinds=[REPLY_KIND])
    assert row.state is DeliveryState.SENT and row.data["owner_dm"] == "U_OWNER"
    assert row.key.channel_id == DM
    assert await http.service.store.list_channels() == []  # the bot announces nothing into a DM it is not in


async def test_a_call_request_in_a_dm_is_redirected_during_opening_hours(fake, database):
    async for http, _ in owner_dm_app(fake, database, at=TUESDAY_10AM):
        await http.event(dm_event("can you give me a quick call about the contract?"))
        await http.settle()
        (post,) = posts_in(http.fake, DM)
        assert post.token == USER_TOKEN and post.args["text"].startswith(AUTOMATIC)
        assert "email" in post.args["text"] and "outside business hours" not in post.args["text"]


async def test_an_urgent_dm_during_a_closure_alerts_the_backup(fake, database, smtp, inbox: Inbox):
    async for http, sender in owner_dm_app(fake, database, at=TUESDAY_10AM, smtp_port=smtp.port):
        store = http.service.store
        await store.add_closure(Closure(ny(2026, 11, 23, 0, 0), ny(2026, 11, 30, 0, 0), "a family matter"))
        await http.event(dm_event("URGENT: the payroll site is down and payments fail today"))
        await http.settle()
        (post,) = posts_in(http.fake, DM)
        assert "Jordan Lee" in post.args["text"]
        (alert,) = await database.deliveries().list_deliveries(kinds=[ALERT_KIND])
        assert alert.key.platform == "email" and alert.key.channel_id == DM  # about this conversation
        await sender.run_once()
        (mail,) = inbox.received
        assert mail.rcpt_tos == ["jordan@acme.example"] and "payroll site is down" in str(mail.message)
        assert (await database.deliveries().list_deliveries(kinds=[ALERT_KIND]))[0].state is DeliveryState.SENT


@pytest.mark.parametrize(
    ("who", "event"),
    [
        ("a colleague", dict(user="U_TEAMMATE", team="T1")),
        ("the owner", dict(user="U_OWNER", team="T1")),
        ("a bot", dict(user="U_OTHER_BOT", team="T_EXT", bot_id="B_OTHER")),
        ("an edit", dict(subtype="message_changed", message={"user": "U_CLIENT", "text": "x", "ts": "1.2"})),
    ],
)
async def test_no_reply_to_a_colleague_the_owner_a_bot_or_an_edit(owner_dms, database, who, event):
    http, _ = owner_dms
    body = dm_event("can you call me tonight?", **event)
    assert await http.event(body) == (200, "")
    await http.settle()
    assert posts_in(http.fake, DM) == [], who
    assert await database.deliveries().list_deliveries(kinds=[REPLY_KIND]) == []
    message = to_incoming(body, body["event"], team_id="T1", bot_user_id=None, bot_id=None, received_at=http.clock())
    seen = await http.service.store.claim_message(message, http.clock(), lambda *_: None)
    assert seen is not None  # never stored: to the store the same event is still new


async def test_a_colleague_listed_as_a_client_is_answered_and_others_are_only_counted(fake, database):
    policy = make_policy(direct_messages={"clients": ["U0PARTNER"]})
    async for http, _ in owner_dm_app(fake, database, policy=policy):
        await http.event(dm_event("are you around tonight?", user="U0PARTNER", team="T1"))
        await http.event(dm_event("lunch tomorrow?", user="U_COLLEAGUE", team="T1"))
        await http.settle()
        (post,) = posts_in(http.fake, DM)
        assert post.token == USER_TOKEN
        assert http.bot.owner_dms.dropped == 1


@pytest.mark.parametrize("dm_first", [False, True], ids=["channel-then-dm", "dm-then-channel"])
async def test_a_client_s_dms_and_channel_messages_share_one_throttle(owner_dms, database, dm_first):
    http, _ = owner_dms
    in_channel = message_event("Could you look at the invoice tonight?", user="U_CLIENT")
    events = [in_channel, dm_event("Also the receipts, please")]
    for body in reversed(events) if dm_first else events:
        await http.event(body)
        await http.settle()
    (post,) = http.fake.calls_to("chat.postMessage")  # one reply, where the client wrote first
    assert post.args["channel"] == (DM if dm_first else in_channel["event"]["channel"])
    assert (post.token == USER_TOKEN) is dm_first


async def test_the_owner_answering_in_the_dm_keeps_the_promise(owner_dms, database):
    http, _ = owner_dms
    await http.event(dm_event("Could you look at the invoice tonight?"))
    await http.settle()
    (promise,) = await http.service.store.list_promises()
    assert promise.answered_at is None
    await http.event(dm_event("Done, sent it over", user="U_OWNER", team="T1"))
    await http.settle()
    assert await http.service.store.list_promises() == []  # none left unanswered
    (promise,) = await http.service.store.list_promises(answered_since=http.clock() - LIVE_LEASE)
    assert promise.answered_at is not None and promise.channel.channel_id == DM


async def test_a_restart_between_the_event_and_the_post_still_posts_once(owner_dms, database):
    http, sender = owner_dms
    body = dm_event("Could you look at the invoice tonight?")
    message = to_incoming(
        body,
        body["event"],
        team_id="T1",
        bot_user_id="U_BOT",
        bot_id="B_BOT",
        received_at=http.clock(),
        owner_dm="U_OWNER",
    )
    outcome = await http.service.handle_message(message)  # decided and queued; the process dies before posting
    assert outcome.queued
    http.clock.advance(LIVE_LEASE)
    assert (await sender.run_once()).sent == 1
    assert (await sender.run_once()).sent == 0
    (post,) = posts_in(http.fake, DM)
    assert post.token == USER_TOKEN and post.args["text"].startswith(AUTOMATIC)
    (lookup,) = http.fake.calls_to("conversations.history")  # looked for first, with the token that can see it
    assert lookup.token == USER_TOKEN


async def test_reply_from_bot_sends_it_from_the_bot_in_its_own_dm_with_the_client(fake, database):
    policy = make_policy(direct_messages={"reply_from": "bot"})
    async for http, _ in owner_dm_app(fake, database, policy=policy):
        await http.event(dm_event("Could you look at the invoice tonight?"))
        await http.settle()
        assert posts_in(http.fake, DM) == []
        (post,) = posts_in(http.fake, "DU_CLIENT")
        assert post.token != USER_TOKEN and post.args["text"].startswith(AUTOMATIC)


def test_a_client_list_entry_that_is_no_slack_id_is_refused_with_an_example():
    from bot.policy_loader import PolicyError

    with pytest.raises(PolicyError, match=r'direct_messages\.clients: .*"sam@client" is not a Slack user or workspace'):
        make_policy(direct_messages={"clients": ["sam@client"]})


async def test_without_the_user_token_a_client_s_dm_is_left_alone_with_one_warning(fake, database, caplog):
    async for http, _ in owner_dm_app(fake, database, token=None):
        await http.event(dm_event("Could you look at the invoice tonight?"))
        await http.event(dm_event("And the receipts?"))
        await http.settle()
        assert http.fake.calls_to("chat.postMessage") == []
        assert await database.deliveries().list_deliveries(kinds=[REPLY_KIND]) == []
        (warning,) = [r.getMessage() for r in caplog.records if "SLACK_USER_TOKEN is not set" in r.getMessage()]
        assert 'reply_from = "bot"' in warning


async def test_when_the_event_does_not_name_the_author_s_workspace_their_profile_does(owner_dms, database):
    http, _ = owner_dms
    http.fake.users["U_CLIENT"]["team_id"] = "T_EXT"  # users.info: a Slack Connect member
    for user in ("U_CLIENT", "U_COLLEAGUE"):
        body = dm_event(f"are you there? ({user})", user=user)
        for name in ("user_team", "source_team", "team"):
            body["event"].pop(name, None)
        await http.event(body)
    await http.settle()
    (post,) = posts_in(http.fake, DM)  # the client's, not the colleague's (unknown to users.info: not a client)
    assert post.token == USER_TOKEN and http.bot.owner_dms.dropped == 1
