"""GET /active without a city: every location, ordered, optionally filtered by country."""

import pytest

from availability.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_list_is_an_ordered_array_of_locations(api_client):
    LocationFactory(country="ni", city="Managua", active=True)
    LocationFactory(country="es", city="Madrid", active=True)
    LocationFactory(country="ni", city="Leon", active=False)

    response = api_client.get("/active")

    assert response.status_code == 200
    assert response.json() == [
        {"active": True, "country": "es", "city": "Madrid"},
        {"active": False, "country": "ni", "city": "Leon"},
        {"active": True, "country": "ni", "city": "Managua"},
    ]


def test_list_filters_by_country_in_any_case(api_client):
    LocationFactory(country="ni", city="Leon")
    LocationFactory(country="es", city="Leon")

    response = api_client.get("/active/?country=ES")

    assert response.status_code == 200
    assert response.json() == [{"active": True, "country": "es", "city": "Leon"}]


def test_list_of_a_country_without_locations_is_empty(api_client):
    LocationFactory(country="ni")

    assert api_client.get("/active?country=fr").json() == []


@pytest.mark.parametrize("country", ["nic", "n", "1a", "ñi"])
def test_list_with_an_invalid_country_is_400(api_client, country):
    response = api_client.get("/active", {"country": country})

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "INVALID"
    assert "country" in body["errors"]
