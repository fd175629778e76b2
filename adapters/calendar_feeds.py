"""The business's iCalendar feeds read from the store: `boundary-bot calendar export` and the served feed URLs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from adapters.ical import render_feed
from bot.calendar_feed import FEED_DAYS, business_feed
from bot.calendar_links import FEED_PREFIX, token_matches
from bot.errors import StartError
from bot.messages import ChannelRef
from bot.policy import Policy
from bot.settings import Settings
from bot.store import Store
from storage.database import Database, normalize_url

CALENDAR_TYPE = "text/calendar; charset=utf-8"
Clock = Callable[[], datetime]


def parse_channel(text: str) -> ChannelRef:
    """platform:workspace:channel, as `closure list` and the export show channels."""
    parts = text.split(":")
    if len(parts) != 3 or not all(part.strip() for part in parts):
        raise ValueError(f'"{text}" is not a channel; use platform:workspace:channel, like slack:T0123:C0456')
    return ChannelRef(*(part.strip() for part in parts))


async def feed(
    store: Store | None,
    policy: Policy,
    now: datetime,
    *,
    channel: ChannelRef | None = None,
    hours: bool = False,
    days: int = FEED_DAYS,
) -> bytes:
    """The business feed (closures ending after `now`, days off), plus `channel`'s meeting slot when it has one."""
    closures = await store.list_closures(ending_after=now) if store else []
    slot = await store.get_meeting_slot(channel) if store and channel else None
    events = business_feed(policy, closures, now, slot=slot, hours=hours, days=days)
    name = "Business calendar" if channel is None else f"Business calendar ({channel})"
    return render_feed(events, name, now)


def _no_database_yet(database_url: str) -> bool:
    try:
        url = make_url(normalize_url(database_url))
    except ValueError as error:
        raise StartError(f"DATABASE_URL: {error}") from None
    path = url.database if url.get_backend_name() == "sqlite" else None
    return bool(path) and not Path(path or "").expanduser().exists()


async def export_feed(settings: Settings, policy: Policy, args: argparse.Namespace, now: datetime) -> bytes:
    """Reads the database without creating or migrating it: no database yet means no closures or meetings yet."""
    channel = parse_channel(args.channel) if args.channel else None
    days = args.days or FEED_DAYS
    if _no_database_yet(settings.database_url):
        return await feed(None, policy, now, channel=channel, hours=args.hours, days=days)
    database = Database(settings.database_url)
    try:
        return await feed(database.store(), policy, now, channel=channel, hours=args.hours, days=days)
    except (OSError, SQLAlchemyError) as error:
        shown = make_url(settings.database_url).render_as_string(hide_password=True)
        reason = str(getattr(error, "orig", None) or error).splitlines()[0] or type(error).__name__
        raise StartError(f"the database at {shown} cannot be read: {reason}") from None
    finally:
        await database.dispose()


def add_calendar_routes(web_app: web.Application, store: Store, policy: Policy, key: str, clock: Clock) -> None:
    """GET the business feed and each client channel's feed at their secret paths; any other token is a 404."""

    async def serve_feed(request: web.Request, channel: ChannelRef | None) -> web.StreamResponse:
        token = request.match_info["token"]
        if not token_matches(key, channel, token):
            raise web.HTTPNotFound()
        body = await feed(store, policy, clock(), channel=channel)
        return web.Response(body=body, headers={"Content-Type": CALENDAR_TYPE, "Cache-Control": "private, max-age=300"})

    async def business(request: web.Request) -> web.StreamResponse:
        return await serve_feed(request, None)

    async def channel(request: web.Request) -> web.StreamResponse:
        info = request.match_info
        return await serve_feed(request, ChannelRef(info["platform"], info["workspace"], info["channel"]))

    web_app.add_routes(
        [
            web.get(FEED_PREFIX + "/{token}.ics", business),
            web.get(FEED_PREFIX + "/{platform}/{workspace}/{channel}/{token}.ics", channel),
        ]
    )
