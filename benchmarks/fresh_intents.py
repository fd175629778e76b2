"""`python -m benchmarks.fresh_intents [DIR]`: scores a batch kept apart from the corpus (default tests/data/fresh-2026-12b), all misses listed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.report import use_test_fakes

use_test_fakes()
from intent_corpus import LANGUAGES, Example, describe_miss, evaluate

from benchmarks.intents import languages, table
from bot.intents import classify

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "fresh-2026-12b"


def load_batch(folder: Path) -> list[Example]:
    examples = []
    for lang in LANGUAGES:
        path = folder / f"intents_{lang}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
            if line.strip():
                row = json.loads(line)
                examples.append(Example(row["text"], row["redirect"], row["urgent"], row["lang"]))
    return examples


def model_effect(examples: list[Example]) -> None:
    """The requests the English model added to the rules' answers, read from each answer's evidence."""
    additions = [0, 0]  # [right, wrong]
    for example in examples:
        if any(":model(" in item for item in classify(example.text).evidence):
            additions[example.redirect is None] += 1
    print(f"model: added {sum(additions)} requests ({additions[0]} real requests, {additions[1]} not)")


def run(folder: Path = DEFAULT) -> None:
    examples = load_batch(folder)
    result = evaluate(examples)
    table(f"{folder.name}, every message (P precision, R recall, n actual)", result, len(examples))
    print()
    languages(folder.name, examples)
    model_effect(examples)
    print(f"\n{len(result.misses)} misses:")
    for example, intent in sorted(result.misses, key=lambda miss: LANGUAGES.index(miss[0].lang)):
        print("  " + describe_miss(example, intent))


if __name__ == "__main__":
    run(Path(sys.argv[1]) if sys.argv[1:] else DEFAULT)
