"""The boundary-bot command line: run, classify, preview, forget and export."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from bot.dates import DateError, parse_instant
from bot.errors import StartError
from bot.intents import classify, classify_lines
from bot.messages import IncomingMessage
from bot.models import Closure
from bot.policy import Policy
from bot.policy_loader import PolicyError, load_policy
from bot.responder import Situation, decide
from bot.zones import validate_zone


def parse_local(text: str, zone: ZoneInfo) -> datetime:
    """An ISO date or date-time; without an offset it is read in `zone`."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not an ISO date or time; use like 2026-12-24T21:00 or 2026-12-24'
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def parse_when(text: str, zone: ZoneInfo) -> datetime:
    """An ISO date-time, or what the console's /at takes ("monday 9pm", "tomorrow 10:00"), read in `zone`."""
    try:
        return parse_local(text, zone)
    except argparse.ArgumentTypeError:
        try:
            return parse_instant(text, zone, datetime.now(UTC))
        except DateError as error:
            raise argparse.ArgumentTypeError(f"--at: {error}") from None


def parse_closure(text: str, zone: ZoneInfo) -> Closure:
    """START/END[/REASON]; an END without a time includes that whole day."""
    parts = text.split("/", 2)
    if len(parts) < 2:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a closure; use START/END[/REASON], like 2026-12-24/2027-01-02/holidays'
        )
    start, end = parse_local(parts[0], zone), parse_local(parts[1], zone)
    if "T" not in parts[1] and " " not in parts[1].strip():
        end = (end.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=zone)
    if end <= start:
        raise argparse.ArgumentTypeError(f'"{text}" ends before it starts; put START first')
    return Closure(
        start=start.astimezone(UTC), end=end.astimezone(UTC), reason=parts[2] if len(parts) > 2 else "", id=0
    )


def _policy(path: str | None) -> Policy:
    if path:
        return load_policy(path)
    from bot.settings import Settings

    return Settings().load_policy()


def cmd_classify(args: argparse.Namespace) -> int:
    if not (args.policy or args.explain):
        for line in classify_lines(line.rstrip("\n") for line in sys.stdin):
            print(line, flush=True)
        return 0
    detection = load_policy(args.policy).detection if args.policy else None
    for line in sys.stdin:
        intent = classify(line.rstrip("\r\n"), detection=detection)
        shown = intent.as_json() | (
            {"evidence": list(intent.evidence), "language": intent.lang} if args.explain else {}
        )
        print(json.dumps(shown, ensure_ascii=False), flush=True)
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    policy = _policy(args.policy)
    try:
        at = parse_when(args.at, policy.zone) if args.at else datetime.now(UTC)
        closures = [parse_closure(text, policy.zone) for text in args.closure]
        client_tz = validate_zone(args.client_tz) if args.client_tz else None
    except (argparse.ArgumentTypeError, ValueError) as error:
        print(f"boundary-bot preview: {error}", file=sys.stderr)
        return 2
    closures = [Closure(**{**c.__dict__, "id": i}) for i, c in enumerate(closures, 1)]
    message = IncomingMessage(
        platform="preview",
        workspace_id="preview",
        channel_id="preview",
        message_id="preview",
        author_id="client",
        text=args.text,
        event_id="preview",
        received_at=at,
        author_tz=client_tz,
    )
    decision = decide(message, Situation(policy=policy, closures=closures), at)
    reply = decision.reply
    shown = {"reply": reply.text if reply else None, "reasons": list(reply.reasons) if reply else []}
    if args.explain:
        intent = decision.intent
        shown |= {
            "evidence": list(intent.evidence) if intent else [],
            "language": decision.language,
            "message_language": intent.lang if intent else None,
        }
    print(json.dumps(shown, ensure_ascii=False))
    return 0


def cmd_guide(args: argparse.Namespace) -> int:
    from bot.guide import client_guide

    sys.stdout.write(client_guide(_policy(args.policy), markdown=args.format == "markdown"))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from adapters.check import main as check

    return check(live=args.live)


