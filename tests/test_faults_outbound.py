"""Rollbar and the weather API slow or down: bounded latency, 502/504 in the error shape, others still served.

A real gunicorn talks to the fake servers of the apps' own tests, real HTTP on 127.0.0.1: slow
answers are answered by our timeouts, a closed port by a quick 502, and a service failing again and
again by its circuit breaker's immediate 503.
"""

import threading
import time

import pytest
import requests

from availability.services import BREAKER_FAILURES
from availability.tests.factories import LocationFactory, ProductFactory
from cars.tests.factories import CarFactory
from conftest import free_port
from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN
from tests.conftest import assert_error

pytestmark = pytest.mark.live

TIMEOUT = 1.0  # ROLLBAR_TIMEOUT and OPENWEATHER_TIMEOUT given to the server
QUOTE = {"sku": "AZ00001", "country": "ni", "city": "Leon"}


@pytest.fixture
def weather(fake_openweather_server):
    fake_openweather_server.set_condition("Leon", "ni", 500)
    fake_openweather_server.set_condition("Managua", "ni", 800)
    return fake_openweather_server


@pytest.fixture
def rollbar(fake_rollbar_server):
    fake_rollbar_server.state.seed_items(count=3)
    return fake_rollbar_server


@pytest.fixture
def data(db):
    ProductFactory(sku="AZ00001")
    LocationFactory(country="ni", city="Leon")
    LocationFactory(country="ni", city="Managua")
    CarFactory.create_batch(2)


def server_env(weather_url: str, weather_key: str, rollbar_url: str) -> dict:
    return {
        "OPENWEATHER_API_URL": weather_url,
        "OPENWEATHER_API_KEY": weather_key,
        "OPENWEATHER_TIMEOUT": TIMEOUT,
        "ROLLBAR_API_URL": rollbar_url,
        "ROLLBAR_READ_TOKEN": READ_TOKEN,
        "ROLLBAR_WRITE_TOKEN": WRITE_TOKEN,
        "ROLLBAR_POST_TOKEN": POST_TOKEN,
        "ROLLBAR_TIMEOUT": TIMEOUT,
    }


def timed(method: str, url: str, **kwargs) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.request(method, url, timeout=30, **kwargs)
    return response, time.monotonic() - started


def while_in_flight(call, others):
    """Run `call` in a thread and `others()` while it is in flight; return both results."""
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("slow", call()))
    thread.start()
    time.sleep(0.2)
    served = others()
    thread.join(30)
    return result["slow"], served


def test_slow_services_answer_504_within_the_timeout_and_others_are_served(
    gunicorn_server, weather, rollbar, data, token
):
    server = gunicorn_server(**server_env(weather.url, weather.api_key, rollbar.url))
    auth = {"Authorization": f"Token {token}"}
    assert timed("POST", server.url + "/quote", json=QUOTE)[0].status_code == 200
    assert timed("GET", server.url + "/items", headers=auth)[0].status_code == 200

    weather.mode, weather.delay = "slow", 5
    rollbar.state.configure(response_delay=5)

    def quick_reads():
        return [timed("GET", server.url + path) for path in ("/cars", "/active", "/check", "/price/AZ00001")]

    (quote, quote_seconds), served = while_in_flight(
        lambda: timed("POST", server.url + "/quote", json={**QUOTE, "city": "Managua"}), quick_reads
    )
    assert_error(quote, 504)
    assert quote_seconds < TIMEOUT * 3
    assert all(r.status_code == 200 and seconds < 2 for r, seconds in served), served

    (items, items_seconds), served = while_in_flight(
        lambda: timed("GET", server.url + "/items", headers=auth), quick_reads
    )
    assert_error(items, 504)
    # Idempotent Rollbar calls are retried a little: still bounded.
    assert items_seconds < TIMEOUT * 3 + 3
    assert all(r.status_code == 200 and seconds < 2 for r, seconds in served), served

    # Nothing failed was cached: with the services back, the same quote is computed afresh.
    weather.mode = "ok"
    rollbar.state.configure(response_delay=0)
    again = timed("POST", server.url + "/quote", json={**QUOTE, "city": "Managua"})[0]
    assert (again.status_code, again.json()["cache"]) == (200, "miss")
    assert timed("GET", server.url + "/items", headers=auth)[0].status_code == 200


def test_failing_services_answer_502(gunicorn_server, weather, rollbar, data, token):
    server = gunicorn_server(**server_env(weather.url, weather.api_key, rollbar.url))
    weather.mode = "fail"
    rollbar.state.force(500, "boom", times=10)

    assert_error(timed("POST", server.url + "/quote", json=QUOTE)[0], 502)
    items = timed("GET", server.url + "/items", headers={"Authorization": f"Token {token}"})[0]
    assert_error(items, 502)


def test_unreachable_services_answer_502_quickly(gunicorn_server, data, token):
    closed = f"http://127.0.0.1:{free_port()}"
    server = gunicorn_server(**server_env(closed + "/data/2.5", "some-key", closed + "/api/1"))

    quote, seconds = timed("POST", server.url + "/quote", json=QUOTE)
    assert_error(quote, 502)
    assert seconds < 2
    items, seconds = timed("GET", server.url + "/items", headers={"Authorization": f"Token {token}"})
    assert_error(items, 502)
    assert seconds < 5
    assert timed("GET", server.url + "/cars")[0].status_code == 200


def test_a_hanging_service_is_left_alone_after_failures_in_a_row(
    gunicorn_server, weather, rollbar, data, token
):
    # One worker, so that every call meets the same breaker (each process has its own).
    server = gunicorn_server(workers=1, **server_env(weather.url, weather.api_key, rollbar.url))
    auth = {"Authorization": f"Token {token}"}
    weather.mode, weather.delay = "slow", 30
    rollbar.state.configure(response_delay=30)

    for method, path, kwargs in (("POST", "/quote", {"json": QUOTE}), ("GET", "/items", {"headers": auth})):
        for _ in range(BREAKER_FAILURES):
            assert_error(timed(method, server.url + path, **kwargs)[0], 504)
        asked = len(weather.requests) + len(rollbar.state.requests)
        answer, seconds = timed(method, server.url + path, **kwargs)
        assert_error(answer, 503)
        assert seconds < 0.5
        assert 30 <= int(answer.headers["Retry-After"]) <= 45
        assert len(weather.requests) + len(rollbar.state.requests) == asked

    cars, seconds = timed("GET", server.url + "/cars")
    assert cars.status_code == 200
    assert seconds < 0.5
