"""Erasing one client: confirmed by the owner, counted, other clients intact, exactly-once delivery kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from factories import make_policy, message

from bot.commands import Invocation, run_command
from bot.commands.types import Context
from bot.forwarding import ForwardRequest, forward_data, forward_key
from bot.messages import ChannelRef
from bot.models import SentReply
from bot.queue import DeliveryState, PlannedDelivery
from bot.retention import ClientRef
from bot.roles import Roles

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
OWNER = Invocation("slack", "T1", "C1", "U_OWNER")


async def seed_replies(store) -> None:
    for author, name, channel in (("U_A", "Alex", "C1"), ("U_A", "Alex", "C2"), ("U_B", "Blair", "C1")):
        sent = message(f"can you call me? ({name})", NOW, author_id=author, author_name=name, channel_id=channel)
        await store.record_replies(sent, [SentReply("redirect", "", NOW)])
    await store.set_client_timezone("slack", "T1", "U_A", "Europe/London")
    await store.set_client_timezone("slack", "T1", "U_B", "Asia/Tokyo")
    await store.set_client_timezone("slack", "T2", "U_A", "Europe/Paris")  # the same id in another workspace


async def run(store, text: str, invocation: Invocation = OWNER):
    return await run_command(text, Context(invocation, store=store, policy=POLICY, roles=ROLES, now=NOW))


async def test_forget_asks_first_then_erases_only_that_client(store):
    await seed_replies(store)

    asked = await run(store, "boundaries forget <@U_A|alex>")
    assert asked.ok and "2 logged reply(ies)" in asked.text and "1 time zone(s)" in asked.text
    assert "boundaries forget U_A confirm" in asked.text
    assert len(await store.reply_log_between(NOW, NOW + timedelta(seconds=1))) == 3  # nothing changed yet

    done = await run(store, "boundaries forget <@U_A> confirm")
    assert done.ok and done.text.startswith("Erased what was stored about <@U_A>: 2 logged reply(ies)")
    left = await store.reply_log_between(NOW, NOW + timedelta(seconds=1))
    assert [(e.client_id, e.client_name) for e in left] == [("U_B", "Blair")]
    assert await store.get_client_timezone("slack", "T1", "U_A") is None
    assert await store.get_client_timezone("slack", "T1", "U_B") == "Asia/Tokyo"
    assert await store.get_client_timezone("slack", "T2", "U_A") == "Europe/Paris"  # another workspace's client
    assert "Nothing is stored about <@U_A>" in (await run(store, "boundaries forget U_A")).text


async def test_forgetting_moves_the_clients_version_so_a_decision_in_flight_is_taken_again(store):
    await seed_replies(store)
    channel = ChannelRef("slack", "T1", "C1")
    before = await store.load_message_state(channel, "U_A", NOW, lambda *_: NOW - timedelta(days=1))
    await store.forget_client(ClientRef("U_A", "slack", "T1"), NOW)
    after = await store.load_message_state(channel, "U_A", NOW, lambda *_: NOW - timedelta(days=1))
    assert after.history == () and (after.version != before.version or before.version == 0)


async def test_only_the_owner_may_forget_and_bad_input_says_what_is_expected(store):
    await seed_replies(store)
    refused = await run(store, "boundaries forget U_A confirm", Invocation("slack", "T1", "C1", "U_B"))
    assert not refused.ok and "Only the business owner" in refused.text
    bad = await run(store, "boundaries forget U_A please")
    assert not bad.ok and "boundaries forget @CLIENT [confirm]" in bad.text
    assert len(await store.reply_log_between(NOW, NOW + timedelta(seconds=1))) == 3


def forward(author: str, n: int) -> PlannedDelivery:
    request = ForwardRequest("slack", "T1", f"C{n}", f"m{n}", author, f"secret words {n}", NOW, author_name=author)
    return PlannedDelivery(
        forward_key(request),
        NOW,
        NOW + timedelta(days=3),
        f"From: {author}\n\nsecret words {n}",
        data=forward_data(request, notify=author),
    )


async def test_posts_about_the_client_are_cancelled_or_cut_and_their_keys_still_hold(database_factory):
    database = await database_factory.migrated()
    store, queue = database.store(), database.deliveries()
    rows = [forward("U_A", 1), forward("U_A", 2), forward("U_A", 3), forward("U_B", 4)]
    await queue.enqueue(rows, NOW)
    ids = {d.key.subject_id: d.id for d in await queue.list_deliveries()}
    claimed = {d.id for d in await queue.claim(NOW, "w", timedelta(minutes=5), limit=10)}
    assert ids["slack:T1:C1:m1"] in claimed
    await queue.mark_sent(ids["slack:T1:C1:m1"], "<id1@mail>", NOW)  # delivered
    await queue.begin_post(ids["slack:T1:C2:m2"], "w", NOW)  # its request is under way
    await queue.mark_retry(ids["slack:T1:C3:m3"], NOW, "refused", NOW)  # pending again

    assert (await store.forget_client(ClientRef("U_A"), NOW, dry_run=True)).pending_posts == 2
    report = await store.forget_client(ClientRef("U_A"), NOW)

    assert (report.pending_posts, report.payloads) == (1, 1)
    after = {d.key.subject_id: d for d in await queue.list_deliveries()}
    sent, under_way, pending = after["slack:T1:C1:m1"], after["slack:T1:C2:m2"], after["slack:T1:C3:m3"]
    assert (sent.state, sent.platform_message_id, sent.text, sent.data) == (DeliveryState.SENT, "<id1@mail>", "", None)
    assert (pending.state, pending.text) == (DeliveryState.CANCELLED, "")
    assert under_way.state is DeliveryState.IN_FLIGHT  # its outcome decides; it is never posted again
    await queue.mark_retry(under_way.id, NOW, "timeout", NOW)
    assert (await queue.list_deliveries(kinds=[under_way.key.kind]))[1].state is DeliveryState.CANCELLED
    assert after["slack:T1:C4:m4"].text.endswith("secret words 4")  # another client's forward is untouched
    assert await queue.enqueue(rows, NOW + timedelta(minutes=1)) == []  # every key still holds: nothing twice
    again = await queue.claim(NOW + timedelta(minutes=10), "w2", timedelta(minutes=5), limit=10)
    assert [d.key.subject_id for d in again] == ["slack:T1:C4:m4"]  # only the other client's post is still due


async def test_a_departed_workspace_is_erased_only_after_its_period_and_not_once_it_is_back(store):
    await seed_replies(store)  # T1: Alex and Blair; T2: Alex's time zone
    await store.workspace_left("slack", "T1", NOW)
    assert await store.erase_departed(NOW, NOW) == 0  # left at NOW: not before it
    await store.workspace_left("slack", "T2", NOW)
    await store.workspace_back("slack", "T2")  # installed again: nothing to erase there
    assert await store.erase_departed(NOW + timedelta(seconds=1), NOW) == 1
    assert await store.reply_log_between(NOW - timedelta(days=1), NOW + timedelta(days=1)) == []
    assert await store.get_client_timezone("slack", "T1", "U_A") is None
    assert await store.get_client_timezone("slack", "T1", "U_B") is None
    assert await store.get_client_timezone("slack", "T2", "U_A") == "Europe/Paris"
    assert await store.erase_departed(NOW + timedelta(days=1), NOW) == 0  # the departure went with the data
