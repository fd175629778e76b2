"""The owner is reminded of a promise privately before its time and once it is overdue, once, through the outbox."""

from __future__ import annotations

from datetime import UTC, timedelta

from factories import make_policy, message, ny
from scheduling_fakes import RecordingPoster

from bot.clock import SimulatedClock
from bot.models import Closure
from bot.promise_reminders import reminder_time
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.service import BoundaryService

POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})


def test_the_reminder_comes_two_opening_hours_ahead() -> None:
    calendar = POLICY.calendar([])  # 09:00-12:00 and 13:00-17:00 on weekdays
    assert reminder_time(calendar, ny(2026, 11, 24, 17), timedelta(hours=2)) == ny(2026, 11, 24, 15)
    assert reminder_time(calendar, ny(2026, 11, 24, 14), timedelta(hours=2)) == ny(2026, 11, 24, 11)  # over lunch
    assert reminder_time(calendar, ny(2026, 11, 24, 10), timedelta(hours=2)) == ny(2026, 11, 23, 16)  # the day before


async def night(database_factory, replicas: int = 1):
    clock = SimulatedClock(ny(2026, 11, 23, 21, 0))
    database = await database_factory.migrated()
    poster = RecordingPoster("slack", clock)
    schedulers = [
        Scheduling(
            database.store(),
            database.deliveries(),
            POLICY,
            Sender(database.deliveries(), {"slack": poster}, clock, pacing={}),
            clock,
            ROLES,
        )
        for _ in range(replicas)
    ]
    service = BoundaryService(database.store(), POLICY, ROLES, clock)
    await service.handle_message(
        message("Could you send the Q3 report?", clock(), permalink="https://acme.slack.com/p1")
    )
    [promise] = await database.store().list_promises()
    return clock, poster, schedulers, service, promise


def reminders(poster: RecordingPoster) -> list[str]:
    return [post.text for post, _ in poster.posts if post.key.startswith("promise_")]


async def test_an_unanswered_promise_reminds_the_owner_before_and_once_overdue(database_factory) -> None:
    clock, poster, (scheduling,), _service, promise = await night(database_factory)
    ahead = reminder_time(POLICY.calendar([]), promise.due_at, timedelta(hours=2))
    clock.set(ahead - timedelta(minutes=1))
    await scheduling.tick()
    assert reminders(poster) == []
    clock.set(ahead)
    await scheduling.tick()
    await scheduling.tick()
    [reminder] = reminders(poster)
    assert reminder.startswith("Reminder: Sam in #C1 (slack) is due an answer by ")
    assert reminder.endswith("https://acme.slack.com/p1")
    assert {p.channel.channel_id for p, _ in poster.posts if p.key.startswith("promise_")} == {"U_OWNER"}  # privately
    clock.set(promise.due_at)
    await scheduling.tick()
    overdue = reminders(poster)[1]
    assert overdue.startswith("Overdue: Sam in #C1 (slack)") and f"boundaries promises done {promise.id}" in overdue
    clock.advance(timedelta(minutes=30))
    await scheduling.tick()
    assert len(reminders(poster)) == 2


async def test_an_answered_promise_reminds_nobody(database_factory) -> None:
    clock, poster, (scheduling,), service, promise = await night(database_factory)
    clock.set(ny(2026, 11, 24, 9, 30))
    await service.handle_message(message("On it!", clock(), author_id="U_OWNER"))
    for moment in (promise.due_at - timedelta(hours=2), promise.due_at, promise.due_at + timedelta(hours=1)):
        clock.set(moment)
        await scheduling.tick()
    assert reminders(poster) == []


async def test_two_replicas_send_each_reminder_once(database_factory) -> None:
    clock, poster, schedulers, _service, promise = await night(database_factory, replicas=2)
    for moment in (promise.due_at - timedelta(hours=2), promise.due_at):
        clock.set(moment)
        for scheduling in schedulers:
            await scheduling.tick()
    assert [text.split(":")[0] for text in reminders(poster)] == ["Reminder", "Overdue"]


def digests(poster: RecordingPoster) -> list[str]:
    return [post.text for post, _ in poster.posts if post.key.startswith("owner_digest")]


async def test_the_morning_digest_lists_the_answers_promised_for_today(database_factory) -> None:
    clock, poster, (scheduling,), _service, promise = await night(database_factory)
    clock.set(ny(2026, 11, 24, 9))  # Tuesday's first opening
    await scheduling.tick()
    [digest] = digests(poster)
    assert "Answers you promised, due by tonight:" in digest
    assert f"#{promise.id} Sam in slack:T1:C1, due today at 5:00 PM EST https://acme.slack.com/p1" in digest


async def test_mondays_digest_says_how_last_weeks_promises_were_kept(database_factory) -> None:
    clock, poster, (scheduling,), service, _ = await night(database_factory)
    clock.set(ny(2026, 11, 24, 11))  # answered two opening hours after Tuesday's opening: in time
    await service.handle_message(message("Here it is.", clock(), author_id="U_OWNER"))
    clock.set(ny(2026, 11, 25, 21))
    await service.handle_message(message("And the Q4 one?", clock()))
    clock.set(ny(2026, 11, 28, 10))  # answered on Saturday: it was due Friday at 5 PM (Thursday is Thanksgiving)
    await service.handle_message(message("Sorry, here.", clock(), author_id="U_OWNER"))
    clock.set(ny(2026, 11, 30, 9))  # Monday's digest
    await scheduling.tick()
    monday = digests(poster)[-1]
    # waited 2 and 7 opening hours (Tuesday 9-11; Friday 9-12 and 13-17): the median is 4.5
    assert monday.endswith("Last 7 days: 1 of 2 promise(s) kept on time; typical time to answer 4.5 opening hour(s).")
    assert "Answers you promised" not in monday  # none is waiting


async def test_a_sick_day_added_after_the_reply_moves_the_promise_and_its_reminders(database_factory) -> None:
    clock, poster, (scheduling,), _service, promise = await night(database_factory)
    assert promise.due_at == ny(2026, 11, 24, 17)  # one business day after Monday night: Tuesday's close
    clock.set(ny(2026, 11, 24, 7))
    await scheduling.store.add_closure(
        Closure(start=ny(2026, 11, 24).astimezone(UTC), end=ny(2026, 11, 25).astimezone(UTC), reason="sick day")
    )
    for moment in (ny(2026, 11, 24, 15), ny(2026, 11, 24, 17), ny(2026, 11, 24, 18)):
        clock.set(moment)
        await scheduling.tick()
    assert reminders(poster) == []
    [waiting] = await scheduling.store.list_promises()
    assert waiting.due_at == ny(2026, 11, 25, 17) and waiting.state(clock()) == "open"
    clock.set(ny(2026, 11, 25, 15))
    await scheduling.tick()
    [reminder] = reminders(poster)
    assert "is due an answer by Wednesday, Nov 25 at 5:00 PM EST" in reminder
