"""POST /quote: base price times the largest variation of the rules matching the city's current weather."""

from decimal import Decimal

import pytest

from availability.tests.factories import LocationFactory, PriceRuleFactory, ProductFactory

pytestmark = pytest.mark.django_db

RAIN, DRIZZLE, CLEAR, CLOUDS, SNOW = 501, 300, 800, 803, 601


@pytest.fixture
def leon():
    """Leon with the challenge's rules for an umbrella: dearer in rain, cheaper in sun."""
    location = LocationFactory(country="ni", city="Leon")
    umbrella = ProductFactory(
        sku="AZ00001", description="Paraguas de señora estampado", price=Decimal("10.00")
    )
    PriceRuleFactory(
        product=umbrella, location=location, min_condition=500, max_condition=599, variation="1.5"
    )
    PriceRuleFactory(
        product=umbrella, location=location, min_condition=800, max_condition=804, variation="0.5"
    )
    return location


def quote(client, sku="AZ00001", country="ni", city="Leon"):
    return client.post("/quote", {"sku": sku, "country": country, "city": city}, format="json")


def test_quote_in_rain(api_client, openweather, leon):
    openweather.set_condition("Leon", "ni", RAIN)

    response = quote(api_client)

    assert response.status_code == 200
    assert response.json() == {
        "sku": "AZ00001",
        "description": "Paraguas de señora estampado",
        "country": "ni",
        "city": "Leon",
        "base_price": "10.00",
        "variation": "1.50",
        "price": "15.00",
        "cache": "miss",
    }
    assert openweather.requests == [{"q": "Leon,ni", "appid": openweather.api_key}]


@pytest.mark.parametrize("condition", [CLEAR, CLOUDS])
def test_quote_in_clear_or_cloudy_weather(api_client, openweather, leon, condition):
    openweather.set_condition("Leon", "ni", condition)

    body = quote(api_client).json()

    assert (body["variation"], body["price"]) == ("0.50", "5.00")


@pytest.mark.parametrize("condition", [DRIZZLE, SNOW, 700])
def test_quote_without_a_matching_rule_has_variation_1(api_client, openweather, leon, condition):
    openweather.set_condition("Leon", "ni", condition)

    body = quote(api_client).json()

    assert (body["base_price"], body["variation"], body["price"]) == ("10.00", "1.00", "10.00")


def test_the_largest_matching_variation_wins(api_client, openweather, leon):
    umbrella = leon.rules.first().product
    PriceRuleFactory(product=umbrella, location=leon, min_condition=500, max_condition=501, variation="2.25")
    PriceRuleFactory(product=umbrella, location=leon, min_condition=501, max_condition=501, variation="0.10")
    openweather.set_condition("Leon", "ni", RAIN)

    assert quote(api_client).json()["variation"] == "2.25"


def test_rules_of_other_products_and_cities_do_not_apply(api_client, openweather, leon):
    ice_cream = ProductFactory(sku="AZ00002", price=Decimal("1.00"))
    PriceRuleFactory(product=ice_cream, location=leon, min_condition=800, max_condition=804, variation="1.5")
    PriceRuleFactory(product=ice_cream, min_condition=500, max_condition=599, variation="3")
    openweather.set_condition("Leon", "ni", RAIN)

    body = quote(api_client, sku="AZ00002").json()

    assert (body["variation"], body["price"]) == ("1.00", "1.00")


def test_the_price_is_rounded_to_cents(api_client, openweather):
    location = LocationFactory(country="es", city="Madrid")
    product = ProductFactory(sku="AZ00009", price=Decimal("0.99"))
    PriceRuleFactory(
        product=product, location=location, min_condition=800, max_condition=800, variation="1.25"
    )
    openweather.set_condition("Madrid", "es", CLEAR)

    assert quote(api_client, sku="AZ00009", country="ES", city="madrid").json()["price"] == "1.24"


def test_an_identical_quote_is_served_from_the_cache(api_client, openweather, leon):
    openweather.set_condition("Leon", "ni", RAIN)
    assert quote(api_client).json()["cache"] == "miss"
    openweather.set_condition("Leon", "ni", CLEAR)  # the cached quote lives for QUOTE_CACHE_SECONDS

    response = quote(api_client, country="NI", city="LEON")

    assert response.json()["cache"] == "hit"
    assert response.json()["price"] == "15.00"
    assert len(openweather.requests) == 1


