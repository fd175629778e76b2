"""Failures the fake Slack injects on request: errors, 429s, resets (before or after the call took effect), rate tiers."""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass
class Failure:
    """One queued failure of a Web API method."""

    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    after: int = 0  # calls that still succeed before this failure
    handled: bool = False  # with status 0: the call took effect (a message was posted) before the reset


class InjectedFailures:
    """Mixed into FakeSlack: `fail` queues failures per method, `limit` paces a method like a Slack rate tier."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._limits: dict[str, tuple[float, list[int]]] = {}  # method: (seconds between calls, 429s without header)
        self._last_call: dict[tuple[str, str], float] = {}

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        after: int = 0,
        handled: bool = False,
    ) -> None:
        """The next `times` calls of `method` (after `after` more that succeed) fail: HTTP `status` (429 with
        Retry-After) and/or `ok: false`; status 0 resets the connection instead of answering (`handled`: after the
        call took effect, as when a reset comes after Slack posted the message)."""
        for n in range(times):
            self._failures[method].append(Failure(status, error, retry_after, after if n == 0 else 0, handled))

    def heal(self, method: str) -> None:
        """Drop the failures still queued for `method`: from now on it answers."""
        self._failures.pop(method, None)

    def limit(self, method: str, every: float, *, without_retry_after: int = 0) -> None:
        """Like a Slack tier: a call of `method` sooner than `every` seconds after the last one answered (per team)
        gets a 429 with Retry-After, the first `without_retry_after` of them without the header."""
        self._limits[method] = (every, [without_retry_after])

    def _injected(
        self, request: web.Request, method: str, args: dict[str, Any], token: str | None
    ) -> web.Response | None:
        """The injected answer to this call, or None to answer it normally."""
        failures = self._failures.get(method)
        if failures and failures[0].after:
            failures[0].after -= 1
        elif failures:
            failure = failures.popleft()
            if failure.status == 0:  # status 0: a connection reset, the socket dropped without an answer
                if failure.handled:
                    getattr(self, "_" + method.replace(".", "_"))(args, token)
                assert request.transport is not None
                request.transport.abort()
                return web.Response(status=500)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            body = {"ok": False, "error": failure.error or ("ratelimited" if failure.status == 429 else "fatal_error")}
            return web.json_response(body, status=failure.status, headers=headers)
        return self._too_fast(method, token)

    def _too_fast(self, method: str, token: str | None) -> web.Response | None:
        if method not in self._limits:
            return None
        every, bare = self._limits[method]
        key, now = (method, team_of(token)), time.monotonic()
        wait = self._last_call.get(key, -math.inf) + every - now
        if wait <= 0:
            self._last_call[key] = now
            return None
        headers = {} if bare[0] > 0 else {"Retry-After": str(math.ceil(wait))}
        bare[0] -= 1 if bare[0] > 0 else 0
        return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers=headers)


def team_of(token: str | None) -> str:
    """The team a test token belongs to: xoxb-test-T1 is T1's."""
    return (token or "").rsplit("-", 1)[-1] or "T1"
