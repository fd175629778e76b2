"""Owner DMs with several workspaces (OAuth): the owner's own install (/slack/install?as=owner) asks for the user
scopes and keeps their token with the installation; clients' workspaces are never asked for one; a rotating token
is refreshed before it expires and the new one stored."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from slack_harness import start_http
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from test_slack_oauth import CLIENT_ID, OAUTH
from test_slack_owner_dms import DM, dm_event, posts_in

from adapters.slack.user_token import USER_SCOPES

pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # inside slack_sdk


@pytest.fixture
async def oauth(fake, database_factory):
    database = await database_factory.migrated()
    settings = {**OAUTH, "slack_owner_ids": "T1:U_OWNER,T9:U_OWNER", "slack_user_token": None}
    async for harness in start_http(fake, database, **settings):
        harness.installations = AsyncSQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=database.engine)
        fake.owner_dms.add(DM)
        yield harness


async def install(harness, query: str = "") -> str:
    """The install page's authorize URL, then Slack's redirect back with the code."""
    async with harness.session.get(f"{harness.url}/slack/install{query}") as response:
        page = await response.text()
        state = response.cookies["slack-app-oauth-state"].value
    url = f"{harness.url}/slack/oauth_redirect?code=c&state={state}"
    async with harness.session.get(url, headers={"Cookie": f"slack-app-oauth-state={state}"}) as response:
        assert response.status == 200
    return page


def user_scopes(page: str) -> list[str]:
    """The user_scope parameter of each authorize URL on the install page."""
    return [unquote(found) for found in re.findall(r"user_scope=([^\"&]*)", page)]


def in_t9(body: dict) -> dict:
    body["team_id"] = body["context_team_id"] = "T9"
    body["authorizations"][0]["team_id"] = "T9"
    return body


async def test_a_client_s_workspace_is_never_asked_for_a_user_token(oauth) -> None:
    assert user_scopes(await install(oauth)) == [""]


async def test_the_owner_s_own_install_answers_their_dms_with_their_token(oauth) -> None:
    oauth.fake.installer, oauth.fake.installer_token = "U_OWNER", "xoxp-owner-T9"
    assert user_scopes(await install(oauth, "?as=owner")) == [",".join(USER_SCOPES)]
    found = await oauth.installations.async_find_installation(enterprise_id=None, team_id="T9", user_id="U_OWNER")
    assert found is not None and found.user_token == "xoxp-owner-T9"
    await oauth.event(in_t9(dm_event("Could you look at the invoice tonight?")))
    await oauth.settle()
    (post,) = posts_in(oauth.fake, DM)
    assert post.token == "xoxp-owner-T9"


async def test_a_rotating_user_token_is_refreshed_before_it_expires(oauth) -> None:
    oauth.fake.installer, oauth.fake.installer_token = "U_OWNER", "xoxp-owner-T9"
    oauth.fake.installer_token_expires_in = 60  # inside the ten minutes before expiry: refresh at first use
    oauth.fake.rotations = ["xoxp-owner-T9-next"]
    await install(oauth, "?as=owner")
    await oauth.event(in_t9(dm_event("Could you look at the invoice tonight?")))
    await oauth.settle()
    (post,) = posts_in(oauth.fake, DM)
    assert post.token == "xoxp-owner-T9-next"
    found = await oauth.installations.async_find_installation(enterprise_id=None, team_id="T9", user_id="U_OWNER")
    assert found is not None and found.user_token == "xoxp-owner-T9-next"  # stored: the old one is spent
