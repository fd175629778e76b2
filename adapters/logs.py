"""Log hygiene: every record is one line (newlines and control characters in logged values escaped)."""
from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

FORMAT = "%(levelname)s %(name)s: %(message)s"

# C0 controls but tab... all of them, DEL, C1 controls, and Unicode's own line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """`text` on one line: a newline becomes the two characters \\n, other control characters \\xNN or \\uNNNN."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                             else f"\\u{ord(m.group()):04x}"), text)


def indent_block(text: str) -> str:
    """A traceback's lines, each indented and escaped: no line of it can pass for a record of its own."""
    return "\n".join("  " + escape(line) for line in text.splitlines())


class LogSafety(logging.Filter):
    """On a handler: formats the record's message now and escapes it, and indents its traceback.

    A value that came from outside (a request, an event, an error text) can then never start a line that reads
    like another record, such as a forged `CRITICAL ...`."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_boundary_safe", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 (a bad format string must not lose the record)
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

    def redact(self, text: str) -> str:
        return text


class _SafeFormatter(logging.Formatter):
    """The message is escaped by LogSafety; the traceback keeps its lines, indented, so it stays readable."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return indent_block(super().formatException(ei))


def _our_handler(root: logging.Logger) -> logging.Handler | None:
    return next((h for h in root.handlers if getattr(h, "_boundary_bot", False)), None)


def configure_logging(level: str | int = logging.INFO, *, stream: TextIO | None = None) -> logging.Handler:
    """The process's log handler on stderr (once; later calls change the level), with LogSafety on it."""
    root = logging.getLogger()
    handler = _our_handler(root)
    if handler is None:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(_SafeFormatter(FORMAT))
        handler.addFilter(LogSafety())
        handler._boundary_bot = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return handler
