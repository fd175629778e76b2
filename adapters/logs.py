"""Log hygiene: one line per record (control characters escaped), secrets redacted, other libraries at WARNING."""

from __future__ import annotations

import base64
import logging
import re
import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import unquote, urlsplit

from bot.settings import Settings

FORMAT = "%(levelname)s %(name)s: %(message)s"
OWN_LOGGERS = ("bot", "adapters", "storage", "benchmarks", "__main__")  # below WARNING, only these are written
# Set to WARNING whatever LOG_LEVEL says: at DEBUG they log requests, responses and SQL parameters with tokens.
THIRD_PARTY = (
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy",
    "aiohttp",
    "discord",
    "apscheduler",
    "asyncio",
    "alembic",
    "aiosqlite",
    "asyncpg",
    "websockets",
    "aiosmtplib",
    "aiosmtpd",
    "mail.log",
    "urllib3",
    "tzlocal",
)
REDACTED = "[redacted]"
_TOKENS = re.compile(
    r"\bxox[a-z0-9]?(?:\.xox[a-z])?-[A-Za-z0-9-]+"  # Slack bot, user, refresh tokens
    r"|\bxapp-[A-Za-z0-9-]+"  # Slack app-level tokens
    r"|\b(?:mfa\.[\w-]{20,}|[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,})"  # Discord bot tokens
    r"|(?<=Bearer )[^\s'\",]+|(?<=Basic )[A-Za-z0-9+/=]{8,}|(?<=Bot )[\w.-]{20,}"
)  # Authorization headers
_KEYED = re.compile(
    r"(?i)\b((?:client_secret|signing_secret|access_token|refresh_token|bot_token|user_token|"
    r"app_token|token|password|code)['\"]?\s*[:=]\s*['\"]?)([^'\"\s,&;}]+)"
)
MIN_SECRET_LENGTH = 6  # shorter configured values are not searched for (they would cut words out of every line)

# C0 controls but tab... all of them, DEL, C1 controls, and Unicode's own line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """`text` on one line: a newline becomes the two characters \\n, other control characters \\xNN or \\uNNNN."""
    return _CONTROL.sub(
        lambda m: _NAMED.get(
            m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def indent_block(text: str) -> str:
    """A traceback's lines, each indented and escaped: no line of it can pass for a record of its own."""
    return "\n".join("  " + escape(line) for line in text.splitlines())


class LogSafety(logging.Filter):
    """On a handler: formats the record's message now and escapes it, and indents its traceback.

    A value that came from outside (a request, an event, an error text) can then never start a line that reads
    like another record, such as a forged `CRITICAL ...`."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING and record.name.split(".")[0] not in OWN_LOGGERS:
            return False
        if getattr(record, "_boundary_safe", False):
            return True
        try:
            message = record.getMessage()
        except Exception:
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = escape(self.redact(message)), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = indent_block(self.redact(record.exc_text))
        if record.stack_info:
            record.stack_info = indent_block(self.redact(record.stack_info))
        record._boundary_safe = True
        return True

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: tuple[str, ...] = ()
        self.set_secrets(secrets)

    def set_secrets(self, secrets: Iterable[str]) -> None:
        """The configured secret values, longest first, so a value containing another goes whole."""
        self.secrets = tuple(sorted({s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True))

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _KEYED.sub(lambda m: m.group(1) + REDACTED, _TOKENS.sub(REDACTED, text))


class _SafeFormatter(logging.Formatter):
    """The message is escaped by LogSafety; the traceback keeps its lines, indented, so it stays readable."""

    def formatException(self, ei) -> str:
        return indent_block(super().formatException(ei))


def _our_handler(root: logging.Logger) -> logging.Handler | None:
    return next((h for h in root.handlers if getattr(h, "_boundary_bot", False)), None)


def configure_logging(
    level: str | int = logging.INFO, *, secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """The process's log handler on stderr (once; later calls change the level and add secrets), with LogSafety on
    it; other libraries' loggers stay at WARNING even at DEBUG."""
    root = logging.getLogger()
    handler = _our_handler(root)
    if handler is None:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(_SafeFormatter(FORMAT))
        handler.addFilter(LogSafety())
        handler._boundary_bot = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    safety = next(f for f in handler.filters if isinstance(f, LogSafety))
    safety.set_secrets([*safety.secrets, *secrets])
    root.setLevel(level)
    for name in THIRD_PARTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler


def secret_values(settings: Settings) -> list[str]:
    """Every configured secret as it could appear in a log line: tokens, secrets, the SMTP password (as written
    and decoded) and the client id:secret pair as an Authorization: Basic header carries it."""
    values = [
        secret.get_secret_value()
        for secret in (
            settings.slack_bot_token,
            settings.slack_app_token,
            settings.slack_user_token,
            settings.slack_signing_secret,
            settings.slack_client_secret,
            settings.discord_token,
            settings.smtp_url,
            settings.calendar_key,
            settings.calendar_import_url,
            settings.imap_url,
            settings.reply_secret,
        )
        if secret
    ]
    for url in (settings.smtp_url, settings.imap_url):
        if url and (password := urlsplit(url.get_secret_value()).password):
            values += [password, unquote(password)]
    if settings.slack_client_id and settings.slack_client_secret:
        pair = f"{settings.slack_client_id}:{settings.slack_client_secret.get_secret_value()}"
        values.append(base64.b64encode(pair.encode()).decode())
    return values
