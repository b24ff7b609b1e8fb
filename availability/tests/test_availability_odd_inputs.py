"""Inputs a fuzzer sends: NUL and lone surrogate characters, huge values; a 4xx, never a database error."""

import json

import pytest

from availability.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sku", ["%00", "AZ%00", "x" * 300, "%F0%9F%92%A9"])
def test_odd_skus_are_404(api_client, sku):
    response = api_client.get(f"/price/{sku}")

    assert response.status_code == 404
    assert response.json()["status"] == "NOT-FOUND"


@pytest.mark.parametrize("value", ["\ud800", "Le\x00on"])
@pytest.mark.parametrize("field", ["city", "country"])
def test_odd_characters_in_bodies_are_400(service_client, field, value):
    LocationFactory(country="ni", city="Leon")
    body = {"country": "ni", "city": "Leon", "active": True, field: value}

    for method, path in (("post", "/active"), ("put", "/active"), ("post", "/quote")):
        payload = {**body, "sku": "AZ00001"} if path == "/quote" else body
        raw = json.dumps(payload)  # escaped: a lone surrogate travels as the text \ud800
        response = service_client.generic(method.upper(), path, raw, content_type="application/json")
        assert response.status_code == 400, (method, path)
        assert field in response.json()["errors"]


def test_odd_characters_in_the_query_are_400(api_client):
    response = api_client.get("/active?country=ni&city=%00")

    assert response.status_code == 400
