"""The owner's digest: sent once at the day's first opening, listing what got automatic replies and what failed."""

from __future__ import annotations

from datetime import UTC, timedelta

from factories import make_policy, message, ny
from scheduling_fakes import RecordingPoster

from bot.clock import SimulatedClock
from bot.messages import ChannelRef
from bot.models import Closure
from bot.outbound import PostError
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.service import BoundaryService

POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})


async def monday_evening(database_factory):
    """A database, the scheduler sending to a recording Slack, and the service, at 9 PM on a Monday."""
    clock = SimulatedClock(ny(2026, 11, 23, 21, 0))
    database = await database_factory.migrated()
    store, queue = database.store(), database.deliveries()
    poster = RecordingPoster("slack", clock)
    scheduling = Scheduling(store, queue, POLICY, Sender(queue, {"slack": poster}, clock, pacing={}), clock, ROLES)
    return clock, store, queue, poster, scheduling, BoundaryService(store, POLICY, ROLES, clock)


async def test_the_digest_lists_the_nights_messages_and_failures_once(database_factory):
    clock, store, _queue, poster, scheduling, service = await monday_evening(database_factory)
    await service.handle_message(
        message(
            "Could you send the Q3 report?\nThanks!",
            clock(),
            author_name="Sam",
            permalink="https://acme.slack.com/archives/C1/p1",
        )
    )
    await service.handle_message(
        message("in hours tomorrow is fine", clock(), author_id="U_OTHER", author_name="Kim", channel_id="C2")
    )
    # A closure notice that fails for good overnight lands in the digest too.
    await store.remember_channel(ChannelRef("slack", "T1", "C9"))
    # Added on short notice, so it is announced at once, and the bot is not in #C9.
    await store.add_closure(
        Closure(
            start=ny(2026, 11, 30).astimezone(UTC),
            end=ny(2026, 12, 1).astimezone(UTC),
            created_at=ny(2026, 11, 23, 20).astimezone(UTC),
        )
    )
    poster.refusing_channels = {"C9": PostError("not_in_channel", permanent=True)}
    for _ in range(3):
        await scheduling.tick()
    clock.set(ny(2026, 11, 24, 9, 0))
    for _ in range(3):
        await scheduling.tick()
        clock.advance(timedelta(minutes=30))
    digests = [post for post, _ in poster.posts if post.key.startswith("owner_digest")]
    assert len(digests) == 1
    digest = digests[0]
    assert digest.channel == ChannelRef("slack", "T1", "U_OWNER")
    assert "2 client message(s) arrived (2 answered automatically)" in digest.text
    assert (
        "• Sam in #C1 (slack), Monday, Nov 23 at 9:00 PM EST: “Could you send the Q3 report? Thanks!” — after-hours reply "
        "https://acme.slack.com/archives/C1/p1" in digest.text
    )
    assert "• Kim in #C2 (slack)" in digest.text
    assert "closure notice to #C9 (slack): not_in_channel" in digest.text
    # The next morning's digest has nothing new to say, so there is none.
    clock.set(ny(2026, 11, 25, 9, 0))
    await scheduling.tick()
    assert len([p for p, _ in poster.posts if p.key.startswith("owner_digest")]) == 1


async def test_no_digest_on_a_quiet_night_or_outside_the_morning_window(database_factory):
    clock = SimulatedClock(ny(2026, 11, 24, 9, 0))
    database = await database_factory.migrated()
    poster = RecordingPoster("slack", clock)
    queue = database.deliveries()
    scheduling = Scheduling(
        database.store(), queue, POLICY, Sender(queue, {"slack": poster}, clock, pacing={}), clock, ROLES
    )
    await scheduling.tick()
    assert poster.posts == []
    service = BoundaryService(database.store(), POLICY, ROLES, clock)
    clock.set(ny(2026, 11, 24, 20, 0))
    await service.handle_message(message("evening question", clock()))
    await scheduling.tick()  # 20:00 is past the morning window: the digest waits for tomorrow
    assert poster.posts == []


async def test_the_digest_lists_every_message_of_the_night_even_those_that_got_no_reply(database_factory):
    clock, store, _queue, poster, scheduling, service = await monday_evening(database_factory)
    for text in ("Could you send the Q3 report?", "Also the November invoice", "thanks!"):
        await service.handle_message(message(text, clock(), author_name="Sam"))
    await service.handle_message(message("URGENT the site is down", clock(), author_id="U_KIM", author_name="Kim"))
    clock.set(ny(2026, 11, 24, 10, 0))  # open: a message now is not the night's
    in_hours = message("one more in hours, thanks", clock(), author_name="Sam")
    await service.handle_message(in_hours)
    assert await store.recent_replies(in_hours.channel, in_hours.author_id, clock() - timedelta(minutes=1)) == []
    clock.set(ny(2026, 11, 24, 9, 0))
    await scheduling.tick()
    digest = next(post for post, _ in poster.posts if post.key.startswith("owner_digest")).text
    assert "4 client message(s) arrived (2 answered automatically, 1 urgent):" in digest
    messages, promised = digest.split("\nAnswers you promised, due by tonight:\n")
    lines = messages.splitlines()[1:]
    assert [line.split(" in #C1")[0] for line in lines] == ["• URGENT: Kim", "• Sam", "• Sam", "• Sam"]
    assert [line.split(" in ")[0].split(" ", 1)[1] for line in promised.splitlines()] == [
        "Sam",
        "Kim",
    ]  # soonest due first
    assert lines[2].endswith("“Also the November invoice” — no automatic reply")
    assert lines[3].endswith("“thanks!” — no automatic reply")


async def test_the_digest_lists_the_new_clients_welcomed_overnight(database_factory):
    from bot.welcoming import welcome_joiner

    clock, store, queue, poster, scheduling, _service = await monday_evening(database_factory)
    for client in ("U_NEW", "U_NEW", "U_OTHER"):  # a second join of the same client welcomes nobody
        await welcome_joiner(store, queue, POLICY, ROLES, ChannelRef("slack", "T1", "C1"), client, clock())
    await scheduling.tick()
    clock.set(ny(2026, 11, 24, 9, 0))
    await scheduling.tick()
    (digest,) = [post for post, _ in poster.posts if post.key.startswith("owner_digest")]
    assert "New clients, welcomed with the orientation:\n• U_NEW\n• U_OTHER" in digest.text


async def test_the_digest_is_composed_once_per_morning_not_on_every_tick_of_its_window(database_factory):
    clock, store, _queue, poster, scheduling, service = await monday_evening(database_factory)
    await service.handle_message(message("Could you send the Q3 report?", clock()))
    reads = []
    read_log = store.reply_log_between

    async def counted(*args, **kwargs):
        reads.append(args)
        return await read_log(*args, **kwargs)

    store.reply_log_between = counted
    clock.set(ny(2026, 11, 24, 9, 0))
    for _ in range(4):
        await scheduling.tick()
        clock.advance(timedelta(minutes=30))
    assert len(reads) == 1
    assert len([p for p, _ in poster.posts if p.key.startswith("owner_digest")]) == 1
    clock.set(ny(2026, 11, 25, 9, 0))  # the next morning is a new moment: read again (nothing new, no digest)
    await scheduling.tick()
    assert len(reads) == 2
