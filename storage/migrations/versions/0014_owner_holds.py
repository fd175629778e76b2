"""The owner's after-hours messages held for the opening: until when, per person (issue 26)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_owner_holds"
down_revision: str | Sequence[str] | None = "0013_reply_log_owner_dm"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "owner_holds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(128), nullable=False),
        sa.Column("person_id", sa.String(128), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "workspace_id", "person_id", name="uq_owner_holds_person"),
    )


def downgrade() -> None:
    op.drop_table("owner_holds")
