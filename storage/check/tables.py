"""The checks of the tables: migrations, schema, integrity, orphans and story clusters."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script.revision import RevisionError
from sqlalchemy import Connection, Engine, ForeignKey, and_, exists, func, inspect, select

from storage.check.common import (
    SAMPLE,
    Outcome,
    ids,
    listed,
    per_dialect,
    postgres_indexes,
    reading,
    scripts,
)
from storage.db import current_revision
from storage.models import Article, Base
from storage.search.api import include_in_autogenerate


def check_migrations(engine: Engine) -> Outcome:
    directory = scripts()
    head = directory.get_current_head()
    current = current_revision(engine)
    if current == head:
        return [], f"at head ({head})"
    if current is None:
        return ["never migrated: `sankofa db upgrade` creates the schema"], ""
    try:
        behind = len(list(directory.iterate_revisions(head, current)))
    except RevisionError:
        unknown = f"at {current}, unknown here: migrated by a newer Sankofa; upgrade Sankofa"
        return [unknown], ""
    return [f"at {current}, {behind} migration(s) behind {head}: run `sankofa db upgrade`"], ""


def check_schema(engine: Engine) -> Outcome:
    with reading(engine) as connection:
        # The FTS5 tables and the GIN index have no model; the search check covers them.
        opts = {"compare_type": True, "include_object": include_in_autogenerate}
        differences = compare_metadata(
            MigrationContext.configure(connection, opts=opts), Base.metadata
        )
    described = [_describe(difference) for difference in differences]
    extra = [words for words in described if words.startswith("unexpected")]
    lacking = [words for words in described if words not in extra]
    # Objects the models do not know (a user's own index, say) do no harm: noted, not a problem.
    noted = f" (also: {listed(extra)})" if extra else ""
    problems = [f"differs from the models: {listed(lacking)}"] if lacking else []
    return problems, f"every table, column, index and constraint of the models{noted}"


def _describe(difference: Any) -> str:
    """One of compare_metadata's differences in words, seen from the database."""
    if isinstance(difference, list):  # changes to one column come as a list of modify_* tuples
        _operation, _schema, table, column = difference[0][:4]
        return f"changed column {table}.{column}"
    operation, *rest = difference
    verb, _, kind = str(operation).partition("_")
    what = {"add": "missing", "remove": "unexpected"}.get(verb, verb)
    target = rest[-1]
    if kind == "column":
        return f"{what} column {rest[1]}.{target.name}"
    name = getattr(target, "name", None) or getattr(getattr(target, "table", None), "name", "?")
    return f"{what} {'foreign key' if kind == 'fk' else kind} {name}"


def check_integrity(engine: Engine) -> Outcome:
    return per_dialect(engine, _sqlite_integrity, _postgres_integrity)


def _sqlite_integrity(connection: Connection) -> Outcome:
    problems = []
    messages = list(connection.exec_driver_sql("PRAGMA integrity_check").scalars())
    if messages != ["ok"]:
        problems.append(f"integrity_check: {listed(messages)}")
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if violations:  # rows: (table, rowid, parent table, foreign key number)
        links = sorted({f"{row[0]} → {row[2]}" for row in violations})
        problems.append(f"foreign_key_check: {len(violations)} row(s) ({listed(links)})")
    return problems, "integrity_check and foreign_key_check found nothing"


def _postgres_integrity(connection: Connection) -> Outcome:
    # Without amcheck, reading every heap page is the cheap test of the tables left: count(*)
    # would otherwise be answered from an index. SET LOCAL ends with this transaction.
    for plan in ("indexscan", "indexonlyscan", "bitmapscan"):
        connection.exec_driver_sql(f"SET LOCAL enable_{plan} = off")
    tables = _present_model_tables(connection)
    rows = {
        name: connection.scalar(select(func.count()).select_from(Base.metadata.tables[name]))
        for name in tables
    }
    indexes = postgres_indexes(connection)
    invalid = sorted(name for name, usable in indexes.items() if not usable)
    if invalid:
        return [f"invalid indexes (a build failed or was interrupted): {listed(invalid)}"], ""
    return (
        [],
        f"scanned {len(rows)} tables ({rows.get('articles', 0)} articles), "
        f"{len(indexes)} indexes valid",
    )


def _present_model_tables(connection: Connection) -> list[str]:
    """The model's tables that exist (the schema check reports the others)."""
    present = set(inspect(connection).get_table_names())
    return [table.name for table in Base.metadata.sorted_tables if table.name in present]


def check_orphans(engine: Engine) -> Outcome:
    with reading(engine) as connection:
        present = set(_present_model_tables(connection))
        references = [
            key
            for key in _model_foreign_keys()
            if {key.parent.table.name, key.column.table.name} <= present
        ]
        problems = [problem for key in references if (problem := _orphans(connection, key))]
    return problems, f"none across {len(references)} references"


def _model_foreign_keys() -> list[ForeignKey]:
    keys = (key for table in Base.metadata.sorted_tables for key in table.foreign_keys)
    return sorted(keys, key=lambda key: (key.parent.table.name, key.parent.name))


def _orphans(connection: Connection, key: ForeignKey) -> str:
    """'table.column → parent: n row(s) (id ...)', or '' when every row's parent exists."""
    reference, parent = key.parent, key.column
    child = reference.table
    row_id = next(iter(child.primary_key.columns))
    orphaned = and_(reference.is_not(None), ~exists().where(parent == reference))
    count = connection.scalar(select(func.count()).select_from(child).where(orphaned))
    if not count:
        return ""
    sample = connection.scalars(select(row_id).where(orphaned).order_by(row_id).limit(SAMPLE))
    link = f"{child.name}.{reference.name} → {parent.table.name}"
    return f"{link}: {count} row(s) ({ids(sample, count)})"


def check_clusters(engine: Engine) -> Outcome:
    """Each article's in_story agrees with its cluster's member count: the sizes read by
    search, exports and `--dedupe near` are counted from it (migration 0012)."""
    sizes = (
        select(Article.cluster_id, func.count().label("members"))
        .where(Article.cluster_id.is_not(None))
        .group_by(Article.cluster_id)
        .subquery()
    )
    in_a_story = sizes.c.members > 1
    wrong = and_(Article.cluster_id == sizes.c.cluster_id, Article.in_story != in_a_story)
    with reading(engine) as connection:
        count = connection.scalar(select(func.count()).select_from(Article).where(wrong))
        stories = connection.scalar(select(func.count()).select_from(sizes).where(in_a_story))
        if not count:
            return [], f"story flags agree with cluster sizes ({stories or 0} of 2 or more)"
        sample = connection.scalars(
            select(Article.id).where(wrong).order_by(Article.id).limit(SAMPLE)
        )
        quoted = ids(sample, count)
    return [
        f"{count} article(s) whose in_story disagrees with their cluster's size ({quoted}): "
        "run `sankofa duplicates --recluster`"
    ], ""
