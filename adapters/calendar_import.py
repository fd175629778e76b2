"""`boundary-bot calendar import`: closures from the owner's calendar (a .ics file or URL), shown or applied."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from sqlalchemy.exc import IntegrityError

from adapters.ical_read import read_entries
from bot.calendar_feed import FEED_DAYS
from bot.calendar_import import ImportPlan, plan_import
from bot.commands.show import describe_closure
from bot.policy import Policy
from bot.service import BoundaryService
from bot.settings import Settings
from bot.store import Store
from storage.database import Database

log = logging.getLogger(__name__)

MAX_CALENDAR_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 30


async def read_calendar(source: str) -> bytes:
    """The calendar's bytes from an http(s) URL or a file; ValueError says what went wrong (never the URL's
    query, which often carries the private calendar's key)."""
    parts = urlsplit(source)
    if parts.scheme in ("http", "https", "webcal"):
        url = source.replace("webcal://", "https://", 1) if parts.scheme == "webcal" else source
        shown = f"{parts.scheme}://{parts.hostname}"
        timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
                if response.status != 200:
                    raise ValueError(f"the calendar at {shown} answered HTTP {response.status}, expected 200")
                body = await response.content.read(MAX_CALENDAR_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise ValueError(f"the calendar at {shown} cannot be read: {type(error).__name__}") from None
    else:
        try:
            body = await asyncio.to_thread(_read_file, source)
        except OSError as error:
            raise ValueError(f"cannot read the calendar file {source}: {error.strerror or error}") from None
    if len(body) > MAX_CALENDAR_BYTES:
        raise ValueError(f"the calendar is larger than {MAX_CALENDAR_BYTES // (1024 * 1024)} MB")
    return body


def _read_file(source: str) -> bytes:
    with Path(source).expanduser().open("rb") as handle:
        return handle.read(MAX_CALENDAR_BYTES + 1)


async def plan_from(source: str, store: Store, policy: Policy, now: datetime) -> ImportPlan:
    """What importing `source` would do; the events are expanded off the event loop, bounded (adapters/ical_read)."""
    body = await read_calendar(source)
    start, end = now - timedelta(days=1), now + timedelta(days=FEED_DAYS)
    read = await asyncio.to_thread(read_entries, body, start, end, policy.calendar_import.mentions)
    known = await store.list_closures(ending_after=now, include_cancelled=True)
    imported = [c for c in known if c.calendar_uid and (c.cancelled_at is None or c.detached_at is not None)]
    return plan_import(read.entries, policy.calendar_import, policy.zone, imported, now, read.skipped)


async def apply(plan: ImportPlan, store: Store, now: datetime) -> None:
    """A moved event's closure is changed (cancelled and replaced in one transaction), so the channels that were told
    about it get one update."""
    for old, new in plan.change:
        await store.change_closure(old.id or 0, new, now)
    for closure in plan.create:
        await store.add_closure(closure)
    for closure in plan.cancel:
        await store.cancel_closure(closure.id or 0, now)


def describe(plan: ImportPlan, policy: Policy, now: datetime) -> str:
    skipped = [f"Skipped: {event.describe()}" for event in plan.skipped]
    if plan.empty:
        return "\n".join(["Nothing to change: the closures match the calendar.", *skipped])
    lines = [f"Create: {describe_closure(c, policy, now)}" for c in plan.create]
    lines += [
        f"Change: {describe_closure(old, policy, now)} -> {describe_closure(new, policy, now)}"
        for old, new in plan.change
    ]
    lines += [f"Cancel: {describe_closure(c, policy, now)}" for c in plan.cancel]
    return "\n".join(lines + skipped)


async def run_import(settings: Settings, policy: Policy, source: str, dry_run: bool, now: datetime) -> str:
    database = Database(settings.database_url)
    try:
        await database.migrate()
        store = database.store()
        plan = await plan_from(source, store, policy, now)
        if not dry_run:
            await apply(plan, store, now)
        return describe(plan, policy, now) + ("\n(dry run: nothing was changed)" if dry_run and not plan.empty else "")
    finally:
        await database.dispose()


def main(args: argparse.Namespace) -> int:
    settings = Settings()
    try:
        print(asyncio.run(run_import(settings, settings.load_policy(), args.source, args.dry_run, datetime.now(UTC))))
    except ValueError as error:
        print(f"boundary-bot calendar import: {error}", file=sys.stderr)
        return 2
    return 0


class CalendarSync:
    """The scheduled import from CALENDAR_IMPORT_URL: a calendar that cannot be read is logged (never its address)
    and tried again next time; another process importing the same events at once loses nothing."""

    def __init__(
        self, source: str, store: Store, policy: Policy, clock: Callable[[], datetime], seconds: float = 900
    ) -> None:
        self._source, self._store, self._policy, self._clock = source, store, policy, clock
        self.seconds = seconds

    @classmethod
    def configured(cls, settings: Settings, service: BoundaryService) -> CalendarSync | None:
        """The sync CALENDAR_IMPORT_URL asks for, None without it."""
        if settings.calendar_import_url is None:
            return None
        source = settings.calendar_import_url.get_secret_value()
        return cls(source, service.store, service.policy, service.clock, settings.calendar_import_minutes * 60)

    async def run_once(self) -> ImportPlan | None:
        now = self._clock()
        try:
            plan = await plan_from(self._source, self._store, self._policy, now)
            await apply(plan, self._store, now)
        except ValueError as error:
            log.warning("calendar import: %s; trying again later", error)
            return None
        except IntegrityError:
            log.info("calendar import: another process imported the same events first")
            return None
        for event in plan.skipped:
            log.warning("calendar import: skipped event %s: %s", event.uid, event.reason)
        if not plan.empty:
            log.info(
                "calendar import: %d created, %d changed, %d cancelled",
                len(plan.create),
                len(plan.change),
                len(plan.cancel),
            )
        return plan
