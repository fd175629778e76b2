"""`boundary-bot` run as a process of its own, as an owner runs it, in an environment without the developer's settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_POLICY = ROOT / "bot" / "policy.example.toml"
COMMAND = [sys.executable, "-m", "adapters.cli"]
# the settings a developer's shell may hold that would change what the command does
SETTING_PREFIXES = (
    "SLACK_",
    "DISCORD_",
    "CALENDAR_",
    "SMTP_",
    "IMAP_",
    "INBOX_",
    "REPLY_",
    "POLICY_",
    "DATABASE_",
    "PUBLIC_",
)


def sqlite_url(folder: Path) -> str:
    """The database cli_env gives a command: bot.db in `folder`."""
    return f"sqlite:///{folder}/bot.db"


def cli_env(tmp_path: Path, *, policy: Path | None = EXAMPLE_POLICY, **settings: str) -> dict[str, str]:
    """This process's environment without any bot setting, with a SQLite database in `tmp_path` and `policy` (None:
    POLICY_FILE unset), then `settings`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(SETTING_PREFIXES)}
    env.update(DATABASE_URL=sqlite_url(tmp_path), PYTHONPATH=str(ROOT))
    if policy is not None:
        env["POLICY_FILE"] = str(policy)
    env.update(settings)
    return env


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`boundary-bot ARGS` to its end, its output captured; its standard input is `stdin`, or closed."""
    return subprocess.run(
        [*COMMAND, *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )
