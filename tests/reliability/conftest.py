"""The reliability suite's scale (RELIABILITY_SOAK=1 for the full sizes) and its counts, printed in the summary."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fakes and harnesses in tests/

SOAK = os.environ.get("RELIABILITY_SOAK") == "1"
COUNTS = pytest.StashKey[list[str]]()


@pytest.fixture
def counts(request: pytest.FixtureRequest):
    """Call with a label and counts; they are printed now and again in the terminal summary (with or without -s)."""
    lines = request.config.stash.setdefault(COUNTS, [])

    def record(label: str, **values: object) -> None:
        line = f"{request.node.name}: {label}: " + ", ".join(
            f"{key.replace('_', ' ')} {value}" for key, value in values.items()
        )
        lines.append(line)
        print(line)

    return record


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    lines = config.stash.get(COUNTS, [])
    if lines:
        terminalreporter.section(f"reliability counts ({'soak' if SOAK else 'make test'} sizes)")
        for line in lines:
            terminalreporter.write_line(line)
