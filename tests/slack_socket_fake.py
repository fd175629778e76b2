"""The Socket Mode side of the fake Slack: a websocket that sends envelopes and records their acks (within 3 s)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from aiohttp import WSMsgType, web

ACK_WITHIN = 3.0  # Slack retries (and the user sees an error) when an envelope is not acknowledged in time


class SocketModeFake:
    """Mixed into FakeSlack; `refusals` collects acks that came too late."""

    refusals: list[str]

    def __init__(self) -> None:
        self.acks: dict[str, dict[str, Any] | None] = {}
        self._sent_at: dict[str, float] = {}
        self._socket: web.WebSocketResponse | None = None
        self._socket_ready = asyncio.Event()

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "connection_info": {"app_id": "A1"},
                "debug_info": {"host": "fake", "approximate_connection_time": 3600},
            }
        )
        self._socket_ready.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                self.acks[data["envelope_id"]] = data.get("payload")
                took = time.monotonic() - self._sent_at.get(data["envelope_id"], time.monotonic())
                if took > ACK_WITHIN:
                    self.refusals.append(f"envelope acknowledged after {took:.1f} s; Slack waits {ACK_WITHIN:.0f} s")
        return ws

    async def send_envelope(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0) -> str:
        """Send an events_api / slash_commands / interactive envelope; returns its id (acks land in `acks`)."""
        await asyncio.wait_for(self._socket_ready.wait(), 10)
        assert self._socket is not None
        envelope_id = str(uuid.uuid4())
        self._sent_at[envelope_id] = time.monotonic()
        await self._socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": retry_attempt,
                "retry_reason": "",
            }
        )
        return envelope_id

    async def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while envelope_id not in self.acks:
            if time.monotonic() > deadline:
                raise AssertionError(f"no ack for envelope {envelope_id}")
            await asyncio.sleep(0.01)
        return self.acks[envelope_id]
