"""Reads of the cars app on its hot paths."""

from django.db import connection

from cars.models import Car

CAR_FIELDS = ("id", "name", "model", "doors")

# The ORM's SQL for "one car by id", built once per database vendor: py-spy showed building it again
# (queryset clone, filter, compiler) as about a quarter of a `GET /cars/<id>` worker's CPU, and the
# statement never changes. The text is the ORM's own; only the id varies.
_CAR_BY_ID_SQL: dict[str, str] = {}


def _car_by_id_sql() -> str:
    sql = _CAR_BY_ID_SQL.get(connection.vendor)
    if sql is None:
        query = Car.objects.filter(pk=0).order_by().values(*CAR_FIELDS)[:1].query
        sql, params = query.get_compiler(connection=connection).as_sql()
        assert list(params) == [0], params  # the id is the statement's only parameter
        _CAR_BY_ID_SQL[connection.vendor] = sql
    return sql


def car_get(*, car_id: int) -> dict | None:
    """The car with this id as `{"id", "name", "model", "doors"}`, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_car_by_id_sql(), [car_id])
        row = cursor.fetchone()
    return dict(zip(CAR_FIELDS, row, strict=True)) if row else None
