"""`boundary-bot check`: the configuration doctor (policy, database, tokens, adapters, and live logins)."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr, ValidationError
from sqlalchemy.engine import make_url

from bot.email_policy import NO_INBOX
from bot.policy_loader import PolicyError
from bot.settings import Settings

_SLACK_ID = re.compile(r"^(?:[TE][A-Z0-9]{2,}:)?[UW][A-Z0-9]{2,}$")  # OAuth mode names the workspace: T123:U456
_DISCORD_ID = re.compile(r"^\d{15,21}$")
_DISCORD_TOKEN = re.compile(r"^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$")
_SIGNING_SECRET = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Report:
    """What the check found: lines that passed and problems to fix."""

    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"ok       {line}" for line in self.passed] + [f"PROBLEM  {line}" for line in self.problems]
        count = len(self.problems)
        verdict = "No problems found." if not count else f"{count} problem{'s' if count > 1 else ''} to fix."
        return "\n".join([*lines, verdict])

    def add(self, found: tuple[list[str], list[str]]) -> None:
        """Take in another check's (passed, problems)."""
        passed, problems = found
        self.passed += passed
        self.problems += problems


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "DATABASE_URL"


def check_policy(settings: Settings, report: Report) -> None:
    try:
        policy = settings.load_policy()
    except PolicyError as error:
        report.problems.append(str(error))
        return
    report.passed.append(
        f"policy: {settings.policy_file if settings.policy_file.exists() else 'the shipped example'}"
        f" ({policy.timezone}, {policy.turnaround_rule})"
    )
    if policy.emergency.alert_email and settings.smtp_url is None:
        report.problems.append(
            f"emergency.alert_email: set to {policy.emergency.alert_email}, but SMTP_URL is not, so "
            "urgent alerts cannot be emailed; set SMTP_URL, like smtp://user:pass@mail.example:587"
        )
    report.problems.extend(settings.inbox_problems())
    if policy.email.forward != "button" and settings.smtp_url is None:
        report.problems.append(NO_INBOX.format(forward=policy.email.forward))
    no_guide = settings.calendar_key is None or not settings.public_url
    if policy.announcements.channel_state and (settings.slack_bot_token or settings.slack_client_id) and no_guide:
        report.problems.append(
            "announcements.channel_state: on, but a Slack bookmark needs a link and the client guide page has no "
            "address; set PUBLIC_URL and CALENDAR_KEY (Discord's channel topics work without them)"
        )


async def check_database(settings: Settings, report: Report, timeout: float = 15) -> None:
    """Connect and read the schema's revision; nothing is created or migrated (the bot does that at start)."""
    from alembic.script import ScriptDirectory

    from storage.database import Database, alembic_config, normalize_url

    where = _redacted(settings.database_url)
    try:
        url = make_url(normalize_url(settings.database_url))
    except ValueError as error:
        report.problems.append(f"DATABASE_URL: {error}")
        return
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database).expanduser()
        if not path.exists():
            folder = next((p for p in path.parents if p.exists()), Path("."))
            if os.access(folder, os.W_OK):
                report.passed.append(f"database: {where} does not exist yet; the bot creates it at its first start")
            else:
                report.problems.append(f"database: {where} does not exist and {folder} is not writable")
            return
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    database = Database(settings.database_url)
    try:
        revision = await asyncio.wait_for(database.current_revision(), timeout)
        state = "up to date" if revision == head else f"migrated to {head} at the next start"
        report.passed.append(f"database: {where} (schema at {revision or 'nothing yet'}, {state})")
        if revision == head:
            await _held(settings, database, report, timeout)
    except Exception as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        report.problems.append(f"database: cannot connect to {where}: {detail}")
    finally:
        await database.dispose()


async def _held(settings: Settings, database, report: Report, timeout: float) -> None:
    """What the database holds of each kind of client data, beside how long the policy keeps it."""
    from bot.retention import Retention, held_lines

    try:
        retention = settings.load_policy().retention
    except PolicyError:  # check_policy reports it; the defaults still say what is kept
        retention = Retention()
    held = await asyncio.wait_for(database.store().held(), timeout)
    report.passed += [f"kept: {line}" for line in held_lines(retention, held, datetime.now(UTC))]


