"""Migrations: they build the schema the models describe, and upgrade an old database in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage.db import Database, alembic_config
from storage.models import metadata
from tests.support.databases import POSTGRES_URL

sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="uses its own SQLite files")


def test_migrations_match_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": _ours})
        assert compare_metadata(context, metadata) == []


def _ours(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    return not (type_ == "table" and name == "apscheduler_jobs")


def test_there_is_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"migrations branch: {heads}"


@sqlite_only
def test_an_old_database_is_upgraded_in_place_keeping_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Database(url)
    with old.engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text(
            "INSERT INTO person (id, name, active, updated_at) VALUES ('U01OLD', 'Oude Bekende', 1, '2024-01-01 00:00:00')"
        ))
    old.dispose()

    upgraded = Database(url)
    upgraded.upgrade()
    with upgraded.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM person")).scalar_one() == "Oude Bekende"
        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
    upgraded.upgrade()  # a second start changes nothing
    upgraded.dispose()


@sqlite_only
def test_default_database_lives_under_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    database = Database()
    database.upgrade()
    assert (tmp_path / "data" / "bot.db").exists()
    database.dispose()
