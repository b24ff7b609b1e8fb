"""Reads of the cars app on its hot paths: one car by id, and the unfiltered list a page at a time."""

from cars.models import Car
from core.sql import CompiledQuery

CAR_FIELDS = ("id", "name", "model", "doors")

# The ORM's statements, compiled once per database vendor (core.sql explains why): py-spy showed
# building and compiling them as about a quarter of the worker's CPU on `GET /cars/<id>`.
_CAR_BY_ID = CompiledQuery(
    lambda car_id: Car.objects.filter(pk=car_id).order_by().values_list(*CAR_FIELDS), 1
)
# Each row carries the table's row count last (CountedQuerySet.with_total): a page and its total
# in one query.
_CARS_BY_ID = CompiledQuery(
    lambda: Car.objects.order_by("id").values_list(*CAR_FIELDS).with_total("total"), 0
)


def car_get(*, car_id: int) -> dict | None:
    """The car with this id as `{"id", "name", "model", "doors"}`, or None."""
    rows = _CAR_BY_ID.rows(car_id, limit=1)
    return dict(zip(CAR_FIELDS, rows[0], strict=True)) if rows else None


class AllCars:
    """Every car, by id, as dicts of CAR_FIELDS: what `Car.objects.order_by("id").values(*CAR_FIELDS)`
    gives, sliced and counted the same way, for the unfiltered list (the common, benchmarked case).

    `with_total(name)` adds the table's row count to each row of a slice, as CountedQuerySet does,
    so that a page and its total come back in one query on PostgreSQL.
    """

    ordered = True  # for Django's Paginator

    def __init__(self, total: str | None = None):
        self.total = total

    def with_total(self, name: str) -> "AllCars":
        return AllCars(total=name)

    def count(self) -> int:
        return Car.objects.count()  # the maintained counter on PostgreSQL

    def __getitem__(self, window: slice) -> list[dict]:
        start = window.start or 0
        rows = _CARS_BY_ID.rows(limit=window.stop - start, offset=start)
        if self.total is None:
            return [dict(zip(CAR_FIELDS, row[:-1], strict=True)) for row in rows]
        return [dict(zip((*CAR_FIELDS, self.total), row, strict=True)) for row in rows]
