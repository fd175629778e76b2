"""The classifier's quick word scans only skip rules that could not have matched: same answers with them switched off."""

from __future__ import annotations

import dataclasses
import re

import test_intents as cases
from intent_corpus import load

from bot import intent_languages, intents, textclean, urgency

ALWAYS = re.compile("")  # a scan that finds something in every text: every rule runs


def corpus() -> list[str]:
    texts = [example["text"] for example in cases.SHARED or []]
    texts += cases.CALL_REQUESTS + cases.TEXT_REQUESTS + cases.LOOK_ALIKES
    texts += [text for text, *_ in cases.URGENCY + cases.MIXED]
    texts += [example.text for example in load()]  # the labelled corpus, every language
    variants = [
        variant
        for text in texts
        for variant in (text.upper(), text.title(), f"> {text}\n`{text}`", f"{text}!!! <https://x.example/{text[:5]}>")
    ]
    return texts + variants


def every_rule(rows: textclean.Rows, text: str) -> str:
    for pattern, repl, _hints in rows:
        text = pattern.sub(repl, text)
    return text


def answers(texts: list[str]) -> list[tuple]:
    return [
        (textclean.clean(text), textclean.normalise(textclean.clean(text)), intents.classify(text)) for text in texts
    ]


def test_switching_the_scans_off_changes_no_answer(monkeypatch) -> None:
    texts = corpus()
    assert len(texts) > 5000
    quick = answers(texts)
    monkeypatch.setattr(intents, "_ANY_MEDIUM", ALWAYS)
    monkeypatch.setattr(
        intent_languages,
        "LANGUAGES",
        tuple(dataclasses.replace(lang, words=ALWAYS) for lang in intent_languages.LANGUAGES),
    )
    monkeypatch.setattr(urgency, "_URGENT_WORD", ALWAYS)
    monkeypatch.setattr(urgency, "_TERM_WORD", ALWAYS)
    monkeypatch.setattr(urgency, "_TWO_CAPITALS", ALWAYS)
    monkeypatch.setattr(textclean, "_substitute", every_rule)
    differ = [text for text, fast, full in zip(texts, quick, answers(texts), strict=True) if fast != full]
    assert differ == [], f"a quick scan skipped a rule that matches (extend its word list): {differ[:5]}"
