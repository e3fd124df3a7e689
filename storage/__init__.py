"""Persistence: SQLModel tables, the database handle and schema migrations.

SQLite by default (a file under ./data/), PostgreSQL in production. Every table is
defined in a module of this package and created by an Alembic migration.
"""
