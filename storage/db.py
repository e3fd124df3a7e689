"""The database handle: engine, sessions and schema upgrades."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_URL = "sqlite:///data/bot.db"
_open_sessions = threading.local()
READ_ONLY = "infobot_read_only"
LOCK_TIMEOUT = 10.0  # seconds


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the caller should tell the user and keep their input."""


def normalise_url(url: str) -> str:
    """Use the psycopg (v3) driver for plain PostgreSQL URLs, as Heroku-style configs give them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _sqlite_configurator(lock_timeout: float):  # noqa: ANN202 - a DBAPI event listener
    def configure(dbapi_connection, _record) -> None:  # noqa: ANN001 (DBAPI types)
        # Let SQLAlchemy, not pysqlite, decide when transactions begin: pysqlite's own handling
        # breaks SAVEPOINTs (work inside one would be committed even if the outer block fails).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        cursor.close()

    return configure


def _begin(connection) -> None:  # noqa: ANN001
    # A unit of work takes the write lock at the start: one that reads and then writes could
    # otherwise fail with "database is locked" when another one wrote in between. Read-only
    # sessions (Database.reading) begin without it, so they never wait for writers (WAL).
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Database:
    """`lock_timeout` (SQLite): how long a write waits for another process's write lock before
    the database counts as unavailable (a report then goes to the spool)."""

    def __init__(self, url: str = DEFAULT_URL, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.url = normalise_url(url)
        self.engine = self._create_engine(self.url, lock_timeout)
        self._reader = self.engine.execution_options(**{READ_ONLY: True})

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @staticmethod
    def _create_engine(url: str, lock_timeout: float) -> Engine:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": lock_timeout})
            event.listen(engine, "connect", _sqlite_configurator(lock_timeout))
            event.listen(engine, "begin", _begin)
            return engine
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=10, connect_args={"connect_timeout": 5}
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends without error, rolled back otherwise.

        Sessions do not nest: pass the open session down instead. (On SQLite a second
        transaction in the same thread would wait for the first one's lock forever.)
        """
        with self._one_per_thread(), _unavailable_on_connection_loss(), Session(self.engine, expire_on_commit=False) as session:
            yield session
            session.commit()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (never committed): on SQLite it does not wait for writers."""
        with self._one_per_thread(), _unavailable_on_connection_loss(), Session(self._reader, expire_on_commit=False) as session:
            yield session
            session.rollback()

    @staticmethod
    @contextmanager
    def _one_per_thread() -> Iterator[None]:
        if getattr(_open_sessions, "active", False):
            raise RuntimeError("a database session is already open in this thread; pass it down instead")
        _open_sessions.active = True
        try:
            yield
        finally:
            _open_sessions.active = False

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (creates it on an empty database)."""
        with _unavailable_on_connection_loss(), self.engine.begin() as connection:
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable"
            return False

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _unavailable_on_connection_loss() -> Iterator[None]:
    """Translate "cannot reach the database" into DatabaseUnavailable; other errors pass."""
    try:
        yield
    except OperationalError as error:
        raise DatabaseUnavailable(type(error.orig).__name__) from error
    except DBAPIError as error:
        if error.connection_invalidated:
            raise DatabaseUnavailable(type(error.orig).__name__) from error
        raise


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
