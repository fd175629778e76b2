"""Fixtures for the Slack tests: the fake, a migrated SQLite database, and the real Bolt app served over HTTP."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp import web
from factories import make_policy, ny
from slack_fakes import APP_TOKEN, BOT_TOKEN, CLIENT, OWNER, FakeSlack
from slack_payloads import SIGNING_SECRET, event_body, fixture, form_body, interactive_body, message_envelope, sign
from slack_socket_fake import ACK_WITHIN

from adapters.slack.app import SlackBot, build_slack
from adapters.slack.http import EVENTS_PATH, build_web_app, web_runner
from bot.clock import SimulatedClock
from bot.service import BoundaryService
from bot.settings import Settings
from storage.database import Database

MONDAY_9PM = ny(2026, 11, 23, 21, 0)  # after hours in New York
TUESDAY_10AM = ny(2026, 11, 24, 10, 0)  # open
_ids = itertools.count(1)


def slack_settings(fake: FakeSlack, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        database_url=database_url,
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        slack_owner_ids=OWNER,
        slack_team_ids="U_TEAMMATE",
        slack_client_id=None,
        slack_client_secret=None,
    )
    if overrides.get("slack_client_id") and overrides.get("slack_client_secret"):  # OAuth mode refuses less
        values.update(
            slack_owner_ids=f"T1:{OWNER}", slack_team_ids="T1:U_TEAMMATE", slack_allowed_workspaces="T1,T8,T9"
        )
    values.update(overrides)
    return Settings(_env_file=None, **values)


def message_event(text: str, *, user: str | None = CLIENT, event_id: str | None = None, **event: Any) -> dict:
    """The message.json envelope with a fresh event id and ts, the text, the author and any event fields."""
    n = next(_ids)
    body = message_envelope(n, event_id or f"Ev{n:08d}", text=text)
    body["event"]["blocks"][0]["elements"][0]["elements"][0]["text"] = text
    if user is None:
        body["event"].pop("user")
    else:
        body["event"]["user"] = user
    body["event"].update(event)
    return body


def command_fields(command: str, text: str = "", *, user: str = OWNER, fake: FakeSlack | None = None) -> dict:
    fields = dict(fixture("slash_command"), command=command, text=text, user_id=user)
    if fake is not None:
        fields["response_url"] = f"{fake.url}/respond/{next(_ids)}"
    return fields


@dataclass
class HttpHarness:
    """The Bolt app behind aiohttp on 127.0.0.1, posting to the fake; `post` signs unless told otherwise."""

    fake: FakeSlack
    bot: SlackBot
    clock: SimulatedClock
    url: str
    session: aiohttp.ClientSession

    @property
    def service(self) -> BoundaryService:
        return self.bot.service

    async def post(
        self,
        body: str,
        headers: dict[str, str],
        *,
        signed: bool = True,
        extra: dict[str, str] | None = None,
        **sign_args: Any,
    ) -> tuple[int, str]:
        headers = {**headers, **(sign(body, **sign_args) if signed else {}), **(extra or {})}
        started = time.monotonic()
        async with self.session.post(self.url + EVENTS_PATH, data=body.encode(), headers=headers) as response:
            answer = response.status, await response.text()
        if (took := time.monotonic() - started) > ACK_WITHIN:  # Slack has given up (and shown an error) by then
            self.fake.refusals.append(f"request answered after {took:.1f} s; Slack waits {ACK_WITHIN:.0f} s")
        return answer

    async def event(self, payload: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return await self.post(*event_body(payload), **kwargs)

    async def command(self, fields: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return await self.post(*form_body(fields), **kwargs)

    async def interactive(self, payload: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return await self.post(*interactive_body(payload), **kwargs)

    async def settle(self) -> None:
        await self.bot.tracker.wait_idle()


async def serve(bot: SlackBot, **options: Any) -> tuple[web.AppRunner, str]:
    runner = web_runner(build_web_app(bot, **options))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def start_http(
    fake: FakeSlack,
    database: Database,
    *,
    at=MONDAY_9PM,
    policy=None,
    body_timeout: float | None = None,
    **settings: Any,
) -> AsyncIterator[HttpHarness]:
    clock = SimulatedClock(at)
    config = slack_settings(fake, database.url, **settings)
    service = BoundaryService(database.store(), policy or make_policy(), config.roles(), clock)
    bot = build_slack(service, config, {}, http=True, oauth_database=database)
    runner, url = await serve(bot, **({} if body_timeout is None else {"body_timeout": body_timeout}))
    async with aiohttp.ClientSession() as session:
        try:
            yield HttpHarness(fake, bot, clock, url, session)
        finally:
            await runner.cleanup()
            await bot.aclose()


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


@pytest_asyncio.fixture
async def http(fake: FakeSlack, database: Database) -> AsyncIterator[HttpHarness]:
    async for harness in start_http(fake, database):
        yield harness
