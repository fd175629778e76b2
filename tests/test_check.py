"""`boundary-bot check`: clear lines for a bad policy, bad token shapes and an unreachable database; live logins."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from pathlib import Path

from cli_process import cli_env, run_cli
from discord_fakes import FakeDiscord
from discord_gateway import TOKEN as FAKE_DISCORD_TOKEN
from slack_fakes import BOT_TOKEN, FakeSlack
from slack_user_fake import USER_TOKEN

from adapters.check import run_check
from bot.settings import Settings
from storage.database import Database

ROOT = Path(__file__).resolve().parents[1]


def check(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run_cli("check", *args, cwd=tmp_path, env=cli_env(tmp_path, policy=None, **env), timeout=120)


def test_a_good_configuration_passes(tmp_path):
    result = check(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN.replace("xoxb-test", "xoxb-1-2"),
        SLACK_APP_TOKEN="xapp-1-A1-2-abc",
        SLACK_OWNER_IDS="U012ABCDEF",
        SLACK_SIGNING_SECRET="0123456789abcdef0123456789abcdef",
    )
    assert result.returncode == 0, result.stdout
    assert "would start: Slack in Socket Mode (boundary-bot run); Slack over HTTP (boundary-bot serve)" in result.stdout
    assert "database: sqlite:///" in result.stdout and "does not exist yet" in result.stdout
    assert result.stdout.rstrip().endswith("No problems found.")
    asyncio.run(_migrated(tmp_path / "bot.db"))
    again = check(tmp_path)
    assert "(schema at " in again.stdout and ", up to date)" in again.stdout


async def _migrated(path: Path) -> None:
    database = Database(f"sqlite:///{path}")
    await database.migrate()
    await database.dispose()


def test_a_bad_policy_is_named(tmp_path):
    (tmp_path / "policy.toml").write_text('timezone = "Moon/Base"\n[contact]\nemail = "a@b.example"\n')
    result = check(tmp_path)
    assert result.returncode == 1
    assert 'timezone: "Moon/Base" is not an IANA time zone' in result.stdout


def test_bad_token_shapes_are_named_without_echoing_them(tmp_path):
    result = check(
        tmp_path,
        SLACK_BOT_TOKEN="xoxp-user-token-S3CR3T",
        DISCORD_TOKEN="not-a-token-S3CR3T",
        SLACK_SIGNING_SECRET="shh-S3CR3T",
        SLACK_OWNER_IDS="owner",
        DISCORD_OWNER_IDS="123456789012345678",
    )
    assert result.returncode == 1
    for line in [
        "SLACK_BOT_TOKEN: does not look right; expected a bot token starting xoxb-",
        "DISCORD_TOKEN: does not look right; expected a bot token of three dot-separated parts",
        "SLACK_SIGNING_SECRET: does not look right",
        "SLACK_OWNER_IDS: owner do(es) not look like user ids",
    ]:
        assert line in result.stdout
    assert "S3CR3T" not in result.stdout + result.stderr


def test_an_unreachable_database_is_named_with_its_password_hidden(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes
    result = check(tmp_path, DATABASE_URL=f"postgresql://bot:hunter2@127.0.0.1:{port}/bot")
    assert result.returncode == 1
    assert f"database: cannot connect to postgresql://bot:***@127.0.0.1:{port}/bot" in result.stdout
    assert "hunter2" not in result.stdout + result.stderr
    bad = check(tmp_path, DATABASE_URL="mysql://root@localhost/bot")
    assert "DATABASE_URL: unsupported database URL scheme 'mysql'" in bad.stdout


async def test_live_logins_through_the_configured_base_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    slack, discord = await FakeSlack().start(), FakeDiscord()
    await discord.start()
    try:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path}/bot.db",
            slack_bot_token=BOT_TOKEN,
            slack_api_url=slack.api_url,
            slack_owner_ids="U_OWNER",
            discord_token=FAKE_DISCORD_TOKEN,
            discord_api_url=f"{discord.url}/api/v10",
            discord_owner_ids="123456789012345678",
        )
        report = await run_check(settings, live=True)
        assert "Slack: logged in to Team T1 as boundary-bot" in report.passed
        assert any(line.startswith("Discord: logged in as") for line in report.passed)
        slack.fail("auth.test", error="invalid_auth")
        report = await run_check(settings, live=True)
        assert "Slack: auth.test failed: invalid_auth" in report.problems
    finally:
        await slack.close()
        await discord.close()


def test_check_creates_nothing_and_says_what_start_will_do(tmp_path):
    result = check(tmp_path)
    assert (
        "database: sqlite:///" in result.stdout
        and "does not exist yet; the bot creates it at its first start" in result.stdout
    )
    assert not (tmp_path / "bot.db").exists()
    live = check(tmp_path, "--live")
    assert "live: skipped; no platform token or SMTP_URL is set" in live.stdout and live.returncode == 0


def test_check_agrees_with_run_about_a_bot_token_alone(tmp_path):
    result = check(tmp_path, SLACK_BOT_TOKEN="xoxb-1-2-abc", SLACK_OWNER_IDS="U012ABCDEF")
    assert result.returncode == 1
    assert "SLACK_BOT_TOKEN: set, but neither SLACK_APP_TOKEN (Socket Mode" in result.stdout


def test_workspace_qualified_owner_ids_are_ids(tmp_path):
    result = check(
        tmp_path,
        SLACK_OWNER_IDS="T0123ABCD:U012ABCDEF",
        SLACK_BOT_TOKEN="xoxb-1-2-abc",
        SLACK_APP_TOKEN="xapp-1-A1-2-abc",
    )
    assert "do(es) not look like user ids" not in result.stdout
    assert "T0123ABCD:owner do(es) not look like user ids" in check(tmp_path, SLACK_OWNER_IDS="T0123ABCD:owner").stdout


def test_an_alert_email_without_smtp_is_a_problem(tmp_path):
    policy = (
        (ROOT / "bot" / "policy.example.toml")
        .read_text(encoding="utf-8")
        .replace('# alert_email = "jordan@acme-admin.example"', 'alert_email = "jordan@acme-admin.example"')
    )
    (tmp_path / "policy.toml").write_text(policy, encoding="utf-8")
    result = check(tmp_path, POLICY_FILE=str(tmp_path / "policy.toml"))
    assert "PROBLEM  emergency.alert_email: set to jordan@acme-admin.example, but SMTP_URL is not" in result.stdout
    with_smtp = check(tmp_path, POLICY_FILE=str(tmp_path / "policy.toml"), SMTP_URL="smtp://mail.example:587")
    assert "PROBLEM" not in with_smtp.stdout and with_smtp.returncode == 0


def test_channel_state_on_slack_without_a_guide_page_is_a_problem(tmp_path):
    policy = (ROOT / "bot" / "policy.example.toml").read_text(encoding="utf-8")
    (tmp_path / "policy.toml").write_text(policy.replace("channel_state = false", "channel_state = true"), "utf-8")
    slack = {"POLICY_FILE": str(tmp_path / "policy.toml"), "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_OWNER_IDS": "U012AB"}
    result = check(tmp_path, **slack)
    assert "PROBLEM  announcements.channel_state: on, but a Slack bookmark needs a link" in result.stdout
    served = check(tmp_path, **slack, PUBLIC_URL="https://bot.example.com", CALENDAR_KEY="k" * 32)
    assert "announcements.channel_state" not in served.stdout


async def test_live_check_of_the_owner_s_user_token_names_what_each_missing_scope_turns_off(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    slack = await FakeSlack().start()
    values = dict(
        database_url=f"sqlite:///{tmp_path}/bot.sqlite3", slack_api_url=slack.api_url, slack_bot_token=BOT_TOKEN
    )
    try:
        owner = Settings(**values, slack_user_token=USER_TOKEN, slack_owner_ids="U_OWNER")
        report = await run_check(owner, live=True)
        assert "SLACK_USER_TOKEN: logged in as olivia (U_OWNER)" in report.passed
        assert mine(report) == [
            "SLACK_USER_TOKEN: lacks the mpim:history scope, so this is off: "
            "automatic replies in group direct messages with clients"
        ]
        slack.user_scopes.append("mpim:history")
        report = await run_check(owner, live=True)
        assert mine(report) == [] and any(line.startswith("SLACK_USER_TOKEN: has every") for line in report.passed)
        someone_else = Settings(**values, slack_user_token=USER_TOKEN, slack_owner_ids="U_DANA")
        (problem,) = mine(await run_check(someone_else, live=True))
        assert problem.startswith("SLACK_USER_TOKEN: belongs to U_OWNER, who is not in SLACK_OWNER_IDS")
        slack.fail("auth.test", error="token_revoked", times=2)  # the bot's login and the owner's
        (problem,) = mine(await run_check(owner, live=True))
        assert problem == "SLACK_USER_TOKEN: auth.test failed: token_revoked" and USER_TOKEN not in problem
    finally:
        await slack.close()


def mine(report) -> list[str]:
    return [line for line in report.problems if line.startswith("SLACK_USER_TOKEN")]
