"""GET /metrics in HTTP mode: events, duplicates, replies by reason, deliveries by state and API errors."""

from __future__ import annotations

import aiohttp
from factories import make_policy
from loopback_http import served
from prometheus_client.parser import text_string_to_metric_families
from scheduling_fakes import RecordingPoster
from slack_harness import MONDAY_9PM, message_event, slack_settings
from slack_payloads import event_body, sign

from adapters.metrics import Metrics
from adapters.slack.app import build_slack
from adapters.slack.http import EVENTS_PATH, METRICS_PATH, build_web_app
from bot.clock import SimulatedClock
from bot.commands import Invocation
from bot.messages import ChannelRef
from bot.outbound import PostError
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.service import BoundaryService


def samples(text: str) -> dict[tuple, float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_metrics_count_what_happened(fake, database):
    clock = SimulatedClock(MONDAY_9PM)
    settings = slack_settings(fake, database.url)
    policy = make_policy()
    service = BoundaryService(database.store(), policy, settings.roles(), clock)
    poster = RecordingPoster("slack", clock, failures=[PostError("ratelimited", permanent=False)])
    scheduling = Scheduling(
        database.store(),
        database.deliveries(),
        policy,
        Sender(database.deliveries(), {"slack": poster}, clock, pacing={}),
        clock,
    )
    metrics = Metrics().watch(service, scheduling)
    bot = build_slack(service, settings, {}, http=True, oauth_database=database)
    fake.fail("chat.postMessage", error="not_in_channel")
    try:
        async with served(build_web_app(bot, metrics)) as url, aiohttp.ClientSession() as session:
            payload = message_event("can you call me?")
            for _ in range(2):  # the second copy is a duplicate
                body, headers = event_body(payload)
                async with session.post(url + EVENTS_PATH, data=body.encode(), headers={**headers, **sign(body)}) as r:
                    assert r.status == 200
            await bot.tracker.wait_idle()
            await service.handle_command("closure now until wednesday", Invocation("slack", "T1", "C1", "U_OWNER"))
            await service.store.remember_channel(ChannelRef("slack", "T1", "C1"))
            await scheduling.tick()
            async with session.get(url + METRICS_PATH) as response:
                assert response.status == 200 and response.headers["Content-Type"].startswith("text/plain")
                found = samples(await response.text())
    finally:
        await bot.aclose()
    assert found[("boundary_bot_events_received_total", (("platform", "slack"),))] == 2
    assert found[("boundary_bot_duplicate_events_dropped_total", (("platform", "slack"),))] == 1
    assert found[("boundary_bot_replies_sent_total", (("reason", "after_hours"),))] == 1
    assert found[("boundary_bot_replies_sent_total", (("reason", "redirect_call"),))] == 1
    assert found[("boundary_bot_api_errors_total", (("permanent", "true"), ("platform", "slack")))] == 1
    assert found[("boundary_bot_api_errors_total", (("permanent", "false"), ("platform", "slack")))] == 1
    assert found[("boundary_bot_deliveries", (("state", "pending"),))] == 1
    assert found[("boundary_bot_deliveries", (("state", "sent"),))] == 1  # C_CLIENT and C1 each get the notice
