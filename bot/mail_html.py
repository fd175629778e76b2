"""An HTML email body as plain text (lxml): blocks as lines, quotes as "> " lines, signatures left out."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

SKIPPED = frozenset({"head", "style", "script", "title", "template", "svg", "object"})
BLOCKS = frozenset(
    {"p", "div", "section", "article", "header", "footer", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5"}
    | {"h6", "pre", "address", "center", "dl", "dt", "dd", "form", "fieldset", "figure", "main", "nav", "aside"}
)
VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"})
# The signature blocks of Gmail (gmail_signature), Apple Mail (AppleMailSignature) and Outlook (Signature).
SIGNATURE = re.compile(r"signature", re.IGNORECASE)
OUTLOOK_RULE = "_" * 32  # the line the text parser takes for Outlook's "From: / Sent:" separator
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


class _Text:
    """Collects lines while the tree is walked; `hidden` counts open elements whose content is not text."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.line: list[str] = []
        self.quote = 0
        self.pre = 0
        self.hidden = 0

    def newline(self) -> None:
        text = "".join(self.line)
        text = text.rstrip(" ") if self.pre else text.strip(" ")
        prefix = "> " * self.quote
        self.lines.append((prefix + text).rstrip() if text or self.quote else "")
        self.line = []

    def block(self) -> None:
        if "".join(self.line).strip():
            self.newline()

    def start(self, tag: str, marks: str) -> None:
        if self.hidden or tag in SKIPPED or (tag not in VOID and SIGNATURE.search(marks)):
            if not self.hidden:
                self.block()
            self.hidden += 1
        elif tag == "br":
            self.newline()
        elif tag == "hr":
            self.block()
            self.lines += ["", OUTLOOK_RULE]
        elif tag == "blockquote":
            self.block()
            self.quote += 1
        elif tag == "li":
            self.block()
            self.line.append("- ")
        elif tag in BLOCKS:
            self.block()
            self.pre += tag == "pre"
        elif tag in ("td", "th") and self.line:
            self.line.append(" ")

    def end(self, tag: str) -> None:
        if self.hidden:
            self.hidden -= 1
        elif tag == "blockquote":
            self.block()
            self.quote -= 1
        elif tag in BLOCKS or tag == "li":
            self.block()
            self.pre -= tag == "pre"

    def data(self, data: str | None) -> None:
        if self.hidden or not data:
            return
        if self.pre:
            first, *rest = data.split("\n")
            self.line.append(first)
            for part in rest:
                self.newline()
                self.line.append(part)
        else:
            self.line.append(_SPACE.sub(" ", data.replace("\u00a0", " ")))

    def text(self) -> str:
        if self.line:
            self.newline()
        return "\n".join(self.lines)


def html_to_text(html: str) -> str:
    """The text a reader sees: paragraphs, line breaks and list items as lines, blockquotes as "> " lines, an <hr>
    as Outlook's rule; head, styles, scripts, comments and signature blocks dropped; entities decoded. lxml's parser
    (libxml2) reads malformed HTML in linear time, and the walk is a loop, so deep nesting is no recursion."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    out = _Text()
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):  # one event each: only its tail is text
            out.data(element.tail)
        elif event == "start":
            marks = " ".join(element.get(name, "") for name in ("class", "id", "data-smartmail"))
            out.start(element.tag.lower(), marks)
            out.data(element.text)
        else:
            out.end(element.tag.lower())
            out.data(element.tail)
    return out.text()
