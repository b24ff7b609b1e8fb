"""`manage.py seed_cars` and `manage.py loaddata cars`: the shipped inventory, generated cars, clearing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cars.models import Car
from cars.services import FIXTURE_PATH, car_generate, car_inventory
from cars.tests.factories import CarFactory

pytestmark = pytest.mark.django_db


def seed(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_cars", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_fixture_is_a_realistic_inventory():
    inventory = car_inventory()
    pairs = {(car["name"], car["model"]) for car in inventory}

    assert len(inventory) >= 50
    assert len(pairs) == len(inventory)
    assert ("Toyota", "Corolla") in pairs
    assert {car["doors"] for car in inventory} <= {2, 3, 4, 5}
    assert all(0 < len(car["name"]) <= 100 and 0 < len(car["model"]) <= 100 for car in inventory)


def test_seed_loads_the_inventory_once():
    total = len(car_inventory())

    first, _ = seed()
    second, _ = seed()

    assert Car.objects.count() == total
    assert first == f"Inventory: {total} cars added ({total} in the fixture).\n"
    assert second == f"Inventory: 0 cars added ({total} in the fixture).\n"
    assert Car.objects.filter(name="Honda", model="Accord", doors=4).exists()


def test_seed_keeps_existing_cars_and_adds_only_missing_pairs():
    CarFactory(name="Toyota", model="Corolla", doors=4)
    mine = CarFactory(name="Pink Rose", model="Audi Q5")

    seed()

    assert Car.objects.count() == len(car_inventory()) + 1
    assert Car.objects.filter(name="Toyota", model="Corolla").count() == 1
    assert Car.objects.filter(pk=mine.pk).exists()


def test_count_adds_generated_cars_with_progress_and_rate():
    total = len(car_inventory())

    out, err = seed("--count", "25", "--batch-size", "10")

    assert Car.objects.count() == total + 25
    assert "10/25 (40%)" in err
    assert "20/25 (80%)" in err
    assert "[##############################] 25/25 (100%)" in err
    assert "Generated 25 cars in " in out
    assert out.rstrip().endswith("rows/s).")
    pairs = {(car["name"], car["model"], car["doors"]) for car in car_inventory()}
    assert set(Car.objects.values_list("name", "model", "doors")) <= pairs


def test_generated_cars_have_timestamps():
    car_generate(count=3)

    assert Car.objects.filter(created_at__isnull=False, updated_at__isnull=False).count() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--count", "-1"], "--count must be zero or more."), (["--batch-size", "0"], "--batch-size must be")],
)
def test_bad_arguments_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)


def test_clear_noinput_empties_the_table_first_and_restarts_ids():
    CarFactory.create_batch(3, name="Old")

    out, _ = seed("--clear", "--noinput")

    assert out.startswith("Deleted 3 cars.\n")
    assert not Car.objects.filter(name="Old").exists()
    assert Car.objects.count() == len(car_inventory())
    assert Car.objects.order_by("id").first().id == 1


def test_clear_asks_and_proceeds_on_yes(monkeypatch):
    CarFactory(name="Old")
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))

    out, _ = seed("--clear")

    assert "This deletes every car in the database." in out
    assert not Car.objects.filter(name="Old").exists()


@pytest.mark.parametrize("answer", ["no\n", "\n", ""])
def test_clear_asks_and_cancels_on_anything_else(monkeypatch, answer):
    CarFactory(name="Old")
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))

    with pytest.raises(CommandError, match=r"Cancelled: no car was deleted\."):
        seed("--clear")

    assert list(Car.objects.values_list("name", flat=True)) == ["Old"]


def test_loaddata_accepts_the_fixture_and_is_idempotent():
    fixture = json.loads(FIXTURE_PATH.read_text())

    call_command("loaddata", "cars", verbosity=0)
    call_command("loaddata", "cars", verbosity=0)

    assert Car.objects.count() == len(fixture)
    first = Car.objects.get(pk=fixture[0]["pk"])
    assert (first.name, first.model, first.doors) == tuple(fixture[0]["fields"].values())
    assert first.created_at is not None


def test_loaddata_then_seed_adds_nothing():
    call_command("loaddata", "cars", verbosity=0)

    out, _ = seed()

    assert out.startswith("Inventory: 0 cars added")
