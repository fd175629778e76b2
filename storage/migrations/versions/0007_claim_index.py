"""A partial index of the deliveries not yet finished, for the sender's claim (every few seconds) to stay flat; two
indexes no read uses any more go, so each row written costs less."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_claim_index"
down_revision: str | Sequence[str] | None = "0006_departures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNFINISHED_ROWS = "state IN ('pending', 'in_flight', 'unknown')"  # as in storage/tables.py


def upgrade() -> None:
    op.create_index(
        "ix_deliveries_unfinished",
        "deliveries",
        ["due_at", "id"],
        sqlite_where=sa.text(UNFINISHED_ROWS),
        postgresql_where=sa.text(UNFINISHED_ROWS),
    )
    # Every row written or settled updates each index: these two no read needs any more (the claim reads the one
    # above, failures read ix_deliveries_state_updated, the planner the unique key).
    op.drop_index("ix_deliveries_state_due", table_name="deliveries")
    op.drop_index("ix_deliveries_kind_state", table_name="deliveries")


def downgrade() -> None:
    op.create_index("ix_deliveries_kind_state", "deliveries", ["kind", "state"])
    op.create_index("ix_deliveries_state_due", "deliveries", ["state", "due_at"])
    op.drop_index("ix_deliveries_unfinished", table_name="deliveries")
