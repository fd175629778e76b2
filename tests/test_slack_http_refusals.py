"""Refused requests in HTTP mode: checked before parsing, answered 401/400/413 (never 500), never logged whole;
bodies that do not arrive in time close the connection."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlsplit

import pytest
from slack_harness import message_event, start_http
from slack_payloads import SIGNING_SECRET, event_body
from test_log_safety import bot_logging

from adapters.slack.http import EVENTS_PATH, MAX_BODY_BYTES
from bot.settings import Settings

JSON = {"Content-Type": "application/json"}
MARKER = "BODY-MARKER-7f3a"


async def test_a_flood_of_unsigned_posts_adds_one_line_to_the_log_and_none_of_their_bodies(http, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    body = json.dumps({"type": "event_callback", "junk": MARKER + "\nCRITICAL forged " + "x" * 400_000})
    for _ in range(50):
        assert (await http.post(body, JSON, signed=False))[0] == 401
    assert MARKER not in caplog.text and "forged" not in caplog.text
    assert len(caplog.text) < 1_000, caplog.text[:2_000]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("adapters")] == [
        "Slack HTTP: refused 1 without a valid signature (bodies are never logged)"
    ]


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("{not json", {}),  # unsigned, not JSON
        ('{"type": "event_callback"}', {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}),
        ('{"type": "event_callback"}', {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": ""}),
        ('{"type": "event_callback"}', {"X-Slack-Request-Timestamp": "1e3", "X-Slack-Signature": "v0=00"}),
        ('{"type": "event_callback"}', {"X-Slack-Request-Timestamp": "١٢٣", "X-Slack-Signature": "v0=00"}),
        ('{"type": "event_callback"}', {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "é"}),
    ],
)
async def test_a_bad_signature_header_or_an_unsigned_non_json_body_gets_401(http, caplog, body, headers) -> None:
    assert (await http.post(body, JSON, signed=False, extra=headers))[0] == 401
    assert "Traceback" not in caplog.text and http.fake.calls == []


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', '{"user": 5}'])
async def test_a_signed_body_that_is_not_a_slack_payload_gets_400(http, caplog, body) -> None:
    status, _ = await http.post(body, JSON)
    assert (status, "Traceback" in caplog.text) == (400, False)
    assert await http.event(message_event("still answering?")) == (200, "")


async def test_a_signed_body_that_is_not_utf8_gets_400(http) -> None:
    raw, ts = b'{"type": "event_callback", "x": "\xff\xfe"}', str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    headers = {**JSON, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}  # over the bytes
    async with http.session.post(http.url + EVENTS_PATH, data=raw, headers=headers) as response:
        assert response.status == 400


async def test_the_body_limit_admits_slacks_largest_message_and_refuses_more(http) -> None:
    longest = message_event("é" * 40_000)  # Slack's 40,000 characters, each escaped to 6 bytes, text and block
    payload, headers = event_body(longest)
    assert len(payload.encode()) > 480_000
    assert await http.post(payload, headers) == (200, "")
    oversized = json.dumps({"type": "event_callback", "pad": "x" * MAX_BODY_BYTES})
    assert (await http.post(oversized, JSON))[0] == 413
    assert (await http.post(oversized, JSON, signed=False))[0] == 413
    await http.settle()
    assert len(http.fake.calls_to("chat.postMessage")) == 1


def test_a_logged_value_cannot_forge_a_line_or_hide_in_control_characters() -> None:
    with bot_logging("INFO", Settings(_env_file=None)) as stream:
        log = logging.getLogger("adapters.test")
        log.warning("event %s refused", "Ev1\nCRITICAL forged line\r\x1b[2Jcleared\u2028also")
        try:
            raise ValueError("bad input\nCRITICAL forged from an exception")
        except ValueError:
            log.exception("handling %s failed", "Ev2")
    lines = stream.getvalue().splitlines()
    assert lines[0] == r"WARNING adapters.test: event Ev1\nCRITICAL forged line\r\x1b[2Jcleared\u2028also refused"
    assert lines[1] == "ERROR adapters.test: handling Ev2 failed"
    assert all(line.startswith("  ") for line in lines[2:]) and len(lines) > 3
    assert not any(line.startswith("CRITICAL") for line in lines)


async def open_post(url: str, length: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A raw connection that has sent a POST's headers, promising `length` bytes of body."""
    where = urlsplit(url)
    reader, writer = await asyncio.open_connection(where.hostname, where.port)
    writer.write(
        f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: {where.netloc}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n".encode()
    )
    await writer.drain()
    return reader, writer


async def test_a_client_that_sends_part_of_a_body_is_disconnected(fake, database) -> None:
    async for slow in start_http(fake, database, body_timeout=0.5):
        reader, writer = await open_post(slow.url, 1_000)
        writer.write(b'{"type": "event_callback", ')
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), timeout=10) == b""  # closed, not held open
        writer.close()
        assert await slow.event(message_event("still answering?")) == (200, "")


async def test_a_body_trickling_in_is_cut_off_too(fake, database) -> None:
    async for slow in start_http(fake, database, body_timeout=0.5):
        reader, writer = await open_post(slow.url, 100_000)

        async def trickle() -> None:
            with contextlib.suppress(ConnectionError):
                while True:
                    writer.write(b" ")
                    await writer.drain()
                    await asyncio.sleep(0.05)

        feeding = asyncio.create_task(trickle())
        try:
            assert await asyncio.wait_for(reader.read(), timeout=10) == b""
        finally:
            feeding.cancel()
            writer.close()
