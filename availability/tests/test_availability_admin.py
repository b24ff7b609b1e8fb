"""The admin of locations, products and rules; editing a location there drops its cached lookup."""

import pytest

from availability.models import Location
from availability.tests.factories import LocationFactory, PriceRuleFactory, ProductFactory

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


def test_editing_a_product_in_the_admin_drops_its_cached_lookup_under_both_skus(admin_client, api_client):
    product = ProductFactory(sku="AZ00001", description="Paraguas", price="10.00")
    assert api_client.get("/price/AZ00001").json()["price"] == "10.00"

    response = admin_client.post(
        f"/admin/availability/product/{product.pk}/change/",
        {"sku": "AZ00009", "description": "Paraguas", "price": "12.50"},
    )

    assert response.status_code == 302
    assert api_client.get("/price/AZ00001").status_code == 404
    assert api_client.get("/price/AZ00009").json()["price"] == "12.50"


def test_deleting_products_in_the_admin_drops_their_cached_lookups(admin_client, api_client):
    products = [ProductFactory(sku="AZ00001"), ProductFactory(sku="AZ00002")]
    for product in products:
        assert api_client.get(f"/price/{product.sku}").status_code == 200

    response = admin_client.post(
        "/admin/availability/product/",
        {"action": "delete_selected", "_selected_action": [p.pk for p in products], "post": "yes"},
    )

    assert response.status_code == 302
    assert [api_client.get(f"/price/{p.sku}").status_code for p in products] == [404, 404]
