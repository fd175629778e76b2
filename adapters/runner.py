"""Starting the bot: settings, policy, database, scheduler, then the adapters the configuration calls for."""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from adapters.inbox_watch import route_of, start_inbox, stop_inbox
from adapters.logs import configure_logging, secret_values
from bot.clock import SimulatedClock
from bot.dates import DateError, parse_instant
from bot.email_policy import NO_INBOX
from bot.errors import StartError
from bot.forwarding import Addresses
from bot.forwarding_service import Forwarding
from bot.inbox_answers import AnswerRoute, InboxAnswers
from bot.outbound import Poster, PostError
from bot.policy import Policy
from bot.queue import Delivery, DeliveryQueue
from bot.scheduling import Scheduling
from bot.sender import SEND_CONCURRENCY, Sender
from bot.service import BoundaryService
from bot.settings import Settings
from bot.store import Store
from storage.database import Database

if TYPE_CHECKING:
    from adapters.presence import PresenceSync

log = logging.getLogger(__name__)

LIVE_REPLY_PLATFORMS = frozenset({"slack", "discord"})  # the console prints its replies itself

# A post refused with one of these found the bot not in the channel (or the channel gone), as the posters word them:
# Slack's error codes, Discord's Missing Access (50001) and Unknown Channel (10003).
NOT_IN_CHANNEL = re.compile(r"failed: (not_in_channel|channel_not_found|is_archived)$|\(code (50001|10003)\)")


@dataclass
class App:
    """What a running process shares between its adapters and its scheduler."""

    settings: Settings
    service: BoundaryService
    scheduling: Scheduling
    posters: dict[str, Poster]
    clock: SimulatedClock
    answers: InboxAnswers | None = None  # with IMAP_URL: the owner's email answers, posted in the chat


def run(args: argparse.Namespace) -> int:
    """`boundary-bot run`: Slack (Socket Mode) and/or Discord when configured, else the console demo."""
    settings = Settings()
    configure_logging(settings.log_level, secrets=secret_values(settings))
    policy = settings.load_policy()
    clock = SimulatedClock()
    if args.at:
        try:
            clock.set(parse_instant(args.at, policy.zone, clock()))
        except DateError as error:
            print(f"boundary-bot run: --at {error}", file=sys.stderr)
            return 2
    if args.console or not (settings.slack_bot_token or settings.discord_token):
        if not args.verbose:  # the demo shows the bot's own output; its log lines go only where they matter
            logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
        return asyncio.run(_with_app(settings, policy, clock, _console))
    if settings.slack_bot_token and not settings.slack_app_token and not settings.discord_token:
        print(
            "boundary-bot run: SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN; set it for Socket Mode, "
            "or use `boundary-bot serve` for HTTP mode.",
            file=sys.stderr,
        )
        return 2
    return asyncio.run(_with_app(settings, policy, clock, _platforms))


def serve(args: argparse.Namespace) -> int:
    """`boundary-bot serve`: Slack's Events API, interactivity and commands over HTTP, plus the scheduler."""
    settings = Settings()
    configure_logging(settings.log_level, secrets=secret_values(settings))
    policy = settings.load_policy()

    async def _serve(app: App) -> int:
        from adapters.calendar_import import CalendarSync
        from adapters.metrics import Metrics
        from adapters.scheduling import start_scheduler, stop_scheduler
        from adapters.slack.http import serve_http

        wanted = app.settings.metrics_enabled or app.settings.metrics_port is not None  # off unless asked for
        metrics = Metrics().watch(app.service, app.scheduling) if wanted else None
        leave_refusing_channels(app.scheduling.sender, app.service.store, app.clock)
        app.service.feed_links = app.settings.feed_links()  # served beside Slack's endpoint
        app.scheduling.guide_url = _guide_url(app)
        scheduler = start_scheduler(
            app.scheduling,
            app.service,
            calendar_sync=CalendarSync.configured(app.settings, app.service),
            presence=owner_presence(app, discord=False),
        )
        inbox = start_inbox(app.settings, app.answers, app.service.wake)
        try:
            await serve_http(
                app.service,
                app.settings,
                port=args.port,
                host=args.host or app.settings.host,
                posters=app.posters,
                metrics=metrics,
                metrics_port=app.settings.metrics_port,
            )
        except ValueError as error:  # a setting serve cannot start without (SLACK_SIGNING_SECRET, ...)
            raise StartError(str(error)) from None
        finally:
            await stop_scheduler(scheduler)
            await stop_inbox(inbox)
        return 0

    return asyncio.run(_with_app(settings, policy, SimulatedClock(), _serve))


