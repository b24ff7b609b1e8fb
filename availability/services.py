"""Writes and use cases of the availability app: location changes, price quotes, seeding from CSV."""

import csv
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from rest_framework import status
from rest_framework.exceptions import APIException

from availability import weather
from availability.caching import cache_delete, cache_get, cache_set, location_key, quote_key
from availability.models import Location, PriceRule, Product
from availability.selectors import location_get, location_queryset, product_get

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
NO_VARIATION = Decimal("1.00")


class BadGateway(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_detail = "The weather service failed."
    default_code = "bad_gateway"


class GatewayTimeout(APIException):
    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_detail = "The weather service did not answer in time."
    default_code = "gateway_timeout"


class ServiceUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is not available."
    default_code = "unavailable"


# --- Locations --------------------------------------------------------------------------------


def location_cache_drop(*, country: str, city: str) -> None:
    """Forget the cached lookup of a location: called after every write, from the API, admin and seeding."""
    cache_delete(location_key(country, city))


def location_upsert(*, country: str, city: str, active: bool) -> tuple[Location, bool]:
    """Create the location, or set `active` on the existing one (matched case-insensitively)."""
    location = location_queryset(country=country, city=city).first()
    created = False
    if location is None:
        try:
            with transaction.atomic():
                location = Location.objects.create(country=country, city=city, active=active)
            created = True
        except IntegrityError:  # created by a concurrent request since our read
            location = location_get(country=country, city=city)
    if not created and location.active != active:
        location.active = active
        location.save(update_fields=["active", "updated_at"])
    location_cache_drop(country=country, city=location.city)
    return location, created


def location_update(*, country: str, city: str, active: bool) -> Location:
    """Set `active` on an existing location; 404 when there is none."""
    location = location_get(country=country, city=city)
    location.active = active
    location.save(update_fields=["active", "updated_at"])
    location_cache_drop(country=country, city=location.city)
    return location


# --- Quotes -------------------------------------------------------------------------------------


def weather_client() -> weather.WeatherClient:
    """A client configured from the settings as they are now (tests change them per test)."""
    if not settings.OPENWEATHER_API_KEY:
        raise ServiceUnavailable(
            "Quotes need the weather service: set OPENWEATHER_API_KEY in the environment."
        )
    return weather.WeatherClient(
        base_url=settings.OPENWEATHER_API_URL,
        api_key=settings.OPENWEATHER_API_KEY,
        timeout=settings.OPENWEATHER_TIMEOUT,
    )


def weather_condition(*, location: Location) -> int:
    """The current condition id of the location, with the client's errors turned into 502/504 answers."""
    client = weather_client()
    try:
        return client.condition_id(location.city, location.country)
    except weather.WeatherTimeout as error:
        logger.warning("weather timeout: %s", error)
        raise GatewayTimeout(str(error)) from None
    except weather.WeatherError as error:
        logger.warning("weather failure: %s", error)
        raise BadGateway(f"{error} No quote can be computed now.") from None


def price_variation(*, product: Product, location: Location, condition: int) -> Decimal:
    """The largest variation among the rules holding `condition`, else 1."""
    variation = PriceRule.objects.filter(
        product=product, location=location, min_condition__lte=condition, max_condition__gte=condition
    ).aggregate(largest=Max("variation"))["largest"]
    return NO_VARIATION if variation is None else variation


def quote_create(*, sku: str, country: str, city: str) -> tuple[dict, bool]:
    """`(quote, hit)`: the price of `sku` in the city under its current weather; cached when it succeeded."""
    key = quote_key(sku, country, city)
    quote = cache_get(key)
    if quote is not None:
        return quote, True

    product = product_get(sku=sku)
    location = location_get(country=country, city=city)
    condition = weather_condition(location=location)
    variation = price_variation(product=product, location=location, condition=condition)
    price = (product.price * variation).quantize(CENT, rounding=ROUND_HALF_UP)
    quote = {
        "sku": product.sku,
        "description": product.description,
        "country": location.country,
        "city": location.city,
        "base_price": str(product.price.quantize(CENT)),
        "variation": str(variation.quantize(CENT)),
        "price": str(price),
    }
    cache_set(key, quote, settings.QUOTE_CACHE_SECONDS)
    return quote, False


# --- Seeding from the CSV files of data/nicaventas -------------------------------------------


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path} lacks the column(s) {', '.join(sorted(missing))}")
        return [{name: (row[name] or "").strip() for name in columns} for row in reader]


