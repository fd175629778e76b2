"""FaultySlack: the loopback fake Slack on a bad day: resets after posting, 5xx, 429s, a tight Tier 3, slowness."""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_fakes import Call, FakeSlack

MAX_TEXT = 40_000
LOOKUPS = ("conversations.history", "conversations.replies")


@dataclass
class Faults:
    """The knobs. Fractions are rolled from the seed and the request's place in its channel's sequence (the first
    stored copy in C0042 is reset or not whatever the order in which replicas send), so runs repeat."""

    reset_after_post: float = 0.0  # chat.postMessage stores the message, then drops the connection unanswered
    error_after_post: float = 0.0  # ... or stores it and answers `error_status`
    error_status: int = 503
    rate: float | None = None  # workspace posts per second (token bucket); None: no workspace limit
    burst: int = 1
    channel_gap: float = 1.0  # a post sooner than this after the channel's last accepted post gets 429
    channel_busy: float = 0.0  # a post gets a channel 429 anyway, as if the channel were busy
    busy_retry_after: int = 1
    no_retry_after: float = 0.0  # a 429 leaves out Retry-After
    history_per_minute: float = 50.0  # Tier 3, per workspace and method (token bucket)
    history_burst: int = 50
    history_errors: float = 0.0  # a lookup within budget answers 500
    latency: float = 0.0  # seconds before every answer
    grace: float = 0.1  # requests arriving this soon after a 429 was answered were already on their way
    members: set[str] | None = None  # channels the bot is in; None: all; others answer not_in_channel


@dataclass
class Violation:
    """A request that arrived while a Retry-After the fake had given for its method and scope was in force."""

    method: str
    scope: tuple[str, ...]
    channel: str
    early_by: float  # seconds before the pause ended


@dataclass
class _Pause:
    given_at: float
    until: float


class _Bucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst, self.tokens, self.at = rate, burst, float(burst), time.monotonic()

    def take(self, now: float) -> float:
        """Take a token: 0.0, or the seconds until one will be there."""
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.at) * self.rate)
        self.at = max(self.at, now)
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class _Answer:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    retry_after: int | None = None
    scope: tuple[str, ...] = ()  # with a Retry-After: the pause to record once the answer is sent
    drop: bool = False
    busy: bool = False  # a channel 429 no client could have avoided, nor told from a workspace 429