def test_the_quote_cache_lifetime_comes_from_the_settings(api_client, openweather, leon, settings):
    settings.QUOTE_CACHE_SECONDS = 0  # Django: 0 means "do not keep"
    openweather.set_condition("Leon", "ni", RAIN)

    assert quote(api_client).json()["cache"] == "miss"
    assert quote(api_client).json()["cache"] == "miss"


def test_unknown_sku_is_404(api_client, openweather, leon):
    response = quote(api_client, sku="NOPE")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": "product NOPE not found"}
    assert openweather.requests == []


def test_unknown_location_is_404(api_client, openweather, leon):
    response = quote(api_client, city="Atlantis")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": "location ni/Atlantis not found"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "ni", "city": "Leon"}, "sku"),
        ({"sku": "AZ00001", "country": "nic", "city": "Leon"}, "country"),
        ({"sku": "AZ00001", "country": "ni"}, "city"),
        ({"sku": 1, "country": "ni", "city": "Leon"}, "sku"),
    ],
)
def test_invalid_quote_requests_are_400(api_client, body, field):
    response = api_client.post("/quote", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_no_key_configured_is_503_naming_the_variable(api_client, settings, leon):
    settings.OPENWEATHER_API_KEY = ""

    response = quote(api_client)

    assert response.status_code == 503
    assert response.json()["status"] == "UNAVAILABLE"
    assert "OPENWEATHER_API_KEY" in response.json()["message"]


def assert_not_cached(client, openweather):
    """After an error, the next quote asks the weather service again."""
    openweather.mode = "ok"
    openweather.api_key = openweather.api_key.removeprefix("rotated-")
    openweather.set_condition("Leon", "ni", RAIN)
    response = quote(client)
    assert response.status_code == 200
    assert response.json()["cache"] == "miss"


def test_a_refused_key_is_502_without_the_key(api_client, openweather, leon, settings):
    openweather.set_condition("Leon", "ni", RAIN)
    openweather.api_key = "rotated-" + openweather.api_key

    response = quote(api_client)

    assert response.status_code == 502
    body = response.json()
    assert body["status"] == "BAD-GATEWAY"
    assert "refused the configured API key (OPENWEATHER_API_KEY)" in body["message"]
    assert settings.OPENWEATHER_API_KEY not in body["message"]
    assert_not_cached(api_client, openweather)


def test_the_weather_service_failing_is_502(api_client, openweather, leon):
    openweather.mode = "fail"

    response = quote(api_client)

    assert response.status_code == 502
    assert response.json() == {
        "status": "BAD-GATEWAY",
        "message": "The weather service answered HTTP 500 for Leon, ni. No quote can be computed now.",
    }
    assert_not_cached(api_client, openweather)


def test_the_weather_service_down_is_502(api_client, openweather, leon, settings):
    openweather.stop()

    response = quote(api_client)

    assert response.status_code == 502
    assert (
        response.json()["message"]
        == "The weather service could not be reached. No quote can be computed now."
    )
    assert settings.OPENWEATHER_API_KEY not in response.content.decode()


def test_a_slow_weather_service_is_504(api_client, openweather, leon):
    openweather.set_condition("Leon", "ni", RAIN)
    openweather.mode = "slow"

    response = quote(api_client)

    assert response.status_code == 504
    assert response.json() == {
        "status": "TIMEOUT",
        "message": "The weather service did not answer within 0.5 seconds for Leon, ni.",
    }
    assert_not_cached(api_client, openweather)


def test_a_city_the_weather_service_does_not_know_is_502(api_client, openweather, leon):
    response = quote(api_client)

    assert response.status_code == 502
    assert "does not know Leon, ni" in response.json()["message"]


def test_a_body_that_is_not_an_object_is_400(api_client):
    response = api_client.post("/quote", [1, 2], format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_the_browsable_form_may_post_a_quote(api_client, openweather, leon):
    openweather.set_condition("Leon", "ni", RAIN)

    response = api_client.post(
        "/quote/", {"sku": "AZ00001", "country": "ni", "city": "Leon"}, format="multipart"
    )

    assert response.status_code == 200
    assert response.json()["price"] == "15.00"


def test_the_quote_page_renders_in_a_browser(api_client):
    response = api_client.get("/quote", HTTP_ACCEPT="text/html")

    assert response.status_code == 405
    assert b"<form" in response.content
