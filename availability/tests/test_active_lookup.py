"""GET /active?country=&city=: one location, from the database on a miss and from the cache on a hit."""

import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from availability.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_lookup_misses_then_hits(api_client):
    LocationFactory(country="ni", city="Leon", active=True)

    first = api_client.get("/active?country=ni&city=leon")
    second = api_client.get("/active?country=ni&city=leon")

    assert first.status_code == 200
    assert first.json() == {"active": True, "country": "ni", "city": "Leon", "cache": "miss"}
    assert second.status_code == 200
    assert second.json() == {"active": True, "country": "ni", "city": "Leon", "cache": "hit"}


def test_a_hit_does_not_query_the_database(api_client):
    LocationFactory(country="ni", city="Leon")
    api_client.get("/active?country=ni&city=Leon")

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/active?country=ni&city=Leon")

    assert response.json()["cache"] == "hit"
    assert len(queries) == 0


@pytest.mark.parametrize(("country", "city"), [("NI", "LEON"), ("Ni", "leon"), ("ni", "LeOn")])
def test_lookup_is_case_insensitive_and_shares_one_cache_entry(api_client, country, city):
    LocationFactory(country="ni", city="Leon")
    api_client.get("/active?country=ni&city=Leon")

    response = api_client.get("/active", {"country": country, "city": city})

    assert response.json() == {"active": True, "country": "ni", "city": "Leon", "cache": "hit"}


def test_lookup_of_a_city_with_accents(api_client):
    LocationFactory(country="co", city="Bogotá", active=False)

    response = api_client.get("/active", {"country": "co", "city": "bogotá"})

    assert response.json() == {"active": False, "country": "co", "city": "Bogotá", "cache": "miss"}


def test_same_city_in_two_countries_are_two_locations(api_client):
    LocationFactory(country="ni", city="Leon", active=True)
    LocationFactory(country="es", city="Leon", active=False)

    assert api_client.get("/active?country=ni&city=Leon").json()["active"] is True
    assert api_client.get("/active?country=es&city=Leon").json()["active"] is False


def test_unknown_location_is_404_and_not_cached(api_client):
    response = api_client.get("/active?country=ni&city=Atlantis")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": "location ni/Atlantis not found"}

    LocationFactory(country="ni", city="Atlantis")
    assert api_client.get("/active?country=ni&city=Atlantis").json()["cache"] == "miss"


def test_city_without_country_is_400(api_client):
    response = api_client.get("/active?city=Leon")

    assert response.status_code == 400
    assert response.json()["errors"] == {"country": ["Give the country too when looking up a city."]}


def test_an_empty_city_is_no_city_as_for_every_query_filter(api_client):
    LocationFactory(country="ni", city="Leon")

    response = api_client.get("/active?country=ni&city=")

    assert response.json() == [{"active": True, "country": "ni", "city": "Leon"}]


@pytest.mark.parametrize(
    "query", ["country=ni&city=" + "x" * 101, "country=xyz&city=Leon", "country=&city=Leon"]
)
def test_invalid_lookup_is_400(api_client, query):
    response = api_client.get(f"/active?{query}")

    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"


def test_a_null_character_in_the_city_is_400_not_a_database_error(api_client):
    response = api_client.get("/active", {"country": "ni", "city": "Le\x00on"})

    assert response.status_code == 400


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_cache_that_is_down_does_not_break_lookups(api_client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/4",
            # As config/settings.py configures a cache: it fails open.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
        }
    }
    LocationFactory(country="ni", city="Leon")

    first = api_client.get("/active?country=ni&city=Leon")
    second = api_client.get("/active?country=ni&city=Leon")

    assert first.status_code == second.status_code == 200
    assert second.json() == {"active": True, "country": "ni", "city": "Leon", "cache": "miss"}
