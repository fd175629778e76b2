"""Cleaning chat text for the intent rules: code, quotes, links and mentions out; contractions and slang expanded."""

from __future__ import annotations

import html
import re


def rx(*parts: str) -> re.Pattern[str]:
    return re.compile("".join(parts))


def any_word(words: str) -> str:
    """'a b c' -> '(?:a|b|c)'; a '_' inside a word stands for whitespace."""
    return "(?:" + "|".join(w.replace("_", r"\s+") for w in words.split()) + ")"


Rows = list[tuple[re.Pattern[str], str, tuple[str, ...]]]
# Each row: pattern, replacement, and strings one of which every match contains (a row is skipped without them).
_SUBS: Rows = [
    (re.compile(p, f), r, hints)
    for p, r, f, hints in [
        (r"[\u2019\u2018\u02bc\u00b4]", "'", 0, ("\u2019", "\u2018", "\u02bc", "\u00b4")),
        (r"[\u201c\u201d\u201e\u00ab\u00bb]", '"', 0, ("\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb")),
        (r"```.*?(?:```|\Z)", " code ", re.S, ("```",)),
        (r"`[^`\n]*`", " code ", 0, ("`",)),
        (r"<(?:https?|mailto|tel):[^<>|]*\|([^<>]*)>", r" \1 ", 0, ("<",)),
        (r"<(?:https?|mailto|tel):[^<>]*>", " link ", 0, ("<",)),
        (r"<t:\d+(?::\w)?>", " sometime ", 0, ("<t:",)),
        (r"<(?:[@#!]|a?:\w+:)[^<>]*>", " ", 0, ("<",)),
    ]
]
_AFTER_UNESCAPE: Rows = [
    (re.compile(p, f), r, hints)
    for p, r, f, hints in [
        (r"(?:https?://|www\.)\S+", " link ", 0, ("http", "www.")),
        (r"^[ \t]*>>>.*", "", re.S | re.M, (">>>",)),
        (r"^[ \t]*>.*$", "", re.M, (">",)),
        (r'"[^"\n]{1,200}"', " quote ", 0, ('"',)),
        (r"(?<![\w'])'[^'\n]{1,200}'(?![\w'])", " quote ", 0, ("'",)),
        # a forwarded message, up to the dashes that close it: somebody else's words
        (
            r"-{3,}\s*forwarded\s+message\s*-{3,}(?:[^\n]|\n(?!\s*-{3,}))*(?:\n\s*-{3,}[^\n]*)?",
            " quote ",
            re.I,
            ("orwarded", "ORWARDED"),
        ),
        (r"\|\|", " ", 0, ("||",)),
        (r"~[^~\n]+~", " ", 0, ("~",)),  # struck out: not meant any more
        (r"[*~]", "", 0, ("*", "~")),
        (r"(?<!\w)_|_(?!\w)", "", 0, ("_",)),
        (r"[\U0001F4DE\u260E\U0001F919]\ufe0f?", " call ", 0, ("\U0001f4de", "\u260e", "\U0001f919")),
        (r"\U0001F4F1", " phone ", 0, ("\U0001f4f1",)),
        (r"\U0001F4AC", " message ", 0, ("\U0001f4ac",)),
    ]
]
_SLANG: Rows = [
    (re.compile(p), r, hints)
    for p, r, hints in [
        (r"\bcan't\b|\bcant\b", "can not", ("can",)),
        (r"\bwon't\b", "will not", ("won't",)),
        (r"\bain't\b", "is not", ("ain't",)),
        (
            r"\b(do|does|did|is|are|was|were|have|has|had|could|would|should|must|need)(?:n't|nt)\b",
            r"\1 not",
            ("n't", "nt"),
        ),
        (r"\blet's\b|(^|[,.!?\n][ \t]*)lets\b", r"\1let us", ("let",)),
        (r"\b(i|you|we|they|he|she|it)'ll\b", r"\1 will", ("'ll",)),
        (r"\b(i|you|we|they|he|she)'d\b", r"\1 would", ("'d",)),
        (r"\b(you|we|they)'re\b", r"\1 are", ("'re",)),
        (r"\byoure\b", "you are", ("youre",)),
        (r"\b(i|you|we|they)'ve\b", r"\1 have", ("'ve",)),
        (r"\bi'm\b|\bim\b", "i am", ("i'm", "im")),
        (
            r"\b(what|it|that|there|here|he|she|who|where|how)'?s\b",
            r"\1 is",
            ("'s", "hats", "its", "eres", "hes", "whos", "hows"),
        ),
        (r"\bu\b", "you", ("u",)),
        (r"\bya\b", "you", ("ya",)),
        (r"\bur\b", "your", ("ur",)),
        (r"\br\b", "are", ("r",)),
        (r"\b(?:pls|plz|plse|pleeease|pleeeease|pleease)\b", "please", ("pl",)),
        (r"\bgimme\b", "give me", ("gimme",)),
        (r"\blemme\b", "let me", ("lemme",)),
        (r"\bwanna\b", "want to", ("wanna",)),
        (r"\bgonna\b", "going to", ("gonna",)),
        (r"\bgotta\b", "got to", ("gotta",)),
        (r"\btxt\b", "text", ("txt",)),
        (r"\bmsg\b", "message", ("msg",)),
        (r"\bthru\b", "through", ("thru",)),
        (r"\bw/", "with ", ("w/",)),
        # common misspellings of the words the rules look for
        (r"\bcna\b", "can", ("cna",)),
        (r"\bphoen\b", "phone", ("phoen",)),
        (r"\b(?:tetx|txet|te{2,}xt|texxt)\b", "text", ("tetx", "txet", "eex", "xxt")),
        (r"\b(call|text|ring|phone)(me|us)\b", r"\1 \2", ("lme", "tme", "gme", "neme", "lus", "tus", "gus", "neus")),
        (r"\b(?:cal|caal|calll)(?=\s+(?:me|you|us)\b)", "call", ("cal", "caal")),
        (
            r"\b(?:wasap|wassap|whatsap|watsapp|watsap|whatapp|wattsapp|whatsaap)(?=\s|$|[.,!?])",
            "whatsapp",
            ("wa", "wha"),
        ),
        (r"\bb4\b", "before", ("b4",)),
        (r"\bph(?=\s+(?:me|us|you)\b)", "phone", ("ph me", "ph us", "ph you")),
        (r"\bcll\b", "call", ("cll",)),
        (r"\btlk\b", "talk", ("tlk",)),
        (r"\bwa(?=\s+(?:me|us)\b)", "whatsapp", ("wa me", "wa us")),
        (r"\b(?:tmrw|tmw|tmr|2moro|2morrow)\b", "tomorrow", ("tmr", "tmw", "2mo")),
        (r"\b(video|voice)(call|chat)(s?)\b", r"\1 \2\3", ("ocall", "ochat", "ecall", "echat")),
        (r"\bgmeet\b", "google meet", ("gmeet",)),
        (r"\bcell\s*phone\b|\bmobile\s+phone\b", "cell", ("phone",)),
        (r"\btext\s+message\b", "text", ("message",)),
        (r"\bface\s*time\b", "facetime", ("face",)),
        (r"\bwhats\s*app\b", "whatsapp", ("app",)),
        (r"\bi-?message\b", "imessage", ("message",)),
        (r"\b(phone|video|voice|zoom|conference)-(call|chat)\b", r"\1 \2", ("-c",)),
        (r"\bwas\s+(?:hoping|wondering|thinking)\b|\bwere\s+(?:hoping|wondering|thinking)\b", "hope", ("was", "were")),
        (r"\bwhy\s+(?:do|does|can|would)\s+not\s+(you|we)\b", r"can \1", ("why",)),
        (r"\b(can|could|will|would)\s+not\s+(you|we)\b", r"\1 \2", ("not",)),
        (r"\bwhy\s+not\b", "can we", ("why",)),
        (r"\b(?:do\s+not|never)\s+(?:hesitate|forget)\s+to\b", "please", ("hesitate", "forget")),
        (r"\b(?:do|would)\s+not\s+mind\b(?:\s+if)?", "", ("mind",)),
    ]
]


def _substitute(rows: Rows, text: str) -> str:
    for pattern, repl, hints in rows:
        for hint in hints:
            if hint in text:
                text = pattern.sub(repl, text)
                break
    return text


_SPACE = re.compile(r"\s+")


def _one_space(run: re.Match[str]) -> str:
    return "\n" if "\n" in run.group() else " "


def clean(text: str) -> str:
    """Drop code, quotes, links and mentions; keep the case (for shouting) and the punctuation. Each run of
    whitespace becomes one space or one line break, so no rule scans a long run again from each position in it."""
    return _SPACE.sub(_one_space, _substitute(_AFTER_UNESCAPE, html.unescape(_substitute(_SUBS, text))))


def normalise(text: str) -> str:
    return _substitute(_SLANG, text.lower())