def check_tokens(settings: Settings, report: Report) -> None:
    def secret(value: SecretStr | None) -> str:
        return value.get_secret_value() if value is not None else ""

    shapes: list[tuple[str, str, Callable[[str], object], str]] = [
        (
            "SLACK_BOT_TOKEN",
            secret(settings.slack_bot_token),
            lambda v: v.startswith("xoxb-"),
            "a bot token starting xoxb-",
        ),
        (
            "SLACK_APP_TOKEN",
            secret(settings.slack_app_token),
            lambda v: v.startswith("xapp-"),
            "an app-level token starting xapp-",
        ),
        (
            "SLACK_SIGNING_SECRET",
            secret(settings.slack_signing_secret),
            _SIGNING_SECRET.match,
            "the 32-character hex signing secret from Basic Information",
        ),
        (
            "DISCORD_TOKEN",
            secret(settings.discord_token),
            _DISCORD_TOKEN.match,
            "a bot token of three dot-separated parts, from the Bot page",
        ),
    ]
    for name, value, valid, expected in shapes:
        if value and not valid(value):
            report.problems.append(f"{name}: does not look right; expected {expected}")
        elif value:
            report.passed.append(f"{name}: looks like {expected.split(',')[0]}")
    for name, ids, pattern, example in [
        ("SLACK_OWNER_IDS", settings.slack_owner_ids, _SLACK_ID, "U012ABCDEF"),
        ("DISCORD_OWNER_IDS", settings.discord_owner_ids, _DISCORD_ID, "123456789012345678"),
    ]:
        bad = sorted(i for i in ids if not pattern.match(i))
        if bad:
            report.problems.append(
                f"{name}: {', '.join(bad)} do(es) not look like user ids; expected ids like {example}"
            )
    if settings.slack_bot_token and not settings.slack_app_token and not settings.slack_signing_secret:
        report.problems.append(
            "SLACK_BOT_TOKEN: set, but neither SLACK_APP_TOKEN (Socket Mode, `boundary-bot run`) "
            "nor SLACK_SIGNING_SECRET (HTTP, `boundary-bot serve`) is, so Slack would not start"
        )
    if settings.slack_bot_token and not settings.slack_owner_ids:
        report.problems.append("SLACK_OWNER_IDS: empty, so nobody can run owner commands in Slack; add your member id")
    if settings.discord_token:
        report.passed.append(
            "Discord: clients who message you directly get no automatic reply (Discord lets no bot read a person's "
            "direct messages); they get one in client channels and in direct messages to the bot"
        )
    if settings.discord_token and not settings.discord_owner_ids:
        report.problems.append(
            "DISCORD_OWNER_IDS: empty, so nobody can run owner commands in Discord; add your user id"
        )


def check_email(settings: Settings, report: Report) -> None:
    """SMTP_URL's shape (never printing the password) and where forwards would go."""
    if settings.smtp_url is None:
        report.passed.append(
            "forwarding to email: off (SMTP_URL is not set; replies name the email address, no button)"
        )
        return
    from adapters.email import SmtpTarget

    try:
        target = SmtpTarget.parse(settings.smtp_url.get_secret_value())
    except ValueError as error:
        report.problems.append(str(error))
        return
    report.passed.append(f"forwarding to email: {target} to {settings.owner_email or 'the policy contact email'}")


def adapters_that_would_start(settings: Settings) -> list[str]:
    started = []
    if settings.slack_bot_token and settings.slack_app_token:
        started.append("Slack in Socket Mode (boundary-bot run)")
    if settings.slack_bot_token and settings.slack_signing_secret:
        started.append("Slack over HTTP (boundary-bot serve)")
    if settings.discord_token:
        started.append("Discord (boundary-bot run)")
    return started or ["the console demo (no platform tokens are set)"]


async def check_live(settings: Settings, report: Report) -> None:
    """Log in to each configured platform through its configured base URL."""
    if settings.slack_bot_token:
        from adapters.slack.client import web_client

        try:
            auth = await web_client(settings, settings.slack_bot_token.get_secret_value(), retries=False).auth_test()
            report.passed.append(f"Slack: logged in to {auth.get('team')} as {auth.get('user')}")
        except Exception as error:
            report.problems.append(f"Slack: auth.test failed: {_api_error(error)}")
    if settings.slack_user_token:
        from adapters.slack.user_token import check_user_token

        report.add(await check_user_token(settings))
    if settings.smtp_url:
        from adapters.email import SmtpTarget, verify
        from bot.outbound import PostError

        try:
            line, secured = await verify(SmtpTarget.parse(settings.smtp_url.get_secret_value()))
            (report.passed if secured else report.problems).append(f"SMTP: {line}")
        except (ValueError, PostError) as error:
            report.problems.append(f"SMTP: {error}")
    if settings.discord_token:
        from adapters.discord.connect import check_discord

        report.add(await check_discord(settings))
    if settings.imap_url:
        from adapters.inbox_watch import check_inbox

        report.add(await check_inbox(settings))


def _api_error(error: Exception) -> str:
    response = getattr(error, "response", None)
    if response is not None and hasattr(response, "get"):
        return str(response.get("error"))
    return type(error).__name__


async def run_check(settings: Settings, *, live: bool) -> Report:
    report = Report()
    check_policy(settings, report)
    await check_database(settings, report)
    check_tokens(settings, report)
    check_email(settings, report)
    report.passed.append("would start: " + "; ".join(adapters_that_would_start(settings)))
    if live and not (settings.slack_bot_token or settings.discord_token or settings.smtp_url or settings.imap_url):
        report.passed.append("live: skipped; no platform token or SMTP_URL is set, so there is nothing to log in to")
    elif live:
        await check_live(settings, report)
    return report


def main(live: bool) -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        problems = [f"PROBLEM  settings: {e['loc'][0]}: {e['msg']}" for e in error.errors()]
        count = len(problems)
        print("\n".join([*problems, f"{count} problem{'s' if count > 1 else ''} to fix."]), file=sys.stderr)
        return 1
    report = asyncio.run(run_check(settings, live=live))
    print(report.render())
    return 1 if report.problems else 0
