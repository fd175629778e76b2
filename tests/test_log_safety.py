"""The process's log handler: secrets redacted from messages, arguments and tracebacks; other libraries at WARNING."""

from __future__ import annotations

import base64
import contextlib
import io
import logging
from collections.abc import Iterator

import pytest

from adapters.logs import REDACTED, THIRD_PARTY, configure_logging, secret_values
from bot.settings import Settings

DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456789AB"
SETTINGS = dict(
    slack_bot_token="xoxb-1111-2222-secretbot",
    slack_app_token="xapp-1-A1-3333-secretapp",
    slack_signing_secret="signing-secret-value",
    slack_client_id="1111.2222",
    slack_client_secret="client-secret-value",
    discord_token=DISCORD_TOKEN,
    smtp_url="smtp://bot%40example.com:p%40ss-word-9@mail.example:587",
)


@contextlib.contextmanager
def bot_logging(level: str, settings: Settings) -> Iterator[io.StringIO]:
    """The bot's own handler, configured as `serve` configures it, writing to a buffer; undone after."""
    root, before = logging.getLogger(), logging.getLogger().level
    levels = {name: logging.getLogger(name).level for name in THIRD_PARTY}
    stream = io.StringIO()
    handler = configure_logging(level, secrets=secret_values(settings), stream=stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    with bot_logging("DEBUG", Settings(_env_file=None, **SETTINGS)) as stream:
        yield stream


def test_configured_secrets_and_token_shapes_are_redacted_everywhere(captured) -> None:
    log = logging.getLogger("adapters.test")
    log.warning(
        "bot %s app %s signing %s", "xoxb-1111-2222-secretbot", "xapp-1-A1-3333-secretapp", "signing-secret-value"
    )
    log.error(
        "oauth.v2.access answered %s",
        {"access_token": "xoxb-9-9-installedbot", "refresh_token": "xoxe-1-rt", "client_secret": "client-secret-value"},
    )
    log.info("discord %s smtp %s and %s", DISCORD_TOKEN, "p%40ss-word-9", "p@ss-word-9")
    basic = base64.b64encode(b"1111.2222:client-secret-value").decode()
    log.info("headers {'Authorization': 'Basic %s'} then Bearer xoxp-5-user", basic)
    try:
        raise RuntimeError("call with token=xoxb-7-7-fromerror failed, password: hunter22")
    except RuntimeError:
        log.exception("a failing call")
    text = captured.getvalue()
    for secret in (
        "secretbot",
        "secretapp",
        "signing-secret-value",
        "installedbot",
        "xoxe-1-rt",
        "client-secret-value",
        DISCORD_TOKEN,
        "ss-word-9",
        basic,
        "xoxp-5-user",
        "fromerror",
        "hunter22",
    ):
        assert secret not in text, secret
    assert text.count(REDACTED) >= 12 and "a failing call" in text and "RuntimeError" in text


def test_other_libraries_stay_at_warning_at_debug_and_ours_do_not(captured) -> None:
    logging.getLogger("slack_sdk.web.async_base_client").debug("Received the following response: xoxb-1-2-3")
    logging.getLogger("sqlalchemy.engine.Engine").info("INSERT INTO slack_bots ... ('xoxb-1-2-3')")
    logging.getLogger("boundary-bot:AsyncApp").info("a third-party logger outside any known name")
    logging.getLogger("slack_bolt.AsyncApp").warning("a warning still shows")
    logging.getLogger("adapters.slack.app").debug("our own debug line")
    lines = captured.getvalue().splitlines()
    assert lines == [
        "WARNING slack_bolt.AsyncApp: a warning still shows",
        "DEBUG adapters.slack.app: our own debug line",
    ]
    assert logging.getLogger("sqlalchemy.engine").getEffectiveLevel() == logging.WARNING


def test_short_configured_values_are_not_searched_for() -> None:
    with bot_logging("INFO", Settings(_env_file=None, smtp_url="smtp://u:pw@host:25")) as stream:
        logging.getLogger("adapters.test").warning("the pwd and pw in words stay")
    assert "the pwd and pw in words stay" in stream.getvalue()
