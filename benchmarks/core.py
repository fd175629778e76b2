"""Core figure: decisions per second and p50/p99 latency of bot.responder.decide on a realistic message mix."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from benchmarks.report import figure, percentile
from bot.messages import ChannelRef, IncomingMessage
from bot.models import Closure, MeetingSlot, SentReply
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.responder import Situation, decide
from bot.roles import Roles

NY = ZoneInfo("America/New_York")
TEXTS = {
    "plain": [
        "Could you look at the invoice?",
        "Here is the Q3 report, thanks!",
        "Quick question about Friday",
        "Following up on my email from yesterday.",
        "Can we move the deadline to next week?",
    ],
    "redirect": [
        "Can you call me when you get a chance?",
        "could u text me the address",
        "Give me a ring later?",
        "Is it ok if I phone you tomorrow morning?",
        "Can you call me? my number is 555-0100",
    ],
    "urgent": ["URGENT: the payroll file is wrong", "This is an emergency, please call me asap"],
    "innocent": ["the API call fails with a 500", "can you schedule a call with my accountant?"],
}
# (share of traffic, local time, texts, closure active, author is a bot, already answered this window)
MIX = [
    (0.20, datetime(2026, 11, 24, 10, 0), "plain", False, False, False),  # in hours: no reply
    (0.05, datetime(2026, 11, 24, 11, 0), "innocent", False, False, False),
    (0.25, datetime(2026, 11, 23, 21, 0), "plain", False, False, False),  # after hours
    (0.10, datetime(2026, 11, 24, 14, 0), "redirect", False, False, False),  # redirect in hours
    (0.05, datetime(2026, 11, 28, 11, 0), "redirect", False, False, False),  # weekend + redirect
    (0.05, datetime(2026, 11, 23, 22, 0), "urgent", False, False, False),
    (0.12, datetime(2026, 12, 28, 10, 0), "plain", True, False, False),  # closure
    (0.03, datetime(2026, 12, 28, 10, 0), "urgent", True, False, False),
    (0.10, datetime(2026, 11, 23, 21, 30), "plain", False, True, False),  # ignored: bots
    (0.05, datetime(2026, 11, 23, 23, 0), "plain", False, False, True),  # throttled
]


def build_cases(count: int, seed: int = 8) -> list[tuple[IncomingMessage, Situation, datetime]]:
    policy = load_policy(EXAMPLE_POLICY)
    roles = Roles(owners={"slack": frozenset({"U_OWNER"})})
    closure = Closure(
        start=datetime(2026, 12, 24, tzinfo=NY).astimezone(UTC),
        end=datetime(2027, 1, 4, tzinfo=NY).astimezone(UTC),
        reason="the holidays",
        id=1,
    )
    channel = ChannelRef("slack", "T1", "C1")
    slot = MeetingSlot(channel, weekday=1, local_time=clock_time(10, 30))
    rng = random.Random(seed)
    cases = []
    weights = [share for share, *_ in MIX]
    for n in range(count):
        _, local, kind, closed, bot, answered = rng.choices(MIX, weights)[0]
        now = local.replace(tzinfo=NY).astimezone(UTC)
        message = IncomingMessage(
            platform="slack",
            workspace_id="T1",
            channel_id="C1",
            message_id=f"m{n}",
            author_id="B_OTHER" if bot else f"U{n % 50}",
            author_name="Sam",
            text=rng.choice(TEXTS[kind]),
            event_id=f"Ev{n}",
            received_at=now,
            author_tz=rng.choice([None, "Europe/London", "America/Los_Angeles"]),
            author_is_bot=bot,
        )
        closures = (closure,) if closed else ()
        history = ()
        if answered:
            opening = policy.calendar(closures).next_opening(now)
            history = (SentReply("after_hours", f"window:{opening.isoformat()}", now - timedelta(hours=1)),)
        cases.append(
            (message, Situation(policy=policy, roles=roles, closures=closures, meeting_slot=slot, history=history), now)
        )
    return cases


def run(count: int = 20_000, warmup: int = 1_000) -> None:
    cases = build_cases(count + warmup)
    for message, situation, now in cases[:warmup]:
        decide(message, situation, now)
    latencies = []
    replies = 0
    started = time.perf_counter()
    for message, situation, now in cases[warmup:]:
        t0 = time.perf_counter_ns()
        decision = decide(message, situation, now)
        latencies.append(time.perf_counter_ns() - t0)
        replies += decision.reply is not None
    elapsed = time.perf_counter() - started
    latencies.sort()
    how = (
        f"{count} calls after {warmup} warm-up on one core, mix: 25% in hours, 25% after hours, 15% closure, "
        f"15% call/text redirects, 5% urgent, 10% bots (ignored), 5% throttled; {replies} replies"
    )
    figure("core decisions/s", f"{count / elapsed:,.0f}", how)
    p50, p99 = percentile(latencies, 0.50) / 1000, percentile(latencies, 0.99) / 1000
    figure("core decide latency", f"p50 {p50:.0f} µs, p99 {p99:.0f} µs", "same run, per call (perf_counter_ns)")
