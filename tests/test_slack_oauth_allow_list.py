"""Multi-workspace mode serves only the allowed workspaces, and owners are (workspace, user) pairs, never bare ids."""

from __future__ import annotations

import pytest
from factories import make_policy
from slack_fakes import BOT_ID, BOT_TOKEN, BOT_USER, OWNER
from slack_harness import MONDAY_9PM, command_fields, message_event, slack_settings, start_http
from slack_payloads import fixture
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import func, select
from test_slack_oauth import CLIENT_ID, CLIENT_SECRET, OAUTH, install

from adapters.slack.app import build_slack
from bot.clock import SimulatedClock
from bot.errors import StartError
from bot.service import BoundaryService

pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # inside slack_sdk


async def oauth_harness(fake, database, installed=("T1", "T9"), **settings):
    async for harness in start_http(fake, database, **{**OAUTH, **settings}):
        harness.installations = AsyncSQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=database.engine)
        for team in installed:  # as if installed before; T9 before it was taken off the allow-list
            token, suffix = (BOT_TOKEN, "") if team == "T1" else (f"xoxb-test-{team}", team)
            await harness.installations.async_save(
                Installation(
                    app_id="A1",
                    team_id=team,
                    bot_token=token,
                    bot_id=BOT_ID + suffix,
                    bot_user_id=BOT_USER + suffix,
                    user_id="U_INSTALLER",
                )
            )
        yield harness


@pytest.fixture
async def only_t1(fake, database):
    async for harness in oauth_harness(fake, database, slack_allowed_workspaces="T1"):
        yield harness


def from_team(body: dict, team: str) -> dict:
    body["team_id"] = body["context_team_id"] = body["event"]["team"] = team
    body["authorizations"][0].update(team_id=team, user_id=BOT_USER + ("" if team == "T1" else team))
    return body


async def test_an_install_from_a_workspace_not_allowed_gets_a_clear_page_and_stores_nothing(fake, database) -> None:
    async for only_t1 in oauth_harness(fake, database, installed=(), slack_allowed_workspaces="T1"):
        await refused_install(only_t1, database)


async def refused_install(only_t1, database) -> None:
    status, page = await install(only_t1)  # the fake Slack installs into T9, "Ninth Client Co"
    assert status == 403
    assert "was not installed" in page and "Ninth Client Co (T9)" in page and "nothing was installed" in page
    assert await only_t1.installations.async_find_bot(enterprise_id=None, team_id="T9") is None
    assert await only_t1.installations.async_find_installation(enterprise_id=None, team_id="T9") is None
    async with database.engine.connect() as conn:
        bots = only_t1.installations.bots
        assert (await conn.execute(select(func.count()).where(bots.c.team_id == "T9"))).scalar() == 0
    (uninstall,) = only_t1.fake.calls_to("apps.uninstall")  # the app is taken out of that workspace again
    assert uninstall.token == "xoxb-test-T9" and uninstall.args["client_secret"] == CLIENT_SECRET


async def test_events_and_commands_from_a_workspace_not_allowed_are_acknowledged_and_ignored(only_t1) -> None:
    body = from_team(message_event("Could you look at the invoice tonight?"), "T9")
    assert await only_t1.event(body) == (200, "")
    fields = dict(command_fields("/closure", "now until tomorrow", fake=only_t1.fake), team_id="T9")
    assert await only_t1.command(fields) == (200, "")
    await only_t1.settle()
    assert only_t1.fake.calls == [] and only_t1.fake.responses == []
    assert await only_t1.service.store.mark_event_seen("slack", body["event_id"], MONDAY_9PM) is True  # not stored
    assert await only_t1.service.store.list_closures(ending_after=MONDAY_9PM) == []
    assert await only_t1.event(from_team(message_event("And this one, tonight?"), "T1")) == (200, "")
    await only_t1.settle()
    (reply,) = only_t1.fake.calls_to("chat.postMessage")
    assert reply.token == BOT_TOKEN


async def test_a_workspace_taken_off_the_list_can_still_uninstall(only_t1) -> None:
    assert await only_t1.event(fixture("app_uninstalled")) == (200, "")  # from T9
    await only_t1.settle()
    assert await only_t1.installations.async_find_bot(enterprise_id=None, team_id="T9") is None


async def test_the_owners_id_in_another_workspace_is_not_the_owner(fake, database) -> None:
    async for harness in oauth_harness(fake, database):  # T1 and T9 allowed; the owner is T1:U_OWNER
        elsewhere = dict(command_fields("/closure", "now until tomorrow", fake=fake), team_id="T9")
        assert await harness.command(elsewhere) == (200, "")
        await harness.settle()
        assert fake.responses == [] and await harness.service.store.list_closures(ending_after=MONDAY_9PM) == []
        assert await harness.command(command_fields("/closure", "now until tomorrow", fake=fake)) == (200, "")
        (answer,) = await fake.wait_for_response()
        assert answer["text"].startswith("Saved closure #1")
        # A message from that id in T9 is dropped before anything is recorded: it is never taken for the owner's.
        body = from_team(message_event("the invoice is paid", user=OWNER), "T9")
        assert await harness.event(body) == (200, "")
        await harness.settle()
        assert await harness.service.store.mark_event_seen("slack", body["event_id"], MONDAY_9PM) is True


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (
            dict(slack_allowed_workspaces=frozenset()),
            "SLACK_ALLOWED_WORKSPACES (team ids, like T0123ABCD) or SLACK_ALLOWED_ENTERPRISES is required",
        ),
        (
            dict(slack_owner_ids="U_OWNER"),
            "SLACK_OWNER_IDS must name each person with their workspace in OAuth mode, "
            "like T0123ABCD:U0456EFGH (not U_OWNER)",
        ),
        (dict(slack_team_ids="T1:U_VA,U_TEAMMATE"), "SLACK_TEAM_IDS must name each person with their workspace"),
    ],
)
def test_oauth_mode_refuses_to_start_without_an_allow_list_or_with_bare_owner_ids(
    fake,
    database,
    settings,
    named,
) -> None:
    config = slack_settings(fake, database.url, **{**OAUTH, **settings})
    service = BoundaryService(database.store(), make_policy(), config.roles(), SimulatedClock(MONDAY_9PM))
    with pytest.raises(StartError, match="refusing to start Slack OAuth mode") as refused:
        build_slack(service, config, {}, http=True, oauth_database=database)
    assert named in str(refused.value)


async def test_single_workspace_mode_keeps_bare_owner_ids(fake, database) -> None:
    async for harness in start_http(fake, database):  # SLACK_BOT_TOKEN, SLACK_OWNER_IDS=U_OWNER
        assert await harness.command(command_fields("/closure", "now until tomorrow", fake=fake)) == (200, "")
        (answer,) = await fake.wait_for_response()
        assert answer["text"].startswith("Saved closure #1")
