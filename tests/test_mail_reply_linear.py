"""Cutting a reply grows linearly with the mail's length (adversarial shapes up to 40,000 characters, plain and HTML)."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st
from test_intents_linear import repeated, seconds

from bot.mail_reply import reply_text

LONG = 40_000
SHORT = 5_000
# Linear work gives a ratio of 8 between the two lengths, quadratic 64: this allows noise on a shared machine,
# never super-linear growth.
RATIO_BOUND = 20

# Shapes that were quadratic or worse in mail-parser-reply's patterns or the stdlib HTML parser before the guards
# (blank runs, one long line opening like a quote header, unclosed comments and attributes).
PLAIN = [
    "\n",
    " ",
    "On ",
    "Am x schrieb ",
    "Le x a écrit",
    "Em x escreveu ",
    "Am x schrieb \n",
    "On x\ny wrote",
    "> On x\n> ",
    "x\n\n",
    "-- \n",
    "\n\n_",
    "_" * 40 + "\n",
    "From: x\n",
    "De: x\nEnviado: y\n",
    "Best regards ",
    "a\t",
    "a" * 239 + "\n",
    "On " + "x " * 110 + "\n",
]
HTML = ["<div>", "<blockquote>", "<p>x", "<br>", "<", "<!--", "<a href='", "<li>", "</div>", "<pre>\n"]
VOCABULARY = ["On", "wrote:", "Am", "schrieb", "Le", "a écrit", "El", "escribió:", "Em", "escreveu:", "From:", ">"]
VOCABULARY += ["Sent from my", "--", "_" * 32, "Best regards,", "Saludos,", "CAUTION:", "mail", "-", "*", "x", ":"]


def growth(unit: str, *, html: bool = False) -> float:
    def cut(text: str) -> Callable[[], object]:
        return (lambda: reply_text(None, text)) if html else (lambda: reply_text(text))

    short, long = repeated(unit, SHORT), repeated(unit, LONG)
    return seconds(cut(long), 2) / max(seconds(cut(short), 4), 1e-3)  # below a millisecond the clock is noise


def test_every_known_adversarial_plain_shape_grows_linearly() -> None:
    ratios = {unit: growth(unit) for unit in PLAIN}
    assert {unit: r for unit, r in ratios.items() if r > RATIO_BOUND} == {}, ratios


def test_every_known_adversarial_html_shape_grows_linearly() -> None:
    ratios = {unit: growth(unit, html=True) for unit in HTML}
    assert {unit: r for unit, r in ratios.items() if r > RATIO_BOUND} == {}, ratios


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=5),
    st.lists(st.sampled_from(["", " ", "\n", "\n\n"]), min_size=5, max_size=5),
)
def test_any_repeated_phrase_grows_linearly(words: list[str], gaps: list[str]) -> None:
    unit = "".join(word + gap for word, gap in zip(words, gaps, strict=False))
    assert growth(unit) <= RATIO_BOUND, unit


def test_a_40000_character_mail_is_cut_to_the_limit_whatever_its_shape() -> None:
    for unit in PLAIN:
        reply = reply_text(repeated(unit, LONG))
        assert len(reply.text) <= 4_000
