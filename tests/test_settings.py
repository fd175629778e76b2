"""Settings from the environment and .env: defaults, id lists, the example-policy fallback, hidden secrets."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from bot.policy_loader import PolicyError
from bot.settings import Settings

SETTING_NAMES = ("DATABASE_URL", "POLICY_FILE", "LOG_LEVEL", "SLACK_BOT_TOKEN", "SLACK_OWNER_IDS", "DISCORD_OWNER_IDS")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_use_a_local_sqlite_file_and_policy_toml():
    settings = Settings()
    assert settings.database_url == "sqlite:///boundary-bot.sqlite3"
    assert str(settings.policy_file) == "policy.toml"
    assert settings.log_level == "INFO"


def test_dotenv_file_and_comma_separated_ids(tmp_path):
    (tmp_path / ".env").write_text("SLACK_OWNER_IDS=U1, U2\nDISCORD_OWNER_IDS=42\nLOG_LEVEL=debug\n")
    settings = Settings()
    roles = settings.roles()
    assert roles.is_owner("slack", "U2") and roles.is_owner("discord", "42") and not roles.is_owner("discord", "U1")
    assert roles.is_owner("console", "owner")
    assert settings.log_level == "DEBUG"


def test_bad_log_level_is_named():
    with pytest.raises(ValidationError, match='"loud" is not a log level'):
        Settings(log_level="loud")


def test_secrets_never_print(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    settings = Settings()
    assert "xoxb-very-secret" not in repr(settings) and "xoxb-very-secret" not in str(settings.model_dump())
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


def test_missing_policy_falls_back_to_the_example_with_a_log_line(caplog):
    with caplog.at_level(logging.WARNING):
        policy = Settings().load_policy()
    assert policy.timezone == "America/New_York"
    assert "No policy.toml here; using the shipped example policy" in caplog.text


def test_an_explicit_policy_file_that_is_missing_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICY_FILE", str(tmp_path / "mine.toml"))
    with pytest.raises(PolicyError, match="does not exist"):
        Settings().load_policy()


def test_empty_values_in_dotenv_count_as_unset(tmp_path):
    (tmp_path / ".env").write_text("DISCORD_GUILD_ID=\nSLACK_BOT_TOKEN=\n")
    settings = Settings()
    assert settings.discord_guild_id is None and settings.slack_bot_token is None


def test_owner_and_team_ids_may_name_their_workspace():
    roles = Settings(_env_file=None, slack_owner_ids="T1:U_OWNER", slack_team_ids="T1:U_VA, E7:W_ORG, U_ANY").roles()
    assert roles.is_owner("slack", "U_OWNER") and roles.is_owner("slack", "U_OWNER", "T1")
    assert not roles.is_owner("slack", "U_OWNER", "T9") and roles.owners["slack"] == {"U_OWNER"}  # DMs go to the id
    assert roles.is_team("slack", "U_VA", "T1") and not roles.is_team("slack", "U_VA", "T9")
    assert roles.is_team("slack", "W_ORG", "E7") and roles.is_team("slack", "U_ANY", "T9")
    assert roles.acting_elsewhere("slack", "U_OWNER", ["T9"]) and roles.acting_elsewhere("slack", "U_VA", [])
    assert not roles.acting_elsewhere("slack", "U_OWNER", ["T1"]) and not roles.acting_elsewhere(
        "slack", "W_ORG", ["T5", "E7"]
    )
    assert not roles.acting_elsewhere("slack", "U_ANY", ["T9"]) and not roles.acting_elsewhere(
        "slack", "U_CLIENT", ["T9"]
    )


def test_oauth_mode_needs_an_allow_list_and_workspace_qualified_owners():
    oauth = dict(slack_client_id="1.2", slack_client_secret="s" * 12)
    problems = Settings(_env_file=None, slack_owner_ids="U1", **oauth).slack_oauth_problems()
    assert [p.split(" ")[0] for p in problems] == ["SLACK_ALLOWED_WORKSPACES", "SLACK_OWNER_IDS"]
    assert (
        Settings(
            _env_file=None, slack_owner_ids="T1:U1", slack_allowed_enterprises="E1", **oauth
        ).slack_oauth_problems()
        == []
    )


def test_allowed_workspaces_are_team_ids():
    assert Settings(_env_file=None, slack_allowed_workspaces="T1, T0123ABCD").slack_allowed_workspaces == {
        "T1",
        "T0123ABCD",
    }
    with pytest.raises(ValidationError, match="C9, t1: use ids that start with T, like T0123ABCD"):
        Settings(_env_file=None, slack_allowed_workspaces="t1,C9")
    with pytest.raises(ValidationError, match="T1: use ids that start with E"):
        Settings(_env_file=None, slack_allowed_enterprises="T1")


def test_serve_listens_everywhere_by_default_and_metrics_are_opt_in():
    settings = Settings(_env_file=None)
    assert (settings.host, settings.metrics_enabled, settings.metrics_port) == ("0.0.0.0", False, None)
    with pytest.raises(ValidationError, match="metrics_port"):
        Settings(_env_file=None, metrics_port=70000)
