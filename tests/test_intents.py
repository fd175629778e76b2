"""The rule-based intent classifier: the shared labelled examples, our own paraphrases and look-alikes, and the CLI helper."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from intent_cases import CALL, CALL_REQUESTS, LOOK_ALIKES, MIXED, TEXT, TEXT_REQUESTS, URGENCY

from bot.intents import Intent, classify, classify_lines

SHARED_EXAMPLES = Path(__file__).resolve().parent / "data" / "intent_examples.jsonl"  # a copy of shared/data's
MISSING = f"shared intent examples not found at {SHARED_EXAMPLES}"


def _load_shared() -> list[dict] | None:
    if not SHARED_EXAMPLES.exists():
        return None
    lines = SHARED_EXAMPLES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _id(text: str) -> str:
    return re.sub(r"[^\w?!'-]+", "_", text.encode("ascii", "replace").decode())[:60]


SHARED = _load_shared()


@pytest.mark.parametrize(
    "example",
    [pytest.param(e, id=_id(e["text"])) for e in SHARED] if SHARED else [pytest.param(None, id="shared-file-missing")],
)
def test_shared_example(example):
    if example is None:
        pytest.skip(MISSING)
    intent = classify(example["text"])
    assert (intent.redirect, intent.urgent) == (example["redirect"], example["urgent"]), intent.evidence


def _precision_recall(examples: list[dict], label: str) -> tuple[float, float]:
    predicted = [classify(e["text"]).redirect == label for e in examples]
    actual = [e["redirect"] == label for e in examples]
    true_pos = sum(p and a for p, a in zip(predicted, actual, strict=True))
    precision = true_pos / sum(predicted) if any(predicted) else 1.0
    recall = true_pos / sum(actual) if any(actual) else 1.0
    return precision, recall


def test_precision_and_recall_on_the_shared_file():
    if SHARED is None:
        pytest.skip(MISSING)
    scores = {label: _precision_recall(SHARED, label) for label in ("call", "text")}
    urgent_ok = sum(classify(e["text"]).urgent == e["urgent"] for e in SHARED)
    for label, (precision, recall) in scores.items():
        print(f"\n{label}: precision {precision:.3f} recall {recall:.3f}", end="")
    print(f"\nurgent: {urgent_ok}/{len(SHARED)} correct")
    assert scores == {"call": (1.0, 1.0), "text": (1.0, 1.0)}


# --- our own cases (tests/intent_cases.py): paraphrases, not copies of the shared file ---------
OWN_CASES = (
    [pytest.param(t, CALL, None, id=_id(t)) for t in CALL_REQUESTS]
    + [pytest.param(t, TEXT, None, id=_id(t)) for t in TEXT_REQUESTS]
    + [pytest.param(t, None, False, id=_id(t)) for t in LOOK_ALIKES]
    + [pytest.param(t, None, u, id=_id(t)) for t, u in URGENCY]
    + [pytest.param(t, r, u, id=_id(t)) for t, r, u in MIXED]
)


@pytest.mark.parametrize(("text", "redirect", "urgent"), OWN_CASES)
def test_own_case(text, redirect, urgent):
    intent = classify(text)
    assert intent.redirect == redirect, intent.evidence
    if urgent is not None:
        assert intent.urgent is urgent, intent.evidence


def test_own_cases_do_not_repeat_the_shared_file():
    shared = {e["text"].lower() for e in SHARED or []}
    own = [p.values[0] for p in OWN_CASES]
    assert len(own) >= 60
    assert not [t for t in own if t.lower() in shared]
    assert len(set(own)) == len(own)


def test_requests_are_not_urgent_by_themselves():
    assert not classify("Can you call me this week?").urgent
    assert not classify("Text me when you're free").urgent


def test_evidence_names_the_rules_that_fired():
    intent = classify("URGENT call me now")
    assert intent.evidence and all(isinstance(e, str) for e in intent.evidence)
    assert any(e.startswith("call:") for e in intent.evidence)
    assert any(e.startswith("urgent:") for e in intent.evidence)
    assert classify("Happy Friday").evidence == ()


def test_as_json_is_the_public_shape():
    assert classify("text me").as_json() == {"redirect": "text", "urgent": False}
    assert Intent(redirect=None, urgent=True).as_json() == {"redirect": None, "urgent": True}
    assert json.dumps(Intent("call", False, ("call:direct",)).as_json()) == '{"redirect": "call", "urgent": false}'


def test_intent_is_immutable():
    with pytest.raises(AttributeError):
        classify("call me").redirect = None  # type: ignore[misc]


def test_classify_lines_yields_one_json_line_per_input_line():
    out = list(classify_lines(["call me asap\n", "\n", "", "Whatsapp me\r\n", "the API call fails"]))
    assert out == [
        '{"redirect": "call", "urgent": true}',
        '{"redirect": null, "urgent": false}',
        '{"redirect": null, "urgent": false}',
        '{"redirect": "text", "urgent": false}',
        '{"redirect": null, "urgent": false}',
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\U0001f44d", "```", "<@U123>", "?!?!"])
def test_degenerate_input(text):
    assert classify(text).as_json() == {"redirect": None, "urgent": False}


def test_long_or_hostile_input_is_read():
    # how the time grows with the length is tests/test_intents_linear.py's business; no test here reads the clock
    hostile = [
        "a " * 5000,
        "call " * 3000,
        "can you " * 2000 + "call me",
        "talk about " + "x " * 5000 + "live",
        "<" * 3000,
        '"' * 3000,
    ]
    results = [classify(t) for t in hostile]
    assert results[2].redirect == "call"
    assert classify("Can you schedule a call with my accountant? It's urgent!!!").as_json() == {
        "redirect": None,
        "urgent": True,
    }
