"""Writes and use cases of the availability app: location changes, price quotes, seeding from CSV."""

import csv
import logging
import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pybreaker
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from availability import weather
from availability.models import Location, PriceRule, Product
from availability.selectors import location_get, location_key, location_queryset, product_get, quote_key
from core.errors import Conflict, Unavailable, UpstreamFailed, UpstreamTimeout

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

    The row is locked while it is changed, so that concurrent writers of one location queue up and
    each answer shows what that writer stored. Two first writers race on the unique constraint: the
    loser's INSERT fails once the winner commits, and it updates the winner's row instead.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                location = location_queryset(country=country, city=city).select_for_update().first()
                created = location is None
                if created:
                    location = Location.objects.create(country=country, city=city, active=active)
                elif location.active != active:
                    location.active = active
                    location.save(update_fields=["active", "updated_at"])
            break
        except IntegrityError:
            continue
    else:
        raise Conflict(f"location {country}/{city} is being created and deleted concurrently; try again.")
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


def tables_lock(*models) -> None:
    """Inside a transaction: concurrent seeders of these tables wait for each other, so that the
    second reads what the first wrote instead of inserting it again (two instances booting at once).

    Readers are not blocked. SQLite needs nothing: its immediate transactions (settings) take the
    database's write lock when they begin.
    """
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


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


def _parse_decimal(value: str, where: str) -> Decimal:
    try:
        return Decimal(value).quantize(CENT)
    except ArithmeticError:
        raise ValueError(f"{where}: {value!r} is not a decimal number") from None


@transaction.atomic
def locations_seed(*, path: Path, reset: bool = False) -> SeedResult:
    """Create the CSV's locations that do not exist; with `reset`, also set `active` back to the file's."""
    rows = _read_csv(path, ("country", "city", "active"))
    tables_lock(Location)
    result = SeedResult()
    existing = {(loc.country, loc.city.lower()): loc for loc in Location.objects.all()}
    new, changed = [], []
    for line, row in enumerate(rows, start=2):
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
    product_rows = _read_csv(products_path, ("sku", "description", "price"))
    columns = ("country", "city", "sku", "min_condition", "max_condition", "variation")
    rule_rows = _read_csv(rules_path, columns)
    tables_lock(Product, PriceRule)

    products = SeedResult()
    by_sku = {product.sku: product for product in Product.objects.all()}
    for line, row in enumerate(product_rows, start=2):
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
    unknown = sorted(
        {
            f"{r['country'].lower()}/{r['city']}"
            for r in rule_rows
            if (r["country"].lower(), r["city"].lower()) not in locations
        }
    )
    if unknown:
        raise ValueError(
            f"{rules_path} names locations that do not exist (run seed_locations first): {', '.join(unknown)}"
        )
    for line, row in enumerate(rule_rows, start=2):
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
