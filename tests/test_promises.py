"""Promises: every reply that names an answer-by time is tracked until the owner or the team answers."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from cli_process import cli_env, run_cli, sqlite_url
from factories import make_policy, message, ny

from bot.clock import SimulatedClock
from bot.commands import Invocation
from bot.forwarding import Addresses, ForwardRequest
from bot.forwarding_service import Forwarding
from bot.models import Closure
from bot.promises import PromiseState, moved, promise_for
from bot.responder import Situation, decide
from bot.roles import Roles
from bot.service import BoundaryService
from bot.store import DecisionRecord
from storage.database import Database

POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})}, team={"slack": frozenset({"U_TEAM"})})
OWNER = Invocation("slack", "T1", "C1", "U_OWNER")
MONDAY_9PM = ny(2026, 11, 23, 21)


def service_on(store, at=MONDAY_9PM) -> BoundaryService:
    return BoundaryService(store, POLICY, ROLES, SimulatedClock(at))


def test_an_after_hours_reply_promises_its_answer_by_time_and_a_business_hours_redirect_does_not() -> None:
    night = decide(message("Could you look at the invoice?", MONDAY_9PM), Situation(policy=POLICY), MONDAY_9PM)
    assert night.reply.promised_by == POLICY.calendar([]).reply_by(MONDAY_9PM, POLICY.turnaround_rule)
    noon = ny(2026, 11, 24, 11)
    redirect = decide(message("can you call me?", noon), Situation(policy=POLICY), noon)
    assert redirect.reply is not None and redirect.reply.promised_by is None


def test_a_closure_in_between_moves_the_promise_with_the_business_calendar() -> None:
    week_off = Closure(start=ny(2026, 11, 24).astimezone(UTC), end=ny(2026, 11, 30).astimezone(UTC))
    later = decide(message("Invoice?", MONDAY_9PM), Situation(policy=POLICY, closures=(week_off,)), MONDAY_9PM)
    assert later.reply.promised_by > ny(2026, 11, 30)
    assert later.reply.promised_by == POLICY.calendar([week_off]).reply_by(MONDAY_9PM, POLICY.turnaround_rule)


async def test_a_promise_is_kept_when_the_owner_answers_in_time(store) -> None:
    service = service_on(store)
    asked = message("Could you look at the invoice?", MONDAY_9PM)
    await service.handle_message(asked)
    await service.handle_message(asked)  # Slack's retry of the same event: one promise
    [promise] = await store.list_promises()
    assert (promise.client_id, promise.message_id, promise.state(MONDAY_9PM)) == ("U_CLIENT", asked.message_id, "open")
    assert promise.rule == "1 business day"
    listed = await service.handle_command("boundaries promises", OWNER)
    assert (
        listed.text.startswith("1 promise(s) waiting for an answer:")
        and f"#{promise.id} Sam in slack:T1:C1" in listed.text
    )

    service.clock.set(ny(2026, 11, 24, 10))
    await service.handle_message(message("Looking at it now!", ny(2026, 11, 24, 10), author_id="U_TEAM"))
    assert await store.list_promises() == []
    [kept] = await store.list_promises(answered_since=MONDAY_9PM)
    assert kept.state(ny(2026, 11, 30)) is PromiseState.KEPT
    assert (await service.handle_command("boundaries promises", OWNER)).text.startswith("No promises are waiting")


async def test_a_promise_nobody_answers_in_time_is_broken_and_an_answer_elsewhere_does_not_keep_it(store) -> None:
    service = service_on(store)
    await service.handle_message(message("Invoice?", MONDAY_9PM))
    other_channel = message("hi all", ny(2026, 11, 24, 10), author_id="U_OWNER", channel_id="C2")
    await service.handle_message(other_channel)
    [promise] = await store.list_promises()
    late = promise.due_at + timedelta(minutes=1)
    assert promise.state(late) is PromiseState.BROKEN
    service.clock.set(late)
    assert "1 overdue" in (await service.handle_command("boundaries promises", OWNER)).text
    await service.handle_message(message("Sorry for the wait!", late, author_id="U_OWNER"))
    [answered] = await store.list_promises(answered_since=MONDAY_9PM)
    assert answered.state(late) is PromiseState.BROKEN  # answered, but after its time


async def test_two_replicas_storing_the_same_promise_store_it_once(store) -> None:
    asked = message("Invoice?", MONDAY_9PM)
    promise = promise_for(asked, ny(2026, 11, 24, 17), "1 business day", MONDAY_9PM)
    decided = [
        store.record_decision(DecisionRecord(asked, [], version=0, remember_channel=False, promise=promise))
        for _ in "ab"
    ]
    assert await asyncio.gather(*decided) == [True, True]
    (stored,) = await store.list_promises()
    assert (stored.message_id, stored.due_at) == (asked.message_id, promise.due_at)


def test_a_decision_records_only_the_promise_about_its_own_message() -> None:
    asked, other = message("Invoice?", MONDAY_9PM), message("And the report?", MONDAY_9PM)
    promise = promise_for(other, ny(2026, 11, 24, 17), "1 business day", MONDAY_9PM)
    with pytest.raises(ValueError, match="only the promise about the message decided on"):
        DecisionRecord(asked, promise=promise)
    assert DecisionRecord(other, promise=promise).promise == promise


async def test_a_closure_added_later_moves_an_open_promise_later_never_earlier(store) -> None:
    await service_on(store).handle_message(message("Invoice?", MONDAY_9PM))
    [promise] = await store.list_promises()
    sick_day = Closure(start=ny(2026, 11, 24).astimezone(UTC), end=ny(2026, 11, 25).astimezone(UTC))
    [later] = moved([promise], POLICY.calendar([sick_day]))
    assert (promise.due_at, later.due_at) == (ny(2026, 11, 24, 17), ny(2026, 11, 25, 17))
    assert moved([promise], POLICY.calendar([])) == []  # the calendar as it was: nothing moves
    assert await store.move_promise(promise.id, later.due_at)
    assert not await store.move_promise(promise.id, promise.due_at)  # never back to earlier
    [stored] = await store.list_promises()
    assert stored.due_at == ny(2026, 11, 25, 17) and stored.state(ny(2026, 11, 24, 18)) == "open"
    await store.promise_done(promise.id, ny(2026, 11, 25, 10))
    assert not await store.move_promise(promise.id, ny(2026, 11, 26, 17))  # an answered one stays as it was
    [answered] = await store.list_promises(answered_since=MONDAY_9PM)
    assert answered.due_at == ny(2026, 11, 25, 17) and answered.state(ny(2026, 11, 26, 9)) == "kept"


async def test_the_owner_marks_a_promise_done(store) -> None:
    service = service_on(store)
    await service.handle_message(message("Invoice?", MONDAY_9PM))
    [promise] = await store.list_promises()
    done = await service.handle_command(f"boundaries promises done {promise.id}", OWNER)
    assert done.ok and done.text == f"Marked promise #{promise.id} (Sam) done: kept."
    again = await service.handle_command(f"boundaries promises done {promise.id}", OWNER)
    assert not again.ok and f"there is no waiting promise #{promise.id}" in again.text
    client = await service.handle_command("boundaries promises", Invocation("slack", "T1", "C1", "U_CLIENT"))
    assert not client.ok and "Only the business owner" in client.text
    wrong = await service.handle_command("boundaries promises finish 1", OWNER)
    assert not wrong.ok and "boundaries promises done NUMBER" in wrong.text


async def test_erasing_a_client_erases_their_promises(store) -> None:
    service = service_on(store)
    await service.handle_message(message("Invoice?", MONDAY_9PM))
    asked = await service.handle_command("boundaries forget <@U_CLIENT>", OWNER)
    assert "1 promise(s)" in asked.text
    await service.handle_command("boundaries forget <@U_CLIENT> confirm", OWNER)
    assert await store.list_promises(answered_since=MONDAY_9PM) == []


async def promises_printed(folder: Path, *flags: str) -> list[dict]:
    env = cli_env(folder, policy=None)
    printed = await asyncio.to_thread(lambda: run_cli("promises", "--json", *flags, cwd=folder, env=env))
    assert printed.returncode == 0, printed.stderr
    return [json.loads(line) for line in printed.stdout.splitlines()]


async def test_the_command_line_prints_promises_as_json_lines_at_each_step(tmp_path) -> None:
    database = Database(sqlite_url(tmp_path))
    await database.migrate()
    service = service_on(database.store())
    await service.handle_message(message("Invoice?", MONDAY_9PM, permalink="https://acme.slack.com/archives/C1/p1"))
    [row] = await promises_printed(tmp_path)
    assert row["client"] == "U_CLIENT" and row["channel"] == "slack:T1:C1"
    assert row["state"] == "broken"  # due on Nov 24 2026, read with the real clock, which is later
    assert row["due"].endswith(("-05:00", "-04:00")) and row["link"] == "https://acme.slack.com/archives/C1/p1"
    service.clock.set(ny(2026, 11, 24, 10))
    await service.handle_message(message("Here you go", ny(2026, 11, 24, 10), author_id="U_OWNER"))
    await database.dispose()
    assert await promises_printed(tmp_path) == []  # nothing waits any more
    [answered] = await promises_printed(tmp_path, "--all")
    assert (answered["state"], answered["answered_at"]) == ("kept", "2026-11-24T10:00:00-05:00")


def test_replies_quote_the_typical_answer_time_only_when_the_policy_asks() -> None:
    quoting = make_policy(promises={"quote_typical": True})
    asked = message("Could you look at the invoice?", MONDAY_9PM)
    quoted = decide(asked, Situation(policy=quoting, typical_answer=timedelta(hours=3, minutes=10)), MONDAY_9PM)
    assert "our standard turnaround is 1 business day (lately about 3 opening hours)" in quoted.reply.text
    brief = decide(asked, Situation(policy=quoting, typical_answer=timedelta(minutes=40)), MONDAY_9PM)
    assert "(lately about 0.7 opening hours)" in brief.reply.text
    plain = decide(asked, Situation(policy=POLICY, typical_answer=timedelta(hours=3)), MONDAY_9PM)
    assert "lately" not in plain.reply.text and "our standard turnaround is 1 business day." in plain.reply.text


async def test_the_typical_answer_time_is_measured_once_five_promises_were_answered(store) -> None:
    quoting = make_policy(promises={"quote_typical": True})
    service = BoundaryService(store, quoting, ROLES, SimulatedClock(MONDAY_9PM))
    for n, days in enumerate((0, 1, 2, 3, 4, 7)):  # weeknights; each answered two opening hours after the opening
        night = MONDAY_9PM + timedelta(days=days)
        service.clock.set(night)
        service._typical = None  # measure again now rather than within ten minutes of the last time
        reply = (await service.handle_message(message(f"Question {n}", night, channel_id=f"C{n}"))).reply
        assert ("lately about 2 opening hours" in reply.text) is (n == 5), n
        service.clock.set(quoting.calendar([]).next_opening(night) + timedelta(hours=2))
        await service.handle_message(message("Answered.", service.clock(), author_id="U_OWNER", channel_id=f"C{n}"))


async def test_a_forward_to_email_answers_the_promise_when_the_policy_says_so(database) -> None:
    for counts in (False, True):
        policy = make_policy(promises={"forward_counts": counts})
        service = BoundaryService(database.store(), policy, ROLES, SimulatedClock(MONDAY_9PM))
        queue = database.deliveries()
        service.forwarding = Forwarding(
            queue, policy, ROLES, service.clock, Addresses.for_policy(policy), forwarded=[service.promise_forwarded]
        )
        asked = message("Invoice?", MONDAY_9PM, channel_id=f"C-{counts}")
        await service.handle_message(asked)
        request = ForwardRequest(
            asked.platform,
            asked.workspace_id,
            asked.channel_id,
            asked.message_id,
            asked.author_id,
            asked.text,
            MONDAY_9PM,
        )
        assert (await service.forwarding.forward(request, asked.author_id)).queued
        waiting = [p.channel.channel_id for p in await service.store.list_promises()]
        assert (f"C-{counts}" in waiting) is not counts
