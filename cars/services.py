"""Seeding the vehicle inventory: the shipped fixture, generated cars for load tests, and clearing."""

import io
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, transaction

from cars.models import Car

FIXTURE_PATH = Path(__file__).resolve().parent / "fixtures" / "cars.json"
DEFAULT_BATCH_SIZE = 50_000

Progress = Callable[[int, int], None]  # (rows done, rows wanted)


@dataclass(frozen=True)
class SeedResult:
    created: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.created / self.seconds if self.seconds > 0 else float(self.created)


def car_inventory() -> list[dict]:
    """The realistic inventory shipped in the repo: `cars/fixtures/cars.json` (also a loaddata fixture)."""
    with FIXTURE_PATH.open(encoding="utf-8") as fixture:
        return [entry["fields"] for entry in json.load(fixture) if entry["model"] == "cars.car"]


def car_seed_inventory() -> int:
    """Add each car of the inventory whose (name, model) pair is not in the table yet; return how many.

    Matching on the pair rather than on ids keeps cars a user created or edited untouched, and
    makes a second run add nothing.
    """
    inventory = car_inventory()
    with transaction.atomic():
        existing = set(Car.objects.values_list("name", "model"))
        missing = [Car(**fields) for fields in inventory if (fields["name"], fields["model"]) not in existing]
        Car.objects.bulk_create(missing)
    return len(missing)


def car_generate(
    *,
    count: int,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    seed: int | None = None,
) -> SeedResult:
    """Add `count` cars drawn from the inventory's make/model pairs, in batches, in one transaction.

    PostgreSQL gets the rows through COPY FROM STDIN (several times faster than INSERTs, and the
    way bulk loads are meant to be done there); other databases through bulk_create.
    """
    if count < 0:
        raise ValueError("count must be zero or more")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    pairs = [(fields["name"], fields["model"], fields["doors"]) for fields in car_inventory()]
    rng = random.Random(seed)
    use_copy = connection.vendor == "postgresql"
    started = time.perf_counter()
    done = 0
    with transaction.atomic():
        if use_copy:
            lines = [f"{_copy_text(n)}\t{_copy_text(m)}\t{d}\n" for n, m, d in pairs]
            table = connection.ops.quote_name(Car._meta.db_table)
            sql = f"COPY {table} (name, model, doors) FROM STDIN"
        while done < count:
            size = min(batch_size, count - done)
            if use_copy:
                # created_at/updated_at come from their database defaults.
                buffer = io.StringIO("".join(rng.choices(lines, k=size)))
                with connection.cursor() as cursor:
                    cursor.copy_expert(sql, buffer, 1 << 20)
            else:
                Car.objects.bulk_create(
                    [Car(name=n, model=m, doors=d) for n, m, d in rng.choices(pairs, k=size)],
                    batch_size=min(size, 5_000),
                )
            done += size
            if progress is not None:
                progress(done, count)
    return SeedResult(created=done, seconds=time.perf_counter() - started)


def car_clear() -> int:
    """Empty the car table and restart its ids at 1; return how many cars there were."""
    with transaction.atomic():
        removed = Car.objects.count()
        sql = connection.ops.sql_flush(no_style(), [Car._meta.db_table], reset_sequences=True)
        connection.ops.execute_sql_flush(sql)
    return removed


def _copy_text(value: str) -> str:
    """Escape a value for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
