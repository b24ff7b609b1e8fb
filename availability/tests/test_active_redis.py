"""With Redis as the cache, separate gunicorn processes agree: a write through one is seen by the other."""

import pytest
import redis
import requests

from availability.tests.conftest import SERVICE_TOKEN
from availability.tests.factories import LocationFactory

REDIS_URL = "redis://127.0.0.1:6379/4"

pytestmark = pytest.mark.live


@pytest.fixture
def redis_cache():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


def test_two_servers_share_the_cache_and_a_put_through_one_is_seen_by_the_other(gunicorn_server, redis_cache):
    LocationFactory(country="ni", city="Leon", active=True)
    env = {"CACHE_URL": redis_cache, "AVAILABILITY_API_TOKEN": SERVICE_TOKEN}
    one = gunicorn_server(workers=1, **env)
    other = gunicorn_server(workers=1, **env)
    lookup = "/active?country=ni&city=leon"

    assert requests.get(one.url + lookup, timeout=5).json()["cache"] == "miss"
    assert requests.get(other.url + lookup, timeout=5).json() == {
        "active": True,
        "country": "ni",
        "city": "Leon",
        "cache": "hit",
    }

    put = requests.put(
        one.url + "/active",
        json={"country": "ni", "city": "Leon", "active": False},
        headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
        timeout=5,
    )
    assert put.status_code == 200

    assert requests.get(other.url + lookup, timeout=5).json() == {
        "active": False,
        "country": "ni",
        "city": "Leon",
        "cache": "miss",
    }
    assert requests.get(one.url + lookup, timeout=5).json()["cache"] == "hit"


def test_a_server_whose_redis_is_down_still_answers_lookups(gunicorn_server):
    LocationFactory(country="ni", city="Leon", active=True)
    server = gunicorn_server(workers=1, wait_path="/which", CACHE_URL="redis://127.0.0.1:1/4")

    response = requests.get(server.url + "/active?country=ni&city=Leon", timeout=5)

    assert response.status_code == 200
    assert response.json() == {"active": True, "country": "ni", "city": "Leon", "cache": "miss"}
