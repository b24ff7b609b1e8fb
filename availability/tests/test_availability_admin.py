"""The admin of locations, products and rules; editing a location there drops its cached lookup."""

import pytest

from availability.models import Location
from availability.tests.factories import LocationFactory, PriceRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", "s3cret-pass-123")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/availability/location/",
        "/admin/availability/location/?country=ni&active__exact=1",
        "/admin/availability/product/",
        "/admin/availability/pricerule/",
    ],
)
def test_admin_lists_render(admin_client, url):
    PriceRuleFactory()

    assert admin_client.get(url).status_code == 200


def test_location_filters_offer_country_and_active(admin_client):
    LocationFactory(country="ni")
    LocationFactory(country="es")

    page = admin_client.get("/admin/availability/location/").content.decode()

    assert "?country=es" in page
    assert "?active__exact=1" in page


def test_editing_a_location_in_the_admin_drops_its_cached_lookup(admin_client, api_client):
    location = LocationFactory(country="ni", city="Leon", active=True)
    api_client.get("/active?country=ni&city=Leon")

    response = admin_client.post(
        f"/admin/availability/location/{location.pk}/change/",
        {"country": "ni", "city": "Leon", "active": ""},
    )

    assert response.status_code == 302
    assert Location.objects.get(pk=location.pk).active is False
    assert api_client.get("/active?country=ni&city=Leon").json() == {
        "active": False,
        "country": "ni",
        "city": "Leon",
        "cache": "miss",
    }
