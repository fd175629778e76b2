"""Slack channels from the platform: users.conversations synced into the store, join/leave/archive events, and the
closure notices that follow, with the real Bolt app against the loopback fake."""

from __future__ import annotations

import asyncio
from datetime import UTC

import pytest
from factories import make_policy, ny
from scheduling_fakes import RecordingPoster
from slack_fakes import BOT_USER, OWNER
from slack_harness import start_http
from slack_payloads import fixture
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.runner import NOT_IN_CHANNEL, leave_refusing_channels
from adapters.slack.poster import post_error
from bot.messages import ChannelRef
from bot.models import ChannelMode, Closure
from bot.scheduling import Scheduling
from bot.sender import Sender

pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # inside slack_sdk


def ref(channel_id: str, team: str = "T1") -> ChannelRef:
    return ChannelRef("slack", team, channel_id)


async def listed(harness) -> list[str]:
    return [c.channel_id for c in await harness.service.store.list_channels(ChannelMode.CLIENT)]


def event(kind: str, **fields) -> dict:
    """An Events API envelope around a channel event, with a fresh event id."""
    body = fixture("message")
    event.count = getattr(event, "count", 0) + 1
    body["event_id"] = f"EvMember{event.count:04d}"
    body["event"] = {"type": kind, "event_ts": "1795481200.000400", **fields}
    return body


def scheduling(harness, database, poster=None) -> Scheduling:
    """Planning and sending for the harness's store, with a closure a week ahead (see `noticed_channels`)."""
    queue = database.deliveries()
    poster = poster or RecordingPoster("slack", harness.clock)
    return Scheduling(
        harness.service.store,
        queue,
        make_policy(),
        Sender(queue, {"slack": poster}, harness.clock, pacing={}),
        harness.clock,
    )


async def noticed_channels(harness, database) -> set[str]:
    """Plan at the harness's clock for a closure a week ahead; the channels that get a closure notice."""
    store = harness.service.store
    if not await store.list_closures(ending_after=harness.clock()):
        await store.add_closure(
            Closure(
                start=ny(2026, 11, 30).astimezone(UTC),
                end=ny(2026, 12, 1).astimezone(UTC),
                created_at=harness.clock(),
                reason="a team offsite",
            )
        )
    await scheduling(harness, database).plan_once()
    return {d.key.channel_id for d in await database.deliveries().list_deliveries(kinds=["closure_notice"])}


async def test_a_channel_the_bot_is_in_but_never_heard_in_gets_the_closure_notice(http, database) -> None:
    http.fake.add_channel("C_QUIET", "acme-quiet")
    http.fake.add_channel("G_PRIVATE", "acme-private", private=True)
    http.fake.add_channel("C_OLD", "old-project", archived=True)
    assert await http.bot.membership.sync_all() == 1
    (call,) = http.fake.calls_to("users.conversations")
    assert call.args["types"] == "public_channel,private_channel" and call.args["limit"] == "200"
    assert call.args["exclude_archived"] in ("1", "true")
    assert await listed(http) == ["C_QUIET", "G_PRIVATE"]
    assert await noticed_channels(http, database) == {"C_QUIET", "G_PRIVATE"}


async def test_leaving_stops_the_notices_and_rejoining_brings_them_back(http, database) -> None:
    for channel in ("C_A", "C_B", "C_C", "C_D", "G_E"):
        http.fake.add_channel(channel, channel.lower())
    await http.bot.membership.sync_all()
    assert await http.event(event("channel_left", channel="C_A", actor_id=OWNER)) == (200, "")
    assert await http.event(event("member_left_channel", user="U_CLIENT", channel="C_B", team="T1")) == (200, "")
    assert await http.event(event("member_left_channel", user=BOT_USER, channel="C_C", team="T1")) == (200, "")
    assert await http.event(event("channel_archive", channel="C_D", user=OWNER)) == (200, "")
    assert await http.event(event("group_left", channel="G_E", actor_id=OWNER)) == (200, "")
    await http.settle()
    assert await listed(http) == ["C_B"]  # a client leaving C_B changes nothing
    assert await noticed_channels(http, database) == {"C_B"}

    assert await http.event(event("channel_unarchive", channel="C_D", user=OWNER)) == (200, "")  # still left
    joined = event("member_joined_channel", user=BOT_USER, channel="C_A", channel_type="C", team="T1", inviter=OWNER)
    assert await http.event(joined) == (200, "")
    await http.settle()
    assert await listed(http) == ["C_A", "C_B"]
    assert await noticed_channels(http, database) == {"C_A", "C_B"}


