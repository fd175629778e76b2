"""Alembic migration environment and revisions for boundary-bot's database (no alembic.ini needed)."""
