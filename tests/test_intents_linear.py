"""Classification grows linearly with a message's length (adversarial shapes at Slack's 40,000 characters), and a
very long message is read only at its head and tail."""

from __future__ import annotations

import time
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intents import HEAD_CHARS, TAIL_CHARS, classify, window

SLACK_LIMIT = 40_000
SHORT = 5_000
# Linear work gives a ratio of 8 between the two lengths, quadratic 64: this allows noise on a shared machine,
# never super-linear growth.
RATIO_BOUND = 20

# Shapes that were quadratic or cubic: a look-back over the whole clause per match, a pattern that backtracks to
# the end of the text from every start, whitespace runs scanned again from each position in them.
SHAPES = {
    "try to ... call me": ("try to " * 3 + "call me ",),
    "sms me": ("sms me ",),
    "phone emoji": ("\U0001f4deme ",),
    "bangs after words": ("!!! a",),
    "bangs after thanks": ("thanks so much !!! ",),
    "unclosed links": ("<http:",),
    "link labels": ("<https://x.example|",),
    "quoted lines": ("text\n>",),
    "blank lines": ("\n",),
    "spaces": (" ",),
    "what number": ("what number ",),
    "number shared": ("my number is \U0001f4de ",),
    "lets": ("lets,\n\n",),
    "face time": ("  face time me",),
    "shouting": ("HELP !!! ",),
    # the broader rules, the other languages and the urgency signs
    "a quick call": ("would a quick call ",),
    "on the phone": ("talk it through on the phone with ",),
    "apps": ("are you on whatsapp let us keep it to whatsapp ",),
    "third party": ("give the caterer a call and ask the bank to ",),
    "spanish": ("¿me llamas? te llamo por teléfono ",),
    "french": ("appelle-moi au téléphone, ",),
    "german": ("ruf mich bitte morgen kurz an ",),
    "portuguese": ("me liga pelo whatsapp ",),
    "outage": ("the site is down and nobody can pay ",),
    "deadline": ("closes in 2 hours or we lose ",),
}
VOCABULARY = [
    "call",
    "me",
    "text",
    "you",
    "please",
    "can",
    "try to",
    "sms",
    "\U0001f4de",
    "!!!",
    "?",
    ".",
    ",",
    "\n",
    " ",
    "<",
    ">",
    "<http:",
    "|",
    "`",
    "```",
    "~",
    "*",
    "_",
    '"',
    "what number",
    "reach",
    "my number is",
    "+1 555 123 4567",
    "not",
    "urgent",
    "HELP",
    "thanks",
    "let's",
    "lets",
    "zoom",
    "hop on",
    "call with",
    "&gt;",
    ">>>",
    "www.",
    "<@U1>",
    ":",
    " - ",
    "(",
    "and",
    "but",
    "whats app",
    "face time",
    "i'll",
    "live",
    "a quick call",
    "on the phone",
    "whatsapp",
    "the caterer",
    "llámame",
    "m'appeler",
    "ruf mich",
    "me liga",
    "is down",
    "in 2 hours",
]


def repeated(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def seconds(work: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def growth(unit: str, *, limit: bool) -> float:
    short, long = repeated(unit, SHORT), repeated(unit, SLACK_LIMIT)
    return seconds(lambda: classify(long, limit=limit), 2) / seconds(lambda: classify(short, limit=limit), 4)


def test_every_known_adversarial_shape_grows_linearly_up_to_slacks_limit() -> None:
    ratios = {name: growth(unit, limit=False) for name, (unit,) in SHAPES.items()}
    assert {name: r for name, r in ratios.items() if r > RATIO_BOUND} == {}, ratios


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=5),
    st.lists(st.sampled_from(["", " ", "\n"]), min_size=5, max_size=5),
)
def test_any_repeated_phrase_grows_linearly(words: list[str], gaps: list[str]) -> None:
    unit = "".join(word + gap for word, gap in zip(words, gaps, strict=False))
    assert growth(unit, limit=False) <= RATIO_BOUND, unit


def test_with_the_limit_a_40000_character_message_costs_about_what_its_head_and_tail_cost() -> None:
    for unit in ("sms me ", "\U0001f4deme ", "try to call me "):
        long = repeated(unit, SLACK_LIMIT)
        read = window(long)
        ratio = seconds(lambda: classify(long), 3) / seconds(lambda: classify(read, limit=False), 3)
        assert ratio < 2.5, (unit, ratio)


def test_the_window_keeps_the_head_and_the_tail_cut_at_whitespace() -> None:
    body = " ".join(f"word{i}" for i in range(10_000))
    read = window(f"Could you call me tomorrow? {body} Or just text me.")
    assert len(read) <= HEAD_CHARS + TAIL_CHARS + 1
    assert read.startswith("Could you call me tomorrow? word0 ")
    assert read.endswith(" Or just text me.")
    head, tail = read.split("\n")
    assert all(part.startswith("word") for part in (head.split()[-1], tail.split()[0]))  # whole words only
    assert window("short message") == "short message"


def test_a_request_at_either_end_of_a_long_message_is_found_and_the_middle_is_not_read() -> None:
    sentence = "Here are the notes from the quarterly planning session. "
    filler = sentence * 700
    assert len(filler) > SLACK_LIMIT - 1_000
    assert classify(f"Please call me about this. {filler}"[:SLACK_LIMIT]).redirect == "call"
    assert classify(f"{filler[: SLACK_LIMIT - 30]} Can you text me?").redirect == "text"
    middle = sentence * 350 + "Please call me. " + sentence * 340
    assert classify(middle).redirect is None
    assert classify(middle, limit=False).redirect == "call"