class FaultySlack(FakeSlack):
    """FakeSlack whose chat.postMessage and conversations.history/replies misbehave as `faults` says.

    Read what happened in `resets`, `errors_after_post`, `lookup_errors` (channels), `refused` ((method, reason) ->
    429s), `violations` and `busy_pauses` (the (start, end) of each "busy" 429's Retry-After: Slack's 429s do not
    say their scope, so a client that honours them must stand the whole workspace still that long); messages land in `history` as Slack returns them with include_all_metadata.
    """

    def __init__(self, faults: Faults | None = None, *, seed: int = 0) -> None:
        super().__init__()
        self.faults = faults or Faults()
        self.seed = seed
        self.resets: list[str] = []
        self.errors_after_post: list[str] = []
        self.lookup_errors: list[str] = []
        self.refused: Counter = Counter()
        self.violations: list[Violation] = []
        self.busy_pauses: list[tuple[float, float]] = []
        self._rolled: Counter = Counter()  # (what, channel) -> rolls so far
        self._pauses: dict[tuple[str, ...], list[_Pause]] = defaultdict(list)
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._last_post: dict[str, float] = {}

    def roll(self, *parts: object) -> float:
        """A number in [0, 1) fixed by the seed and `parts`."""
        digest = hashlib.sha256(repr((self.seed, *parts)).encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    def _next_roll(self, what: str, channel: str) -> float:
        """The channel's next roll for `what`: its n-th is the same in every run, whatever other channels do."""
        self._rolled[(what, channel)] += 1
        return self.roll(what, channel, self._rolled[(what, channel)])

    def posts_in(self, channel: str) -> int:
        return len(self.history.get(channel, []))

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if (method != "chat.postMessage" and method not in LOOKUPS) or self._failures.get(method):
            await asyncio.sleep(self.faults.latency)
            return await super()._api(request)
        arrived = time.monotonic()
        args, token = await _read(request)
        self.calls.append(Call(method, args, token))
        workspace, channel = (token or "").rsplit("-", 1)[-1], str(args.get("channel"))
        if method == "chat.postMessage":
            answer = self._post(args, token, workspace, channel, arrived)
        else:
            answer = self._lookup(method, args, token, workspace, channel, arrived)
        await asyncio.sleep(self.faults.latency)
        if answer.drop:  # the message is stored; the client gets no answer at all
            request.transport.abort()
            return web.Response(status=500)
        headers = {}
        if answer.retry_after is not None:
            headers["Retry-After"] = str(answer.retry_after)
        if answer.scope:
            sent = time.monotonic()
            self._pauses[answer.scope].append(_Pause(sent, sent + answer.retry_after))
            if answer.busy:
                self.busy_pauses.append((sent, sent + answer.retry_after))
        return web.json_response(answer.body, status=answer.status, headers=headers)

    def _post(self, args: dict[str, Any], token: str | None, workspace: str, channel: str, now: float) -> _Answer:
        method, faults = "chat.postMessage", self.faults
        scopes = [(method, workspace), (method, workspace, channel)]
        if (paused := self._in_force(method, channel, scopes, now)) is not None:
            return paused
        if (error := _payload_error(args)) or (error := self._membership(channel)):
            return _Answer(body={"ok": False, "error": error})
        since = now - self._last_post.get(channel, -math.inf)
        if since < faults.channel_gap:
            return self._refuse(method, "channel", scopes[1], faults.channel_gap - since, channel)
        if self._next_roll("busy", channel) < faults.channel_busy:
            return self._refuse(method, "busy", scopes[1], faults.busy_retry_after, channel)
        if faults.rate is not None:
            bucket = self._buckets.setdefault((method, workspace), _Bucket(faults.rate, faults.burst))
            if wait := bucket.take(now):
                return self._refuse(method, "workspace", scopes[0], wait, channel)
        self._last_post[channel] = now
        stored = self._chat_postMessage(args, token)
        fate = self._next_roll("after-post", channel)
        if fate < faults.reset_after_post:
            self.resets.append(channel)
            return _Answer(drop=True)
        if fate < faults.reset_after_post + faults.error_after_post:
            self.errors_after_post.append(channel)
            error = "service_unavailable" if faults.error_status == 503 else "fatal_error"
            return _Answer(status=faults.error_status, body={"ok": False, "error": error})
        return _Answer(body={"ok": True, **stored})

    def _lookup(
        self, method: str, args: dict[str, Any], token: str | None, workspace: str, channel: str, now: float
    ) -> _Answer:
        faults = self.faults
        scope = (method, workspace)
        if (paused := self._in_force(method, channel, [scope], now)) is not None:
            return paused
        if error := self._membership(channel):
            return _Answer(body={"ok": False, "error": error})
        bucket = self._buckets.setdefault(scope, _Bucket(faults.history_per_minute / 60, faults.history_burst))
        if wait := bucket.take(now):
            return self._refuse(method, "tier 3", scope, wait, channel)
        if self._next_roll(method + " error", channel) < faults.history_errors:
            self.lookup_errors.append(channel)
            return _Answer(status=500, body={"ok": False, "error": "fatal_error"})
        handler = self._conversations_history if method == "conversations.history" else self._conversations_replies
        return _Answer(body={"ok": True, **handler(args, token)})

    def _in_force(self, method: str, channel: str, scopes: list[tuple[str, ...]], now: float) -> _Answer | None:
        """A violation (recorded, answered 429) when a pause given for one of `scopes` is in force and was known."""
        for scope in scopes:
            self._pauses[scope] = pauses = [p for p in self._pauses.get(scope, []) if p.until > now]
            known = [p for p in pauses if p.given_at + self.faults.grace <= now]
            if known:
                until = max(p.until for p in known)
                self.violations.append(Violation(method, scope, channel, until - now))
                self.refused[(method, "violation")] += 1
                retry_after = max(1, math.ceil(until - now))
                return _Answer(429, {"ok": False, "error": "ratelimited"}, retry_after)  # the pause stays as it was
        return None

    def _refuse(self, method: str, reason: str, scope: tuple[str, ...], wait: float, channel: str) -> _Answer:
        self.refused[(method, reason)] += 1
        body = {"ok": False, "error": "ratelimited"}
        if self._next_roll(method + " without Retry-After", channel) < self.faults.no_retry_after:
            self.refused[(method, "without Retry-After")] += 1
            return _Answer(429, body)
        return _Answer(429, body, max(1, math.ceil(wait)), scope, busy=reason == "busy")

    def busy_seconds(self) -> float:
        """How long, in all, some "busy" 429's Retry-After was in force (overlapping pauses counted once)."""
        total, reach = 0.0, float("-inf")
        for start, end in sorted(self.busy_pauses):
            total += max(0.0, end - max(start, reach))
            reach = max(reach, end)
        return total

    def _membership(self, channel: str) -> str | None:
        members = self.faults.members
        return "not_in_channel" if members is not None and channel not in members else None


def _payload_error(args: dict[str, Any]) -> str | None:
    text, metadata = args.get("text"), args.get("metadata")
    if not text and not args.get("blocks") and not args.get("attachments"):
        return "no_text"
    if text and len(str(text)) > MAX_TEXT:
        return "msg_too_long"
    if metadata is not None:
        try:
            metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
        except ValueError:
            return "invalid_metadata_format"
        if not (
            isinstance(metadata, dict)
            and isinstance(metadata.get("event_type"), str)
            and isinstance(metadata.get("event_payload"), dict)
        ):
            return "invalid_metadata_format"
    return None


async def _read(request: web.Request) -> tuple[dict[str, Any], str | None]:
    """The call's arguments and token, read as FakeSlack reads them (query, JSON or form body, Bearer header)."""
    args: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        args.update(await request.json() if request.content_type == "application/json" else await request.post())
    token = args.pop("token", None)
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        token = auth.removeprefix("Bearer ")
    return args, token
