"""Slack end to end: signed Events API requests through this project's Bolt HTTP app vs a bare Bolt app, same fake."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import time
from dataclasses import dataclass

import aiohttp

from benchmarks.databases import scratch_database
from benchmarks.report import ROOT, cpu_seconds, figure, use_test_fakes
from benchmarks.slack_server import SIGNING_SECRET

use_test_fakes()
from slack_fakes import FakeSlack
from slack_payloads import message_envelope, sign

USERS = 100
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))  # requests in flight, as Slack would send them


@dataclass
class Run:
    events: int
    seconds: float
    server_cpu: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.server_cpu / self.events


class CountingSlack(FakeSlack):
    """The tests' fake Slack, counting chat.postMessage calls so a run knows when every reply has arrived."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.posted = 0
        self._target = 0
        self._reached = asyncio.Event()
        for n in range(USERS):
            self.add_user(f"U{n:04d}", f"Client{n}", "Europe/London" if n % 2 else None)

    def expect(self, count: int) -> asyncio.Event:
        self._target, self._reached = self.posted + count, asyncio.Event()
        return self._reached

    def _chat_postMessage(self, args, token):
        self.posted += 1
        if self.posted >= self._target:
            self._reached.set()
        return super()._chat_postMessage(args, token)


def signed_events(first: int, count: int) -> list[tuple[bytes, dict[str, str]]]:
    """Message events, each from a different (channel, client) pair so every one deserves a reply."""
    requests = []
    for n in range(first, first + count):
        body = message_envelope(n, f"EvBench{n:08d}", user=f"U{n % USERS:04d}", channel=f"C{n // USERS:05d}")
        payload = json.dumps(body)
        requests.append(
            (payload.encode(), {"Content-Type": "application/json", **sign(payload, secret=SIGNING_SECRET)})
        )
    return requests


async def send_all(url: str, requests: list[tuple[bytes, dict[str, str]]]) -> None:
    pending = iter(requests)
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            for data, headers in pending:
                async with session.post(url, data=data, headers=headers) as response:
                    if response.status != 200:
                        raise RuntimeError(f"HTTP {response.status}: {await response.text()}")

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


async def measure(
    fake: CountingSlack, mode: str, database_url: str | None, ids: itertools.count, events: int, warmup: int
) -> Run:
    command = [sys.executable, "-m", "benchmarks.slack_server", mode, "--api-url", fake.api_url]
    if database_url:
        command += ["--database-url", database_url]
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    try:
        port = int(await asyncio.wait_for(process.stdout.readline(), 60))
        url = f"http://127.0.0.1:{port}/slack/events"
        for count, timed in ((warmup, False), (events, True)):
            requests = signed_events(next(ids) * 1_000_000, count)
            done = fake.expect(count)
            cpu, started = cpu_seconds(process.pid), time.perf_counter()
            await send_all(url, requests)
            await asyncio.wait_for(done.wait(), 120)
            if timed:
                return Run(count, time.perf_counter() - started, cpu_seconds(process.pid) - cpu)
        raise AssertionError("unreachable")
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()


MODES = ("bare", "bare-keepalive", "project")


async def compare(backend: str, events: int, warmup: int, rounds: int) -> dict[str, Run]:
    fake = await CountingSlack().start()
    ids = itertools.count(1)
    runs: dict[str, list[Run]] = {mode: [] for mode in MODES}
    try:
        async with scratch_database(backend) as url:
            for _ in range(rounds):  # interleaved, so drift in the machine affects all alike
                for mode in MODES:
                    runs[mode].append(
                        await measure(fake, mode, url if mode == "project" else None, ids, events, warmup)
                    )
    finally:
        await fake.close()
    return {mode: sorted(found, key=lambda r: r.rate)[len(found) // 2] for mode, found in runs.items()}  # medians


def run(
    backends: tuple[str, ...] = ("sqlite", "postgresql"), events: int = 2000, warmup: int = 200, rounds: int = 3
) -> dict[str, dict[str, Run]]:
    results = {}
    for backend in backends:
        try:
            measured = asyncio.run(compare(backend, events, warmup, rounds))
        except RuntimeError as error:
            figure(f"slack e2e ({backend})", "not measured", str(error))
            continue
        results[backend] = measured
        project, bare, kept = measured["project"], measured["bare"], measured["bare-keepalive"]
        how = (
            f"{events} signed message events per run after {warmup} warm-up, {CONCURRENCY} in flight, "
            f"median of {rounds} interleaved runs, until every reply reached the loopback fake Slack; "
            f"server in its own process"
        )
        figure(
            f"slack e2e events/s ({backend})",
            f"project {project.rate:,.0f}, bare Bolt {bare.rate:,.0f}; cost per event {bare.rate / project.rate:.2f}x "
            f"(target <= 1.5x)",
            how + "; the bare app as Bolt makes it: one HTTP connection per Web API call",
        )
        figure(
            f"slack e2e events/s, both keeping connections open ({backend})",
            f"project {project.rate:,.0f}, bare Bolt {kept.rate:,.0f}; cost per event {kept.rate / project.rate:.2f}x",
            "the same runs' project against a bare app given the same kept-alive session as this project uses",
        )
        figure(
            f"slack e2e server CPU per event ({backend})",
            f"project {project.cpu_ms:.2f} ms, bare Bolt {bare.cpu_ms:.2f} ms ({project.cpu_ms / bare.cpu_ms:.2f}x), "
            f"bare Bolt keeping connections open {kept.cpu_ms:.2f} ms ({project.cpu_ms / kept.cpu_ms:.2f}x)",
            "utime+stime of the server process from /proc over the same runs",
        )
    return results


if __name__ == "__main__":
    run(tuple(sys.argv[1:]) or ("sqlite", "postgresql"))
