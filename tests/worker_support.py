"""The tests' worker processes: what they share (the database in the test's PostgreSQL schema, a Slack poster that
can SIGKILL its own process mid fan-out, sending until no row is left to work on), and how a test starts one."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event

from adapters.slack.client import web_client
from adapters.slack.poster import SlackPoster
from bot.outbound import Post
from bot.queue import UNFINISHED
from bot.send_records import SendReport
from bot.sender import Sender
from bot.settings import Settings
from storage.database import Database

ROOT = Path(__file__).resolve().parents[1]


def database_for(url: str, schema: str | None = None) -> Database:
    """A Database handle; with `schema`, every connection works in that PostgreSQL schema."""
    database = Database(url)
    if schema:

        @event.listens_for(database.engine.sync_engine, "do_connect")
        def _search_path(dialect, record, cargs, cparams):
            cparams.setdefault("server_settings", {})["search_path"] = schema

    return database


def database_from_env() -> Database:
    """The database of DATABASE_URL, in the schema of TEST_PG_SCHEMA when the test runs on PostgreSQL."""
    return database_for(os.environ["DATABASE_URL"], os.environ.get("TEST_PG_SCHEMA"))


def dying_poster() -> SlackPoster:
    """A SlackPoster on SLACK_BOT_TOKEN (no retries of its own) that SIGKILLs this process right after its
    CRASH_AFTER_POSTS-th post went through, before the sender could record it: the worst moment to die."""
    client = web_client(Settings(_env_file=None), os.environ["SLACK_BOT_TOKEN"], retries=False)

    async def client_for(workspace_id: str):
        return client

    poster = SlackPoster(client_for)
    crash_after, posted, post = int(os.environ.get("CRASH_AFTER_POSTS", "0")), 0, poster.post

    async def post_then_maybe_die(item: Post) -> str:
        nonlocal posted
        ts = await post(item)
        posted += 1
        if posted == crash_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return ts

    poster.post = post_then_maybe_die  # type: ignore[method-assign]
    return poster


async def send_until_done(sender: Sender, report: SendReport) -> SendReport:
    """Pass after pass until no row is pending, leased or unknown (a killed process's leases run out meanwhile)."""
    while await sender.queue.list_deliveries(states=list(UNFINISHED)):
        await asyncio.sleep(0.2)
        more = await sender.run_once()
        report.sent += more.sent
        report.recovered += more.recovered
        report.failed += more.failed
    return report


def worker_env(database_factory: Any, **settings: str) -> dict[str, str]:
    """This process's environment (conftest.py put this tree on PYTHONPATH) for a worker on the test's database, in
    its PostgreSQL schema when it has one, with `settings`."""
    env = {**os.environ, "DATABASE_URL": database_factory.url, **settings}
    if database_factory.pg_schema:
        env["TEST_PG_SCHEMA"] = database_factory.pg_schema
    return env


async def start_worker(script: Path, env: dict[str, str], *, stdin: bool = False) -> asyncio.subprocess.Process:
    """`script` started in a process of its own, its output (and with `stdin`, its input) a pipe."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.PIPE if stdin else None,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def run_worker(script: Path, env: dict[str, str], *, timeout: float) -> tuple[int, str]:
    """`script` run to its end: its exit code, and its output and errors."""
    process = await start_worker(script, env)
    out, err = await asyncio.wait_for(process.communicate(), timeout=timeout)
    assert process.returncode is not None
    return process.returncode, out.decode() + err.decode()
