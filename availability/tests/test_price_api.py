"""GET /price/<sku>: the base price of a product, money as a string."""

from decimal import Decimal

import pytest

from availability.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_price_of_a_product(api_client):
    ProductFactory(sku="AZ00001", description="Paraguas de señora estampado", price=Decimal("10"))

    response = api_client.get("/price/AZ00001")

    assert response.status_code == 200
    assert response.json() == {
        "sku": "AZ00001",
        "description": "Paraguas de señora estampado",
        "price": "10.00",
    }


def test_price_with_a_trailing_slash(api_client):
    ProductFactory(sku="AZ00002", price=Decimal("1.00"))

    assert api_client.get("/price/AZ00002/").json()["price"] == "1.00"


def test_price_of_an_unknown_product_is_404(api_client):
    response = api_client.get("/price/NOPE")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": "product NOPE not found"}
