"""The decision rules: ignore, closed, after hours, redirects, one combined reply, throttles."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from factories import make_policy, message, ny

from bot.messages import ChannelRef, MessageKind, ReplyStyle
from bot.models import ChannelMode, Closure, ClosureKind, MeetingSlot, SentReply
from bot.responder import Situation, decide, history_since
from bot.roles import Roles

POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})}, team={"slack": frozenset({"U_VA"})})
MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)  # a Monday
TUESDAY_MORNING = ny(2026, 11, 24, 10, 0)


def situation(**fields) -> Situation:
    return Situation(**{"policy": POLICY, "roles": ROLES, **fields})


def sent(decision, at) -> list[SentReply]:
    return [SentReply(kind, key, at.astimezone(UTC)) for kind, key in decision.reply.throttle_keys]


def test_in_hours_plain_message_gets_no_reply():
    decision = decide(message("Here's the invoice draft", TUESDAY_MORNING), situation(), TUESDAY_MORNING)
    assert decision.reply is None and decision.ignored is None and decision.reasons == ()


def test_after_hours_reply_names_next_opening_and_reply_by_in_owner_zone():
    decision = decide(message("Could you review the deck?", MONDAY_NIGHT), situation(), MONDAY_NIGHT)
    assert decision.reasons == ("after_hours",)
    text = decision.reply.text
    assert "Hi Sam" in text
    assert "tomorrow (Tuesday, Nov 24) at 9:00 AM EST (America/New_York time)" in text
    # 1 business day from a night message: the end of the next business day.
    assert "by tomorrow (Tuesday, Nov 24) at 5:00 PM EST" in text
    assert decision.reply.style is ReplyStyle.THREAD


def test_after_hours_reply_uses_the_clients_time_zone_when_known():
    decision = decide(message("Hello?", MONDAY_NIGHT, author_tz="Europe/London"), situation(), MONDAY_NIGHT)
    # 21:00 New York is 02:00 in London on Tuesday; opening 9:00 EST is 14:00 GMT the same day.
    assert "today at 2:00 PM GMT (your time)" in decision.reply.text
    assert "America/New_York" not in decision.reply.text


def test_stored_client_zone_wins_over_platform_zone():
    msg = message("Hello?", MONDAY_NIGHT, author_tz="Europe/London")
    decision = decide(msg, situation(client_zone="Asia/Kolkata"), MONDAY_NIGHT)
    assert "7:30 PM IST (your time)" in decision.reply.text


def test_after_hours_is_answered_once_per_off_hours_window():
    first = decide(message("one", MONDAY_NIGHT), situation(), MONDAY_NIGHT)
    history = sent(first, MONDAY_NIGHT)
    later = MONDAY_NIGHT + timedelta(hours=3)
    second = decide(message("two", later), situation(history=history), later)
    assert second.reply is None and second.throttled == ("after_hours",)
    next_night = MONDAY_NIGHT + timedelta(days=1)
    third = decide(message("three", next_night), situation(history=history), next_night)
    assert third.reasons == ("after_hours",)


def test_weekend_and_holiday_are_after_hours():
    thanksgiving = ny(2026, 11, 26, 10, 0)
    decision = decide(message("hi", thanksgiving), situation(), thanksgiving)
    assert decision.reasons == ("after_hours",)
    assert "tomorrow (Friday, Nov 27) at 9:00 AM EST" in decision.reply.text
    saturday = ny(2026, 11, 28, 11, 0)
    decision = decide(message("hi", saturday), situation(), saturday)
    assert "Monday, Nov 30 at 9:00 AM EST" in decision.reply.text
    assert "by Monday, Nov 30 at 5:00 PM EST" in decision.reply.text


def test_lunch_break_is_after_hours_until_the_afternoon_block():
    lunch = ny(2026, 11, 24, 12, 30)
    decision = decide(message("quick question", lunch), situation(), lunch)
    assert "today at 1:00 PM EST" in decision.reply.text


def test_call_request_in_hours_is_redirected_with_meeting_and_booking():
    slot = MeetingSlot(ChannelRef("slack", "T1", "C1"), weekday=3, local_time=time(10, 0))
    decision = decide(
        message("Can you call me this afternoon?", TUESDAY_MORNING), situation(meeting_slot=slot), TUESDAY_MORNING
    )
    assert decision.reasons == ("redirect_call",)
    text = decision.reply.text
    # Thursday Nov 26 is Thanksgiving, a public holiday: the next meeting is the week after.
    assert "our weekly meeting (next: Thursday, Dec 3 at 10:00 AM EST (America/New_York time))" in text
    assert "by appointment (https://cal.example/acme)" in text
    assert "hello@acme.example" in text and "one email per topic" in text
    assert decision.reply.offer_email_forward


def test_text_request_is_redirected_to_email():
    decision = decide(message("Text me the tracking number", TUESDAY_MORNING), situation(), TUESDAY_MORNING)
    assert decision.reasons == ("redirect_text",)
    assert "don't take requests by text" in decision.reply.text


def test_several_reasons_give_one_combined_reply():
    decision = decide(message("Can you call me?", MONDAY_NIGHT), situation(), MONDAY_NIGHT)
    assert decision.reasons == ("after_hours", "redirect_call")
    assert decision.reply.text.count("Hi Sam") == 1
    assert "Calls happen at our weekly meeting" in decision.reply.text


def test_redirect_throttle_is_a_day_and_independent_of_after_hours():
    first = decide(message("call me", TUESDAY_MORNING), situation(), TUESDAY_MORNING)
    history = sent(first, TUESDAY_MORNING)
    same_day = TUESDAY_MORNING + timedelta(hours=10)  # 20:00, after hours
    decision = decide(message("call me please", same_day), situation(history=history), same_day)
    assert decision.reasons == ("after_hours",) and decision.throttled == ("redirect_call",)
    next_day = TUESDAY_MORNING + timedelta(days=1, minutes=1)
    assert decide(message("call me", next_day), situation(history=history), next_day).reasons == ("redirect_call",)


CHRISTMAS = Closure(
    start=ny(2026, 12, 24).astimezone(UTC), end=ny(2027, 1, 2).astimezone(UTC), reason="the holidays", id=7
)


def test_closure_reply_names_reopening_and_backup_for_urgent_messages():
    at = ny(2026, 12, 28, 10, 0)
    decision = decide(message("URGENT: payroll file is broken", at), situation(closures=[CHRISTMAS]), at)
    assert decision.reasons == ("closed", "urgent")
    text = decision.reply.text
    assert "closed for the holidays" in text
    # Jan 1 is a holiday and Jan 2-3 a weekend: the business reopens Monday Jan 4.
    assert "reopens Monday, Jan 4, 2027 at 9:00 AM EST" in text
    assert "Jordan Lee (jordan@acme.example)" in text and "payroll or legal deadline" in text


def test_non_urgent_closure_reply_has_no_backup_and_is_once_per_closure():
    at = ny(2026, 12, 28, 10, 0)
    first = decide(message("hi", at), situation(closures=[CHRISTMAS]), at)
    assert first.reasons == ("closed",) and "Jordan" not in first.reply.text
    later = at + timedelta(days=2)
    again = decide(message("hello again", later), situation(closures=[CHRISTMAS], history=sent(first, at)), later)
    assert again.reply is None and again.throttled == ("closed",)


def test_urgent_after_an_earlier_reply_still_gets_the_backup_once():
    at = ny(2026, 12, 28, 10, 0)
    history = sent(decide(message("hi", at), situation(closures=[CHRISTMAS]), at), at)
    later = at + timedelta(hours=1)
    urgent = decide(message("this is an emergency!!!", later), situation(closures=[CHRISTMAS], history=history), later)
    assert urgent.reasons == ("urgent",) and "Jordan Lee" in urgent.reply.text
    history += sent(urgent, later)
    again = decide(message("URGENT!!!", later), situation(closures=[CHRISTMAS], history=history), later)
    assert again.reasons == ("urgent_follow_up",)  # a short word that it is in hand, not the urgent notice again
    history += sent(again, later)
    assert decide(message("URGENT!!!", later), situation(closures=[CHRISTMAS], history=history), later).reply is None


def test_closure_backup_overrides_policy_backup_and_emergency_wording():
    at = ny(2026, 11, 24, 10, 0)
    sick = Closure(
        start=at - timedelta(hours=1),
        end=ny(2026, 11, 25),
        kind=ClosureKind.EMERGENCY,
        backup="Riley (riley@acme.example)",
        id=3,
    )
    decision = decide(message("ASAP please, urgent", at), situation(closures=[sick]), at)
    assert "closed for an unexpected absence" in decision.reply.text
    assert "Riley (riley@acme.example)" in decision.reply.text and "Jordan" not in decision.reply.text


def test_cancelled_closure_is_ignored():
    at = ny(2026, 12, 28, 10, 0)
    cancelled = Closure(**{**CHRISTMAS.__dict__, "cancelled_at": at - timedelta(days=1)})
    assert decide(message("hi", at), situation(closures=[cancelled]), at).reply is None


def test_urgent_without_backup_points_to_email():
    policy = make_policy(emergency={"definition": "a site outage"})
    decision = decide(message("urgent! site is down", MONDAY_NIGHT), situation(policy=policy), MONDAY_NIGHT)
    assert decision.reasons == ("after_hours", "urgent")
    assert "email hello@acme.example with URGENT in the subject" in decision.reply.text


def test_custom_templates_and_style_are_used():
    policy = make_policy(
        templates={"after_hours": "Closed now. Back {next_open}. {email}"}, replies={"style": "channel"}
    )
    decision = decide(message("hi", MONDAY_NIGHT), situation(policy=policy), MONDAY_NIGHT)
    assert decision.reply.text.startswith("Closed now. Back tomorrow (Tuesday, Nov 24) at 9:00 AM EST")
    assert decision.reply.style is ReplyStyle.CHANNEL


@pytest.mark.parametrize(
    ("fields", "sit", "why"),
    [
        ({"author_is_bot": True}, {}, "bot"),
        ({"is_from_this_bot": True}, {}, "own message"),
        ({"author_id": "U_OWNER"}, {}, "owner or team"),
        ({"author_id": "U_VA"}, {}, "owner or team"),
        ({"kind": MessageKind.EDIT}, {}, "edit event"),
        ({"kind": MessageKind.JOIN}, {}, "join event"),
        ({}, {"channel_mode": ChannelMode.INTERNAL}, "internal channel"),
    ],
)
def test_non_client_messages_are_ignored(fields, sit, why):
    decision = decide(message("can you call me? urgent", MONDAY_NIGHT, **fields), situation(**sit), MONDAY_NIGHT)
    assert decision.reply is None and decision.ignored == why


def test_owner_on_another_platform_is_a_client_there():
    msg = message("call me", MONDAY_NIGHT, author_id="U_OWNER", platform="discord")
    assert decide(msg, situation(), MONDAY_NIGHT).reply is not None


def test_history_window_reaches_back_to_the_start_of_the_off_hours_stretch():
    since = history_since(situation(), MONDAY_NIGHT)
    assert since <= ny(2026, 11, 23, 17, 0)
    at = ny(2026, 12, 30, 10, 0)
    assert history_since(situation(closures=[CHRISTMAS]), at) <= CHRISTMAS.start


def test_decision_never_reads_the_clock():
    # The same inputs give the same reply whatever the real date is.
    old = datetime(2020, 1, 6, 21, 0, tzinfo=POLICY.zone)
    a = decide(message("hi", old, message_id="x"), situation(), old)
    b = decide(message("hi", old, message_id="x"), situation(), old)
    assert a.reply.text == b.reply.text and "Tuesday, Jan 7" in a.reply.text


@pytest.mark.parametrize(
    ("platform", "shown"),
    [
        ("discord", r"Hi \[Pay here\]\(https\://pay.example\) \*now\*,"),
        ("slack", "Hi [Pay here](https://pay.example) *now*,"),  # Slack's adapter escapes the whole reply
    ],
)
def test_a_display_name_is_shown_as_typed_never_as_markup(platform, shown):
    msg = message("hello?", MONDAY_NIGHT, platform=platform, author_name="[Pay here](https://pay.example) *now*")
    decision = decide(msg, Situation(policy=POLICY), MONDAY_NIGHT)
    assert decision.reply.text.startswith(shown)
