"""Alembic environment: migrate the connection Sankofa hands in, else the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.db import default_url, make_engine
from storage.models import Base
from storage.search.api import include_in_autogenerate

config = context.config
target_metadata = Base.metadata


def configured_url() -> str:
    return config.get_main_option("sqlalchemy.url") or default_url()


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can't ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_in_autogenerate,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = make_engine(configured_url())
    try:
        with engine.connect() as new_connection:
            run_migrations(new_connection)
    finally:
        engine.dispose()


def run_offline() -> None:
    url = configured_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        include_object=include_in_autogenerate,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
