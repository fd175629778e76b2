"""`.env.example` names every setting, holds no secrets, and loads as valid settings."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")
ASSIGNED = dict(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=(.*)$", EXAMPLE, re.M))


def test_every_setting_is_in_the_example():
    missing = [name.upper() for name in Settings.model_fields if name.upper() not in ASSIGNED]
    assert missing == []


def test_no_real_secrets_are_filled_in():
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_SECRET", "DISCORD_TOKEN"):
        assert ASSIGNED[name] == "", name


def test_the_example_loads_as_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ASSIGNED:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text(EXAMPLE)
    settings = Settings()
    assert settings.database_url == "sqlite:///boundary-bot.sqlite3" and settings.slack_bot_token is None


def test_procfile_runs_the_web_and_worker_processes():
    assert (ROOT / "Procfile").read_text().splitlines() == ["web: boundary-bot serve", "worker: boundary-bot run"]
