"""Bounded locations: the list comes in pages of 1,000; users who are not staff write at a limited rate."""

import pytest

from availability.models import Location

pytestmark = pytest.mark.django_db


@pytest.fixture
def locations_rate(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "locations": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_a_long_list_is_paged_with_links_and_the_total_in_headers(api_client):
    Location.objects.bulk_create(Location(country="ni", city=f"Ciudad {n:04d}") for n in range(1001))

    first = api_client.get("/active")
    second = api_client.get("/active?page=2")

    assert len(first.json()) == 1000
    assert first["X-Total-Count"] == "1001"
    assert first["Link"] == '<http://testserver/active?page=2>; rel="next"'
    assert second.json() == [{"active": False, "country": "ni", "city": "Ciudad 1000"}]
    assert second["Link"] == '<http://testserver/active>; rel="prev"'
    assert api_client.get("/active?page=3").status_code == 404


def test_a_short_list_is_one_page_without_links(api_client):
    Location.objects.create(country="ni", city="Leon")

    response = api_client.get("/active")

    assert (response.json(), response["X-Total-Count"]) == (
        [{"active": False, "country": "ni", "city": "Leon"}],
        "1",
    )
    assert "Link" not in response


def test_a_user_who_is_not_staff_writes_at_the_locations_rate(auth_client, locations_rate):
    answers = [
        auth_client.post("/active", {"country": "ni", "city": f"Ciudad {n}", "active": True}, format="json")
        for n in range(4)
    ]

    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    assert answers[-1].json()["status"] == "THROTTLED"
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    assert Location.objects.count() == 3
    assert auth_client.get("/active").status_code == 200  # reads are not counted


def test_staff_and_the_service_token_are_not_counted(staff_client, service_client, locations_rate):
    for n in range(5):
        body = {"country": "ni", "city": f"Ciudad {n}", "active": True}
        assert service_client.post("/active", body, format="json").status_code == 201
        assert staff_client.put("/active", body, format="json").status_code == 200
