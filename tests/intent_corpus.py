"""The labelled intent corpus (tests/data/intents_<lang>.jsonl): loading, the fixed held-out fifth, and scoring."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.intents import Intent, classify

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "es", "fr", "de", "pt")
CLASSES = ("call", "text", "request", "urgent")  # "request": a call or a text, whichever medium was named


@dataclass(frozen=True)
class Example:
    text: str
    redirect: str | None
    urgent: bool
    lang: str

    @property
    def held_out(self) -> bool:
        """One example in five, fixed by a hash of its text: never looked at while tuning the rules."""
        return int(hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:8], 16) % 5 == 0


def load(languages: Iterable[str] = LANGUAGES) -> list[Example]:
    examples = []
    for lang in languages:
        for line in (DATA / f"intents_{lang}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                examples.append(Example(row["text"], row["redirect"], row["urgent"], row["lang"]))
    return examples


def parts(examples: list[Example]) -> dict[str, list[Example]]:
    return {"held-out": [e for e in examples if e.held_out], "tuning": [e for e in examples if not e.held_out]}


@dataclass
class Score:
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_pos + self.false_neg
        return self.true_pos / actual if actual else 1.0

    def add(self, predicted: bool, actual: bool) -> None:
        self.true_pos += predicted and actual
        self.false_pos += predicted and not actual
        self.false_neg += actual and not predicted

    def __str__(self) -> str:
        return f"P {self.precision:.2f} R {self.recall:.2f} (n={self.true_pos + self.false_neg})"


def _facts(redirect: str | None, urgent: bool) -> dict[str, bool]:
    return {"call": redirect == "call", "text": redirect == "text", "request": redirect is not None, "urgent": urgent}


@dataclass
class Evaluation:
    scores: dict[tuple[str, str], Score]  # (language or "all", class) -> score
    misses: list[tuple[Example, Intent]]


def evaluate(examples: list[Example], classifier: Callable[[str], Intent] = classify) -> Evaluation:
    scores: dict[tuple[str, str], Score] = {}
    misses = []
    for example in examples:
        intent = classifier(example.text)
        actual, predicted = _facts(example.redirect, example.urgent), _facts(intent.redirect, intent.urgent)
        for cls in CLASSES:
            for lang in (example.lang, "all"):
                scores.setdefault((lang, cls), Score()).add(predicted[cls], actual[cls])
        if (intent.redirect, intent.urgent) != (example.redirect, example.urgent):
            misses.append((example, intent))
    return Evaluation(scores, misses)


def describe_miss(example: Example, intent: Intent) -> str:
    want = f"{example.redirect or '-'}{'+urgent' if example.urgent else ''}"
    got = f"{intent.redirect or '-'}{'+urgent' if intent.urgent else ''}"
    evidence = ", ".join(intent.evidence) or "no evidence"
    return f"[{example.lang}] want {want:<12} got {got:<12} {example.text!r}  ({evidence})"
