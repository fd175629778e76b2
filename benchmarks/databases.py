"""Throwaway databases for the benchmarks: a SQLite file in a temporary directory, or a fresh PostgreSQL database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.report import ROOT
from storage.database import normalize_url


def postgres_url() -> str | None:
    """$TEST_DATABASE_URL, else what scripts/ensure-postgres.sh finds, else None."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        return url
    found = subprocess.run(["bash", str(ROOT / "scripts" / "ensure-postgres.sh")], capture_output=True, text=True)
    return found.stdout.strip() or None if found.returncode == 0 else None


@contextlib.asynccontextmanager
async def scratch_database(kind: str) -> AsyncIterator[str]:
    """The URL of an empty database of `kind` ("sqlite" or "postgresql"), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="boundary-bench-") as directory:
            yield f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        return
    base = postgres_url()
    if base is None:
        raise RuntimeError("no PostgreSQL reachable (scripts/ensure-postgres.sh found none)")
    name = f"boundary_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(base).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()
