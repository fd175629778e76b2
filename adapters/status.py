"""`boundary-bot status`: the owner's status page, read from the database without changing it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import StartError
from bot.policy import Policy
from bot.settings import Settings
from bot.status import status_report
from storage.database import Database, alembic_config, normalize_url


async def report(settings: Settings, policy: Policy, now: datetime) -> str:
    try:
        url = make_url(normalize_url(settings.database_url))
    except ValueError as error:
        raise StartError(f"DATABASE_URL: {error}") from None
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).expanduser().exists():
        return f"No database yet at {shown}: the bot creates it when it first starts (make run)."
    database = Database(settings.database_url)
    try:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        revision = await database.current_revision()
        if revision != head:
            return (
                f"The database at {shown} is at {revision or 'nothing yet'}: start the bot once to bring it to {head}."
            )
        return await status_report(database.store(), database.deliveries(), policy, now)
    except (OSError, SQLAlchemyError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0] or type(error).__name__
        raise StartError(f"the database at {shown} cannot be read: {reason}") from None
    finally:
        await database.dispose()


def main() -> int:
    settings = Settings()
    print(asyncio.run(report(settings, settings.load_policy(), datetime.now(UTC))))
    return 0
