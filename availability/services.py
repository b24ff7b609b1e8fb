"""Writes and use cases of the availability app: location changes, price quotes, seeding from CSV."""

import csv
import logging
import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pybreaker
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Max

from availability import selectors, weather
from availability.models import Location, PriceRule, Product
from core.errors import Unavailable, UpstreamFailed, UpstreamTimeout

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
NO_VARIATION = Decimal("1.00")

# One per process (docs/design.md, "Outside services"); the cool-down is drawn per process so that
# the workers' trial calls, each of which may wait a whole timeout, do not fall at the same moment.
BREAKER_FAILURES = 3
BREAKER_COOLDOWN = 30.0
weather_breaker = pybreaker.CircuitBreaker(
    fail_max=BREAKER_FAILURES,
    reset_timeout=BREAKER_COOLDOWN * random.uniform(1, 1.5),
    # The service answered: a city it does not know or a refused key says nothing of its health.
    exclude=[weather.CityNotFound, weather.WeatherKeyRefused],
    throw_new_error_on_trip=False,  # the call that trips it keeps its own answer (504 or 502)
    name="weather",
)


def location_upsert(*, country: str, city: str, active: bool) -> tuple[Location, bool]:
    """Create the location, or set `active` on the existing one (matched case-insensitively); safe
    under concurrent writers (docs/design.md, "Concurrency")."""
    location, created = selectors.location_queryset(country=country, city=city).update_or_create(
        defaults={"active": active}, create_defaults={"country": country, "city": city, "active": active}
    )
    cache.delete(selectors.location_key(country=country, city=city))  # every write drops what it changes
    return location, created


def location_update(*, country: str, city: str, active: bool) -> Location:
    """Set `active` on an existing location (locked while it changes); 404 when there is none."""
    with transaction.atomic():
        location = selectors.location_get(country=country, city=city, for_update=True)
        location.active = active
        location.save(update_fields=["active", "updated_at"])
    cache.delete(selectors.location_key(country=country, city=city))
    return location


def weather_condition(*, country: str, city: str) -> int:
    """The current condition id of the city, through the breaker; the client's errors as ours."""
    if not settings.OPENWEATHER_API_KEY:
        raise Unavailable("Quotes need the weather service: set OPENWEATHER_API_KEY in the environment.")
    client = weather.WeatherClient(
        base_url=settings.OPENWEATHER_API_URL,
        api_key=settings.OPENWEATHER_API_KEY,
        timeout=settings.OPENWEATHER_TIMEOUT,
    )
    try:
        return weather_breaker.call(client.condition_id, city, country)
    except pybreaker.CircuitBreakerError:
        wait = math.ceil(weather_breaker.reset_timeout)
        raise Unavailable(
            f"The weather service failed {BREAKER_FAILURES} times in a row; "
            f"quotes resume within {wait} seconds.",
            retry_after=wait,
        ) from None
    except weather.WeatherTimeout as error:
        logger.warning("weather timeout: %s", error)
        raise UpstreamTimeout(str(error)) from None
    except weather.WeatherError as error:
        logger.warning("weather failure: %s", error)
        raise UpstreamFailed(f"{error} No quote can be computed now.") from None


def price_variation(*, sku: str, country: str, city: str, condition: int) -> Decimal:
    """The largest variation among the product's rules in the city holding `condition`, else 1."""
    variation = PriceRule.objects.filter(
        product__sku=sku,
        location__in=selectors.location_queryset(country=country, city=city),
        min_condition__lte=condition,
        max_condition__gte=condition,
    ).aggregate(largest=Max("variation"))["largest"]
    return NO_VARIATION if variation is None else variation


def quote_create(*, sku: str, country: str, city: str) -> tuple[dict, bool]:
    """`(quote, hit)`: the price of `sku` in the city under its current weather; cached when it succeeded.

    Product and location come from their cached lookups: while the weather breaker is open, a quote
    answers its 503 without a query, and unknown names still answer 404 first.
    """
    key = selectors.quote_key(sku=sku, country=country, city=city)
    product_key = selectors.product_key(sku=sku)
    location_key = selectors.location_key(country=country, city=city)
    found = cache.get_many([key, product_key, location_key])  # one round trip for the three lookups
    if key in found:
        return found[key], True

    product = found.get(product_key) or selectors.product_lookup(sku=sku)
    location = found.get(location_key) or selectors.location_lookup(country=country, city=city)[0]
    place = {"country": location["country"], "city": location["city"]}
    condition = weather_condition(**place)
    variation = price_variation(sku=product["sku"], **place, condition=condition)
    price = (product["price"] * variation).quantize(CENT, rounding=ROUND_HALF_UP)
    quote = {
        "sku": product["sku"],
        "description": product["description"],
        **place,
        "base_price": str(product["price"].quantize(CENT)),
        "variation": str(variation.quantize(CENT)),
        "price": str(price),
    }
    cache.set(key, quote, settings.QUOTE_CACHE_SECONDS)
    return quote, False


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


