"""The SQLite files hold client messages (and tokens in OAuth mode): only their owner can read them."""
from __future__ import annotations

import os
import stat

from storage.database import Database


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_a_new_database_and_its_wal_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "data" / "bot.db"
        database = Database(f"sqlite:///{path}")
        await database.migrate()
        files = [path, path.with_name("bot.db-wal"), path.with_name("bot.db-shm")]
        assert {file.name: mode(file) for file in files} == {file.name: 0o600 for file in files}  # WAL files while open
        await database.dispose()
    finally:
        os.umask(old)


async def test_an_existing_world_readable_database_is_made_private(tmp_path):
    path = tmp_path / "bot.db"
    path.touch()
    path.chmod(0o644)
    database = Database(f"sqlite:///{path}")
    await database.migrate()
    await database.dispose()
    assert mode(path) == 0o600
