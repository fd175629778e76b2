"""Wiring of the email bridge: settings, the runner's poster and bridge, and which replies offer the button."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from email_server import PASSWORD, USER, Inbox, smtp_server
from factories import make_policy, message, ny

from adapters.check import run_check
from adapters.email import EmailPoster
from adapters.runner import App, _with_app
from bot.clock import SimulatedClock
from bot.email_bridge import EmailBridge
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
    poster, bridge = app.posters["email"], app.service.email
    assert isinstance(poster, EmailPoster) and str(poster.target) == "smtps://me@mail.example:465"
    assert isinstance(bridge, EmailBridge)
    assert (bridge.addresses.owner, bridge.addresses.sender) == ("olivia@home.example", "hello@acme.example")
    assert bridge.listeners is app.service.after_command  # a forward wakes the scheduler like an owner command


async def test_without_smtp_there_is_no_bridge(tmp_path: Path) -> None:
    app = await run_app(tmp_path)
    assert "email" not in app.posters and app.service.email is None


async def test_check_names_a_bad_smtp_url_without_the_password(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/c.sqlite3", smtp_url="imap://me:hunter2@x")
    report = await run_check(settings, live=False)
    assert 'SMTP_URL starts with "imap:"; use smtp:// (STARTTLS when offered) or smtps:// (TLS from the start)' \
        in report.problems
    assert "hunter2" not in report.render()


async def test_check_live_logs_in_to_the_smtp_server(tmp_path: Path) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as server:
        url = f"smtp://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{server.port}"
        settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/c.sqlite3", smtp_url=url)
        report = await run_check(settings, live=True)
        wrong = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path}/c.sqlite3",
                         smtp_url=url.replace(quote(PASSWORD, safe=""), "wrong"))
        refused = await run_check(wrong, live=True)
    text = report.render()
    assert f"email bridge: smtp://{USER}@127.0.0.1:{server.port} to the policy contact email" in text
    assert f"SMTP: smtp://{USER}@127.0.0.1:{server.port}: connected, NO TLS" in text and f"logged in as {USER}" in text
    assert inbox.received == [] and PASSWORD not in text
    (problem,) = [p for p in refused.problems if p.startswith("SMTP:")]
    assert "535" in problem and "wrong" not in problem
