"""Slack request bodies for the tests: the recorded payload fixtures, signed the way Slack signs them."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

FIXTURES = Path(__file__).parent / "fixtures" / "slack"
SIGNING_SECRET = "test-signing-secret"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def message_envelope(n: int, event_id: str, **event: Any) -> dict[str, Any]:
    """message.json as message n: its own event id and ts, with `event`'s fields in its event."""
    body = copy.deepcopy(fixture("message"))
    ts = f"1795481200.{n:06d}"
    body["event_id"] = event_id
    body["event"].update({"ts": ts, "event_ts": ts} | event)
    return body


def sign(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 request signature headers for `body`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def event_body(payload: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return json.dumps(payload), {"Content-Type": "application/json"}


def form_body(fields: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return urlencode(fields), {"Content-Type": "application/x-www-form-urlencoded"}


def interactive_body(payload: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return form_body({"payload": json.dumps(payload)})


def reaction_event(user: str, name: str, channel: str, ts: str, *, item_user: str = "U_CLIENT") -> dict[str, Any]:
    """A reaction_added event on the message `ts` in `channel`."""
    body = copy.deepcopy(fixture("message"))
    body["event_id"] = f"EvReact{user}{name}{ts}"
    body["event"] = {
        "type": "reaction_added",
        "user": user,
        "reaction": name,
        "item_user": item_user,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": "1795485700.000100",
    }
    return body