async def test_the_list_is_read_page_by_page_and_a_channel_no_longer_listed_is_left(http) -> None:
    http.bot.membership.page_gap = 0
    channels = [f"C{n:04d}" for n in range(450)]
    for n, channel in enumerate(channels):
        http.fake.add_channel(channel, f"client-{n}", archived=n % 100 == 7)
    await http.service.store.remember_channel(ref("C_SEEN_ONCE"))  # a message came here, the bot is gone since
    assert await http.bot.membership.sync_all() == 1
    calls = http.fake.calls_to("users.conversations")
    assert len(calls) == 3 and "cursor" not in calls[0].args
    assert all(call.args["cursor"] for call in calls[1:])
    assert await listed(http) == [c for n, c in enumerate(channels) if n % 100 != 7]


async def test_a_listing_cut_short_by_a_server_error_marks_nothing_left(http) -> None:
    http.bot.membership.page_gap = 0
    for n in range(300):
        http.fake.add_channel(f"C{n:04d}", f"client-{n}")
    await http.bot.membership.sync_all()
    http.fake.remove_channel("C0299")
    http.fake.fail("users.conversations", status=500, after=1)
    assert await http.bot.membership.sync_all() == 0
    assert len(await listed(http)) == 300
    assert await http.bot.membership.sync_all() == 1
    assert len(await listed(http)) == 299


async def test_a_rate_limited_page_is_waited_out_with_or_without_retry_after(http) -> None:
    membership = http.bot.membership
    membership.page_gap, membership.default_retry_after = 0, 0.5
    http.fake.limit("users.conversations", 0.3, without_retry_after=1)
    for n in range(500):
        http.fake.add_channel(f"C{n:04d}", f"client-{n}")
    assert await membership.sync_all() == 1
    assert len(await listed(http)) == 500
    calls = http.fake.calls_to("users.conversations")
    assert len(calls) == 5  # three pages, two of them refused once: first without Retry-After, then with it
    assert [call.args.get("cursor") for call in calls][1:3] == [calls[1].args["cursor"]] * 2


async def test_paced_pages_stay_inside_the_tier(http) -> None:
    http.bot.membership.page_gap = 0.35
    http.fake.limit("users.conversations", 0.3)
    for n in range(450):
        http.fake.add_channel(f"C{n:04d}", f"client-{n}")
    assert await http.bot.membership.sync_all() == 1
    assert len(http.fake.calls_to("users.conversations")) == 3


async def test_every_installed_workspace_is_listed_with_its_own_token(fake, database_factory) -> None:
    db = await database_factory.migrated()
    async for harness in start_http(
        fake, db, slack_bot_token=None, slack_client_id="1111.2222", slack_client_secret="oauth-client-secret-value"
    ):
        installations = AsyncSQLAlchemyInstallationStore(client_id="1111.2222", engine=db.engine)
        for team in ("T8", "T9"):
            await installations.async_save(
                Installation(
                    app_id="A1",
                    team_id=team,
                    bot_token=f"xoxb-test-{team}",
                    bot_id=f"B_BOT{team}",
                    bot_user_id=f"U_BOT{team}",
                    user_id="U_INSTALLER",
                )
            )
            fake.add_channel("C_SHARED", f"shared-{team}", team=team)
        fake.add_channel("C_ONLY_T9", "only-t9", team="T9")
        assert await harness.bot.membership.sync_all() == 2
        assert sorted(call.token for call in fake.calls_to("users.conversations")) == ["xoxb-test-T8", "xoxb-test-T9"]
        assert await harness.service.store.list_channels() == [
            ref("C_SHARED", "T8"),
            ref("C_ONLY_T9", "T9"),
            ref("C_SHARED", "T9"),
        ]


async def test_a_post_refused_with_not_in_channel_takes_the_channel_off(http, database) -> None:
    for channel in ("C_A", "C_B", "C_C"):
        http.fake.add_channel(channel, channel.lower())
    await http.bot.membership.sync_all()
    assert await noticed_channels(http, database) == {"C_A", "C_B", "C_C"}
    http.fake.fail("chat.postMessage", error="not_in_channel")
    sending = scheduling(http, database, http.bot.poster)
    leave_refusing_channels(sending.sender, http.service.store, http.clock)
    await sending.tick()
    (refused,) = [d.key.channel_id for d in await database.deliveries().list_deliveries() if d.state == "failed"]
    for _ in range(500):
        if len(await listed(http)) == 2:
            break
        await asyncio.sleep(0.01)
    assert refused not in await listed(http) and len(await listed(http)) == 2


def refusal(code: str, status: int = 200) -> str:
    response = AsyncSlackResponse(
        client=None,
        http_verb="POST",
        api_url="",
        req_args={},
        data={"ok": False, "error": code},
        headers={},
        status_code=status,
    )
    return str(post_error("chat.postMessage", SlackApiError(code, response)))


def test_the_slack_refusals_that_mean_the_bot_is_not_in_the_channel() -> None:
    for code in ("not_in_channel", "channel_not_found", "is_archived"):
        assert NOT_IN_CHANNEL.search(refusal(code)), code
    for code in ("invalid_auth", "msg_too_long", "restricted_action", "not_in_channel_yet"):
        assert not NOT_IN_CHANNEL.search(refusal(code)), code
