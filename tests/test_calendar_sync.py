"""The scheduled import from CALENDAR_IMPORT_URL: closures appear on their own, marked as imported in closure list."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from factories import make_policy, ny
from loopback_http import served

from adapters.calendar_import import CalendarSync
from adapters.scheduling import start_scheduler
from bot.clock import SimulatedClock
from bot.commands import Invocation
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.service import BoundaryService
from bot.settings import Settings

CALENDAR = (Path(__file__).resolve().parents[1] / "tests" / "data" / "calendars" / "owner.ics").read_bytes()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
OWNER = Invocation("slack", "T1", "C1", "U_OWNER")


@pytest.fixture
async def calendar_server() -> AsyncIterator[tuple[str, list[int]]]:
    """Serves the owner's calendar at a private address; answers 500 while the list holds a 500."""
    failures: list[int] = []

    async def private(request: web.Request) -> web.StreamResponse:
        if failures:
            return web.Response(status=failures[0])
        return web.Response(body=CALENDAR, content_type="text/calendar")

    app = web.Application()
    app.add_routes([web.get("/private-s3cr3t/basic.ics", private)])
    async with served(app) as base:
        yield f"{base}/private-s3cr3t/basic.ics", failures


async def test_the_scheduler_imports_the_owners_time_off_at_start(database, calendar_server) -> None:
    url, _ = calendar_server
    clock = SimulatedClock(ny(2026, 12, 1, 9, 0))
    store, queue = database.store(), database.deliveries()
    policy = make_policy()
    service = BoundaryService(store, policy, ROLES, clock)
    scheduling = Scheduling(store, queue, policy, Sender(queue, {}, clock, pacing={}), clock, ROLES)
    sync = CalendarSync.configured(Settings(calendar_import_url=url, database_url=database.url), service)
    assert sync is not None and sync.seconds == 15 * 60
    scheduler = start_scheduler(scheduling, service, plan_seconds=3600, send_seconds=3600, calendar_sync=sync)
    try:
        for _ in range(100):
            if len(await store.list_closures(ending_after=clock())) == 4:
                break
            await asyncio.sleep(0.05)
        listed = (await service.handle_command("closure list", OWNER)).text
    finally:
        scheduler.shutdown(wait=False)
    assert listed.count("(imported from your calendar)") == 4 and "Vacation" in listed


async def test_an_unreadable_calendar_is_logged_without_its_address_and_tried_again(
    database, calendar_server, caplog
) -> None:
    url, failures = calendar_server
    store = database.store()
    sync = CalendarSync(url, store, make_policy(), lambda: ny(2026, 12, 1, 9, 0))
    failures.append(500)
    with caplog.at_level(logging.INFO):
        assert await sync.run_once() is None
    assert "answered HTTP 500" in caplog.text and "s3cr3t" not in caplog.text
    assert await store.list_closures(ending_after=ny(2026, 12, 1, 9, 0)) == []
    failures.clear()
    plan = await sync.run_once()
    assert plan is not None and len(plan.create) == 4
    again = await sync.run_once()
    assert again is not None and again.empty


async def test_two_processes_importing_at_once_make_each_closure_once(database, calendar_server) -> None:
    url, _ = calendar_server
    now = ny(2026, 12, 1, 9, 0)
    syncs = [CalendarSync(url, database.store(), make_policy(), lambda: now) for _ in range(2)]
    await asyncio.gather(*(s.run_once() for s in syncs))
    uids = [c.calendar_uid for c in await database.store().list_closures(ending_after=now)]
    assert len(uids) == len(set(uids)) == 4


def test_without_an_import_url_there_is_no_sync(database) -> None:
    service = BoundaryService(database.store(), make_policy(), ROLES, SimulatedClock(ny(2026, 12, 1, 9, 0)))
    assert CalendarSync.configured(Settings(database_url=database.url), service) is None
