"""Bolt dispatch in one process, no HTTP, memory store: CPU per message event, this project's app vs a bare Bolt app."""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.app import SlackBot, build_slack
from benchmarks.report import figure, use_test_fakes
from benchmarks.slack_e2e import signed_events
from benchmarks.slack_server import MONDAY_9PM, bare_app, settings_for
from bot.clock import SimulatedClock
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.service import BoundaryService

use_test_fakes()
from memory_store import MemoryStore

API_URL = "http://127.0.0.1:9/api/"  # never contacted: every Web API call is answered in process


class NoOpSlack:
    """Answers every AsyncWebClient call in process (users.info, auth.test, chat.postMessage) and counts posts."""

    def __init__(self) -> None:
        self.posted = 0
        self._target = 0
        self._reached = asyncio.Event()

    def expect(self, count: int) -> asyncio.Event:
        self._target, self._reached = self.posted + count, asyncio.Event()
        return self._reached

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage":
            self.posted += 1
            if self.posted >= self._target:
                self._reached.set()
            return {"ok": True, "channel": args.get("channel"), "ts": "1795481200.999999"}
        if method == "users.info":
            user = args.get("user", "")
            return {
                "ok": True,
                "user": {
                    "id": user,
                    "team_id": "T1",
                    "name": user.lower(),
                    "real_name": user,
                    "tz": "Europe/London" if int(user[1:] or 0) % 2 else None,
                    "profile": {"first_name": f"Client{user[1:]}"},
                },
            }
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://bench.slack.com/",
                "team_id": "T1",
                "user_id": "U_BOT",
                "bot_id": "B_BOT",
                "team": "Bench",
            }
        return {"ok": True}

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Every AsyncWebClient's api_call (Bolt makes one client per request) answered by this fake."""
        fake = self

        async def api_call(client: AsyncWebClient, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
            args = {**(kwargs.get("params") or {}), **(kwargs.get("data") or {}), **(kwargs.get("json") or {})}
            return AsyncSlackResponse(
                client=client,
                http_verb="POST",
                api_url=client.base_url + api_method,
                req_args=kwargs,
                data=fake.answer(api_method, args),
                headers={},
                status_code=200,
            ).validate()

        original = AsyncWebClient.api_call
        AsyncWebClient.api_call = api_call  # type: ignore[method-assign]
        try:
            yield
        finally:
            AsyncWebClient.api_call = original  # type: ignore[method-assign]


def requests(first: int, count: int) -> list[AsyncBoltRequest]:
    """The end-to-end benchmark's signed message events, as Bolt requests."""
    return [AsyncBoltRequest(body=data.decode(), headers=headers) for data, headers in signed_events(first, count)]


_BUILT: list[SlackBot] = []  # closed after each measurement (their kept-alive sessions)


def project_app() -> AsyncApp:
    service = BoundaryService(
        MemoryStore(), load_policy(EXAMPLE_POLICY), settings_for(API_URL, "").roles(), SimulatedClock(MONDAY_9PM)
    )
    _BUILT.append(build_slack(service, settings_for(API_URL, "sqlite://"), {}, http=True))
    return _BUILT[-1].app


def bare() -> AsyncApp:
    """The bare Bolt app of slack_server.py, taken out of its aiohttp route."""
    apps: list[AsyncApp] = []
    original = AsyncApp.__init__

    def capture(self: AsyncApp, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        apps.append(self)

    AsyncApp.__init__ = capture  # type: ignore[method-assign]
    try:
        bare_app(settings_for(API_URL, "sqlite://"), None)
    finally:
        AsyncApp.__init__ = original  # type: ignore[method-assign]
    return apps[0]


async def dispatch_all(app: AsyncApp, fake: NoOpSlack, batch: list[AsyncBoltRequest]) -> float:
    """CPU seconds to dispatch `batch` and finish every listener (each posts one reply)."""
    done = fake.expect(len(batch))
    started = time.process_time()
    for request in batch:
        response = await app.async_dispatch(request)
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {response.body}")
    await asyncio.wait_for(done.wait(), 120)
    return time.process_time() - started


async def measure(
    build: Callable[[], AsyncApp], events: int, warmup: int, rounds: int, profiler: cProfile.Profile | None = None
) -> float:
    """Best CPU ms per event over `rounds`, each a fresh app given `warmup` then `events` new events."""
    fake = NoOpSlack()
    best = float("inf")
    with fake.installed():
        for round_ in range(rounds):
            app = build()
            first = round_ * 1_000_000
            await dispatch_all(app, fake, requests(first, warmup))
            batch = requests(first + warmup, events)
            if profiler:
                profiler.enable()
            seconds = await dispatch_all(app, fake, batch)
            if profiler:
                profiler.disable()
            best = min(best, 1000 * seconds / events)
    while _BUILT:
        await _BUILT.pop().aclose()
    return best


async def main(events: int = 2_000, warmup: int = 200, rounds: int = 3) -> None:
    logging.basicConfig(level=logging.WARNING)
    bare_ms = await measure(bare, events, warmup, rounds)
    project_ms = await measure(project_app, events, warmup, rounds)
    how = f"best of {rounds}, {events} message events each after {warmup} warm-up, async_dispatch, no HTTP"
    figure("dispatch bare Bolt app", f"{bare_ms:.3f} ms CPU/event", how)
    figure("dispatch project app", f"{project_ms:.3f} ms CPU/event", how + ", MemoryStore")
    figure("dispatch project/bare", f"{project_ms / bare_ms:.2f}x", "same runs")
    if profile_to := os.environ.get("BENCH_PROFILE"):
        profiler = cProfile.Profile()
        await measure(project_app, events, warmup, 1, profiler)
        profiler.dump_stats(profile_to)


def run() -> None:
    asyncio.run(main())


if __name__ == "__main__":
    run()
