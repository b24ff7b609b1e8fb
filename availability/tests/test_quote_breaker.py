"""The weather service failing again and again: quotes answer 503 at once, then one call tries again."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from availability.services import BREAKER_FAILURES, weather_breaker
from availability.tests.factories import LocationFactory, ProductFactory

pytestmark = pytest.mark.django_db

BODY = {"sku": "AZ00001", "country": "ni", "city": "Leon"}


@pytest.fixture
def leon(openweather):
    ProductFactory(sku="AZ00001")
    LocationFactory(country="ni", city="Leon")
    openweather.set_condition("Leon", "ni", 800)


def quote(client):
    return client.post("/quote", BODY, format="json")


@pytest.mark.parametrize(("mode", "status"), [("fail", 502), ("slow", 504)])
def test_after_failures_in_a_row_quotes_are_503_without_asking(api_client, openweather, leon, mode, status):
    openweather.mode, openweather.delay = mode, 1.0

    assert [quote(api_client).status_code for _ in range(BREAKER_FAILURES)] == [status] * BREAKER_FAILURES
    asked = len(openweather.requests)
    started = time.monotonic()
    response = quote(api_client)

    assert time.monotonic() - started < 0.5
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "UNAVAILABLE"
    assert f"within {response['Retry-After']} seconds" in body["message"]
    assert 30 <= int(response["Retry-After"]) <= 45
    assert len(openweather.requests) == asked  # the service was left alone


def test_after_the_cool_down_one_call_tries_and_a_success_closes_it(api_client, openweather, leon):
    weather_breaker.reset_timeout = 0.3
    openweather.mode = "fail"
    for _ in range(BREAKER_FAILURES):
        quote(api_client)
    assert quote(api_client).status_code == 503

    time.sleep(0.4)
    openweather.mode = "ok"
    assert quote(api_client).status_code == 200
    assert weather_breaker.current_state == "closed"


def test_a_failed_trial_opens_it_again(api_client, openweather, leon):
    weather_breaker.reset_timeout = 0.3
    openweather.mode = "fail"
    for _ in range(BREAKER_FAILURES):
        quote(api_client)
    time.sleep(0.4)
    asked = len(openweather.requests)

    assert quote(api_client).status_code == 502  # the trial, answered as itself
    assert quote(api_client).status_code == 503
    assert len(openweather.requests) == asked + 1


def test_answers_of_a_healthy_service_do_not_count(api_client, openweather, leon, settings):
    LocationFactory(country="ni", city="Atlantis")  # unknown to the weather service: its 404
    settings.OPENWEATHER_API_KEY = "wrong-key"  # its 401
    for _ in range(BREAKER_FAILURES + 1):
        assert quote(api_client).status_code == 502
    settings.OPENWEATHER_API_KEY = openweather.api_key
    for _ in range(BREAKER_FAILURES + 1):
        assert api_client.post("/quote", {**BODY, "city": "Atlantis"}, format="json").status_code == 502

    assert quote(api_client).status_code == 200


def trip(client, openweather, body=BODY):
    openweather.mode = "fail"
    for _ in range(BREAKER_FAILURES):
        client.post("/quote", body, format="json")
    assert weather_breaker.current_state == "open"


def test_while_it_is_open_unknown_names_are_still_404_and_a_503_costs_no_query(api_client, openweather, leon):
    trip(api_client, openweather)

    unknown_sku = api_client.post("/quote", {**BODY, "sku": "NOPE"}, format="json")
    unknown_city = api_client.post("/quote", {**BODY, "city": "Atlantis"}, format="json")
    invalid = api_client.post("/quote", {**BODY, "country": "nic"}, format="json")
    with CaptureQueriesContext(connection) as queries:
        response = quote(api_client)

    assert unknown_sku.json() == {"status": "NOT-FOUND", "message": "product NOPE not found"}
    assert unknown_city.json() == {"status": "NOT-FOUND", "message": "location ni/Atlantis not found"}
    assert invalid.status_code == 400
    assert response.status_code == 503
    assert 30 <= int(response["Retry-After"]) <= 45
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_while_it_is_open_a_cached_quote_is_still_served(api_client, openweather, leon):
    ProductFactory(sku="AZ00002")
    assert quote(api_client).json()["cache"] == "miss"
    trip(api_client, openweather, {**BODY, "sku": "AZ00002"})

    response = quote(api_client)

    assert response.status_code == 200
    assert response.json()["cache"] == "hit"
