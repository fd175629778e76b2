"""Replies that read right: the emergency path first, one greeting, thanks-only messages left alone, the zone named
once, short breaks, and follow-ups to urgent messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import make_policy, message, ny
from test_responder import CHRISTMAS, MONDAY_NIGHT, TUESDAY_MORNING, sent, situation

from bot.responder import decide


def test_an_urgent_reply_gives_the_emergency_path_first_and_greets_once():
    at = ny(2026, 12, 28, 10, 0)
    decision = decide(message("URGENT the site is down", at, author_name="Sam"), situation(closures=[CHRISTMAS]), at)
    first, second = decision.reply.text.split("\n\n")
    assert first.startswith("Hi Sam, if this is an emergency") and "Jordan Lee" in first
    assert second.startswith("Thanks for your message. Acme") and "Hi Sam" not in second


def test_a_redirect_greets_the_client_by_name_and_keeps_the_reason_short():
    decision = decide(message("can you call me?", TUESDAY_MORNING, author_name="Ana"), situation(), TUESDAY_MORNING)
    assert decision.reply.text.startswith("Hi Ana, happy to talk! Calls happen at")
    assert "paper trail" not in decision.reply.text


@pytest.mark.parametrize(
    "text",
    [
        "thanks!",
        "ok",
        "👍",
        "Happy holidays!! 🎄",
        "Muchas gracias 🙏",
        "Merci beaucoup !",
        "Vielen Dank!",
        "Obrigada, boas festas!",
        "Sounds good, thank you so much",
    ],
)
def test_a_message_that_only_acknowledges_gets_no_reply(text):
    decision = decide(message(text, MONDAY_NIGHT), situation(), MONDAY_NIGHT)
    assert decision.reply is None and decision.quiet == "acknowledgement only" and decision.ignored is None


@pytest.mark.parametrize(
    "text",
    [
        "thanks, can you send the invoice?",
        "ok, the report has a typo",
        "thanks! URGENT",
        "ok call me",
        "hello?? anyone??",
    ],
)
def test_a_message_that_says_more_than_thanks_is_still_answered(text):
    assert decide(message(text, MONDAY_NIGHT), situation(), MONDAY_NIGHT).reply is not None


@pytest.mark.parametrize(
    ("client_zone", "note"), [(None, " (America/New_York time)"), ("America/Chicago", " (your time)")]
)
def test_the_zone_is_named_once_per_reply(client_zone, note):
    decision = decide(message("hi", MONDAY_NIGHT), situation(client_zone=client_zone), MONDAY_NIGHT)
    text = decision.reply.text
    assert text.count(note) == 1 and text.index(note) < text.index("You can expect an answer by")
    assert (
        "expect an answer by tomorrow (Tuesday, Nov 24) at" in text
        and text.count(" EST" if not client_zone else " CST") == 2
    )


def test_the_zone_is_named_once_in_another_language_too():
    policy = make_policy(
        templates={"es": {"after_hours": "Hola {client}: volvemos {next_open}, respuesta antes de {reply_by}."}}
    )
    decision = decide(
        message("hola, ¿me mandas la factura por favor?", MONDAY_NIGHT), situation(policy=policy), MONDAY_NIGHT
    )
    assert decision.language == "es" and decision.reply.text.count("(hora de America/New_York)") == 1


def test_a_short_break_gets_a_short_reply_and_a_long_gap_the_full_one():
    lunch = ny(2026, 11, 24, 12, 30)
    decision = decide(message("quick question", lunch, author_name="Ana"), situation(), lunch)
    assert decision.reasons == ("after_hours",)
    assert decision.reply.text == (
        "Hi Ana, thanks for your message! We're on a short break and back today at 1:00 PM EST (America/New_York time)."
    )
    evening = decide(message("quick question", MONDAY_NIGHT), situation(), MONDAY_NIGHT).reply.text
    assert "short break" not in evening and "outside business hours" in evening
    never = make_policy(replies={"short_break": "0"})
    assert (
        "outside business hours" in decide(message("quick question", lunch), situation(policy=never), lunch).reply.text
    )


def test_a_short_break_reply_is_the_owners_template_when_set():
    policy = make_policy(templates={"short_break": "Out for lunch, {client}! Back {next_open}."})
    lunch = ny(2026, 11, 24, 12, 30)
    text = decide(message("quick question", lunch, author_name="Ana"), situation(policy=policy), lunch).reply.text
    assert text == "Out for lunch, Ana! Back today at 1:00 PM EST (America/New_York time)."


def test_a_follow_up_to_an_urgent_message_is_answered_once_not_met_with_silence():
    at = ny(2026, 12, 26, 10, 0)  # a Saturday in the closure
    first = decide(message("URGENT the site is down", at, author_name="Sam"), situation(closures=[CHRISTMAS]), at)
    history = sent(first, at)
    later = at + timedelta(minutes=20)
    again = decide(
        message("hello?? anyone??", later, author_name="Sam"), situation(closures=[CHRISTMAS], history=history), later
    )
    assert again.reasons == ("urgent_follow_up",)
    assert again.reply.text == (
        "Hi Sam, we haven't forgotten you: your urgent message is here and first in line when "
        "we're back Monday, Jan 4, 2027 at 9:00 AM EST (America/New_York time). If it can't wait, "
        "please contact Jordan Lee (jordan@acme.example) now."
    )
    history += sent(again, later)
    third = decide(message("???", later), situation(closures=[CHRISTMAS], history=history), later)
    assert third.reply is None and third.throttled == ("closed",)


def test_writing_again_after_a_plain_closure_reply_stays_quiet():
    at = ny(2026, 12, 26, 10, 0)
    history = sent(decide(message("the invoice", at), situation(closures=[CHRISTMAS]), at), at)
    again = decide(message("hello?? anyone??", at), situation(closures=[CHRISTMAS], history=history), at)
    assert again.reply is None and again.throttled == ("closed",)


def test_an_urgent_follow_up_without_a_backup_points_to_email():
    policy = make_policy(emergency={"definition": "a site outage"})
    first = decide(message("urgent! site is down", MONDAY_NIGHT), situation(policy=policy), MONDAY_NIGHT)
    again = decide(
        message("anyone?", MONDAY_NIGHT), situation(policy=policy, history=sent(first, MONDAY_NIGHT)), MONDAY_NIGHT
    )
    assert again.reasons == ("urgent_follow_up",) and "email hello@acme.example with URGENT" in again.reply.text
