"""A message event that fails for any reason but an unavailable database is acknowledged (200) and logged, never
answered 503 (which Slack would retry in vain) nor allowed to make every other event wait out a cool-down."""

from __future__ import annotations

import logging

import pytest
from slack_harness import message_event
from sqlalchemy.exc import IntegrityError, OperationalError


async def answered(http, text: str = "Could you look at the invoice tonight?") -> int:
    """Posts a well-formed event and returns how many replies the fake Slack has received since the start."""
    assert await http.event(message_event(text)) == (200, "")
    await http.settle()
    return len(http.fake.calls_to("chat.postMessage"))


@pytest.mark.parametrize(
    "malformed",
    [
        dict(channel={"id": "C_CLIENT"}),
        dict(channel=["C_CLIENT"]),
        dict(subtype="message_changed", message="not an object"),
        dict(subtype="message_deleted", previous_message=7),
    ],
)
async def test_a_malformed_event_is_acknowledged_and_nobody_else_waits(http, caplog, malformed) -> None:
    body = message_event("can you call me?", **malformed)
    assert await http.event(body) == (200, "")
    assert await answered(http) == 1  # at once: no 503, no cool-down for the next client
    problems = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("adapters")]
    assert all(body["event_id"] in r.getMessage() for r in problems)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (KeyError("a bug"), 200),
        (IntegrityError("INSERT INTO seen_events ...", {}, Exception("CHECK constraint failed")), 200),
        (ValueError("event id too long"), 200),
        (OperationalError("INSERT INTO seen_events ...", {}, Exception("database is locked")), 503),
        (ConnectionRefusedError(111, "Connection refused"), 503),
        (TimeoutError(), 503),
    ],
)
async def test_only_an_unavailable_database_gets_503(http, caplog, monkeypatch, error, status) -> None:
    async def claim(*args):
        raise error

    monkeypatch.setattr(http.service.store, "claim_message", claim)
    body = message_event("Could you look at the invoice tonight?")
    assert await http.event(body) == (status, "")
    if status == 200:
        (logged,) = [r for r in caplog.records if r.name == "adapters.slack.claims"]
        assert logged.levelno == logging.ERROR and body["event_id"] in logged.getMessage()
        assert type(error).__name__ in logged.getMessage() and logged.exc_info is not None
    monkeypatch.undo()
    if status == 200:
        assert await answered(http) == 1  # claims go on at once
    else:
        assert await http.event(message_event("another, tonight")) == (503, "")  # the outage cool-down
