"""Memory figure: resident set size of `boundary-bot run` connected to fake Slack and Discord, idle and after events."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import ROOT, figure, rss_kib, use_test_fakes

use_test_fakes()
from discord_fakes import FakeDiscord
from discord_gateway import CHANNEL_ID, TOKEN, user
from slack_fakes import APP_TOKEN, BOT_TOKEN, FakeSlack
from slack_payloads import message_envelope

EVENTS = 10_000
IN_FLIGHT = 50  # events sent but not yet answered, so a backlog does not inflate the heap
SETTLE_SECONDS = 5.0


class Fakes:
    """Both loopback fakes, and how many replies each has seen."""

    def __init__(self) -> None:
        self.slack = FakeSlack()
        self.discord = FakeDiscord()
        for n in range(100):
            self.slack.add_user(f"U{n:04d}", f"Client{n}", "Europe/London" if n % 2 else None)

    async def start(self) -> None:
        await self.slack.start()
        await self.discord.start()

    async def close(self) -> None:
        await self.slack.close()
        await self.discord.close()

    def replies(self) -> int:
        return len(self.slack.calls_to("chat.postMessage")) + len(self.discord.calls(r"POST /channels/\d+/messages"))

    async def connected(self, process: asyncio.subprocess.Process) -> None:
        deadline = time.monotonic() + 60
        while not (self.slack._socket_ready.is_set() and self.discord.identify is not None):
            if process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError("boundary-bot run did not connect to both fakes")
            await asyncio.sleep(0.05)

    async def send(self, n: int) -> None:
        """Event n: even ones on Slack, odd ones on Discord, each from a new (channel, client) pair."""
        if n % 2 == 0:
            body = message_envelope(n, f"EvMem{n:08d}", user=f"U{(n // 2) % 100:04d}", channel=f"C{n // 200:04d}")
            await self.slack.send_envelope("events_api", body)
        else:
            author = user(700000000000000000 + n, f"client{n}")
            await self.discord.dispatch(
                "MESSAGE_CREATE", self.discord.client_message("can you call me?", author, CHANNEL_ID)
            )


async def sample(pid: int, seconds: float = 3.0) -> int:
    """The median of RSS readings over a few seconds, in KiB."""
    readings = []
    for _ in range(int(seconds / 0.25)):
        readings.append(rss_kib(pid))
        await asyncio.sleep(0.25)
    return int(statistics.median(readings))


async def measure(events: int = EVENTS) -> tuple[int, int, int]:
    fakes = Fakes()
    await fakes.start()
    with tempfile.TemporaryDirectory(prefix="boundary-mem-") as directory:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DISCORD_", "SMTP_"))}
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_API_URL=fakes.slack.api_url,
            SLACK_OWNER_IDS="U_OWNER",
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_URL=f"{fakes.discord.url}/api/v10",
            DISCORD_OWNER_IDS="1",
            BENCH_DISCORD_GATEWAY=f"{fakes.discord.url}/gateway",
            DATABASE_URL=f"sqlite:///{Path(directory) / 'bot.sqlite3'}",
            LOG_LEVEL="WARNING",
            POLICY_FILE=str(ROOT / "bot" / "policy.example.toml"),
            PYTHONPATH=str(ROOT),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.run_bot",
            "run",
            "--at",
            "2026-11-23 21:00",
            cwd=directory,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await fakes.connected(process)
            await asyncio.sleep(SETTLE_SECONDS)
            idle = await sample(process.pid)
            warm = 0
            for n in range(events):
                while n - fakes.replies() >= IN_FLIGHT:
                    await asyncio.sleep(0.005)
                await fakes.send(n)
                if n + 1 == 1000:
                    await wait_for_replies(fakes, 1000)
                    warm = await sample(process.pid)
            await wait_for_replies(fakes, events)
            await asyncio.sleep(SETTLE_SECONDS)
            after = await sample(process.pid)
        finally:
            process.terminate()
            await process.wait()
            await fakes.close()
    return idle, warm, after


async def wait_for_replies(fakes: Fakes, count: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while fakes.replies() < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {fakes.replies()} of {count} events were answered")
        await asyncio.sleep(0.05)


def run(events: int = EVENTS) -> None:
    idle, warm, after = asyncio.run(measure(events))
    figure(
        "resident memory of boundary-bot run",
        f"idle {idle / 1024:.1f} MiB, after {events:,} events {after / 1024:.1f} MiB: "
        f"{100 * (after - idle) / idle:+.1f}% (target < 10%); after the first 1,000 {warm / 1024:.1f} MiB "
        f"({100 * (after - warm) / warm:+.1f}% from there)",
        "VmRSS from /proc, median over 3 s, with Slack (Socket Mode) and Discord (gateway) connected to loopback "
        f"fakes, {SETTLE_SECONDS:.0f} s after connecting and after the last reply; events alternate Slack and "
        f"Discord, each from a new (channel, client) pair so each gets a reply, at most {IN_FLIGHT} unanswered",
    )


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else EVENTS)
