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
        with database.engine.begin() as connection:
            tables = connection.execute(text(
                "SELECT quote_ident(tablename) FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
            )).scalars().all()
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        return database
