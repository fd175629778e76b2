"""The welcomed-once record in every store: one claim per client per workspace, per platform."""

from __future__ import annotations

from datetime import UTC, datetime

AT = datetime(2026, 12, 1, 15, tzinfo=UTC)


async def test_a_client_is_claimed_for_a_welcome_once_per_workspace(store):
    assert await store.claim_welcome("slack", "T1", "U_CLIENT", AT)
    assert not await store.claim_welcome("slack", "T1", "U_CLIENT", AT)
    assert await store.claim_welcome("slack", "T2", "U_CLIENT", AT)
    assert await store.claim_welcome("discord", "T1", "U_CLIENT", AT)
    assert await store.claim_welcome("slack", "T1", "U_OTHER", AT)
