"""Writes and use cases of the availability app: location changes, price quotes, seeding from CSV."""

import csv
import logging
import math
import random
from collections.abc import Iterable
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

from availability import weather
from availability.models import Location, PriceRule, Product
from availability.selectors import location_get, location_key, location_queryset, product_get, quote_key
from core.errors import Unavailable, UpstreamFailed, UpstreamTimeout

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
NO_VARIATION = Decimal("1.00")

# The weather service's circuit breaker, one per process (docs/design.md, "Outside services"): after
# BREAKER_FAILURES failures in a row, quotes answer 503 at once for the cool-down, then one call
# tries again. The cool-down is drawn per process so that the workers' trial calls, each of which may
# wait for the whole timeout, do not fall at the same moment.
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


# --- Locations --------------------------------------------------------------------------------


def location_cache_drop(*, country: str, city: str) -> None:
    """Forget the cached lookup of a location: called after every write, from the API, admin and seeding."""
    cache.delete(location_key(country=country, city=city))


def location_upsert(*, country: str, city: str, active: bool) -> tuple[Location, bool]:
    """Create the location, or set `active` on the existing one (matched case-insensitively).

    `update_or_create` locks the row while it changes it, so that concurrent writers of one location
    queue up and each answer shows what that writer stored. Two first writers race on the unique
    constraint: the loser's INSERT fails once the winner commits, and it updates the winner's row.
    """
    location, created = location_queryset(country=country, city=city).update_or_create(
        defaults={"active": active}, create_defaults={"country": country, "city": city, "active": active}
    )
    location_cache_drop(country=country, city=location.city)
    return location, created


def location_update(*, country: str, city: str, active: bool) -> Location:
    """Set `active` on an existing location (locked while it changes); 404 when there is none."""
    with transaction.atomic():
        location = location_get(country=country, city=city, for_update=True)
        location.active = active
        location.save(update_fields=["active", "updated_at"])
    location_cache_drop(country=country, city=location.city)
    return location


# --- Quotes -------------------------------------------------------------------------------------


def weather_condition(*, location: Location) -> int:
    """The current condition id of the location, through the breaker; the client's errors as ours."""
    if not settings.OPENWEATHER_API_KEY:
        raise Unavailable("Quotes need the weather service: set OPENWEATHER_API_KEY in the environment.")
    client = weather.WeatherClient(
        base_url=settings.OPENWEATHER_API_URL,
        api_key=settings.OPENWEATHER_API_KEY,
        timeout=settings.OPENWEATHER_TIMEOUT,
    )
    try:
        return weather_breaker.call(client.condition_id, location.city, location.country)
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


def price_variation(*, product: Product, location: Location, condition: int) -> Decimal:
    """The largest variation among the rules holding `condition`, else 1."""
    variation = PriceRule.objects.filter(
        product=product, location=location, min_condition__lte=condition, max_condition__gte=condition
    ).aggregate(largest=Max("variation"))["largest"]
    return NO_VARIATION if variation is None else variation


def quote_create(*, sku: str, country: str, city: str) -> tuple[dict, bool]:
    """`(quote, hit)`: the price of `sku` in the city under its current weather; cached when it succeeded."""
    key = quote_key(sku=sku, country=country, city=city)
    quote = cache.get(key)
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
    cache.set(key, quote, settings.QUOTE_CACHE_SECONDS)
    return quote, False


# --- Seeding from the CSV files of data/nicaventas -------------------------------------------


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


Rows = list[tuple[str, dict[str, Any]]]  # (where in which file, the row's values by name)


def tables_lock(*tables: type[models.Model]) -> None:
    """Inside a transaction: concurrent seeders of these tables wait for each other, so that the
    second reads what the first wrote instead of inserting it again (two instances booting at once).

    Readers are not blocked. SQLite needs nothing: its immediate transactions (settings) take the
    database's write lock when they begin.
    """
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")


def _read_csv(path: Path, columns: tuple[str, ...]) -> Rows:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path} lacks the column(s) {', '.join(sorted(missing))}")
        return [
            (f"{path}:{line}", {name: (row[name] or "").strip() for name in columns})
            for line, row in enumerate(reader, start=2)
        ]


