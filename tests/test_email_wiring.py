"""Wiring of forwarding to email: settings, the runner's poster and bridge, and which replies offer the button."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from email_server import PASSWORD, USER, Inbox, smtp_server
from factories import make_policy, message, ny

from adapters.check import run_check
from adapters.email import EmailPoster
from adapters.runner import App, _with_app
from bot.clock import SimulatedClock
from bot.forwarding_service import Forwarding
from bot.responder import Situation, decide
from bot.settings import Settings

MONDAY_9PM, TUESDAY_10AM = ny(2026, 11, 23, 21, 0), ny(2026, 11, 24, 10, 0)


def offers(text: str, at, **replies) -> bool:
    policy = make_policy(replies=replies) if replies else make_policy()
    return decide(message(text, at), Situation(policy=policy), at).reply.offer_email_forward


def test_redirects_offer_the_button_and_after_hours_replies_only_when_the_policy_says_so() -> None:
    assert offers("can you call me?", TUESDAY_10AM) and offers("can you call me?", MONDAY_9PM)
    assert not offers("Could you look at the invoice tonight?", MONDAY_9PM)
    assert offers("Could you look at the invoice tonight?", MONDAY_9PM, email_button_after_hours=True)


def test_the_smtp_password_never_prints() -> None:
    settings = Settings(_env_file=None, smtp_url="smtp://me:hunter2@mail.example:587")
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings)
    assert settings.smtp_url.get_secret_value() == "smtp://me:hunter2@mail.example:587"


async def run_app(tmp_path: Path, **values) -> App:
    seen: list[App] = []

    async def body(app: App) -> int:
        seen.append(app)
        return 0

    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/wiring.sqlite3", **values)
    assert await _with_app(settings, make_policy(), SimulatedClock(MONDAY_9PM), body) == 0
    return seen[0]


async def test_with_smtp_the_runner_registers_the_poster_and_the_bridge(tmp_path: Path) -> None:
    app = await run_app(tmp_path, smtp_url="smtps://me:hunter2@mail.example", owner_email="olivia@home.example")
    poster, bridge = app.posters["email"], app.service.forwarding
    assert isinstance(poster, EmailPoster) and str(poster.target) == "smtps://me@mail.example:465"
    assert isinstance(bridge, Forwarding)
    assert (bridge.addresses.owner, bridge.addresses.sender) == ("olivia@home.example", "hello@acme.example")
    assert bridge.listeners is app.service.after_command  # a forward wakes the scheduler like an owner command


async def test_without_smtp_there_is_no_bridge(tmp_path: Path) -> None:
    app = await run_app(tmp_path)
    assert "email" not in app.posters and app.service.forwarding is None


async def test_check_names_a_bad_smtp_url_without_the_password(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/c.sqlite3", smtp_url="imap://me:hunter2@x")
    report = await run_check(settings, live=False)
    assert (
        'SMTP_URL starts with "imap:"; use smtps://user:password@host:465 (TLS from the start), '
        "smtp://user:password@host:587 (STARTTLS, required), or smtp://...?tls=none (no TLS at all: only for a "
        "server on this machine or a network you trust)" in report.problems
    )
    assert "hunter2" not in report.render()


async def test_check_live_logs_in_to_the_smtp_server_and_calls_no_tls_a_problem(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as server:  # offers no STARTTLS
        url = f"smtp://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{server.port}"
        reports = {}
        for name, smtp_url in [
            ("required", url),
            ("plain", url + "?tls=none"),
            ("wrong", url.replace(quote(PASSWORD, safe=""), "wrong") + "?tls=none"),
        ]:
            settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/c.sqlite3", smtp_url=smtp_url)
            reports[name] = await run_check(settings, live=True)
            if name == "required":
                assert inbox.logins == []  # the password never went out
    required, plain = reports["required"].render(), reports["plain"].render()
    assert f"forwarding to email: smtp://{USER}@127.0.0.1:{server.port} to the policy contact email" in required
    assert (
        f"PROBLEM  SMTP: 127.0.0.1:{server.port} does not offer STARTTLS, and SMTP_URL requires TLS: nothing was "
        "sent, the password neither." in required
    )
    assert (
        f"PROBLEM  SMTP: smtp://{USER}@127.0.0.1:{server.port}?tls=none: connected, NO TLS (tls=none: the "
        f"password and every message cross the network in the clear), logged in as {USER}" in plain
    )
    assert inbox.received == [] and set(inbox.logins) == {(USER, PASSWORD), (USER, "wrong")}
    assert all(PASSWORD not in report.render() for report in reports.values())
    (problem,) = [p for p in reports["wrong"].problems if p.startswith("SMTP:")]
    assert "535" in problem and "wrong" not in problem
