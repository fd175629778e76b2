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


async def test_a_new_connection_waits_to_switch_to_wal_while_another_process_writes(tmp_path):
    """Replicas starting together: one migrates (a write lock on a file still in rollback mode) while another
    connects; SQLite refuses the second's switch to WAL at once, without its busy handler, until the first is done."""
    import sqlite3
    import threading

    path = tmp_path / "bot.db"
    locked, release = threading.Event(), threading.Event()

    def writer() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("CREATE TABLE t (x)")
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t VALUES (1)")
        locked.set()
        release.wait(5)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    locked.wait(5)
    threading.Timer(0.5, release.set).start()
    database = Database(f"sqlite:///{path}")
    try:
        assert await database.current_revision() is None  # connected (WAL on) once the writer was done
    finally:
        release.set()
        thread.join()
        await database.dispose()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