Rows = list[tuple[str, dict[str, Any]]]  # (where in which file, the row's values by field name)
DATA = settings.BASE_DIR / "data" / "nicaventas"  # the shipped CSV files the seeders load by default


def tables_lock(*tables: type[models.Model]) -> None:
    """Concurrent seeders of these tables wait for each other (two instances booting at once), so that
    the second reads what the first wrote; readers are not blocked. On SQLite the immediate
    transactions of the settings already do it."""
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")


def csv_rows(path: Path, columns: tuple[str, ...]) -> Rows:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path} lacks the column(s) {', '.join(sorted(missing))}")
        return [
            (f"{path}:{line}", {name: (row[name] or "").strip() for name in columns})
            for line, row in enumerate(reader, start=2)
        ]


def seed(objects: models.Manager, rows: Rows, *, key: tuple[str, ...], reset: bool) -> SeedResult:
    """Create the rows not stored yet, matched on the `key` fields (case-insensitively); with `reset`,
    also overwrite the other fields of the stored ones with the file's values."""

    def folded(obj: models.Model) -> tuple[str, ...]:
        return tuple(str(getattr(obj, name)).lower() for name in key)

    stored = {folded(obj): obj for obj in objects.all()}
    result, new = SeedResult(), []
    for where, values in rows:
        row = objects.model(**values)
        try:  # the model's fields parse and validate the file's text; the database checks the rest
            row.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ValueError(f"{where}: {' '.join(error.messages)}") from None
        obj = stored.setdefault(folded(row), row)
        changes = {name: getattr(row, name) for name in values if name not in key}
        if obj is row:
            new.append(row)
        elif reset and any(getattr(obj, name) != value for name, value in changes.items()):
            for name, value in changes.items():
                setattr(obj, name, value)
            obj.save()
            result.updated += 1
        else:
            result.unchanged += 1
    objects.bulk_create(new)
    result.created = len(new)
    return result


@transaction.atomic
def locations_seed(*, path: Path, reset: bool = False) -> SeedResult:
    """Create the CSV's locations that do not exist; with `reset`, also set `active` back to the file's."""
    rows = csv_rows(path, ("country", "city", "active"))
    for where, row in rows:
        active = row["active"].lower()
        if active not in ("true", "1", "yes", "false", "0", "no"):
            raise ValueError(f"{where}: active must be true or false, not {row['active']!r}")
        row.update(country=row["country"].lower(), active=active in ("true", "1", "yes"))
    tables_lock(Location)
    result = seed(Location.objects, rows, key=("country", "city"), reset=reset)
    if result.updated:
        cache.delete_many(
            [selectors.location_key(country=row["country"], city=row["city"]) for _, row in rows]
        )
    return result


@transaction.atomic
def conditions_seed(
    *, products_path: Path, rules_path: Path, reset: bool = False
) -> tuple[SeedResult, SeedResult]:
    """Create the products and price rules of the CSVs that do not exist; with `reset`, overwrite them.

    Rules name their location by country and city; those locations must exist (run seed_locations
    first): a rule for a city we do not know is a data error, not a reason to invent a location.
    """
    products = csv_rows(products_path, ("sku", "description", "price"))
    rules = csv_rows(rules_path, ("country", "city", "sku", "min_condition", "max_condition", "variation"))
    tables_lock(Product, PriceRule)
    locations = {
        (country, city.lower()): pk
        for pk, country, city in Location.objects.values_list("pk", "country", "city")
    }
    unknown = set()
    for _, row in rules:
        country, city = row.pop("country").lower(), row.pop("city")
        row["location_id"] = locations.get((country, city.lower()))
        if row["location_id"] is None:
            unknown.add(f"{country}/{city}")
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ValueError(
            f"{rules_path} names locations that do not exist (run seed_locations first): {names}"
        )
    product_result = seed(Product.objects, products, key=("sku",), reset=reset)
    if product_result.updated:
        cache.delete_many([selectors.product_key(sku=row["sku"]) for _, row in products])
    skus = dict(Product.objects.values_list("sku", "pk"))
    for where, row in rules:
        sku = row.pop("sku")
        if sku not in skus:
            raise ValueError(f"{where}: unknown sku {sku!r}")
        row["product_id"] = skus[sku]
    key = ("product_id", "location_id", "min_condition", "max_condition")
    return product_result, seed(PriceRule.objects, rules, key=key, reset=reset)
