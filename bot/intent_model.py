"""A small linear model over words that confirms or adds call and text requests in English; weights in intent_model.toml."""

from __future__ import annotations

import math
import re
import tomllib
from functools import cache
from itertools import pairwise
from pathlib import Path

WEIGHTS = Path(__file__).with_name("intent_model.toml")
_TOKEN = re.compile(r"[\w']+|[?!]")
# A message the rules miss but the model gives at least RESCUE is a request (chosen on a batch of 410 messages neither
# had seen; on blind batch 2026-12c it added 10 real requests and 2 false). The model no longer drops rule hits: on the
# two blind batches it dropped as many real requests as false ones (7 and 6, 7 and 7), and in five-fold
# cross-validation on the corpus's tuning part 21 real and 9 false (see README, "Detection").
RESCUE = 0.95


def features(low: str) -> set[str]:
    """Words and word pairs of a normalised message (bot/textclean.normalise)."""
    tokens = _TOKEN.findall(low)
    return set(tokens) | {f"{a} {b}" for a, b in pairwise(tokens)}


@cache
def _model() -> tuple[float, dict[str, float]]:
    data = tomllib.loads(WEIGHTS.read_text(encoding="utf-8"))
    return float(data["bias"]), {str(k): float(v) for k, v in data["weights"].items()}


def load() -> None:
    """Read the weights now (about 0.1 s), so the first message classified does not wait for them."""
    _model()


def probability(low: str) -> tuple[float, list[str]]:
    """How likely the message asks for a call or a text, and the three words that pushed it up most."""
    bias, weights = _model()
    found = [(weights[f], f) for f in features(low) if f in weights]
    score = bias + sum(w for w, _ in found)
    top = [f for w, f in sorted(found, reverse=True)[:3] if w > 0]
    return 1 / (1 + math.exp(-max(min(score, 30.0), -30.0))), top


def to_toml(bias: float, weights: dict[str, float], header: str) -> str:
    """The weights file: a comment saying how it was made, the bias, and one line per feature."""
    import json

    lines = [f"# {line}" for line in header.splitlines()] + [f"bias = {bias:.4f}", "", "[weights]"]
    lines += [f"{json.dumps(k, ensure_ascii=False)} = {v:.4f}" for k, v in sorted(weights.items())]
    return "\n".join(lines) + "\n"
