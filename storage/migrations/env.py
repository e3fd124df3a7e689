"""Alembic environment: runs migrations on the connection `Database.upgrade` hands over."""

from alembic import context
from sqlalchemy import create_engine

from storage.models import metadata

config = context.config
FOREIGN_TABLES = {"apscheduler_jobs"}  # created and owned by APScheduler's job store


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001 - alembic's hook signature
    return not (type_ == "table" and name in FOREIGN_TABLES)


def run_migrations(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs table rebuilds for ALTER
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:  # the alembic command line, e.g. `alembic revision --autogenerate`
    with create_engine(config.get_main_option("sqlalchemy.url")).connect() as fresh:
        run_migrations(fresh)
        fresh.commit()
