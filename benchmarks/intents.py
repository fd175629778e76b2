"""Detection figures (`make eval`): precision and recall per class and language on the corpus's held-out fifth and on
its tuning part, then the tuning part's misses (the held-out misses only with INTENTS_SHOW_HELD_OUT=1)."""
from __future__ import annotations

import os

from benchmarks.report import use_test_fakes

use_test_fakes()
from intent_corpus import CLASSES, LANGUAGES, describe_miss, evaluate, load, parts  # noqa: E402


def table(name: str, evaluation, size: int) -> None:
    print(f"\n{name} ({size} messages)")
    print(f"{'':6}" + "".join(f"{cls:>24}" for cls in CLASSES))
    for lang in (*LANGUAGES, "all"):
        row = [str(evaluation.scores[(lang, cls)]) if (lang, cls) in evaluation.scores else "-" for cls in CLASSES]
        print(f"{lang:6}" + "".join(f"{cell:>24}" for cell in row))


def run() -> None:
    split = parts(load())
    results = {name: evaluate(examples) for name, examples in split.items()}
    for name, examples in split.items():
        table(name, results[name], len(examples))
    shown = ["tuning"] + (["held-out"] if os.environ.get("INTENTS_SHOW_HELD_OUT") == "1" else [])
    for name in shown:
        misses = results[name].misses
        print(f"\n{len(misses)} misses in the {name} part:")
        for example, intent in misses:
            print("  " + describe_miss(example, intent))
    if "held-out" not in shown:
        print(f"\n{len(results['held-out'].misses)} misses in the held-out part, not shown: it is never tuned on")


if __name__ == "__main__":
    run()
