"""The message path's compiled statements and the parameters built for them by name agree, on both backends."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from factories import message

from bot.messages import Reply, ReplyStyle
from bot.promises import promise_for
from bot.queue import DeliveryKey
from bot.replies import reply_delivery
from bot.store import DecisionRecord
from storage import message_postgres_sql as pg
from storage import message_sqlite_sql as lite
from storage.message_sql import record_values, settle_values
from storage.rows import LiveReply

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
REPLY_ROWS = {"kinds", "keys", "sent"}  # asyncpg takes the logged replies as arrays
LOGGED_ROW = {"kind", "window_key", "sent_at"}  # SQLite logs each reply as its own row


def _record() -> dict:
    asked = message("Could you send the report?", NOW)
    promise = promise_for(asked, NOW, "1 business day", NOW)
    planned = reply_delivery(asked, Reply("Hi", ("after_hours",), style=ReplyStyle.THREAD), NOW)
    return record_values(DecisionRecord(asked, promise=promise), NOW, LiveReply(planned, "live", NOW), str)


def test_the_compare_and_set_gets_every_parameter_it_names_and_no_other() -> None:
    values = _record()
    assert set(pg.RECORD.names) == set(values) | REPLY_ROWS
    for statement in (lite.NEW_HEAD, lite.NEXT_HEAD, lite.LOG, lite.REMEMBER, lite.QUEUE_REPLY, lite.PROMISE):
        assert set(re.findall(r"(?<!:):(\w+)", statement)) <= set(values) | LOGGED_ROW, statement


def test_a_settle_gets_every_parameter_it_names() -> None:
    key = DeliveryKey("reply", "Ev1", "", "slack", "T1", "C1")
    values = settle_values(key, "live", NOW, "sent", "1.2", None, str)
    assert set(pg.SETTLE_LIVE.names) == set(values)
    assert set(re.findall(r"(?<!:):(\w+)", lite.SETTLE)) == set(values)


def test_a_statement_refuses_missing_or_extra_parameters_by_name() -> None:
    values = settle_values(DeliveryKey("reply", "Ev1", "", "slack", "T1", "C1"), "live", NOW, "sent", None, None, str)
    assert len(pg.SETTLE_LIVE.args(**values)) == len(pg.SETTLE_LIVE.names)
    with pytest.raises(TypeError, match="expected the parameters"):
        pg.SETTLE_LIVE.args(**values, extra=1)
    values.pop("owner")
    with pytest.raises(TypeError, match="expected the parameters"):
        pg.SETTLE_LIVE.args(**values)
