"""The `boundary-bot calendar` commands: export the business's iCalendar feed, import closures from a calendar."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime


def export(args: argparse.Namespace) -> int:
    from adapters.calendar_feeds import export_feed
    from bot.settings import Settings

    settings = Settings()
    try:
        body = asyncio.run(export_feed(settings, settings.load_policy(), args, datetime.now(UTC)))
    except ValueError as error:
        print(f"boundary-bot calendar export: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(body.decode("utf-8"))
    return 0


def link(args: argparse.Namespace) -> int:
    from adapters.calendar_feeds import parse_channel
    from bot.settings import Settings

    links = Settings().feed_links()
    if links is None:
        print("boundary-bot calendar link: set CALENDAR_KEY (a long random string) to serve the feeds", file=sys.stderr)
        return 2
    try:
        channel = parse_channel(args.channel) if args.channel else None
    except ValueError as error:
        print(f"boundary-bot calendar link: {error}", file=sys.stderr)
        return 2
    print(links(channel))
    return 0


def import_calendar(args: argparse.Namespace) -> int:
    from adapters.calendar_import import main

    return main(args)


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 3 * 366:
        raise argparse.ArgumentTypeError(f'"{text}" is not a number of days; use 1 to {3 * 366}')
    return int(text)


def add_calendar_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    calendar = sub.add_parser("calendar", help="the business calendar as iCalendar: export it, import closures")
    actions = calendar.add_subparsers(dest="calendar_command", required=True)
    out = actions.add_parser("export", help="print the iCalendar feed: closures, days off, optionally hours")
    out.add_argument("--channel", help="add this client channel's weekly meeting (platform:workspace:channel)")
    out.add_argument("--hours", action="store_true", help="add the opening hours as weekly events")
    out.add_argument("--days", type=_days, help="how far ahead, in days (default: a year)")
    out.set_defaults(handler=export)
    shared = actions.add_parser("link", help="print the secret address `serve` publishes a feed at")
    shared.add_argument("--channel", help="the feed of this client channel (platform:workspace:channel)")
    shared.set_defaults(handler=link)
    take = actions.add_parser("import", help="closures from your calendar's time off (a .ics file or URL)")
    take.add_argument("source", metavar="FILE_OR_URL", help="a .ics file, or your calendar's private iCal address")
    take.add_argument("--dry-run", action="store_true", help="only show what would be created, changed, cancelled")
    take.set_defaults(handler=import_calendar)
