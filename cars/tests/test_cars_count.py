"""The list's `count` stays exact when it is read from the maintained row counter (PostgreSQL)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cars.models import Car
from cars.tests.factories import CarFactory

pytestmark = pytest.mark.django_db


def listed_count(api_client, query="") -> int:
    return api_client.get(f"/cars{query}").json()["count"]


def test_count_follows_every_kind_of_write(api_client):
    CarFactory.create_batch(3)
    Car.objects.bulk_create([Car(name=f"Bulk {i}", model="Golf", doors=4) for i in range(5)])
    assert listed_count(api_client) == 8

    # COPY on PostgreSQL, bulk_create elsewhere.
    call_command("seed_cars", "--count", "25", stdout=io.StringIO(), stderr=io.StringIO())
    assert listed_count(api_client) == Car.objects.filter(pk__gt=0).count()

    Car.objects.filter(name__startswith="Bulk").delete()
    Car.objects.order_by("id").first().delete()
    assert listed_count(api_client) == Car.objects.filter(pk__gt=0).count()


def test_count_after_the_table_is_emptied(api_client):
    CarFactory.create_batch(4)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cars_car" if connection.vendor == "postgresql" else "DELETE FROM cars_car")
    assert listed_count(api_client) == 0
    CarFactory.create_batch(2)
    assert listed_count(api_client) == 2


def test_filtered_lists_count_their_own_rows(api_client):
    CarFactory.create_batch(2, doors=4, model="Golf")
    CarFactory.create_batch(3, doors=2, model="Civic")
    assert listed_count(api_client, "?doors=4") == 2
    assert listed_count(api_client, "?search=civic") == 3


def test_unfiltered_list_reads_the_counter_on_postgresql(api_client):
    CarFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        assert listed_count(api_client) == 3
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    on_postgresql = connection.vendor == "postgresql"
    assert ("core_rowcount" in sql) is on_postgresql
    assert ("COUNT(" in sql.upper()) is not on_postgresql
