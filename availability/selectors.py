"""Reads of the availability app: locations (cached lookups) and products."""

from django.conf import settings
from django.db.models import QuerySet, Value
from django.db.models.functions import Lower
from rest_framework.exceptions import NotFound

from availability.caching import cache_get, cache_set, location_key
from availability.models import Location, Product


def location_queryset(*, country: str, city: str) -> QuerySet[Location]:
    """The location of `country` and `city`, matched as the unique constraint does (LOWER on both)."""
    return Location.objects.alias(country_ci=Lower("country"), city_ci=Lower("city")).filter(
        country_ci=country.lower(), city_ci=Lower(Value(city))
    )


def location_get(*, country: str, city: str) -> Location:
    location = location_queryset(country=country, city=city).first()
    if location is None:
        raise NotFound(f"location {country}/{city} not found")
    return location


def location_as_dict(location: Location) -> dict:
    return {"active": location.active, "country": location.country, "city": location.city}


def location_list(*, country: str | None = None) -> list[dict]:
    locations = Location.objects.order_by("country", "city")
    if country:
        locations = locations.filter(country=country.lower())
    return list(locations.values("active", "country", "city"))


def location_lookup(*, country: str, city: str) -> tuple[dict, bool]:
    """`({"active", "country", "city"}, hit)`: from the cache when it holds the location, else the DB."""
    key = location_key(country, city)
    value = cache_get(key)
    if value is not None:
        return value, True
    value = location_as_dict(location_get(country=country, city=city))
    cache_set(key, value, settings.AVAILABILITY_CACHE_SECONDS)
    return value, False


def product_get(*, sku: str) -> Product:
    # A NUL (from a path like /price/%00) cannot be in a SKU, and PostgreSQL refuses it in a query.
    product = None if "\x00" in sku else Product.objects.filter(sku=sku).first()
    if product is None:
        raise NotFound(f"product {sku} not found")
    return product
