"""The command line: classify and preview as specified, and a clear refusal of a bad policy."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cli_process import run_cli

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=ROOT, env=env, stdin=stdin)


def test_classify_prints_one_json_object_per_line():
    result = cli("classify", stdin="can you call me?\nthe API call fails\n\nText me asap\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == [
        {"redirect": "call", "urgent": False},
        {"redirect": None, "urgent": False},
        {"redirect": None, "urgent": False},
        {"redirect": "text", "urgent": True},
    ]


def test_preview_after_hours_call_request_in_the_clients_zone():
    result = cli(
        "preview",
        "--at",
        "2026-11-23T21:00",
        "--client-tz",
        "Europe/London",
        "--policy",
        str(ROOT / "bot" / "policy.example.toml"),
        "can you call me?",
    )
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["reasons"] == ["after_hours", "redirect_call"]
    assert "today at 2:00 PM GMT (your time)" in decision["reply"]


def test_preview_with_a_closure_and_an_urgent_message():
    result = cli(
        "preview",
        "--at",
        "2026-12-28T10:00",
        "--closure",
        "2026-12-24/2027-01-02/the holidays",
        "--policy",
        str(ROOT / "bot" / "policy.example.toml"),
        "URGENT: the payroll upload failed",
    )
    decision = json.loads(result.stdout)
    assert decision["reasons"] == ["closed", "urgent"]
    assert "closed for the holidays" in decision["reply"] and "Jordan Lee" in decision["reply"]


def test_preview_in_hours_without_redirect_is_null():
    result = cli(
        "preview", "--at", "2026-11-24T10:00", "--policy", str(ROOT / "bot" / "policy.example.toml"), "here is the file"
    )
    assert json.loads(result.stdout) == {"reply": None, "reasons": []}


def test_preview_bad_arguments_are_clear():
    result = cli("preview", "--at", "next tuesday-ish", "--policy", str(ROOT / "bot" / "policy.example.toml"), "hi")
    assert result.returncode == 2 and "is not a date I understand" in result.stderr
    result = cli("preview", "--closure", "2026-12-24", "--policy", str(ROOT / "bot" / "policy.example.toml"), "hi")
    assert result.returncode == 2 and "use START/END[/REASON]" in result.stderr


def test_a_bad_policy_stops_the_bot_with_the_key_named(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'timezone = "America/New_York"\n[contact]\nemail = "a@b.example"\n[hours]\nmonday = ["09:00-25:00"]\n'
    )
    result = cli("preview", "--policy", str(policy), "hi")
    assert result.returncode == 2
    assert "refusing to start" in result.stderr
    assert 'hours.monday[0]: "25:00" is not a time; use HH:MM' in result.stderr
    env = {"PATH": "/usr/bin:/bin", "POLICY_FILE": str(policy), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    run = cli("run", "--console", env=env)
    assert run.returncode == 2 and "hours.monday[0]" in run.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_preview_at_takes_what_the_console_takes_too():
    policy = str(ROOT / "bot" / "policy.example.toml")
    natural = cli("preview", "--at", "Nov 23 2026 9pm", "--policy", policy, "can you call me?")
    iso = cli("preview", "--at", "2026-11-23T21:00", "--policy", policy, "can you call me?")
    assert natural.returncode == 0, natural.stderr
    assert json.loads(natural.stdout) == json.loads(iso.stdout)
    bad = cli("preview", "--at", "blorp", "--policy", policy, "hi")
    assert bad.returncode == 2 and '--at: "blorp" is not a date I understand' in bad.stderr
