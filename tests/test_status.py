"""The owner's status page: `/boundaries status` and `boundary-bot status` say where things stand."""

from __future__ import annotations

from datetime import timedelta

from cli_process import cli_env, run_cli
from factories import make_policy, ny
from memory_store import MemoryStore

from bot.commands import Invocation, run_command
from bot.commands.run import REFUSAL
from bot.commands.types import Context
from bot.models import Closure
from bot.queue import DeliveryKey, PlannedDelivery
from bot.roles import Roles

ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
OWNER, CLIENT = Invocation("slack", "T1", "C1", "U_OWNER"), Invocation("slack", "T1", "C1", "U_CLIENT")
MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)


async def status(store, who=OWNER, queue=None, now=MONDAY_NIGHT):
    return await run_command(
        "boundaries status", Context(who, store=store, policy=make_policy(), roles=ROLES, now=now, queue=queue)
    )


async def test_the_owner_sees_open_or_closed_and_what_is_coming() -> None:
    store = MemoryStore()
    await store.add_closure(Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 3), reason="the holidays"))
    text = (await status(store)).text
    assert text.startswith("Closed now (outside opening hours); next opening tomorrow (Tuesday, Nov 24) at 9:00 AM")
    assert "Closures to come: 1:\n  #1 closed Thursday, Dec 24 through Saturday, Jan 2" in text
    assert "Weekly meetings: 0 channel(s) with a slot." in text and "Posts:" not in text  # no outbox here
    assert (await status(store, now=ny(2026, 12, 28, 10, 0))).text.startswith("Closed now: closed Thursday, Dec 24")
    assert (await status(store, now=ny(2026, 11, 24, 10, 0))).text.startswith("Open now.")
    assert (await status(store, who=CLIENT)).text == REFUSAL


async def test_posts_waiting_failed_and_the_last_digest_are_counted(database_factory) -> None:
    database = await database_factory.migrated()
    queue = database.deliveries()
    key = DeliveryKey("closure_notice", "closure:1", "", "slack", "T1", "C1")
    digest = DeliveryKey("owner_digest", "digest:U_OWNER", "2026-11-23", "slack", "T1", "U_OWNER")
    await queue.enqueue(
        [
            PlannedDelivery(key, MONDAY_NIGHT, MONDAY_NIGHT + timedelta(days=1), "notice"),
            PlannedDelivery(digest, MONDAY_NIGHT, MONDAY_NIGHT + timedelta(hours=4), "digest", direct=True),
        ],
        MONDAY_NIGHT,
    )
    rows = {d.key.kind: d for d in await queue.list_deliveries()}
    await queue.mark_sent(rows["owner_digest"].id, "ts", MONDAY_NIGHT)
    text = (await status(database.store(), queue=queue)).text
    assert "Posts: 1 waiting, 0 going out, 0 being checked; 1 sent in all; 0 failed in the last 7 days." in text
    assert "Last digest: today at 9:00 PM EST (America/New_York time)." in text
    await queue.mark_failed(rows["closure_notice"].id, "not_in_channel", MONDAY_NIGHT)
    assert "1 failed in the last 7 days (the digest lists them)." in (await status(database.store(), queue=queue)).text


def test_the_command_line_reads_the_database_without_creating_it(tmp_path) -> None:
    def run(*args: str, stdin: str | None = None) -> str:
        done = run_cli(*args, cwd=tmp_path, env=cli_env(tmp_path), stdin=stdin)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert run("status").startswith("No database yet at sqlite:///")
    assert not (tmp_path / "bot.db").exists()
    run("run", "--at", "2026-12-01 18:00", stdin="/as owner\n/closure add Dec 24 to Jan 2 reason: the holidays\n")
    shown = run("status")
    assert "Closures to come: 1:" in shown and "the holidays" in shown and "Last digest: none sent yet." in shown
