"""The console adapter: type as a client or as the owner and see exactly what the bot would post."""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import TextIO

from bot.clock import SimulatedClock
from bot.commands import Invocation
from bot.dates import DateError, parse_instant
from bot.durations import parse_duration
from bot.messages import ChannelRef, IncomingMessage
from bot.outbound import CommandButton, Post
from bot.scheduling import Scheduling
from bot.service import BoundaryService
from bot.timefmt import format_absolute

PLATFORM, WORKSPACE, CHANNEL = "console", "local", "client-demo"
OWNER_ID = "owner"

HELP = """Type a message to send it as the current persona. Console commands:
  /as client [NAME]   write as a client (the default: Sam)
  /as owner           write as the owner; owner commands such as /closure work then
  /at WHEN            set the simulated clock, like /at 2026-12-24 21:00 or /at monday 9am
  /advance DURATION   move the simulated clock forward, like /advance 3d or /advance 90m
  /now                show the simulated time
  /quit               leave (state is kept in the database)
Bot commands: /closure, /meeting, /channel, /hours, /timezone, /boundaries (try /help closure)."""


class ConsolePoster:
    """Posts scheduled messages by printing them; the console keeps no history to search after a crash."""

    platform = PLATFORM

    def __init__(self, out: TextIO):
        self.out = out

    async def post(self, post: Post) -> str:
        if post.state_line:  # a Slack bookmark or a Discord topic: no message in the channel
            print(f"(#{post.channel.channel_id} now shows: {post.text})", file=self.out, flush=True)
            return post.key
        kind = post.key.split("|", 1)[0].replace("_", " ")
        body = "\n".join(f"  {line}" for line in post.text.splitlines())
        print(f"bot (scheduled {kind}) in #{post.channel.channel_id}:\n{body}", file=self.out, flush=True)
        return post.key

    async def find_posted(self, post: Post) -> str | None:
        return None

    async def direct_message(
        self, workspace_id: str, user_id: str, text: str, key: str, buttons: tuple[CommandButton, ...] = ()
    ) -> str:
        body = "\n".join(f"  {line}" for line in text.splitlines())
        for button in buttons:  # the console has no buttons: the command does the same
            body += f"\n  [{button.label}: /{button.command}]" if button.command else f"\n  [{button.label}]"
        print(f"bot (direct message to {user_id}):\n{body}", file=self.out, flush=True)
        return key


class ConsoleOwnerMessages:
    """The owner's lines "taken down" (boundaries hold, boundaries move): said, as the console keeps no history."""

    def __init__(self, out: TextIO):
        self.out = out

    async def can_delete(self, platform: str, workspace_id: str, owner_id: str) -> bool:
        return platform == PLATFORM and owner_id == OWNER_ID

    async def delete(self, channel: ChannelRef, owner_id: str, message_id: str) -> bool:
        print("(your message is taken down: it is posted again at the opening)", file=self.out, flush=True)
        return True


