"""Announcement wording comes from the policy's [announcements] templates, each checked for its own placeholders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from factories import make_policy, ny
from test_planner import CHRISTMAS as HOLIDAYS

from bot import announcements as say
from bot.announcement_templates import ANNOUNCEMENT_PLACEHOLDERS, DEFAULT_ANNOUNCEMENTS
from bot.messages import ChannelRef
from bot.models import Closure
from bot.planner import PlanningInput, candidates
from bot.policy_loader import PolicyError

POSTED = ny(2026, 12, 10, 9)
REOPENING = ny(2027, 1, 4, 9)


def test_the_owner_s_wording_is_what_the_planner_posts() -> None:
    policy = make_policy(
        announcements={
            "closure_notice": "Hi all! {business} is away {closure_dates} ({closure_reason}); back {closure_end}.",
            "closure_end": "{business} is back. Email {email}.",
        }
    )
    state = PlanningInput(policy=policy, closures=[HOLIDAYS], channels=[ChannelRef("slack", "T1", "C1")])
    texts = {i.key.kind: i.text for i in candidates(state, ny(2026, 12, 1).astimezone(UTC), ny(2027, 1, 10))}
    assert texts["closure_notice"] == (
        "Hi all! Acme Admin is away Thursday, Dec 24 through Saturday, Jan 2, 2027 (the holidays); "
        "back Monday, Jan 4, 2027 at 9:00 AM EST (America/New_York time)."
    )
    assert texts["closure_end"] == "Acme Admin is back. Email hello@acme.example."
    assert texts["closure_start"].startswith("Acme Admin is closed from today for the holidays")  # still the default


def test_every_placeholder_of_each_template_gets_a_value() -> None:
    policy = make_policy(
        announcements={
            name: " ".join(f"[{{{p}}}]" for p in places) for name, places in ANNOUNCEMENT_PLACEHOLDERS.items()
        }
    )
    moved = Closure(**{**HOLIDAYS.__dict__, "end": HOLIDAYS.end + timedelta(days=2)})
    texts = [
        say.closure_notice(policy, HOLIDAYS, REOPENING, POSTED),
        say.closure_start(policy, HOLIDAYS, REOPENING),
        say.closure_end(policy, HOLIDAYS),
        say.closure_changed(policy, HOLIDAYS, moved, REOPENING, POSTED),
        say.closure_cancelled(policy, HOLIDAYS, POSTED),
        say.meeting_reminder(policy, ny(2026, 12, 8, 10), POSTED),
        say.meeting_cancelled(policy, ny(2026, 12, 8, 10), "a holiday", POSTED),
    ]
    for name, text in zip(ANNOUNCEMENT_PLACEHOLDERS, texts, strict=True):
        assert "[]" not in text, f"{name}: a placeholder rendered empty: {text}"
    assert "[contact Jordan Lee (jordan@acme.example)]" in texts[0]
    assert "[a holiday]" in texts[6] and "[our weekly meeting]" in texts[5]


def test_without_a_backup_the_emergency_contact_is_the_inbox() -> None:
    policy = make_policy(emergency={"definition": "a payroll deadline today"})
    text = say.closure_notice(policy, HOLIDAYS, REOPENING, POSTED)
    assert text.endswith(
        "For a real emergency (a payroll deadline today), email hello@acme.example with URGENT in the subject."
    )


@pytest.mark.parametrize(
    ("name", "template", "expected"),
    [
        ("closure_notice", "Closed {closure_before}", "unknown placeholder {closure_before}; use one of {business}"),
        ("meeting_reminder", "Closed for {closure_reason}", "unknown placeholder {closure_reason}"),
        ("closure_end", "Back {client}!", "unknown placeholder {client}; use one of {business}, {email}"),
        ("closure_cancelled", "Off {closure_dates!r}", "has a format; write the placeholder alone"),
        ("meeting_cancelled", "Off {", "write a literal brace as {{ or }}"),
        ("closure_start", "x" * 1_001, "keep a template under 1,000"),
    ],
)
def test_a_bad_template_is_a_policy_error_naming_it(name: str, template: str, expected: str) -> None:
    with pytest.raises(PolicyError) as caught:
        make_policy(announcements={name: template})
    message = str(caught.value)
    assert f"announcements.{name}" in message and expected in message, message


def test_the_defaults_are_the_wording_clients_got_before() -> None:
    policy = make_policy()
    assert say.closure_notice(policy, HOLIDAYS, REOPENING, POSTED) == (
        "Heads up: Acme Admin will be closed for the holidays, Thursday, Dec 24 through Saturday, Jan 2, 2027, "
        "reopening Monday, Jan 4, 2027 at 9:00 AM EST (America/New_York time). Messages sent while we're closed are "
        "safe and will be answered in order after we reopen; please email hello@acme.example with anything you need "
        "before then. For a real emergency (a payroll or legal deadline today), contact Jordan Lee (jordan@acme.example)."
    )
    assert say.closure_cancelled(policy, HOLIDAYS, POSTED) == (
        "Update: the closure we announced (Thursday, Dec 24 through Saturday, Jan 2, 2027) is cancelled. "
        "Acme Admin is open as usual."
    )
    assert say.meeting_reminder(policy, datetime(2026, 12, 8, 10, tzinfo=policy.zone), POSTED).startswith(
        "Reminder: our weekly meeting is Tuesday, Dec 8 at 10:00 AM"
    )


def test_the_example_policy_s_commented_wording_loads_when_uncommented(tmp_path) -> None:
    from pathlib import Path

    from bot.policy_loader import load_policy

    example = (Path(__file__).parents[1] / "bot" / "policy.example.toml").read_text(encoding="utf-8")
    lines = [
        line[2:] if any(line.startswith(f"# {name} = ") for name in DEFAULT_ANNOUNCEMENTS) else line
        for line in example.splitlines()
    ]
    uncommented = sum(a != b for a, b in zip(lines, example.splitlines(), strict=True))
    assert uncommented == len(DEFAULT_ANNOUNCEMENTS)
    path = tmp_path / "policy.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    policy = load_policy(path)
    assert policy.announcements.closure_end == "We're back! New requests go to {email}, one email per topic."