def _parse_bool(value: str, where: str) -> bool:
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise ValueError(f"{where}: active must be true or false, not {value!r}")


@transaction.atomic
def locations_seed(*, path: Path, reset: bool = False) -> SeedResult:
    """Create the CSV's locations that do not exist; with `reset`, also set `active` back to the file's."""
    result = SeedResult()
    existing = {(loc.country, loc.city.lower()): loc for loc in Location.objects.all()}
    new, changed = [], []
    for line, row in enumerate(_read_csv(path, ("country", "city", "active")), start=2):
        country, city = row["country"].lower(), row["city"]
        active = _parse_bool(row["active"], f"{path}:{line}")
        location = existing.get((country, city.lower()))
        if location is None:
            location = Location(country=country, city=city, active=active)
            location.full_clean(validate_unique=False, validate_constraints=False)
            existing[(country, city.lower())] = location
            new.append(location)
        elif reset and location.active != active:
            location.active = active
            changed.append(location)
        else:
            result.unchanged += 1
    Location.objects.bulk_create(new)
    Location.objects.bulk_update(changed, ["active", "updated_at"])
    for location in changed:
        location_cache_drop(country=location.country, city=location.city)
    result.created, result.updated = len(new), len(changed)
    return result


@transaction.atomic
def conditions_seed(
    *, products_path: Path, rules_path: Path, reset: bool = False
) -> tuple[SeedResult, SeedResult]:
    """Create the products and price rules of the CSVs that do not exist; with `reset`, overwrite them.

    Rules name their location by country and city; those locations must exist (run seed_locations
    first): a rule for a city we do not know is a data error, not a reason to invent a location.
    """
    products = SeedResult()
    by_sku = {product.sku: product for product in Product.objects.all()}
    for line, row in enumerate(_read_csv(products_path, ("sku", "description", "price")), start=2):
        price = _parse_decimal(row["price"], f"{products_path}:{line}")
        product = by_sku.get(row["sku"])
        if product is None:
            product = Product(sku=row["sku"], description=row["description"], price=price)
            product.full_clean()
            product.save()
            by_sku[product.sku] = product
            products.created += 1
        elif reset and (product.description, product.price) != (row["description"], price):
            product.description, product.price = row["description"], price
            product.save()
            products.updated += 1
        else:
            products.unchanged += 1

    rules = SeedResult()
    locations = {(loc.country, loc.city.lower()): loc for loc in Location.objects.all()}
    columns = ("country", "city", "sku", "min_condition", "max_condition", "variation")
    rows = _read_csv(rules_path, columns)
    unknown = sorted(
        {
            f"{r['country'].lower()}/{r['city']}"
            for r in rows
            if (r["country"].lower(), r["city"].lower()) not in locations
        }
    )
    if unknown:
        raise ValueError(
            f"{rules_path} names locations that do not exist (run seed_locations first): {', '.join(unknown)}"
        )
    for line, row in enumerate(rows, start=2):
        where = f"{rules_path}:{line}"
        product = by_sku.get(row["sku"])
        if product is None:
            raise ValueError(f"{where}: unknown sku {row['sku']!r}")
        location = locations[(row["country"].lower(), row["city"].lower())]
        variation = _parse_decimal(row["variation"], where)
        try:
            low, high = int(row["min_condition"]), int(row["max_condition"])
        except ValueError:
            raise ValueError(f"{where}: min_condition and max_condition must be whole numbers") from None
        rule, created = PriceRule.objects.get_or_create(
            product=product,
            location=location,
            min_condition=low,
            max_condition=high,
            defaults={"variation": variation},
        )
        if created:
            rules.created += 1
        elif reset and rule.variation != variation:
            rule.variation = variation
            rule.save(update_fields=["variation"])
            rules.updated += 1
        else:
            rules.unchanged += 1
    return products, rules


def _parse_decimal(value: str, where: str) -> Decimal:
    try:
        return Decimal(value).quantize(CENT)
    except ArithmeticError:
        raise ValueError(f"{where}: {value!r} is not a decimal number") from None
