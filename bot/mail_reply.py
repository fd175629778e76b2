"""An email reply cut to its new text (mail-parser-reply): quotes, "On … wrote:" headers and signatures dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailparser_reply.parser import EmailMessage

from bot.mail_html import html_to_text

LANGUAGES = ["en", "es", "fr", "de", "pt"]
MAX_CHARS = 4_000  # a longer reply is cut here, with CUT_NOTE: the whole of it stays in the mailbox
# Only the head is parsed: a quote header further down means the new text is longer than MAX_CHARS anyway.
PARSE_CHARS = 3 * MAX_CHARS
LINE_CHARS = 240  # no quote header is longer; a longer line is hidden from the parser's patterns (they backtrack)
CUT_NOTE = "[… cut here: the rest of this reply is in the email]"
PLACEHOLDER = "\ue000{}\ue001"
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_BLANK_RUN = re.compile(r"\n{3,}")
_SPACE_RUN = re.compile(r"[ \t\u00a0\u200b]{4,}")
_QUOTED_TAIL = re.compile(r"(?:\n(?:>[^\n]*)?)*\Z")
# Added to mail-parser-reply's tables: Portuguese (Gmail, Apple Mail and Outlook in Brazil and Portugal), and a
# Spanish "El … escribió:" that matches (the library's negative look-ahead repeats its own pattern), and the
# French and German "sent from my iPhone" of Apple Mail.
_QUOTED = r"(?:> ?)*"
EXTRA: dict[str, dict[str, str]] = {
    "pt": {
        "wrote_header": r"^(" + _QUOTED + r"(?:Em|No dia)\s(?:.+?\s?.+?)\s?escreveu:|"
        r"" + _QUOTED + r".+?\sescreveu\s(?:no dia|a|em)\s(?:.+?\s?.+?):)$",
        "from_header": r"((?:(?:^|\n|\n" + _QUOTED + r")[* ]*(?:De|Enviado|Enviada|Para|Assunto|Data|Cc):[ *]*"
        r"(?:\s{,2}).*){2,}(?:\n.*){,1})",
        "signatures": r"Atenciosamente|Cumprimentos|Com os melhores cumprimentos|Abra[çc]os?|Um abra[çc]o|"
        r"Obrigad[oa],|Att,|Saudações|Beijos",
        "sent_from": r"Enviado do meu|Enviado de meu|Enviado a partir do|Obter o Outlook para",
        "disclaimers": r"Aviso:|Confidencial:",
    },
    "es": {"wrote_header": r"^(" + _QUOTED + r"El\s(?:.+?\s?.+?)\s?escribió:)$"},
    "fr": {"sent_from": r"Envoyé depuis|Envoyé de mon"},
    "de": {"sent_from": r"Gesendet von|Von meinem"},
}


class _Message(EmailMessage):  # type: ignore[misc]  # mail-parser-reply ships no type information
    """mail-parser-reply's message with EXTRA's patterns before its own."""

    def _get_language_regex(self, language: str, regex_key: str) -> str:
        found = EXTRA.get(language, {}).get(regex_key)
        return found if found is not None else str(super()._get_language_regex(language, regex_key))


@dataclass(frozen=True)
class Reply:
    """The new text of a reply; `cut` when it was longer than MAX_CHARS, `from_html` when only HTML was sent."""

    text: str
    cut: bool = False
    from_html: bool = False


def _tidy(text: str) -> str:
    """Line ends as "\\n", no trailing spaces, at most one blank line and short runs of spaces (linear, and the
    parser's patterns never see a long run of blanks to backtrack over)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _SPACE_RUN.sub("   ", _BLANK_RUN.sub("\n\n", text)).strip("\n")


def _hide_long_lines(text: str) -> tuple[str, list[str]]:
    """Lines longer than LINE_CHARS replaced by numbered placeholders, and the lines to put back."""
    hidden: list[str] = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if len(line) > LINE_CHARS:
            lines[number] = PLACEHOLDER.format(len(hidden))
            hidden.append(line)
    return "\n".join(lines), hidden


def _cut_quotes(text: str) -> str:
    """The new text of a plain-text reply, from the head of it only."""
    head = text[:PARSE_CHARS]
    shown, hidden = _hide_long_lines(head)
    message = _Message(text=shown, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    body = message.replies[0].body if message.replies else shown
    body = _QUOTED_TAIL.sub("", "\n" + body)  # "> " lines left at the end: a quote whose header the parser missed
    return _PLACEHOLDER.sub(lambda match: hidden[int(match.group(1))], body).strip()


def _shorten(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    room = limit - len(CUT_NOTE) - 2
    head = text[:room]
    cut = max(head.rfind("\n"), head.rfind(" "))
    return (head[:cut] if cut > room // 2 else head).rstrip() + "\n\n" + CUT_NOTE, True


def reply_text(plain: str | None, html: str | None = None, *, limit: int = MAX_CHARS) -> Reply:
    """The new text of a reply from its text/plain body, or its HTML one when that is all there is: quotes, reply
    headers ("On … wrote:", Outlook's From:/Sent:) and signatures in English, Spanish, French, German and Portuguese
    dropped; at most `limit` characters, ending in CUT_NOTE when cut. Empty when nothing new was written."""
    from_html = not (plain and plain.strip()) and bool(html and html.strip())
    source = html_to_text(html or "") if from_html else (plain or "")
    text, cut = _shorten(_cut_quotes(_tidy(source)), limit)
    return Reply(text=text, cut=cut, from_html=from_html)
