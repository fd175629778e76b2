"""Persistence for boundary-bot: SQLAlchemy models, migrations and repositories."""
