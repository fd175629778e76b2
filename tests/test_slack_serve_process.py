"""`boundary-bot serve` as a real process: health check, a signed event answered on the fake Slack, 401 unsigned."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp

from slack_fakes import BOT_TOKEN
from slack_payloads import SIGNING_SECRET, event_body, sign
from slack_harness import fake, message_event  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def command() -> list[str]:
    script = Path(sys.executable).parent / "boundary-bot"
    return [str(script), "serve"] if script.exists() else [sys.executable, "-m", "bot", "serve"]


async def wait_healthy(session: aiohttp.ClientSession, url: str, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise AssertionError(f"boundary-bot serve exited with {process.returncode}: "
                                 f"{(await process.stderr.read()).decode()[-2000:]}")
        try:
            async with session.get(url + "/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("boundary-bot serve did not become healthy")


async def test_serve_answers_a_signed_event_from_a_real_process(fake, tmp_path) -> None:  # noqa: F811
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DISCORD_"))}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.api_url,
               DATABASE_URL=f"sqlite:///{tmp_path}/serve.sqlite3", POLICY_FILE=str(ROOT / "bot/policy.example.toml"),
               PORT=str(port), SLACK_OWNER_IDS="U_OWNER", PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(*command(), cwd=tmp_path, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await wait_healthy(session, url, process)
            payload, headers = event_body(message_event("Can you call me about the invoice?"))
            async with session.post(url + "/slack/events", data=payload, headers=headers) as response:
                assert response.status == 401
            async with session.post(url + "/slack/events", data=payload, headers={**headers, **sign(payload)}) as r:
                assert (r.status, await r.text()) == (200, "")
            (reply,) = await fake.wait_for("chat.postMessage", timeout=30)
            # A call request is redirected at any hour, so the real clock the process uses doesn't matter.
            assert "hello@acme-admin.example" in reply.args["text"] and reply.token == BOT_TOKEN
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        stderr = (await process.stderr.read()).decode()
    assert SIGNING_SECRET not in stderr and BOT_TOKEN not in stderr