class ConsoleSession:
    """One interactive session in the demo channel; all state goes through the service."""

    def __init__(
        self, service: BoundaryService, clock: SimulatedClock, out: TextIO, scheduling: Scheduling | None = None
    ):
        self.service = service
        self.clock = clock
        self.out = out
        self.scheduling = scheduling
        self.persona_id, self.persona_name = "client:sam", "Sam"
        self._counter = 0

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def time_now(self) -> str:
        return format_absolute(self.clock(), self.service.policy.zone)

    def prompt(self) -> str:
        return f"[{self.time_now()}] {self.persona_name}> "

    async def handle_line(self, line: str) -> bool:
        """Handle one input line; False when the session should end."""
        line = line.strip()
        if not line:
            return True
        if line.startswith("/"):
            keep_going = await self._console_command(line[1:])
        else:
            await self._client_message(line)
            keep_going = True
        await self.run_due()
        return keep_going

    async def run_due(self) -> None:
        """Plan and post whatever is due at the simulated time."""
        if self.scheduling is not None:
            await self.scheduling.tick()
            for _ in range(500):  # a tick the timer or an owner command started: its posts print before the prompt
                if not self.scheduling.ticking:
                    break
                await asyncio.sleep(0.01)

    async def _client_message(self, text: str) -> None:
        self._counter += 1
        now = self.clock()
        stamp = f"{now.timestamp():.6f}-{self._counter}"
        message = IncomingMessage(
            platform=PLATFORM,
            workspace_id=WORKSPACE,
            channel_id=CHANNEL,
            message_id=stamp,
            author_id=self.persona_id,
            author_name=self.persona_name,
            text=text,
            event_id=f"console-{stamp}",
            received_at=now,
        )
        outcome = await self.service.handle_message(message)
        decision = outcome.decision
        if outcome.reply is not None:
            label = f"bot ({outcome.reply.style.value} reply, {', '.join(outcome.reply.reasons)})"
            self.say(f"{label}:\n" + "\n".join(f"  {line}" for line in outcome.reply.text.splitlines()))
        elif decision and decision.ignored:
            self.say(f"(no reply: {decision.ignored})")
        elif decision and decision.quiet:
            self.say(f"(no reply: {decision.quiet})")
        elif decision and decision.throttled:
            self.say(f"(no reply: already answered ({', '.join(decision.throttled)}))")
        else:
            self.say("(no reply: open hours, nothing to redirect)")

    async def _console_command(self, text: str) -> bool:
        word, _, rest = text.partition(" ")
        word, rest = word.lower(), rest.strip()
        if word in ("quit", "exit"):
            return False
        if word == "as":
            self._switch_persona(rest)
        elif word == "at":
            self._set_clock(rest)
        elif word == "advance":
            await self._advance(rest)
        elif word == "now":
            self.say(f"(the time is {self.time_now()})")
        elif word in ("help", "?") and not rest:
            self.say(HELP)
        else:
            invocation = Invocation(PLATFORM, WORKSPACE, CHANNEL, self.persona_id)
            result = await self.service.handle_command(text, invocation)
            self.say(("" if result.ok else "(error) ") + result.text)
            if result.public:
                self.say(
                    "bot (channel message) in #client-demo:\n"
                    + "\n".join(f"  {line}" for line in result.public.splitlines())
                )
        return True

    def _switch_persona(self, rest: str) -> None:
        role, _, name = rest.partition(" ")
        if role.lower() == "owner":
            self.persona_id, self.persona_name = OWNER_ID, "owner"
        elif role.lower() == "client":
            name = name.strip() or "Sam"
            self.persona_id, self.persona_name = f"client:{name.lower()}", name
        else:
            self.say('(error) use "/as owner" or "/as client [NAME]"')
            return
        self.say(f"(you are now {self.persona_name})")

    def _set_clock(self, rest: str) -> None:
        try:
            self.clock.set(parse_instant(rest, self.service.policy.zone, self.clock()))
        except DateError as error:
            self.say(f"(error) {error}")
            return
        self.say(f"(the time is now {self.time_now()})")

    async def _advance(self, rest: str) -> None:
        try:
            delta = parse_duration(rest)
        except ValueError as error:
            self.say(f"(error) {error}")
            return
        start, end = self.clock(), self.clock() + delta
        if self.scheduling is not None:
            for moment in await self.scheduling.due_times(start, end):
                self.clock.set(moment)
                self.say(f"(the time is {self.time_now()})")
                await self.run_due()
        self.clock.set(end)
        self.say(f"(the time is now {self.time_now()})")


async def run_console(
    service: BoundaryService,
    clock: SimulatedClock,
    *,
    scheduling: Scheduling | None = None,
    posters: dict | None = None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> None:
    """Read lines until end of input or /quit; scheduled posts print as they fall due."""
    if posters is not None:
        posters[PLATFORM] = ConsolePoster(out)
    await service.store.remember_channel(ChannelRef(PLATFORM, WORKSPACE, CHANNEL), "client-demo")
    service.owner_messages = service.owner_messages or ConsoleOwnerMessages(out)
    session = ConsoleSession(service, clock, out, scheduling)
    interactive = stdin.isatty()
    session.say("boundary-bot console demo: you are a client in #client-demo. /help lists commands.")
    await session.run_due()
    scheduler = None
    if scheduling is not None and not clock.simulated:
        from adapters.scheduling import start_scheduler, stop_scheduler

        scheduler = start_scheduler(scheduling)
    lines = _lines_of(stdin)
    try:
        while True:
            if interactive:
                print(session.prompt(), end="", file=out, flush=True)
            line = await lines.get()
            if not line:
                break
            if not interactive:
                session.say(f"{session.prompt()}{line.rstrip()}")
            if not await session.handle_line(line):
                break
    finally:
        if scheduler is not None:
            await stop_scheduler(scheduler)
    session.say("(bye: state is kept for next time)")


def _lines_of(stdin: TextIO) -> asyncio.Queue[str]:
    """Lines read by a daemon thread ("" at the end of input): a line being waited for never keeps the process
    alive after Ctrl-C, as a worker thread of asyncio's own pool would until Enter."""
    loop, lines = asyncio.get_running_loop(), asyncio.Queue[str]()

    def read() -> None:
        while True:
            line = stdin.readline()
            try:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            except RuntimeError:  # the loop has closed: the console is gone
                return
            if not line:
                return

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return lines
