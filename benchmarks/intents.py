"""Detection figures (`make eval`): precision and recall per class and language on the corpus's held-out fifth and on
its tuning part, then the tuning part's misses (the held-out misses only with INTENTS_SHOW_HELD_OUT=1).
`python -m benchmarks.intents --train` fits bot/intent_model.toml on the English tuning part, never the held-out fifth."""

from __future__ import annotations

import math
import os
import random
import sys

from benchmarks.report import use_test_fakes

use_test_fakes()
from intent_corpus import CLASSES, LANGUAGES, describe_miss, evaluate, load, parts

from bot import intent_model, textclean
from bot.language import detect


def table(name: str, evaluation, size: int) -> None:
    print(f"\n{name} ({size} messages)")
    print(f"{'':6}" + "".join(f"{cls:>24}" for cls in CLASSES))
    for lang in (*LANGUAGES, "all"):
        row = [str(evaluation.scores[(lang, cls)]) if (lang, cls) in evaluation.scores else "-" for cls in CLASSES]
        print(f"{lang:6}" + "".join(f"{cell:>24}" for cell in row))


def languages(name: str, examples) -> None:
    counts = {
        lang: (sum(detect(e.text) == lang for e in examples if e.lang == lang), sum(e.lang == lang for e in examples))
        for lang in LANGUAGES
    }
    wrong = sum(detect(e.text) not in (None, e.lang) for e in examples)
    print(
        f"language named ({name}): "
        + ", ".join(f"{lang} {right}/{total}" for lang, (right, total) in counts.items())
        + f"; a wrong language {wrong} times (none named: the reply is in the default language)"
    )


def run() -> None:
    split = parts(load())
    results = {name: evaluate(examples) for name, examples in split.items()}
    for name, examples in split.items():
        table(name, results[name], len(examples))
    print()
    for name, examples in split.items():
        languages(name, examples)
    shown = ["tuning"] + (["held-out"] if os.environ.get("INTENTS_SHOW_HELD_OUT") == "1" else [])
    for name in shown:
        misses = results[name].misses
        print(f"\n{len(misses)} misses in the {name} part:")
        for example, intent in misses:
            print("  " + describe_miss(example, intent))
    if "held-out" not in shown:
        print(f"\n{len(results['held-out'].misses)} misses in the held-out part, not shown: it is never tuned on")


def fit(
    rows: list[tuple[set[str], float]], epochs: int = 30, rate: float = 0.3, l2: float = 1e-3, seed: int = 0
) -> tuple[float, dict[str, float]]:
    """Logistic regression by stochastic gradient descent, in a fixed order: the same data gives the same weights."""
    order = random.Random(seed)
    weights: dict[str, float] = {}
    bias = 0.0
    rows = list(rows)
    for _ in range(epochs):
        order.shuffle(rows)
        for feats, label in rows:
            score = bias + sum(weights.get(f, 0.0) for f in feats)
            error = 1 / (1 + math.exp(-max(min(score, 30.0), -30.0))) - label
            bias -= rate * error
            for f in feats:
                weights[f] = weights.get(f, 0.0) - rate * (error + l2 * weights.get(f, 0.0))
    return bias, weights


def model_rows() -> list[tuple[set[str], float]]:
    """The model's training rows: the English messages of the tuning part, never the held-out fifth."""
    return [
        (intent_model.features(textclean.normalise(textclean.clean(e.text))), 1.0 if e.redirect else 0.0)
        for e in load(["en"])
        if not e.held_out
    ]


def train() -> None:
    rows = model_rows()
    bias, weights = fit(rows)
    kept = {f: w for f, w in weights.items() if abs(w) >= 0.05}
    header = (
        f"Made by `python -m benchmarks.intents --train` from the {len(rows)} English messages of the corpus's tuning\n"
        f"part (tests/data/intents_en.jsonl, never the held-out fifth): logistic regression over words and word\n"
        f"pairs, 30 passes, rate 0.3, L2 0.001, seed 0; {len(kept)} of {len(weights)} weights kept (|w| >= 0.05)."
    )
    intent_model.WEIGHTS.write_text(intent_model.to_toml(bias, kept, header), encoding="utf-8")
    print(f"wrote {intent_model.WEIGHTS} ({len(kept)} weights)")


if __name__ == "__main__":
    train() if "--train" in sys.argv[1:] else run()
