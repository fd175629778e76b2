"""Multi-workspace install: OAuth flow against the fake Slack, installations in the project database, uninstall cleanup."""

from __future__ import annotations

import copy

import pytest
from slack_harness import message_event, start_http
from slack_payloads import fixture
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from bot.messages import ChannelRef
from bot.outbound import Post, PostError

pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # inside slack_sdk

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "oauth-client-secret-value"
OAUTH = dict(
    slack_bot_token=None,
    slack_client_id=CLIENT_ID,
    slack_client_secret=CLIENT_SECRET,
    slack_allowed_workspaces="T1,T9",
    slack_owner_ids="T1:U_OWNER",
    slack_team_ids="T1:U_TEAMMATE",
)


@pytest.fixture
async def oauth(fake, database_factory):
    database = await database_factory.migrated()
    async for harness in start_http(fake, database, **OAUTH):
        harness.installations = AsyncSQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=database.engine)
        yield harness


async def install(harness, code: str = "code-from-slack") -> tuple[int, str]:
    async with harness.session.get(harness.url + "/slack/install") as response:
        assert response.status == 200
        page = await response.text()
        state = response.cookies["slack-app-oauth-state"].value
    assert f"state={state}" in page and "slack.com/oauth/v2/authorize" in page
    assert "client_id=1111.2222" in page and "chat%3Awrite" in page.replace(":", "%3A")
    url = f"{harness.url}/slack/oauth_redirect?code={code}&state={state}"
    async with harness.session.get(url, headers={"Cookie": f"slack-app-oauth-state={state}"}) as response:
        return response.status, await response.text()


async def test_install_stores_an_installation_that_serves_events_and_posts(oauth) -> None:
    status, _ = await install(oauth)
    assert status == 200
    (exchange,) = oauth.fake.calls_to("oauth.v2.access")
    assert exchange.args["code"] == "code-from-slack" and exchange.token == f"basic:{CLIENT_ID}"
    bot = await oauth.installations.async_find_bot(enterprise_id=None, team_id="T9")
    assert bot is not None and bot.bot_token == "xoxb-test-T9" and bot.bot_user_id == "U_BOTT9"

    body = message_event("Could you look at the invoice tonight?")
    body["team_id"] = body["context_team_id"] = body["event"]["team"] = "T9"
    body["authorizations"][0].update(team_id="T9", user_id="U_BOTT9")
    assert await oauth.event(body) == (200, "")
    await oauth.settle()
    (reply,) = oauth.fake.calls_to("chat.postMessage")
    assert reply.token == "xoxb-test-T9"
    await oauth.bot.poster.post(Post(ChannelRef("slack", "T9", "C_CLIENT"), "announcement", "k1"))
    assert oauth.fake.calls_to("chat.postMessage")[-1].token == "xoxb-test-T9"


async def test_app_uninstalled_removes_the_installation(oauth) -> None:
    await install(oauth)
    assert await oauth.event(fixture("app_uninstalled")) == (200, "")
    await oauth.settle()
    assert await oauth.installations.async_find_bot(enterprise_id=None, team_id="T9") is None
    assert await oauth.installations.async_find_installation(enterprise_id=None, team_id="T9") is None
    with pytest.raises(PostError) as caught:
        await oauth.bot.poster.post(Post(ChannelRef("slack", "T9", "C_CLIENT"), "announcement", "k1"))
    assert caught.value.permanent is True


async def test_tokens_revoked_removes_the_bot_token(oauth) -> None:
    await install(oauth)
    revoked = copy.deepcopy(fixture("app_uninstalled"))
    revoked["event"] = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U_BOTT9"]}}
    revoked["event_id"] = "Ev05REVOKED"
    assert await oauth.event(revoked) == (200, "")
    await oauth.settle()
    assert await oauth.installations.async_find_bot(enterprise_id=None, team_id="T9") is None


async def test_a_callback_without_the_state_cookie_stores_nothing(oauth) -> None:
    async with oauth.session.get(f"{oauth.url}/slack/oauth_redirect?code=x&state=forged") as response:
        assert response.status >= 400
        page = await response.text()
    assert CLIENT_SECRET not in page
    assert oauth.fake.calls_to("oauth.v2.access") == []
    assert await oauth.installations.async_find_bot(enterprise_id=None, team_id="T9") is None


async def test_an_uninstalled_workspaces_client_data_is_erased_after_the_retention_period(oauth) -> None:
    from datetime import timedelta

    from bot.pruning import Pruning

    await install(oauth)
    store = oauth.service.store
    body = message_event("Could you look at the invoice tonight?")  # a client of the workspace about to leave
    body["team_id"] = body["context_team_id"] = body["event"]["team"] = "T9"
    body["authorizations"][0].update(team_id="T9", user_id="U_BOTT9")
    assert await oauth.event(body) == (200, "")
    await oauth.settle()
    await store.set_client_timezone("slack", "T1", "U_CLIENT", "America/Chicago")  # the same id in a staying one
    await store.set_client_timezone("slack", "T9", "U_CLIENT", "Europe/Paris")
    assert await oauth.event(fixture("app_uninstalled")) == (200, "")  # from T9
    await oauth.settle()
    assert await oauth.installations.async_find_bot(enterprise_id=None, team_id="T9") is None

    def logged(team: str) -> list:
        return [r for r in replies if r.channel.workspace_id == team]

    pruning = Pruning(store, oauth.service.policy, oauth.clock)
    oauth.clock.advance(timedelta(days=89))  # within the replies' 90 days: nothing is erased yet
    await pruning.run_once(force=True)
    replies = await store.reply_log_between(oauth.clock() - timedelta(days=100), oauth.clock())
    assert logged("T9") and await store.get_client_timezone("slack", "T9", "U_CLIENT") == "Europe/Paris"
    oauth.clock.advance(timedelta(days=2))
    await pruning.run_once(force=True)
    replies = await store.reply_log_between(oauth.clock() - timedelta(days=100), oauth.clock())
    assert not logged("T9") and await store.get_client_timezone("slack", "T9", "U_CLIENT") is None
    assert await store.get_client_timezone("slack", "T1", "U_CLIENT") == "America/Chicago"  # T1 keeps its data


async def test_reinstalling_before_the_period_ends_keeps_the_workspaces_data(oauth) -> None:
    from datetime import timedelta

    from bot.pruning import Pruning

    await install(oauth)
    store = oauth.service.store
    await store.set_client_timezone("slack", "T9", "U_CLIENT", "Europe/Paris")
    assert await oauth.event(fixture("app_uninstalled")) == (200, "")
    await oauth.settle()
    status, _ = await install(oauth, code="second-code")
    assert status == 200
    oauth.clock.advance(timedelta(days=91))
    await Pruning(store, oauth.service.policy, oauth.clock).run_once(force=True)
    assert await store.get_client_timezone("slack", "T9", "U_CLIENT") == "Europe/Paris"
