"""Classification figure: the slowest of the adversarial shapes at Slack's 40,000 characters, read as the bot reads
them (head and tail) and in full, against an everyday message."""

from __future__ import annotations

import time

from benchmarks.report import figure, use_test_fakes
from bot.intents import HEAD_CHARS, TAIL_CHARS, classify

use_test_fakes()
from test_intents_linear import SHAPES, SLACK_LIMIT, repeated  # one list of shapes for test and figure


def best_ms(text: str, *, limit: bool, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        classify(text, limit=limit)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def run() -> None:
    everyday = best_ms("Hi! Could you give me a quick call tomorrow about the invoice? Thanks", limit=True, repeats=50)
    read = {name: best_ms(repeated(unit, SLACK_LIMIT), limit=True) for name, (unit,) in SHAPES.items()}
    full = {name: best_ms(repeated(unit, SLACK_LIMIT), limit=False, repeats=2) for name, (unit,) in SHAPES.items()}
    worst = max(read, key=read.__getitem__)
    figure(
        "classify 40,000 chars (as read)",
        f"{read[worst]:.1f} ms worst ({worst!r})",
        f"{len(SHAPES)} adversarial shapes from tests/test_intents_linear.py, head {HEAD_CHARS:,} + tail {TAIL_CHARS:,} "
        f"characters read; an everyday message takes {everyday:.2f} ms",
    )
    worst = max(full, key=full.__getitem__)
    figure(
        "classify 40,000 chars (in full)",
        f"{full[worst]:.0f} ms worst ({worst!r})",
        "the same shapes with the head-and-tail limit off: linear work, about 8x the 5,000-character time",
    )
