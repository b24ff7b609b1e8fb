"""Reads of the availability app: locations and products (lookups cached), and the cache keys."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, Value
from django.db.models.functions import Lower

from availability.models import Location, Product
from core.errors import NotFound


def _digest(*parts: str) -> str:
    # Hashed: cities have spaces and accents, which some cache backends refuse in keys.
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def location_key(*, country: str, city: str) -> str:
    """One cache key per location, whatever the case the client used."""
    return f"availability:location:{country.lower()}:{_digest(city.lower())}"


def product_key(*, sku: str) -> str:
    return f"availability:product:{_digest(sku)}"


def quote_key(*, sku: str, country: str, city: str) -> str:
    return f"availability:quote:{_digest(sku, country.lower(), city.lower())}"


def location_queryset(*, country: str, city: str) -> QuerySet[Location]:
    """The location of `country` and `city`, matched as the unique constraint does (LOWER on both)."""
    return Location.objects.alias(country_ci=Lower("country"), city_ci=Lower("city")).filter(
        country_ci=country.lower(), city_ci=Lower(Value(city))
    )


def location_get(*, country: str, city: str, for_update: bool = False) -> Location:
    """The location; with `for_update` (inside a transaction) locked until the transaction ends."""
    locations = location_queryset(country=country, city=city)
    location = (locations.select_for_update() if for_update else locations).first()
    if location is None:
        raise NotFound(f"location {country}/{city} not found")
    return location


def location_list(*, country: str | None = None) -> QuerySet:
    """Rows of `{"active", "country", "city"}`, ordered; the view pages them."""
    locations = Location.objects.order_by("country", "city")
    if country:
        locations = locations.filter(country=country.lower())
    return locations.values("active", "country", "city")


def cached(key: str, read: Callable[[], dict]) -> tuple[dict, bool]:
    """`(value, hit)`: the cached value, else `read()`, kept for AVAILABILITY_CACHE_SECONDS. Every write
    drops what it changes; a name not found is not kept; a cache that is down is a miss (docs/design.md)."""
    value = cache.get(key)
    if value is not None:
        return value, True
    value = read()
    cache.set(key, value, settings.AVAILABILITY_CACHE_SECONDS)
    return value, False


def location_lookup(*, country: str, city: str) -> tuple[dict, bool]:
    """`({"active", "country", "city"}, hit)` of the location."""

    def read() -> dict:
        location = location_get(country=country, city=city)
        return {"active": location.active, "country": location.country, "city": location.city}

    return cached(location_key(country=country, city=city), read)


def product_lookup(*, sku: str) -> dict:
    """`{"sku", "description", "price"}` of the product."""

    def read() -> dict:
        # A NUL (from a path like /price/%00) cannot be in a SKU, and PostgreSQL refuses it in a query.
        products = Product.objects.filter(sku=sku).values("sku", "description", "price")
        product = None if "\x00" in sku else products.first()
        if product is None:
            raise NotFound(f"product {sku} not found")
        return dict(product)

    return cached(product_key(sku=sku), read)[0]
