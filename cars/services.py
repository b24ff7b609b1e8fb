"""Writes of the cars app: create, update and delete a car; seed the inventory, generate cars, clear."""

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction

from cars.models import Car
from core.errors import NotFound

FIXTURE_PATH = Path(__file__).resolve().parent / "fixtures" / "cars.json"
DEFAULT_BATCH_SIZE = 50_000
# The rows of car_generate on PostgreSQL; the timestamps come from their database defaults.
COPY_SQL = "COPY cars_car (name, model, doors) FROM STDIN"


class CarNotFound(NotFound):
    def __init__(self, car_id: object):
        super().__init__(f"car {str(car_id)[:40]} not found")


def car_create(*, name: str, model: str, doors: int) -> Car:
    return Car.objects.create(name=name, model=model, doors=doors)


def car_update(*, car_id: int, **changes: Any) -> Car:
    """Set the fields given (the others stay); CarNotFound when there is no such car (any more)."""
    with transaction.atomic():
        car = _locked_car(car_id)
        for field, value in changes.items():
            setattr(car, field, value)
        car.save()
    return car


def car_delete(*, car_id: int) -> str:
    """Delete the car and return its name; CarNotFound when there is no such car (any more)."""
    with transaction.atomic():
        car = _locked_car(car_id)
        Car.objects.filter(pk=car_id).delete()
    return car.name


def _locked_car(car_id: int) -> Car:
    # A request racing another on the same car gets the answer it would get second (docs/design.md).
    car = Car.objects.select_for_update().filter(pk=car_id).first()
    if car is None:
        raise CarNotFound(car_id)
    return car


def car_inventory() -> list[dict[str, Any]]:
    """The realistic inventory shipped in the repo: `cars/fixtures/cars.json` (also a loaddata fixture)."""
    with FIXTURE_PATH.open(encoding="utf-8") as fixture:
        return [entry["fields"] for entry in json.load(fixture) if entry["model"] == "cars.car"]


def car_seed_inventory() -> tuple[int, int]:
    """Add the inventory's cars whose (name, model) pair is missing; return how many, and how many it has.

    The table is locked against other writers (not readers) while the pairs are compared, so that two
    runs at once add each car once."""
    inventory = car_inventory()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE cars_car IN SHARE ROW EXCLUSIVE MODE")
        existing = set(Car.objects.values_list("name", "model"))
        missing = [Car(**fields) for fields in inventory if (fields["name"], fields["model"]) not in existing]
        Car.objects.bulk_create(missing)
    return len(missing), len(inventory)


def car_generate(
    *, count: int, batch_size: int = DEFAULT_BATCH_SIZE, progress: Callable[[int, int], None] | None = None
) -> None:
    """Add `count` cars drawn from the inventory, in batches, in one transaction, calling `progress(done,
    count)` after each: through COPY on PostgreSQL (several times faster than INSERTs), else bulk_create."""
    pairs = [(fields["name"], fields["model"], fields["doors"]) for fields in car_inventory()]
    with transaction.atomic():
        for done in range(0, count, batch_size):
            batch = random.choices(pairs, k=min(batch_size, count - done))
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                Car.objects.bulk_create([Car(name=n, model=m, doors=d) for n, m, d in batch])
            if progress is not None:
                progress(done + len(batch), count)


def car_clear() -> int:
    """Empty the car table and restart its ids at 1; return how many cars there were."""
    with transaction.atomic():
        removed = Car.objects.table_count()
        sql = connection.ops.sql_flush(no_style(), [Car._meta.db_table], reset_sequences=True)
        connection.ops.execute_sql_flush(sql)
    return removed
