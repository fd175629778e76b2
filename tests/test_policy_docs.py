"""The policy reference in docs/policy.md is generated from the model and every field is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field, create_model

import bot.policy_docs as policy_docs
from bot.emergency_policy import Emergency
from bot.policy import Policy

ROOT = Path(__file__).resolve().parents[1]


def test_docs_policy_md_matches_the_model():
    committed = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    assert committed == policy_docs.policy_reference(), "docs/policy.md is out of date: run `make docs`"


def test_every_key_of_the_example_policy_is_in_the_reference():
    reference = policy_docs.policy_reference()
    for section, _field in Policy.model_fields.items():
        assert f"`[{section}]`" in reference or f"`{section}`" in reference
    assert "Each entry of `holidays.extra`" in reference and "`{reply_by}`" in reference


def test_a_field_added_without_documentation_fails(monkeypatch):
    undocumented = create_model(
        "Emergency", __base__=Emergency, __doc__=Emergency.__doc__, pager=(str | None, Field(default=None))
    )
    fields = dict(Policy.model_fields)
    patched = create_model("Policy", __base__=Policy, emergency=(undocumented, Field(default_factory=undocumented)))
    monkeypatch.setattr(policy_docs, "Policy", patched)
    with pytest.raises(policy_docs.UndocumentedField, match=r"emergency\.pager has no description"):
        policy_docs.policy_reference()
    assert dict(Policy.model_fields) == fields