async def _with_app(
    settings: Settings, policy: Policy, clock: SimulatedClock, body: Callable[[App], Awaitable[int]]
) -> int:
    try:
        database = Database(settings.database_url)
    except ValueError as error:
        raise StartError(f"DATABASE_URL: {error}") from None
    except OSError as error:  # the SQLite file's folder cannot be made or written
        raise StartError(f"DATABASE_URL: cannot create the SQLite file there: {error.strerror or error}") from None
    try:
        try:
            await database.migrate()
        except (OSError, SQLAlchemyError) as error:  # down, refused, read-only, no such database
            reason = str(getattr(error, "orig", None) or error).splitlines()[0] or type(error).__name__
            shown = make_url(settings.database_url).render_as_string(hide_password=True)  # as the user wrote it
            raise StartError(
                f"the database at {shown} cannot be used: {reason}; check DATABASE_URL "
                "and that the server is up and the bot may write there"
            ) from None
        posters: dict[str, Poster] = {}
        store, queue = database.store(), database.deliveries()
        service = BoundaryService(store, policy, settings.roles(), clock)
        sender = Sender(
            queue,
            posters,
            clock,
            retry_limit=policy.announcements.retry_limit,
            concurrency=SEND_CONCURRENCY,
            lost=service.delivery_lost,
        )
        service.outbox, service.outbox_platforms = queue, LIVE_REPLY_PLATFORMS  # replies are rows, posted at once
        scheduling = Scheduling(store, queue, policy, sender, clock, settings.roles())
        answers = None
        if settings.smtp_url:
            route = route_of(settings)
            _forwarding(settings.smtp_url.get_secret_value(), settings, policy, service, queue, posters, route)
            if route is not None and service.forwarding is not None:
                senders = {service.forwarding.addresses.owner, policy.contact.email, *settings.inbox_senders}
                answers = InboxAnswers(queue, store, policy, service.roles, clock, route, senders)
        elif settings.imap_url:  # answers come back only to emails the bot sent
            raise StartError("; ".join(settings.inbox_problems()))
        elif policy.email.forward != "button":  # replies would tell clients their message is in the inbox
            raise StartError(NO_INBOX.format(forward=policy.email.forward))
        return await body(App(settings, service, scheduling, posters, clock, answers))
    finally:
        await database.dispose()


def _forwarding(
    smtp_url: str,
    settings: Settings,
    policy: Policy,
    service: BoundaryService,
    queue: DeliveryQueue,
    posters: dict[str, Poster],
    route: AnswerRoute | None = None,
) -> None:
    """The "email" poster for the sender, and the bridge the adapters' buttons and reactions use."""
    from adapters.email import EmailPoster

    try:
        poster = EmailPoster.from_url(smtp_url)
    except ValueError as error:
        raise StartError(f"SMTP_URL: {error}") from None
    posters[poster.platform] = poster
    addresses = Addresses.for_policy(policy, sender=settings.email_from, owner=settings.owner_email)
    service.forwarding = Forwarding(
        queue,
        policy,
        service.roles,
        service.clock,
        addresses,
        listeners=service.after_command,
        forwarded=[service.promise_forwarded],
        route=route,
    )
    log.info("forwarding to email on: forwards go to %s via %s", addresses.owner, poster.target)


async def _console(app: App) -> int:
    from adapters.console import run_console

    await run_console(app.service, app.clock, scheduling=app.scheduling, posters=app.posters)
    return 0


async def _platforms(app: App) -> int:
    from adapters.calendar_import import CalendarSync
    from adapters.scheduling import start_scheduler, stop_scheduler

    runs = []
    presence = owner_presence(app, discord=bool(app.settings.discord_token))
    if app.settings.slack_bot_token and app.settings.slack_app_token:
        from adapters.slack.socket import run_socket_mode

        runs.append(run_socket_mode(app.service, app.settings, posters=app.posters))
    if app.settings.discord_token:
        from adapters.discord.bot import run_discord

        runs.append(run_discord(app.service, app.settings, posters=app.posters, presence=presence))
    leave_refusing_channels(app.scheduling.sender, app.service.store, app.clock)
    if app.settings.public_url:  # the feeds are served there, by a `serve` process with the same CALENDAR_KEY
        app.service.feed_links = app.settings.feed_links()
        app.scheduling.guide_url = _guide_url(app)
    scheduler = start_scheduler(
        app.scheduling,
        app.service,
        calendar_sync=CalendarSync.configured(app.settings, app.service),
        presence=presence,
    )
    inbox = start_inbox(app.settings, app.answers, app.service.wake)
    try:
        await asyncio.gather(*runs)
    finally:
        await stop_scheduler(scheduler)
        await stop_inbox(inbox)
    return 0


def owner_presence(app: App, *, discord: bool) -> PresenceSync | None:
    """The presence that follows closures: the owner's Slack status with SLACK_USER_TOKEN, and (`discord`) the
    Discord bot's own, which it adds once connected; None when there is neither."""
    from adapters.presence import PresenceSync

    if not (app.settings.slack_user_token or discord):
        return None
    presence = PresenceSync(app.service.store, app.service.policy, app.clock)
    if app.settings.slack_user_token:
        from adapters.slack.client import web_client
        from adapters.slack.presence import SlackPresence

        user_client = web_client(app.settings, app.settings.slack_user_token.get_secret_value())
        presence.targets[SlackPresence.platform] = SlackPresence(user_client)
    return presence


def leave_refusing_channels(sender: Sender, store: Store, clock: Callable[[], datetime]) -> None:
    """Mark a channel left when a post there is refused because the bot is not in it (after any earlier hook)."""
    earlier = sender.on_error
    running: set[asyncio.Task[None]] = set()

    def done(task: asyncio.Task[None]) -> None:
        running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("a channel that refused a post was not marked left: %s", task.exception())

    def on_error(delivery: Delivery, error: PostError) -> None:
        if earlier is not None:
            earlier(delivery, error)
        if error.permanent and not delivery.direct and NOT_IN_CHANNEL.search(str(error)):
            task = asyncio.create_task(store.mark_channel_left(delivery.key.channel, clock()))
            running.add(task)
            task.add_done_callback(done)

    sender.on_error = on_error


def _guide_url(app: App) -> str | None:
    """The client guide page's address, which a channel's Slack bookmark links to; None without the feeds."""
    from bot.calendar_links import guide_link

    links = app.service.feed_links
    return guide_link(links(None)) if links is not None else None
