"""What is kept: each retention key's rows and the oldest one's age, on every backend, in status and in check."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from cli_process import cli_env, run_cli, sqlite_url
from factories import make_policy
from test_retention_pruning import NOW, RETENTION, log_reply, planned

from bot.commands import Invocation, run_command
from bot.commands.types import Context
from bot.retention import Held, held_lines
from bot.roles import Roles
from storage.database import Database


async def test_an_empty_store_holds_nothing(store):
    held = await store.held()
    assert held["event_ids"] == Held() and held["replies"] == Held()


async def test_rows_and_the_oldest_of_each_kind(store):
    await store.mark_event_seen("slack", "Ev-old", NOW - timedelta(days=3))
    await store.mark_event_seen("slack", "Ev-new", NOW)
    await store.record_replies(*log_reply(NOW - timedelta(days=40), "old"))
    await store.record_replies(*log_reply(NOW - timedelta(days=1), "new"))
    held = await store.held()
    assert held["event_ids"] == Held(2, NOW - timedelta(days=3))
    assert held["replies"] == Held(2, NOW - timedelta(days=40))


async def test_post_text_kept_counts_sent_and_failed_rows_until_pruning_cuts_them(database_factory):
    database = await database_factory.migrated()
    queue, store = database.deliveries(), database.store()
    await queue.enqueue([planned(1), planned(2), planned(3)], NOW - timedelta(days=2))
    rows = await queue.list_deliveries()
    await queue.mark_sent(rows[0].id, "ts1", NOW - timedelta(days=2))
    await queue.mark_failed(rows[1].id, "not_in_channel", NOW - timedelta(days=1))
    held = await store.held()
    assert held["sent_payloads"] == Held(1, NOW - timedelta(days=2))  # the pending one is not counted
    assert held["failed_payloads"] == Held(1, NOW - timedelta(days=1))
    from bot.retention import cutoffs

    await store.prune(cutoffs(RETENTION, NOW))  # sent text is kept an hour here; failed text 14 days
    held = await store.held()
    assert held["sent_payloads"] == Held() and held["failed_payloads"].rows == 1


def test_lines_name_each_kind_its_rows_age_and_period():
    held = {"event_ids": Held(3, NOW - timedelta(hours=5)), "replies": Held(1_204, NOW - timedelta(days=88))}
    lines = held_lines(RETENTION, held, NOW)
    assert lines[0] == "event ids (to drop platform re-deliveries): 3 row(s), the oldest 5 hours old; kept 7d"
    assert lines[1] == (
        "logged replies (client name, message excerpt, link): 1,204 row(s), the oldest 88 days old; kept 90d"
    )
    assert lines[2] == "text of posts already delivered: 0 row(s); kept 1h"


async def test_status_shows_what_is_kept(store):
    await store.record_replies(*log_reply(NOW - timedelta(days=10), "hello"))
    owner = Invocation("slack", "T1", "C1", "U_OWNER")
    result = await run_command(
        "boundaries status",
        Context(
            owner, store=store, policy=make_policy(), roles=Roles(owners={"slack": frozenset({"U_OWNER"})}), now=NOW
        ),
    )
    assert "Data kept (the policy's [retention]; the pruning job removes what is older):" in result.text
    assert (
        "  logged replies (client name, message excerpt, link): 1 row(s), the oldest 10 days old; kept 90d"
        in result.text
    )


def test_check_shows_what_is_kept_in_an_up_to_date_database(tmp_path):
    async def seed() -> None:
        async with Database(sqlite_url(tmp_path)) as database:
            await database.migrate()
            await database.store().mark_event_seen("slack", "Ev1", NOW)

    asyncio.run(seed())
    result = run_cli("check", cwd=tmp_path, env=cli_env(tmp_path, policy=None), timeout=120)
    assert "ok       kept: event ids (to drop platform re-deliveries): 1 row(s), the oldest" in result.stdout
    assert "ok       kept: text of posts that failed: 0 row(s); kept 14d" in result.stdout