def _fold(values: Iterable[Any]) -> tuple:
    return tuple(value.lower() if isinstance(value, str) else value for value in values)


def _seed(objects: models.Manager, rows: Rows, *, key: tuple[str, ...], reset: bool) -> SeedResult:
    """Create the rows not stored yet, matched on the `key` fields (text case-insensitively); with
    `reset`, also overwrite the other fields of the stored ones with the file's values."""
    model = objects.model
    stored = {_fold(getattr(obj, name) for name in key): obj for obj in objects.all()}
    result, new = SeedResult(), []
    for where, row in rows:
        try:  # the model's own fields parse and validate the text of the file
            values = {
                name: model._meta.get_field(name).to_python(value) if isinstance(value, str) else value
                for name, value in row.items()
            }
            obj = stored.get(_fold(values[name] for name in key))
            if obj is None:
                obj = stored[_fold(values[name] for name in key)] = model(**values)
                obj.full_clean(validate_unique=False, validate_constraints=False)  # the database checks
                new.append(obj)
                continue
        except ValidationError as error:
            raise ValueError(f"{where}: {' '.join(error.messages)}") from None
        changes = {name: value for name, value in values.items() if name not in key}
        if reset and any(getattr(obj, name) != value for name, value in changes.items()):
            for name, value in changes.items():
                setattr(obj, name, value)
            obj.save()
            result.updated += 1
        else:
            result.unchanged += 1
    objects.bulk_create(new)
    result.created = len(new)
    return result


def _parse_bool(value: str, where: str) -> bool:
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise ValueError(f"{where}: active must be true or false, not {value!r}")


@transaction.atomic
def locations_seed(*, path: Path, reset: bool = False) -> SeedResult:
    """Create the CSV's locations that do not exist; with `reset`, also set `active` back to the file's."""
    rows = _read_csv(path, ("country", "city", "active"))
    for where, row in rows:
        row.update(country=row["country"].lower(), active=_parse_bool(row["active"], where))
    tables_lock(Location)
    result = _seed(Location.objects, rows, key=("country", "city"), reset=reset)
    if result.updated:
        cache.delete_many([location_key(country=row["country"], city=row["city"]) for _, row in rows])
    return result


@transaction.atomic
def conditions_seed(
    *, products_path: Path, rules_path: Path, reset: bool = False
) -> tuple[SeedResult, SeedResult]:
    """Create the products and price rules of the CSVs that do not exist; with `reset`, overwrite them.

    Rules name their location by country and city; those locations must exist (run seed_locations
    first): a rule for a city we do not know is a data error, not a reason to invent a location.
    """
    products = _read_csv(products_path, ("sku", "description", "price"))
    columns = ("country", "city", "sku", "min_condition", "max_condition", "variation")
    rule_rows = _read_csv(rules_path, columns)
    tables_lock(Product, PriceRule)
    locations = {
        (country, city.lower()): pk
        for pk, country, city in Location.objects.values_list("pk", "country", "city")
    }

    def location_id(country: str, city: str) -> int | None:
        return locations.get((country.lower(), city.lower()))

    unknown = sorted(
        {
            f"{row['country'].lower()}/{row['city']}"
            for _, row in rule_rows
            if not location_id(row["country"], row["city"])
        }
    )
    if unknown:
        raise ValueError(
            f"{rules_path} names locations that do not exist (run seed_locations first): {', '.join(unknown)}"
        )
    product_result = _seed(Product.objects, products, key=("sku",), reset=reset)
    skus = dict(Product.objects.values_list("sku", "pk"))
    for where, row in rule_rows:
        if row["sku"] not in skus:
            raise ValueError(f"{where}: unknown sku {row['sku']!r}")
        row.update(
            product_id=skus[row.pop("sku")], location_id=location_id(row.pop("country"), row.pop("city"))
        )
    key = ("product_id", "location_id", "min_condition", "max_condition")
    return product_result, _seed(PriceRule.objects, rule_rows, key=key, reset=reset)
