"""The quick word checks in front of the long urgency alternations skip only messages those alternations never match."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import urgency_signs


@pytest.mark.parametrize("name", sorted(urgency_signs._NEEDS))
def test_every_text_a_gated_sign_matches_contains_one_of_its_words(name: str) -> None:
    pattern, gate = dict(urgency_signs.SIGNS)[name], urgency_signs._NEEDS[name]

    @settings(
        max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
    )
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        match = pattern.search(text)
        assert match is not None and gate.search(match.group()), (text, match)

    check()


def test_the_gate_changes_no_answer_on_the_messages_it_skips() -> None:
    skipped = "Could you look at the invoice tonight? The report can come tomorrow."
    assert not urgency_signs._NEEDS["cannot-wait"].search(skipped.lower())
    assert urgency_signs.situation_evidence(skipped.lower()) == []
    assert urgency_signs.situation_evidence("the driver is still waiting outside, hurry!") == ["urgent:cannot-wait"]
