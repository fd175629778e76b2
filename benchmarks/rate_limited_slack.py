"""The tests' fake Slack with Slack's posting limits: one message per second per channel and a workspace-wide rate."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter

from aiohttp import web

from benchmarks.report import use_test_fakes

use_test_fakes()
from slack_fakes import FakeSlack


class RateLimitedSlack(FakeSlack):
    """chat.postMessage over a limit gets HTTP 429 with a whole-second Retry-After, as Slack answers.

    Per channel: a post less than `channel_gap` seconds after the last accepted one is refused. Workspace: a token
    bucket refilled at `rate` per second holding at most `burst`; a post finding no token is refused. Every answer
    takes `latency` seconds, like a round trip to Slack rather than to loopback.
    """

    def __init__(self, *, rate: float, burst: int, channel_gap: float = 1.0, latency: float = 0.0) -> None:
        super().__init__()
        self.rate, self.burst, self.channel_gap, self.latency = rate, burst, channel_gap, latency
        self._tokens, self._refilled = float(burst), time.monotonic()
        self._last_in_channel: dict[str, float] = {}
        self.accepted: Counter = Counter()  # (channel, delivery key) -> accepted posts
        self.refused = Counter()  # reason -> 429s
        self.first_post = self.last_post = 0.0

    def reset_bucket(self) -> None:
        self._tokens, self._refilled = float(self.burst), time.monotonic()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "chat.postMessage":
            return await super()._api(request)
        args = await request.json()  # aiohttp keeps the body, so the fake's own handler can read it again
        await asyncio.sleep(self.latency)
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.rate)
        self._refilled = now
        channel = str(args.get("channel"))
        since = now - self._last_in_channel.get(channel, float("-inf"))
        if since < self.channel_gap:
            return self._refuse("channel", self.channel_gap - since)
        if self._tokens < 1:
            return self._refuse("workspace", (1 - self._tokens) / self.rate)
        self._tokens -= 1
        self._last_in_channel[channel] = now
        metadata = args.get("metadata")
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata or {}
        self.accepted[(channel, (metadata.get("event_payload") or {}).get("key"))] += 1
        self.first_post = self.first_post or now
        self.last_post = now
        return await super()._api(request)

    def _refuse(self, reason: str, wait: float) -> web.Response:
        self.refused[reason] += 1
        return web.json_response(
            {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(max(1, math.ceil(wait)))}
        )
