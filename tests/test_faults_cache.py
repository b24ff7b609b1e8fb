"""The cache (Redis) down or silent: reads are served from the database, writes work, /check says cache KO."""

import os
import socket
import threading
import time
import uuid

import pytest
import requests

from availability.tests.factories import LocationFactory
from cars.tests.factories import CarFactory
from conftest import free_port

pytestmark = pytest.mark.live

LOCAL_REDIS = "redis://127.0.0.1:6379/8"


@pytest.fixture
def silent_redis():
    """A port that accepts connections and never answers: a hung cache, not a refused one."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.fixture(params=["refused", "silent"])
def broken_cache_url(request):
    if request.param == "refused":
        return f"redis://127.0.0.1:{free_port()}/0"
    return request.getfixturevalue("silent_redis")


def timed(method: str, url: str, **kwargs) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.request(method, url, timeout=15, **kwargs)
    return response, time.monotonic() - started


def test_reads_and_writes_are_served_without_the_cache(gunicorn_server, broken_cache_url, user):
    LocationFactory(country="ni", city="Leon", active=True)
    CarFactory.create_batch(3)
    server = gunicorn_server(CACHE_URL=broken_cache_url, wait_path="/which", workers=2)

    check, _ = timed("GET", server.url + "/check")
    assert check.status_code == 503
    assert check.json()["status"] == "KO"
    assert check.json()["checks"] == {"database": "OK", "cache": "KO"}

    # The cached lookup falls back to the database, every time, within the cache's socket timeouts.
    for _ in range(2):
        lookup, seconds = timed("GET", server.url + "/active?country=ni&city=leon")
        assert lookup.status_code == 200
        assert lookup.json() == {"active": True, "country": "ni", "city": "Leon", "cache": "miss"}
        assert seconds < 3
    cars, seconds = timed("GET", server.url + "/cars")
    assert (cars.status_code, cars.json()["count"]) == (200, 3)

    # Throttled writes are let through rather than refused: the throttle counts in the cache.
    comment, seconds = timed(
        "POST",
        server.url + "/api/comment/new",
        json={"email": "a@example.com", "comment": "hi", "content_id": 7},
    )
    assert comment.status_code == 201, comment.text
    assert seconds < 3
    listed, _ = timed("GET", server.url + "/api/comment/list/7")
    assert [c["comment"] for c in listed.json()] == ["hi"]
    token, _ = timed(
        "POST", server.url + "/api-auth/token/", json={"username": "alice", "password": "s3cret-pass-123"}
    )
    assert token.status_code == 200, token.text


def test_with_the_cache_up_lookups_are_cached(gunicorn_server):
    city = f"Leon {uuid.uuid4().hex[:8]}"  # a key no earlier run left in the cache
    LocationFactory(country="ni", city=city, active=True)
    suite_cache = os.environ.get("CACHE_URL", "")
    server = gunicorn_server(CACHE_URL=suite_cache if suite_cache.startswith("redis") else LOCAL_REDIS)

    assert requests.get(server.url + "/check", timeout=10).json()["checks"]["cache"] == "OK"
    words = [
        requests.get(
            server.url + "/active", params={"country": "NI", "city": city.upper()}, timeout=10
        ).json()["cache"]
        for _ in range(3)
    ]
    assert words == ["miss", "hit", "hit"]
