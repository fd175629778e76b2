"""Answers by email switched on: the settings it needs, the secrets kept out of the log, and the watcher going on
after the mailbox could not be reached."""

from __future__ import annotations

import asyncio

import pytest
from cli_process import cli_env, run_cli
from imap_server import PASSWORD, USER, imap_url

from adapters.inbox import InboxError
from adapters.inbox_watch import route_of, watch_inbox
from adapters.logs import secret_values
from bot.errors import StartError
from bot.settings import Settings

SECRET = "s" * 32


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_without_imap_url_answers_by_email_are_off() -> None:
    assert route_of(settings()) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"reply_secret": SECRET}, "IMAP_URL needs SMTP_URL"),
        ({"smtp_url": "smtp://a:b@mail.example:587"}, "IMAP_URL needs REPLY_SECRET, a random string of at least 32"),
        ({"smtp_url": "smtp://a:b@mail.example:587", "reply_secret": "short"}, "at least 32 characters"),
    ],
)
def test_what_is_missing_refuses_to_start_and_says_what(values, expected) -> None:
    with pytest.raises(StartError, match=expected):
        route_of(settings(imap_url=imap_url(993), **values))


def test_the_inbox_address_is_the_imap_user_unless_set_and_must_be_an_address() -> None:
    ready = {"smtp_url": "smtp://a:b@mail.example:587", "reply_secret": SECRET}
    route = route_of(settings(imap_url=imap_url(993), **ready))
    assert route is not None and route.inbox == USER and route.secret == SECRET.encode()
    assert route_of(settings(imap_url=imap_url(993), inbox_address="Bot <bot@acme.example>", **ready)).inbox == (
        "bot@acme.example"
    )
    with pytest.raises(StartError, match='the IMAP user "owner" is no email address; set INBOX_ADDRESS'):
        route_of(settings(imap_url=imap_url(993).replace("owner%40acme.example", "owner"), **ready))


def test_the_imap_password_and_the_reply_secret_are_secrets_for_the_log() -> None:
    secrets = secret_values(settings(imap_url=imap_url(993), reply_secret=SECRET))
    assert PASSWORD in secrets and SECRET in secrets


async def test_the_watcher_tries_again_after_the_mailbox_or_the_database_failed() -> None:
    attempts: list[int] = []
    looked = asyncio.Event()

    class Flaky:
        async def __aenter__(self):
            attempts.append(len(attempts))
            if len(attempts) == 1:
                raise InboxError("127.0.0.1:9: ConnectionRefusedError")
            if len(attempts) == 2:
                raise OSError("the database is not answering")  # from taking an answer: the watcher goes on
            looked.set()
            raise asyncio.CancelledError  # the third connection works: stop the test here

        async def __aexit__(self, *exc) -> None:
            return None

    task = asyncio.create_task(watch_inbox(Flaky, answers=None, wake=lambda: None, retry=(0.0, 0.01)))  # type: ignore[arg-type]
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    assert attempts == [0, 1, 2] and looked.is_set()


def test_check_live_logs_in_to_the_mailbox_and_names_a_wrong_password_without_it(tmp_path, imap) -> None:
    ready = {"SMTP_URL": "smtp://a:b@127.0.0.1:9?tls=none", "REPLY_SECRET": SECRET}
    good = run_cli("check", "--live", cwd=tmp_path, env=cli_env(tmp_path, IMAP_URL=imap_url(imap.port), **ready))
    assert f"IMAP: logged in to imap://{USER}@127.0.0.1:{imap.port}/INBOX?tls=none; an answer posted" in good.stdout
    wrong = imap_url(imap.port, password="not-the-pass-4321")
    bad = run_cli("check", "--live", cwd=tmp_path, env=cli_env(tmp_path, IMAP_URL=wrong, **ready))
    assert "PROBLEM  IMAP: " in bad.stdout and "not-the-pass-4321" not in bad.stdout + bad.stderr
    assert bad.returncode == 1
