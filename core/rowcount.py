"""Exact row counts of big tables without COUNT(*): a counter kept by triggers, in the same transactions.

Page-number pagination answers `count` with every page. On PostgreSQL, `SELECT COUNT(*)` reads the
whole table (or its whole index): with 1,000,000 cars it cost more than the rest of a page several
times over, and the first page of `GET /cars` became 8x slower than with 1,000 cars. An estimate
(`pg_class.reltuples`) would be fast but would change what `count` means. Instead, statement-level
triggers add and subtract the rows each INSERT, DELETE and TRUNCATE changes in one counter row, in
the writing transaction, so every snapshot sees a counter that agrees with the table: `count` stays
exact, and costs one primary-key read.

The price is on writes: concurrent transactions writing the same table queue on its counter row
(fine for an inventory; not for a table taking many concurrent inserts). Filtered querysets still
count with COUNT(*); other databases (SQLite in development) always do.

Use: a migration runs `MaintainRowCount("<db table>")`, and the model's manager is
`CountedQuerySet.as_manager()`; a page and its total come from `queryset.with_total(name)`.
"""

import re

from django.db import connections, models
from django.db.migrations.operations.base import Operation
from django.db.models import Count, Window
from django.db.models.expressions import RawSQL

COUNTER_TABLE = "core_rowcount"
# Table names are written into SQL (triggers cannot take parameters): plain identifiers only.
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _checked(table: str) -> str:
    if not _IDENTIFIER.fullmatch(table):
        raise ValueError(f"not a plain table name: {table!r}")
    return table


def _install_sql(table: str) -> list[str]:
    fn = f"{_checked(table)}_rowcount"
    where = f"WHERE table_name = '{table}'"
    return [
        f"CREATE TABLE IF NOT EXISTS {COUNTER_TABLE} (table_name text PRIMARY KEY, n bigint NOT NULL)",
        # No write may slip between the initial count and the triggers.
        f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE",
        f"INSERT INTO {COUNTER_TABLE} VALUES ('{table}', (SELECT count(*) FROM {table})) "  # noqa: S608
        f"ON CONFLICT (table_name) DO UPDATE SET n = EXCLUDED.n",
        f"""CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                UPDATE {COUNTER_TABLE} SET n = n + (SELECT count(*) FROM changed) {where};
            ELSIF TG_OP = 'DELETE' THEN
                UPDATE {COUNTER_TABLE} SET n = n - (SELECT count(*) FROM changed) {where};
            ELSE
                UPDATE {COUNTER_TABLE} SET n = 0 {where};
            END IF;
            RETURN NULL;
        END $$""",  # noqa: S608
        f"CREATE TRIGGER {fn}_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {fn}()",
        f"CREATE TRIGGER {fn}_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {fn}()",
        f"CREATE TRIGGER {fn}_truncate AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {fn}()",
    ]


def _uninstall_sql(table: str) -> list[str]:
    fn = f"{_checked(table)}_rowcount"
    return [
        f"DROP TRIGGER IF EXISTS {fn}_insert ON {table}",
        f"DROP TRIGGER IF EXISTS {fn}_delete ON {table}",
        f"DROP TRIGGER IF EXISTS {fn}_truncate ON {table}",
        f"DROP FUNCTION IF EXISTS {fn}()",
        f"DELETE FROM {COUNTER_TABLE} WHERE table_name = '{table}'",  # noqa: S608
    ]


class MaintainRowCount(Operation):
    """Migration operation: keep `table`'s row count in core_rowcount (PostgreSQL; elsewhere nothing)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str):
        self.table = _checked(table)

    def deconstruct(self):
        return (f"{__name__}.{self.__class__.__name__}", [self.table], {})

    def state_forwards(self, app_label, state):
        pass

    def _run(self, schema_editor, statements):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, _install_sql(self.table))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(schema_editor, _uninstall_sql(self.table))

    def describe(self):
        return f"Keep the row count of {self.table} in {COUNTER_TABLE}"


def table_row_count(using: str, table: str) -> int | None:
    """The maintained count of `table`, or None where there is none (not PostgreSQL, or not counted)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM {COUNTER_TABLE} WHERE table_name = %s", [table])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


class CountedQuerySet(models.QuerySet):
    """A model's queryset whose whole-table counts come from the maintained counter on PostgreSQL.

    The model's migrations must run MaintainRowCount on its table (the counter table exists once
    they have run). Any filter, slice, join, grouping or DISTINCT counts rows as usual.
    """

    def count(self):
        if self._result_cache is None and self._counter_available():
            counted = table_row_count(self.db, self.model._meta.db_table)
            if counted is not None:
                return counted
        return super().count()

    def with_total(self, name: str):
        """Each row annotated with `name`: how many rows the whole queryset has (before slicing).

        One query for a page and its total: the counter as a scalar subquery (read once) when the
        queryset is the whole table on PostgreSQL, else `COUNT(*) OVER ()` (every matching row).
        """
        if self._counter_available():
            sql = f"SELECT n FROM {COUNTER_TABLE} WHERE table_name = %s"  # noqa: S608
            return self.annotate(**{name: RawSQL(sql, [self.model._meta.db_table])})  # noqa: S611 - constant SQL
        return self.annotate(**{name: Window(Count("*"))})

    def _counter_available(self) -> bool:
        query = self.query
        return connections[self.db].vendor == "postgresql" and not (
            query.where
            or query.is_sliced
            or query.distinct
            or query.combinator
            or query.group_by is not None
            or query.annotations
            or query.extra
            or query.extra_tables
            or len(query.alias_map) > 1
        )
