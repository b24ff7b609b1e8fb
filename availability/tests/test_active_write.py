"""POST and PUT /active: create or update a location, and drop its cached lookup."""

import pytest

from availability.models import Location
from availability.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_post_creates_then_get_shows_it(service_client):
    response = service_client.post(
        "/active", {"country": "NI", "city": "Leon", "active": True}, format="json"
    )

    assert response.status_code == 201
    assert response.json() == {"active": True, "country": "ni", "city": "Leon"}
    assert service_client.get("/active?country=ni&city=leon").json() == {
        "active": True,
        "country": "ni",
        "city": "Leon",
        "cache": "miss",
    }


def test_post_on_an_existing_location_updates_it_with_200(service_client):
    LocationFactory(country="ni", city="Leon", active=True)

    response = service_client.post(
        "/active/", {"country": "ni", "city": "LEON", "active": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"active": False, "country": "ni", "city": "Leon"}
    assert Location.objects.count() == 1


def test_post_drops_the_cached_entry(service_client):
    LocationFactory(country="ni", city="Leon", active=True)
    service_client.get("/active?country=ni&city=Leon")

    service_client.post("/active", {"country": "ni", "city": "Leon", "active": False}, format="json")

    assert service_client.get("/active?country=ni&city=Leon").json() == {
        "active": False,
        "country": "ni",
        "city": "Leon",
        "cache": "miss",
    }


def test_put_updates_and_the_next_get_is_a_miss_with_the_new_value(service_client):
    LocationFactory(country="ni", city="Leon", active=True)
    assert service_client.get("/active?country=ni&city=Leon").json()["cache"] == "miss"
    assert service_client.get("/active?country=ni&city=Leon").json()["cache"] == "hit"

    response = service_client.put(
        "/active", {"country": "ni", "city": "leon", "active": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"active": False, "country": "ni", "city": "Leon"}
    assert service_client.get("/active?country=ni&city=Leon").json() == {
        "active": False,
        "country": "ni",
        "city": "Leon",
        "cache": "miss",
    }


def test_put_of_an_unknown_location_is_404(service_client):
    response = service_client.put(
        "/active/", {"country": "ni", "city": "Atlantis", "active": True}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": "location ni/Atlantis not found"}
    assert not Location.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "nic", "city": "Leon", "active": True}, "country"),
        ({"country": "1i", "city": "Leon", "active": True}, "country"),
        ({"city": "Leon", "active": True}, "country"),
        ({"country": "ni", "active": True}, "city"),
        ({"country": "ni", "city": "", "active": True}, "city"),
        ({"country": "ni", "city": 12, "active": True}, "city"),
        ({"country": "ni", "city": "x" * 101, "active": True}, "city"),
        ({"country": "ni", "city": "Leon"}, "active"),
        ({"country": "ni", "city": "Leon", "active": "yes"}, "active"),
        ({"country": "ni", "city": "Leon", "active": "true"}, "active"),
        ({"country": "ni", "city": "Leon", "active": 1}, "active"),
        ({"country": "ni", "city": "Leon", "active": None}, "active"),
    ],
)
@pytest.mark.parametrize("method", ["post", "put"])
def test_invalid_bodies_are_400_with_the_field(service_client, method, body, field):
    LocationFactory(country="ni", city="Leon")

    response = getattr(service_client, method)("/active", body, format="json")

    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"
    assert field in response.json()["errors"]


def test_malformed_json_is_400(service_client):
    response = service_client.generic("POST", "/active", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["status"] == "INVALID"


def test_the_browsable_form_may_post_true_as_text(auth_client):
    response = auth_client.post(
        "/active", {"country": "ni", "city": "Leon", "active": "true"}, format="multipart"
    )

    assert response.status_code == 201
    assert response.json()["active"] is True
