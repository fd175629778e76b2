"""Reply latency: from a client's message event to its reply reaching Slack, with the reply's outbox row and without."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import time

import aiohttp

from benchmarks.databases import scratch_database
from benchmarks.report import ROOT, figure, percentile, use_test_fakes
from benchmarks.slack_e2e import USERS, signed_events

use_test_fakes()
from slack_fakes import FakeSlack

MODES = {"with its row": {}, "posted directly": {"BENCH_NO_OUTBOX": "1"}}  # the second as before the outbox
GAP = 0.02  # seconds between one reply's arrival and the next message: a quiet server, as a solo business has


class ArrivalSlack(FakeSlack):
    """The tests' fake Slack, noting when each channel's reply arrives."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.arrived: dict[str, asyncio.Future[float]] = {}
        for n in range(USERS):
            self.add_user(f"U{n:04d}", f"Client{n}", None)

    def expect(self, channel: str) -> asyncio.Future[float]:
        self.arrived[channel] = asyncio.get_running_loop().create_future()
        return self.arrived[channel]

    def _chat_postMessage(self, args, token):
        if (waiting := self.arrived.get(str(args.get("channel")))) is not None and not waiting.done():
            waiting.set_result(time.perf_counter())
        return super()._chat_postMessage(args, token)


async def start_server(
    fake: ArrivalSlack, database_url: str, env: dict[str, str]
) -> tuple[asyncio.subprocess.Process, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "benchmarks.slack_server", "project", "--api-url", fake.api_url, "--database-url", database_url),
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
    )
    port = int(await asyncio.wait_for(process.stdout.readline(), 60))  # type: ignore[union-attr]
    return process, f"http://127.0.0.1:{port}/slack/events"


async def reply_time(fake: ArrivalSlack, session: aiohttp.ClientSession, url: str, n: int) -> float:
    """Seconds from sending message event `n` to its reply arriving at the fake."""
    ((data, headers),) = signed_events(n, 1)
    arrived = fake.expect(json.loads(data)["event"]["channel"])
    sent = time.perf_counter()
    async with session.post(url, data=data, headers=headers) as response:
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {await response.text()}")
    return await asyncio.wait_for(arrived, 30) - sent


async def compare(backend: str, events: int, warmup: int) -> dict[str, list[float]]:
    """Alternate single messages between the two servers, each waiting for its reply before the next is sent."""
    fake = await ArrivalSlack().start()
    latencies: dict[str, list[float]] = {mode: [] for mode in MODES}
    ids = itertools.count(10_000)
    try:
        async with scratch_database(backend) as url, aiohttp.ClientSession() as session:
            servers = {mode: await start_server(fake, url, env) for mode, env in MODES.items()}
            try:
                for n in range(warmup + events):
                    for mode in MODES if n % 2 else reversed(MODES):  # neither always goes first
                        latency = await reply_time(fake, session, servers[mode][1], next(ids))
                        if n >= warmup:
                            latencies[mode].append(latency)
                        await asyncio.sleep(GAP)
            finally:  # before the scratch database is dropped
                for process, _ in servers.values():
                    process.terminate()
                    await process.wait()
    finally:
        await fake.close()
    return {mode: sorted(found) for mode, found in latencies.items()}


def run(backends: tuple[str, ...] = ("sqlite", "postgresql"), events: int = 400, warmup: int = 50) -> None:
    for backend in backends:
        try:
            found = asyncio.run(compare(backend, events, warmup))
        except RuntimeError as error:
            figure(f"reply latency ({backend})", "not measured", str(error))
            continue
        row, direct = found["with its row"], found["posted directly"]
        spreads = [
            f"{label} "
            + ", ".join(f"p{round(q * 100)} {1000 * percentile(values, q):.2f} ms" for q in (0.5, 0.9, 0.99))
            for label, values in (("with its outbox row", row), ("posted directly", direct))
        ]
        ratio = percentile(row, 0.5) / percentile(direct, 0.5)
        how = (
            f"{events} after-hours messages per server after {warmup} warm-up, one at a time, {GAP * 1000:.0f} ms "
            "apart, alternating between two servers started together (one writes each reply's delivery row in the "
            "decision's transaction, the other posts without it, BENCH_NO_OUTBOX=1); from sending the signed event "
            "to the loopback fake Slack receiving chat.postMessage"
        )
        figure(
            f"reply latency, message to reply at Slack ({backend})",
            "; ".join(spreads) + f"; ratio of medians {ratio:.2f}x",
            how,
        )


if __name__ == "__main__":
    run(tuple(sys.argv[1:]) or ("sqlite", "postgresql"))
