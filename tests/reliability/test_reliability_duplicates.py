"""Slack redelivers events: 10% of them come twice or four times, some copies at once. Each gets exactly one reply."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

from conftest import SOAK
from slack_fakes import FakeSlack
from slack_harness import message_event, start_http

EVENTS = 10_000 if SOAK else 2_000
CLIENTS = 100
IN_FLIGHT = 16  # requests Slack has open at once


def original_events(count: int) -> list[dict]:
    """Each from a different (channel, client) pair after hours, so each one deserves its own reply."""
    return [
        message_event(
            "Could you look at the invoice tonight?",
            user=f"U{n % CLIENTS:04d}",
            channel=f"C{n // CLIENTS:05d}",
            event_id=f"EvDup{n:06d}",
        )
        for n in range(count)
    ]


def deliveries(events: list[dict], rng: random.Random) -> tuple[list[list[tuple[dict, int]]], Counter]:
    """Groups of (event, retry number) sent together; 10% of events get 1 or 3 more copies, half of those at once."""
    groups: list[list[tuple[dict, int]]] = []
    later: list[list[tuple[dict, int]]] = []
    kinds: Counter = Counter()
    for event in events:
        if rng.random() >= 0.10:
            groups.append([(event, 0)])
            continue
        copies = rng.choice((2, 4))
        if rng.random() < 0.5:  # all copies at the same moment (Slack's retry overlapping a slow first answer)
            groups.append([(event, n) for n in range(copies)])
            kinds[f"{copies} copies at once"] += 1
        else:  # the retries come later, one by one, as after a timeout
            groups.append([(event, 0)])
            later.extend([(event, n)] for n in range(1, copies))
            kinds[f"{copies} copies one by one"] += 1
    rng.shuffle(later)
    return groups + later, kinds


async def test_each_original_event_gets_exactly_one_reply(database_factory, counts) -> None:
    database = await database_factory.migrated()
    fake = await FakeSlack().start()
    for n in range(CLIENTS):
        fake.add_user(f"U{n:04d}", f"Client{n}", "Europe/London" if n % 2 else None)
    events = original_events(EVENTS)
    groups, kinds = deliveries(events, random.Random(8))
    statuses: Counter = Counter()
    try:
        async for http in start_http(fake, database):
            pending = iter(groups)

            async def send(event: dict, retry: int) -> None:
                extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
                statuses[await http.event(event, extra=extra)] += 1

            async def worker() -> None:
                for group in pending:
                    await asyncio.gather(*(send(event, retry) for event, retry in group))

            await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
            await http.settle()
        replies = Counter(call.args["thread_ts"] for call in fake.calls_to("chat.postMessage"))
    finally:
        await fake.close()
    sent = sum(len(group) for group in groups)
    counts(
        database_factory.backend,
        events=len(events),
        deliveries=sent,
        copies=sent - len(events),
        **{k.replace(" ", "_"): v for k, v in sorted(kinds.items())},
        replies=sum(replies.values()),
        events_without_reply=sum(1 for e in events if replies[e["event"]["ts"]] == 0),
        events_with_more_than_one=sum(1 for n in replies.values() if n > 1),
    )
    assert statuses == Counter({(200, ""): sent})  # copies too: an empty 200, never a 404 or an error
    assert all(replies[event["event"]["ts"]] == 1 for event in events)
    assert sum(replies.values()) == len(events)
