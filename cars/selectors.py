"""Reads of the cars app: one car, a page of the list with its total, and the list's filters."""

import django_filters
from django import forms
from django.db import connection, models
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field

from cars.models import CAR_COUNT_SQL, Car

CAR_FIELDS = ("id", "name", "model", "doors")

# The two hot reads as literal SQL: building and compiling a queryset costs more than the query.
# Columns: id, name, model, doors.
CAR_BY_ID_SQL = "SELECT id, name, model, doors FROM cars_car WHERE id = %s"
# Columns: id, name, model, doors, and the number of cars in the table (the same on every row): the
# trigger-kept counter on PostgreSQL (see CarManager.table_count), else a window count.
CAR_PAGE_SQL = "SELECT id, name, model, doors, {total} FROM cars_car ORDER BY id LIMIT %s OFFSET %s"

# Query text may hold any character but NUL, which no database stores (it answers 400).
NO_NUL = {"type": "string", "pattern": r"^[^\u0000]*$"}


def car_get(*, car_id: int) -> dict | None:
    """The car with this id as a dict of CAR_FIELDS, or None."""
    with connection.cursor() as cursor:
        cursor.execute(CAR_BY_ID_SQL, [car_id])
        row = cursor.fetchone()
    return dict(zip(CAR_FIELDS, row, strict=True)) if row else None


def car_page(*, cars: QuerySet[Car] | None, offset: int, limit: int) -> tuple[list[dict], int]:
    """A page as dicts of CAR_FIELDS and the list's total. `cars` is a filtered, ordered queryset, or
    None for every car by id, whose total rides with the rows (one query). A filtered list is counted
    apart, only when the page does not tell: with a window count PostgreSQL's planner would walk the
    whole id index for a page of common matches."""
    if cars is None:
        column = f"({CAR_COUNT_SQL})" if connection.vendor == "postgresql" else "COUNT(*) OVER ()"
        with connection.cursor() as cursor:
            cursor.execute(CAR_PAGE_SQL.format(total=column), [limit, offset])
            rows = cursor.fetchall()
        page = [dict(zip(CAR_FIELDS, row[:-1], strict=True)) for row in rows]
        total = rows[0][-1] if rows else None
    else:
        page = list(cars.values(*CAR_FIELDS)[offset : offset + limit])
        total = offset + len(page) if 0 < len(page) < limit or not (page or offset) else None
    return page, car_count(cars=cars) if total is None else total


def car_count(*, cars: QuerySet[Car] | None) -> int:
    """How many cars the list has: `cars`, or every car when None."""
    return Car.objects.table_count() if cars is None else cars.count()


@extend_schema_field(NO_NUL)
class TextFilter(django_filters.CharFilter):
    pass


class IntegerFilter(django_filters.NumberFilter):
    """Whole numbers only (django-filter's NumberFilter takes decimals such as 1.5)."""

    field_class = forms.IntegerField


class CarFilter(django_filters.FilterSet):
    class Meta:
        model = Car
        filter_overrides = {
            models.PositiveSmallIntegerField: {"filter_class": IntegerFilter},
            models.CharField: {"filter_class": TextFilter},
        }
        fields = {
            "name": ["exact", "icontains"],
            "model": ["exact", "icontains"],
            "doors": ["exact", "gte", "lte"],
        }
