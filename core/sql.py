"""Hot reads: the ORM's own statement, compiled once per database vendor and run with new values.

Building a queryset and compiling it costs a few hundred microseconds per request (py-spy and
cProfile showed it as 15-25% of the CPU of the benchmarked list and detail routes), and on those
routes the statement never changes: only its values do. A CompiledQuery asks the ORM for the SQL
once, with placeholder values, remembers where those values sit among the parameters, and runs the
same text afterwards with the request's values. Rows go through the ORM's converters, so they are
exactly what `values_list()` would give.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql import InsertQuery

# Values found once each among the compiled parameters (any value in range of a positive 64-bit
# column: the ORM compiles an impossible value, say a negative id, into "no rows" instead).
_PLACEHOLDERS = (7_340_033_000_000_001, 7_340_033_000_000_002, 7_340_033_000_000_003)


class CompiledQuery:
    """`build(*values)` compiled once per database vendor; `rows(*values)` runs it.

    `build` returns an unsliced, ordered queryset (with `.values()` or `.values_list()`); each of its
    arguments must land in the SQL as one parameter. `rows(..., limit=, offset=)` appends
    `LIMIT %s OFFSET %s`, which PostgreSQL, SQLite and MySQL all accept.
    """

    def __init__(self, build: Callable[..., QuerySet], arity: int, using: str = "default"):
        self.build = build
        self.arity = arity
        self.using = using
        self._compiled: dict[str, tuple] = {}

    def _compile(self, connection):
        placeholders = _PLACEHOLDERS[: self.arity]
        compiler = self.build(*placeholders).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        positions = []
        for placeholder in placeholders:
            if params.count(placeholder) != 1:
                raise ImproperlyConfigured(f"each argument of build() must be one SQL parameter: {sql!r}")
            positions.append(params.index(placeholder))
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        compiled = self._compiled[connection.vendor] = (sql, params, positions, compiler, converters)
        return compiled

    def rows(self, *values, limit: int | None = None, offset: int = 0) -> list[tuple]:
        connection = connections[self.using]
        compiled = self._compiled.get(connection.vendor) or self._compile(connection)
        sql, params, positions, compiler, converters = compiled
        params = params.copy()
        for position, value in zip(positions, values, strict=True):
            params[position] = value
        if limit is not None:
            sql = f"{sql} LIMIT %s OFFSET %s"
            params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows


class CompiledInsert:
    """`model.objects.create(**values)` with the INSERT statement compiled once per database vendor.

    The ORM compiles the same INSERT for every new row of a model, about a tenth of the worker's
    CPU on `POST /api/comment/new` (py-spy). This does what `Model.save()` does for a new row of a
    model with an auto-increment primary key, in the same order: the model is built (defaults
    applied), each concrete field prepares its value (`pre_save`, so `auto_now_add` works, then
    `get_db_prep_save`), and the primary key comes back with RETURNING. What it does not do:
    send pre_save/post_save signals, or save parents or related objects. Use it only for a model
    with none (its tests check that no receiver is connected).
    """

    def __init__(self, model, using: str = "default"):
        self.model = model
        self.using = using
        meta = model._meta
        self.fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
        self._compiled: dict[str, tuple] = {}

    def _compile(self, connection):
        query = InsertQuery(self.model)
        query.insert_values(self.fields, [self.model()])
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = [self.model._meta.pk]
        [(sql, _params)] = compiler.as_sql()
        compiled = self._compiled[connection.vendor] = (sql, compiler.returning_params)
        return compiled

    def create(self, **values):
        connection = connections[self.using]
        if not connection.features.can_return_columns_from_insert:
            return self.model._default_manager.using(self.using).create(**values)
        sql, returning_params = self._compiled.get(connection.vendor) or self._compile(connection)
        instance = self.model(**values)
        params = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            (pk,) = connection.ops.fetch_returned_insert_columns(cursor, returning_params)
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = self.using
        return instance
