"""Every settings mistake outside the policy is one line naming the setting, and a non-zero exit; never a traceback."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
from cli_process import cli_env, run_cli


def start(tmp_path: Path, command: str, **env: str) -> subprocess.CompletedProcess:
    return run_cli(*command.split(), cwd=tmp_path, env=cli_env(tmp_path, **env))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("command", "env", "expected"),
    [
        ("run", {"LOG_LEVEL": "verbose"}, "boundary-bot: LOG_LEVEL: "),
        ("run", {"DISCORD_GUILD_ID": "abc"}, "boundary-bot: DISCORD_GUILD_ID: "),
        ("run", {"DATABASE_URL": "mysql://root@localhost/bot"}, "boundary-bot: DATABASE_URL: unsupported database URL"),
        ("run", {"SMTP_URL": "http://mail.example"}, "boundary-bot: SMTP_URL: "),
        (
            "run",
            {"DATABASE_URL": "postgresql://bot:hunter2@127.0.0.1:{port}/bot"},
            "boundary-bot: the database at postgresql://bot:***@127.0.0.1:",
        ),  # PostgreSQL down
        ("serve --port {port}", {"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}, "boundary-bot: SLACK_SIGNING_SECRET is not set"),
    ],
)
def test_a_settings_mistake_is_one_line_and_a_non_zero_exit(tmp_path, command, env, expected) -> None:
    port = str(closed_port())
    done = start(tmp_path, command.replace("{port}", port), **{k: v.replace("{port}", port) for k, v in env.items()})
    lines = [line for line in done.stderr.splitlines() if line.startswith("boundary-bot: ")]
    assert done.returncode != 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert len(lines) == 1 and lines[0].startswith(expected), done.stderr
    assert "hunter2" not in done.stderr


def test_a_database_that_cannot_be_written_is_one_line(tmp_path) -> None:
    (tmp_path / "not-a-folder").write_text("")  # its "folder" is a file: nothing can be created there, even by root
    done = start(tmp_path, "run", DATABASE_URL=f"sqlite:///{tmp_path}/not-a-folder/bot.db")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "boundary-bot: DATABASE_URL: cannot create the SQLite file there: " in done.stderr


def test_the_console_shows_only_its_own_output_unless_verbose(tmp_path) -> None:
    quiet = start(tmp_path, "run")
    assert quiet.returncode == 0 and "INFO" not in quiet.stderr, quiet.stderr
    assert "console demo" in quiet.stdout
    loud = start(tmp_path, "run --verbose")
    assert "INFO adapters.scheduling: scheduler started" in loud.stderr
