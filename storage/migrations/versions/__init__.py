"""Alembic revision scripts, applied in order by storage.database.Database.migrate()."""