def cmd_run(args: argparse.Namespace) -> int:
    from adapters.runner import run

    return run(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from adapters.runner import serve

    return serve(args)


def cmd_forget(args: argparse.Namespace) -> int:
    from adapters.privacy import forget

    return forget(args)


def cmd_export(args: argparse.Namespace) -> int:
    from adapters.privacy import export

    return export(args)


def cmd_promises(args: argparse.Namespace) -> int:
    from adapters.promises import main as promises

    return promises(args)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f'"{text}" is not a port; use a number from 1 to 65535')
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="boundary-bot", description="Keeps your client-communication boundaries in Slack and Discord."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    classify_cmd = sub.add_parser("classify", help="classify stdin lines: one JSON object per line")
    classify_cmd.add_argument("--policy", help="apply this policy file's [detection] phrases")
    classify_cmd.add_argument("--explain", action="store_true", help="add the evidence and the language to each line")
    classify_cmd.set_defaults(handler=cmd_classify)

    preview = sub.add_parser("preview", help="print what the bot would reply to a message, as JSON")
    preview.add_argument("text")
    preview.add_argument("--at", help='when the message arrives: ISO, or like "monday 9pm" (in the policy\'s zone)')
    preview.add_argument("--client-tz", help="the client's IANA time zone")
    preview.add_argument("--policy", help="policy file (default: POLICY_FILE or policy.toml)")
    preview.add_argument("--closure", action="append", default=[], help="START/END[/REASON], repeatable")
    preview.add_argument("--explain", action="store_true", help="add what detection found and the reply's language")
    preview.set_defaults(handler=cmd_preview)

    check = sub.add_parser("check", help="check the policy, database, tokens and which adapters would start")
    check.add_argument("--live", action="store_true", help="also log in to Slack and Discord")
    check.set_defaults(handler=cmd_check)

    guide = sub.add_parser("guide", help="print the client guide for your onboarding document")
    guide.add_argument("--format", choices=("markdown", "text"), default="markdown")
    guide.add_argument("--policy", help="policy file (default: POLICY_FILE or policy.toml)")
    guide.set_defaults(handler=cmd_guide)

    status = sub.add_parser("status", help="open or closed now, closures and meetings to come, posts, the last digest")
    status.set_defaults(handler=cmd_status)

    run = sub.add_parser("run", help="start the bot (the console demo when no platform token is set)")
    run.add_argument("--console", action="store_true", help="force the console demo")
    run.add_argument("--at", help='simulated start time for the console, like "2026-12-24 21:00"')
    run.add_argument(
        "--verbose", action="store_true", help="console: show the bot's log lines too (WARNING and up otherwise)"
    )
    run.set_defaults(handler=cmd_run)

    serve = sub.add_parser("serve", help="serve Slack's Events API over HTTP at /slack/events (and /healthz)")
    serve.add_argument(
        "--port",
        type=_port,
        default=os.environ.get("PORT", "3000"),
        help="port to listen on (default: $PORT, else 3000)",
    )
    serve.add_argument("--host", help="address to listen on (default: $HOST, else 0.0.0.0, every interface)")
    serve.set_defaults(handler=cmd_serve)

    forget = sub.add_parser("forget", help="erase one client's names, excerpts, time zone and pending posts")
    forget.add_argument("client", metavar="CLIENT", help="a user id, or platform:workspace:user")
    forget.add_argument("--yes", action="store_true", help="erase (without it: only show what would go)")
    forget.set_defaults(handler=cmd_forget)

    export = sub.add_parser("export", help="write what is stored (closures, slots, replies, deliveries) as JSON")
    export.add_argument(
        "--client", metavar="CLIENT", help="only what is about this client (user id, or platform:workspace:user)"
    )
    export.add_argument("--json", action="store_true", help="JSON, the only format (accepted for clarity)")
    export.add_argument("--output", metavar="FILE", help="write to FILE (mode 0600) instead of stdout")
    export.set_defaults(handler=cmd_export)

    promises = sub.add_parser("promises", help="the answer-by times clients were told and nobody has answered yet")
    promises.add_argument("--json", action="store_true", help="one JSON object a line (client, channel, due, state)")
    promises.add_argument("--all", action="store_true", help="the answered ones too, kept or broken")
    promises.set_defaults(handler=cmd_promises)

    from adapters.calendar_cli import add_calendar_commands

    add_calendar_commands(sub)
    return parser


def cmd_status(args: argparse.Namespace) -> int:
    from adapters.status import main as status

    return status()


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from adapters.logs import configure_logging  # the command line is where the process is put together

    configure_logging(logging.INFO)
    signal.signal(signal.SIGTERM, _stop)  # a service manager's stop ends the bot as Ctrl-C does: at once, quietly
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except KeyboardInterrupt:
        print("boundary-bot: stopped.", file=sys.stderr)
        return 130
    except PolicyError as error:
        print(f"boundary-bot: refusing to start with this policy.\n{error}", file=sys.stderr)
        return 2
    except StartError as error:
        print(f"boundary-bot: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:  # a setting from the environment or .env (the policy has its own report)
        for problem in error.errors(include_url=False):
            name = ".".join(str(part) for part in problem["loc"]).upper()
            print(f"boundary-bot: {name}: {problem['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # python -m adapters.cli
    raise SystemExit(main())
