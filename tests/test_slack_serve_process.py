"""`boundary-bot serve` as a real process: a signed event answered, 401 unsigned, and a DEBUG log without secrets."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from slack_fakes import BOT_TOKEN
from slack_harness import message_event
from slack_payloads import SIGNING_SECRET, event_body, fixture, sign

pytestmark = pytest.mark.slow  # several processes

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def command() -> list[str]:
    script = Path(sys.executable).parent / "boundary-bot"
    return [str(script), "serve"] if script.exists() else [sys.executable, "-m", "adapters.cli", "serve"]


async def wait_healthy(session: aiohttp.ClientSession, url: str, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise AssertionError(
                f"boundary-bot serve exited with {process.returncode}: {(await process.stderr.read()).decode()[-2000:]}"
            )
        try:
            async with session.get(url + "/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("boundary-bot serve did not become healthy")


@dataclass
class Served:
    """A running `boundary-bot serve`; `stderr` is filled in once it has stopped."""

    process: asyncio.subprocess.Process
    url: str
    session: aiohttp.ClientSession
    stderr: str = ""


@contextlib.asynccontextmanager
async def serve_process(
    fake,
    tmp_path,
    *args: str,
    connect: str = "127.0.0.1",
    **settings: str,
) -> AsyncIterator[Served]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "DISCORD_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path}/serve.sqlite3",
        POLICY_FILE=str(ROOT / "bot/policy.example.toml"),
        PORT=str(port),
        SLACK_OWNER_IDS="U_OWNER",
        PYTHONPATH=str(ROOT),
    )
    env.update(settings)
    env = {key: value for key, value in env.items() if value}
    process = await asyncio.create_subprocess_exec(
        *command(), *args, cwd=tmp_path, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    served = Served(process, f"http://{connect}:{port}", aiohttp.ClientSession())
    try:
        await wait_healthy(served.session, served.url, process)
        yield served
    finally:
        await served.session.close()
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        served.stderr = (await process.stderr.read()).decode()


async def test_serve_answers_a_signed_event_from_a_real_process(fake, tmp_path) -> None:
    async with serve_process(fake, tmp_path) as served:
        session, url = served.session, served.url
        payload, headers = event_body(message_event("Can you call me about the invoice?"))
        async with session.post(url + "/slack/events", data=payload, headers=headers) as response:
            assert response.status == 401
        async with session.post(url + "/slack/events", data=payload, headers={**headers, **sign(payload)}) as r:
            assert (r.status, await r.text()) == (200, "")
        (reply,) = await fake.wait_for("chat.postMessage", timeout=30)
        # A call request is redirected at any hour, so the real clock the process uses doesn't matter.
        assert "hello@acme-admin.example" in reply.args["text"] and reply.token == BOT_TOKEN
        async with session.get(url + "/metrics") as response:
            assert response.status == 404  # metrics are opt-in
    assert SIGNING_SECRET not in served.stderr and BOT_TOKEN not in served.stderr
    assert "listening on 0.0.0.0:" in served.stderr and "metrics off" in served.stderr


async def refused(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection(host, port)
    except OSError:
        return True
    writer.close()
    return False


@pytest.mark.parametrize(
    ("args", "settings"), [(("--host", "127.0.0.2"), {"HOST": "127.0.0.3"}), ((), {"HOST": "127.0.0.2"})]
)
async def test_serve_listens_only_on_the_host_it_is_given(fake, tmp_path, args, settings) -> None:
    async with serve_process(fake, tmp_path, *args, connect="127.0.0.2", **settings) as served:
        port = int(served.url.rsplit(":", 1)[1])
        assert await refused("127.0.0.1", port) and await refused("127.0.0.3", port)
    assert "listening on 127.0.0.2:" in served.stderr


async def test_metrics_enabled_serves_them_beside_slacks_endpoint(fake, tmp_path) -> None:
    async with (
        serve_process(fake, tmp_path, METRICS_ENABLED="true") as served,
        served.session.get(served.url + "/metrics") as response,
    ):
        assert response.status == 200 and "boundary_bot_events_received" in await response.text()


async def test_metrics_port_serves_them_there_only(fake, tmp_path) -> None:
    metrics_port = free_port()
    async with serve_process(fake, tmp_path, METRICS_PORT=str(metrics_port)) as served:
        async with served.session.get(served.url + "/metrics") as response:
            assert response.status == 404
        async with served.session.get(f"http://127.0.0.1:{metrics_port}/metrics") as response:
            assert response.status == 200 and "boundary_bot_deliveries" in await response.text()
        async with served.session.post(f"http://127.0.0.1:{metrics_port}/slack/events", data="{}") as response:
            assert response.status in (404, 405)
    assert f"metrics on 0.0.0.0:{metrics_port}" in served.stderr


CLIENT_ID, CLIENT_SECRET, SMTP_PASSWORD = "1111.2222", "oauth-client-secret-value", "smtp-pass-w0rd"
OAUTH = dict(
    SLACK_BOT_TOKEN="",
    SLACK_CLIENT_ID=CLIENT_ID,
    SLACK_CLIENT_SECRET=CLIENT_SECRET,
    LOG_LEVEL="DEBUG",
    SMTP_URL=f"smtp://bot:{SMTP_PASSWORD}@127.0.0.1:1",
    SLACK_ALLOWED_WORKSPACES="T1,T9",
    SLACK_OWNER_IDS="T1:U_OWNER",
)


async def oauth_install(served: Served, code: str) -> int:
    async with served.session.get(served.url + "/slack/install") as response:
        state = response.cookies["slack-app-oauth-state"].value
    async with served.session.get(
        served.url + "/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    ) as response:
        return response.status


def from_t9(body: dict) -> str:
    body["team_id"] = body["context_team_id"] = body["event"]["team"] = "T9"
    body["authorizations"][0].update(team_id="T9", user_id="U_BOTT9")
    return event_body(body)[0]


async def test_a_debug_log_of_an_oauth_install_and_failing_calls_holds_no_secret_and_no_forged_line(fake, tmp_path):
    async with serve_process(fake, tmp_path, **OAUTH) as served:
        assert await oauth_install(served, "code-from-slack") == 200
        fake.fail("oauth.v2.access", error="invalid_code")
        assert await oauth_install(served, "bad-code\nCRITICAL forged line") >= 400
        fake.fail("chat.postMessage", error="invalid_auth")
        for body in (from_t9(message_event("Can you call me about the invoice?")), from_t9(fixture("app_mention"))):
            headers = {"Content-Type": "application/json", **sign(body)}
            async with served.session.post(served.url + "/slack/events", data=body, headers=headers) as response:
                assert response.status == 200
        (post,) = await fake.wait_for("chat.postMessage", timeout=30)
        assert post.token == "xoxb-test-T9"
        await asyncio.sleep(0.5)  # the failed post's log lines
    log = served.stderr
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    for secret in ("xoxb-test-T9", CLIENT_SECRET, SIGNING_SECRET, SMTP_PASSWORD, basic, "code-from-slack"):
        assert secret not in log, secret
    assert "DEBUG adapters.slack.app: Slack event app_mention acknowledged" in log  # DEBUG is on for the bot's own
    assert "invalid_auth" in log  # the failure is logged, without the token
    assert not [line for line in log.splitlines() if line.startswith("CRITICAL")]
