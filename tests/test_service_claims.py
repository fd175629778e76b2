"""BoundaryService.claim and handle_claimed: the event is recorded once, handling can be retried after a failure."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from factories import make_policy, message, ny

from bot.clock import SimulatedClock
from bot.models import Closure
from bot.roles import Roles
from bot.service import BoundaryService

MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)


def fail_the_next_record(store, monkeypatch) -> None:
    """The store's next record_decision raises, as when the connection drops; the ones after work."""
    original = type(store).record_decision
    failures = [RuntimeError("connection lost")]

    async def flaky(self, *args, **kwargs):
        if failures:
            raise failures.pop()
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(type(store), "record_decision", flaky)


def service_on(store) -> BoundaryService:
    return BoundaryService(store, make_policy(), Roles(), SimulatedClock(MONDAY_NIGHT))


async def test_claim_then_handle_replies_once_and_a_copy_is_only_observed_as_a_duplicate(store) -> None:
    service = service_on(store)
    seen = []
    service.observers.append(lambda msg, out: seen.append((msg.event_id, out.duplicate, out.reply is not None)))
    msg = message("Could you look at this tonight?", MONDAY_NIGHT, event_id="Ev-1")
    claimed = await service.claim(msg)
    assert claimed is not None and claimed.at == MONDAY_NIGHT and claimed.state.version == 0
    assert (await service.handle_claimed(msg, claimed)).reply is not None
    assert await service.claim(msg) is None
    assert (await service.handle_message(msg)).duplicate
    assert seen == [("Ev-1", False, True), ("Ev-1", True, False), ("Ev-1", True, False)]


async def test_handling_a_claimed_message_does_not_record_the_event_again(store) -> None:
    service = service_on(store)
    msg = message("hello tonight", MONDAY_NIGHT, event_id="Ev-2")
    assert (await service.handle_claimed(msg)).reply is not None
    assert await store.mark_event_seen("slack", "Ev-2", MONDAY_NIGHT) is True  # handle_claimed never claimed it


async def test_a_failed_write_can_be_retried_and_logs_the_reply_once(store, monkeypatch) -> None:
    service = service_on(store)
    msg = message("Can you call me tonight?", MONDAY_NIGHT, event_id="Ev-3")
    fail_the_next_record(store, monkeypatch)
    claimed = await service.claim(msg)
    with pytest.raises(RuntimeError):
        await service.handle_claimed(msg, claimed)
    outcome = await service.handle_claimed(msg, claimed)
    assert outcome.reply.reasons == ("after_hours", "redirect_call")
    logged = await store.recent_replies(msg.channel, msg.author_id, MONDAY_NIGHT - timedelta(hours=1))
    assert sorted(r.kind for r in logged) == ["after_hours", "redirect"]


async def test_the_channel_is_remembered_once_even_without_a_reply(store) -> None:
    service = service_on(store)
    service.clock.set(ny(2026, 11, 24, 10, 0))  # open: a plain message gets no reply
    for n in range(3):
        outcome = await service.handle_message(message("thanks!", service.clock(), event_id=f"Ev-4-{n}"))
        assert outcome.reply is None and outcome.decision.ignored is None
    assert [c.channel_id for c in await store.list_channels()] == ["C1"]


async def test_a_burst_from_one_client_handled_at_once_in_two_processes_gets_one_reply(database_factory) -> None:
    first, second = database_factory(), database_factory()
    await first.migrate()
    services = [service_on(first.store()), service_on(second.store())]
    burst = [message(f"part {n} of my question", MONDAY_NIGHT, event_id=f"Ev-burst-{n}") for n in range(6)]
    outcomes = await asyncio.gather(*(services[n % 2].handle_message(msg) for n, msg in enumerate(burst)))
    assert sum(outcome.reply is not None for outcome in outcomes) == 1
    assert sum(outcome.decision.throttled == ("after_hours",) for outcome in outcomes) == 5


async def test_a_claim_reads_what_the_decision_needs_and_a_stale_read_decides_again(store) -> None:
    service = service_on(store)
    first = await service.claim(message("Could you look at this tonight?", MONDAY_NIGHT, event_id="Ev-6"))
    second_msg = message("And this one too, tonight?", MONDAY_NIGHT, event_id="Ev-7")
    second = await service.claim(second_msg)
    assert first.state == second.state  # both read before either was answered
    assert (await service.handle_claimed(message("x", MONDAY_NIGHT, event_id="Ev-6"), first)).reply is not None
    outcome = await service.handle_claimed(second_msg, second)  # its read is stale: it reads again, throttled
    assert outcome.reply is None and outcome.decision.throttled == ("after_hours",)
    logged = await store.recent_replies(second_msg.channel, second_msg.author_id, MONDAY_NIGHT - timedelta(hours=1))
    assert [r.kind for r in logged] == ["after_hours", "noted"]  # one reply; the second message kept for the digest


async def test_handle_message_again_after_a_failure_answers_without_claiming_again(store, monkeypatch) -> None:
    service = service_on(store)
    msg = message("Could you call me tonight?", MONDAY_NIGHT, event_id="Ev-8")
    fail_the_next_record(store, monkeypatch)
    with pytest.raises(RuntimeError):
        await service.handle_message(msg)
    assert (await service.handle_message(msg)).reply is not None  # not mistaken for a copy of itself
    assert (await service.handle_message(msg)).duplicate  # but a third delivery is one


async def test_a_reply_at_the_start_of_a_month_long_closure_still_throttles_at_its_end(store) -> None:
    """The claim's read covers two weeks of history; the decision here needs a month (read again where needed)."""
    service = service_on(store)
    start = MONDAY_NIGHT - timedelta(days=30)
    await store.add_closure(Closure(start + timedelta(days=1), start + timedelta(days=40), "sabbatical"))
    service.clock.set(start + timedelta(days=2))
    first = await service.handle_message(message("Are you around?", service.clock(), event_id="Ev-9"))
    assert first.reply is not None and "closed" in first.reply.reasons
    service.clock.set(start + timedelta(days=33))
    again = await service.handle_message(message("Still away?", service.clock(), event_id="Ev-10"))
    assert again.reply is None and again.decision.throttled == ("closed",)
