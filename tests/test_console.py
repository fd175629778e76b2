"""The console demo driven as a user would: stdin piped into `boundary-bot run`, state kept between runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import COMMAND, cli_env, run_cli


def console(tmp_path: Path, script: str, *args: str) -> str:
    result = run_cli("run", *args, cwd=tmp_path, env=cli_env(tmp_path), stdin=script, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_scripted_session_closure_after_hours_throttle_and_redirect(tmp_path):
    out = console(
        tmp_path,
        "\n".join(
            [
                "/as owner",
                "/closure add Dec 24 to Jan 2 reason: the holidays",
                "/as client Sam",
                "Could you look at the invoice tonight?",
                "Also, one more thing about the invoice",
                "Can you call me tomorrow morning?",
                "/quit",
            ]
        ),
        "--at",
        "2026-11-23 21:00",
    )
    assert (
        "Saved closure #1: closed Thursday, Dec 24 through Saturday, Jan 2, 2027, reopening Monday, Jan 4, 2027 at "
        "9:00 AM EST (America/New_York time) — the holidays." in out
    )
    after_hours = out.split("Could you look at the invoice tonight?")[1]
    assert after_hours.lstrip().startswith("bot (thread reply, after_hours):")
    assert "tomorrow (Tuesday, Nov 24) at 9:00 AM EST" in after_hours
    assert out.count("bot (thread reply, after_hours") == 1
    assert "(no reply: already answered (after_hours))" in out
    redirect = out.split("Can you call me tomorrow morning?")[1]
    assert "bot (thread reply, redirect_call):" in redirect and "hello@acme-admin.example" in redirect


def test_state_persists_between_runs_and_the_clock_can_advance(tmp_path):
    console(tmp_path, "/as owner\n/closure add Dec 24 to Jan 2 reason: the holidays\n", "--at", "2026-11-23 10:00")
    out = console(tmp_path, "/at 2026-12-28 10:00\nURGENT the upload failed\n/advance 7d\nhello again\n")
    closed = out.split("URGENT the upload failed")[1].split("/advance")[0]
    assert "closed, urgent" in closed and "Jordan Lee" in closed
    assert "reopens Monday, Jan 4, 2027 at 9:00 AM EST" in closed
    assert "(the time is now Monday, Jan 4 at 10:00 AM EST)" in out
    assert "(no reply: open hours, nothing to redirect)" in out.split("hello again")[1]


def test_owner_only_commands_are_refused_to_clients_in_the_console(tmp_path):
    out = console(tmp_path, "/closure add tomorrow\n/closure list\n/as owner\n/closure list\n")
    assert out.count("(error) Only the business owner can use that command.") == 2
    assert "No closures are planned." in out


def test_the_installed_console_script_starts_the_demo_without_tokens(tmp_path):
    script = Path(sys.executable).with_name("boundary-bot")
    assert script.exists(), "the boundary-bot console script is not installed in this environment"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite3"}
    for key in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "POLICY_FILE"):
        env.pop(key, None)
    result = subprocess.run(
        [str(script), "run"],
        input="/hours\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "boundary-bot console demo" in result.stdout and "Opening hours (America/New_York)" in result.stdout
    assert "using the shipped example policy" in result.stderr
    assert (tmp_path / "demo.sqlite3").exists()


def test_advancing_the_clock_plays_a_whole_closure_out(tmp_path):
    out = console(
        tmp_path,
        "\n".join(
            [
                "/as owner",
                "/closure add Dec 24 to Jan 2 reason: the holidays",
                "/meeting set tuesday 10:00",
                "/advance 45d",
            ]
        ),
        "--at",
        "2026-12-01 12:00",
    )
    posts = [line for line in out.splitlines() if line.startswith("bot (scheduled")]
    kinds = [line.split("scheduled ")[1].split(")")[0] for line in posts]
    assert kinds.count("closure notice") == 2
    assert kinds.count("closure start") == 1 and kinds.count("closure end") == 1
    assert kinds.index("closure notice") < kinds.index("closure start") < kinds.index("closure end")
    assert "meeting cancelled" in kinds  # Dec 29 falls inside the closure
    assert "(the time is Thursday, Dec 24 at 9:00 AM EST)" in out  # the start post waits for the notice time
    back = out.split("bot (scheduled closure end)")[1]
    assert "We're back!" in back.splitlines()[1]
    assert "(the time is now Friday, Jan 15 at 12:00 PM EST)" in out


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_a_stop_ends_the_console_at_once_and_quietly(tmp_path, how):
    import pty
    import signal
    import time

    terminal, keyboard = pty.openpty()  # an interactive console, as `make run` gives it
    process = subprocess.Popen(
        [*COMMAND, "run"],
        stdin=keyboard,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=cli_env(tmp_path),
    )
    try:
        assert "console demo" in process.stdout.readline()  # up, and waiting for a line that never comes
        time.sleep(0.5)
        process.send_signal(getattr(signal, how))
        process.wait(timeout=20)  # a bound on a hang, not a speed: it used to wait for Enter
        stderr = process.stderr.read()
    finally:
        process.kill()
        os.close(terminal)
        os.close(keyboard)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "boundary-bot: stopped." in stderr


def test_advance_stops_at_the_digest_time_when_the_night_left_messages(tmp_path):
    out = console(tmp_path, "Could you look at the invoice tonight?\n/advance 1d\n", "--at", "2026-11-23 21:00")
    advance = out.split("/advance 1d")[1]
    morning = advance.index("(the time is Tuesday, Nov 24 at 9:00 AM EST)")
    digest = advance.index("Good morning! While Acme Admin Co. was closed")
    assert morning < digest < advance.index("(the time is now Tuesday, Nov 24 at 9:00 PM EST)")


def test_the_console_plays_a_promise_out_from_reply_to_reminder_to_answer(tmp_path):
    script = "Could you send the Q3 report?\n/advance 18h\n/as owner\nHere it is!\n/boundaries promises\n"
    out = console(tmp_path, script, "--at", "2026-11-23 21:00")
    assert "You can expect an answer by tomorrow (Tuesday, Nov 24) at 5:00 PM EST" in out
    digest, reminder = out.split("(the time is Tuesday, Nov 24 at 3:00 PM EST)")
    assert (
        "Answers you promised, due by tonight:\n  #1 Sam in console:local:client-demo, due today at 5:00 PM EST"
        in digest
    )
    assert "Reminder: Sam in #client-demo (console) is due an answer by Tuesday, Nov 24 at 5:00 PM" in reminder
    assert reminder.rstrip().endswith(
        "No promises are waiting: every client told when to expect an answer has had one.\n"
        "(bye: state is kept for next time)"
    )


def test_boundaries_later_waits_for_the_opening_in_the_console(tmp_path):
    out = console(
        tmp_path,
        "\n".join(["/as owner", "/boundaries later Here is the draft; more on Monday.", "/advance 12h", "/quit"]),
        "--at",
        "2026-11-23 22:00",
    )
    before, after = out.split("(the time is Tuesday, Nov 24 at 9:00 AM EST)")
    assert "#1 will be posted here tomorrow (Tuesday, Nov 24) at 9:00 AM EST" in before
    assert "bot (scheduled" not in before  # nothing is posted at 10 PM
    assert after.count("Acme Admin Co.: Here is the draft; more on Monday.") == 1


def test_boundaries_hold_takes_the_owner_s_late_lines_down_and_posts_them_at_the_opening(tmp_path):
    script = ["/as owner", "/boundaries hold", "Approved, go ahead.", "/boundaries hold off", "Noted.", "/advance 12h"]
    out = console(tmp_path, "\n".join([*script, "/quit"]), "--at", "2026-11-23 22:00")
    before, after = out.split("(the time is Tuesday, Nov 24 at 9:00 AM EST)")
    assert "Holding until tomorrow (Tuesday, Nov 24) at 9:00 AM EST" in before
    assert before.count("(your message is taken down: it is posted again at the opening)") == 1  # not "Noted."
    assert "Not holding" in before and "bot (scheduled" not in before
    assert after.count("Acme Admin Co.: Approved, go ahead.") == 1 and "Noted." not in after
