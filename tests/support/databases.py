"""Test databases: a fresh, migrated database per test, on SQLite or (TEST_DATABASE_URL) PostgreSQL.

Migrating once and copying (SQLite) or truncating (PostgreSQL) keeps each test's
database empty without paying for a full migration every time.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import text

from storage.db import Database
from storage.models import metadata

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


class DatabaseFactory:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._template: Path | None = None
        self._postgres: Database | None = None

    def fresh(self, name: str) -> Database:
        if POSTGRES_URL:
            return self._fresh_postgres()
        return self._fresh_sqlite(name)

    def _fresh_sqlite(self, name: str) -> Database:
        if self._template is None:
            self._template = self.workdir / "template.db"
            template = Database(f"sqlite:///{self._template}")
            template.upgrade()
            template.dispose()
        target = self.workdir / f"{name}.db"
        shutil.copyfile(self._template, target)
        return Database(f"sqlite:///{target}")

    def _fresh_postgres(self) -> Database:
        if self._postgres is None:
            self._postgres = Database(POSTGRES_URL)
            self._postgres.upgrade()
        database = Database(POSTGRES_URL)
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        extra = [name for (name,) in _existing_extra_tables(database)]
        with database.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join([tables, *extra])} RESTART IDENTITY CASCADE"))
        return database


def _existing_extra_tables(database: Database) -> list[tuple[str]]:
    """Tables outside the models that tests fill too (the scheduler's job store)."""
    with database.engine.connect() as connection:
        return list(connection.execute(text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename NOT IN (SELECT unnest(CAST(:names AS text[]))) AND tablename <> 'alembic_version'"
        ), {"names": [t.name for t in metadata.sorted_tables]}))
