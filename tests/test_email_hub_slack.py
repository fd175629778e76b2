"""The inbox as the hub, outward (issue 25), in Slack end to end: with [email] forward, an after-hours call request
becomes one email on its own, its thread's follow-ups join that email thread, the client is told in the reply."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from cli_process import EXAMPLE_POLICY, cli_env, run_cli
from email_server import Inbox
from factories import forward_to_email, make_policy
from slack_harness import MONDAY_9PM, TUESDAY_10AM, HttpHarness, start_http
from test_email_slack import MailFakeSlack, client_writes

from bot.forwarding import FORWARD_KIND

ROOT = "1795480000.000001"  # the client's thread


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[MailFakeSlack]:
    server = await MailFakeSlack().start()
    try:
        yield server
    finally:
        await server.stop()


async def hub(fake, database, smtp, *, forward: str = "requests", at=MONDAY_9PM, window: str = "2h"):
    policy = make_policy(email={"forward": forward, "topic_window": window})
    async for harness in start_http(fake, database, at=at, policy=policy):
        harness.sender = forward_to_email(harness.service, database.deliveries(), harness.clock, smtp.port)
        yield harness


@pytest_asyncio.fixture
async def http(fake, database, smtp) -> AsyncIterator[HttpHarness]:
    async for harness in hub(fake, database, smtp):
        yield harness


async def mail(http: HttpHarness, inbox: Inbox) -> list:
    while (await http.sender.run_once()).sent:
        pass
    return [got.message for got in inbox.received]


async def test_an_after_hours_call_request_in_a_thread_becomes_one_email_and_the_client_is_told(http, inbox) -> None:
    await client_writes(http, "Can you call me tomorrow about the invoice?", thread_ts=ROOT)
    (reply,) = [c.args for c in http.fake.calls_to("chat.postMessage")]
    assert "already in our inbox (hello@acme.example), so there's no need to email it as well" in reply["text"]
    assert "blocks" not in reply or "Send this to email" not in str(reply["blocks"])  # no button: it is sent
    await client_writes(http, "Or text me, whichever is easier", thread_ts=ROOT)  # a second request, same thread
    (first, second) = await mail(http, inbox)
    assert first["Subject"] == "[boundary-bot] Sam: Can you call me tomorrow about the invoice?"
    assert first["In-Reply-To"] is None
    assert "came to your inbox on its own" in first.get_content()
    assert second["Subject"] == f"Re: {first['Subject']}"
    assert second["In-Reply-To"] == first["Message-ID"] and second["References"] == first["Message-ID"]


async def test_a_follow_up_in_the_thread_joins_the_email_thread_and_a_new_thread_starts_a_new_email(
    http, inbox
) -> None:
    await client_writes(http, "Could you ring me about the contract?", thread_ts=ROOT)
    await client_writes(http, "It's about clause 4, the renewal date.", thread_ts=ROOT)  # no request: it joins
    await client_writes(http, "Also the receipts: attached.", thread_ts=ROOT)
    await client_writes(http, "A different thing: the logo files", thread_ts="1795489999.000001")  # not forwarded
    first, second, third = await mail(http, inbox)
    assert "clause 4" in second.get_content() and "receipts" in third.get_content()
    assert second["In-Reply-To"] == first["Message-ID"]
    assert third["In-Reply-To"] == second["Message-ID"]
    assert third["References"] == f"{first['Message-ID']} {second['Message-ID']}"
    assert {m["Subject"] for m in (second, third)} == {f"Re: {first['Subject']}"}
    rows = await http.service.forwarding.queue.list_deliveries(kinds=[FORWARD_KIND])
    assert len(rows) == 3


async def test_outside_threads_the_same_client_s_burst_joins_within_the_window_only(fake, database, smtp, inbox):
    async for http in hub(fake, database, smtp, forward="all", window="30m"):
        await client_writes(http, "Hi, the invoice total looks wrong")
        http.clock.advance(timedelta(minutes=20))
        await client_writes(http, "it should be 1,200 not 1,500")
        http.clock.advance(timedelta(minutes=45))
        await client_writes(http, "and one more question about March")
        first, second, third = await mail(http, inbox)
        assert second["In-Reply-To"] == first["Message-ID"]
        assert third["In-Reply-To"] is None and not third["Subject"].startswith("Re:")


async def test_button_mode_forwards_nothing_on_its_own(fake, database, smtp, inbox) -> None:
    async for http in hub(fake, database, smtp, forward="button"):
        await client_writes(http, "Can you call me tomorrow?", thread_ts=ROOT)
        assert await mail(http, inbox) == []
        (reply,) = [c.args for c in http.fake.calls_to("chat.postMessage")]
        assert "inbox" not in reply["text"] and "Send this to email" in str(reply["blocks"])


async def test_during_opening_hours_requests_mode_still_forwards_a_request_but_all_mode_no_plain_message(
    fake, database, smtp, inbox
) -> None:
    async for http in hub(fake, database, smtp, forward="all", at=TUESDAY_10AM):
        await client_writes(http, "Here's the agenda for Thursday")  # open, no request: stays in chat
        await client_writes(http, "can you give me a quick call today?", thread_ts=ROOT)
        (only,) = await mail(http, inbox)
        assert "quick call" in only.get_content()


@pytest.mark.parametrize("forward", ["requests", "all"])
def test_forwarding_without_smtp_refuses_to_start_and_check_says_why(tmp_path, forward) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(EXAMPLE_POLICY.read_text("utf-8").replace('forward = "button"', f'forward = "{forward}"'))
    checked = run_cli("check", cwd=tmp_path, env=cli_env(tmp_path, policy=policy), timeout=120)
    assert f'PROBLEM  email.forward: "{forward}" sends client messages to your inbox, but SMTP_URL' in checked.stdout
    started = run_cli("run", cwd=tmp_path, env=cli_env(tmp_path, policy=policy), timeout=120)
    assert started.returncode != 0 and "but SMTP_URL is not set; set SMTP_URL" in started.stderr + started.stdout
