"""Cache keys and cache calls that never fail: a cache that is down means a miss, never an error."""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _digest(*parts: str) -> str:
    # Hashed: cities have spaces and accents, which some cache backends refuse in keys.
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def location_key(country: str, city: str) -> str:
    """One key per location, whatever the case the client used."""
    return f"availability:location:{country.lower()}:{_digest(city.lower())}"


def quote_key(sku: str, country: str, city: str) -> str:
    return f"availability:quote:{_digest(sku, country.lower(), city.lower())}"


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - any failure of the cache client: serve from the database
        logger.warning("cache unavailable on get %s; serving from the database", key)
        return None


def cache_set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001 - a value that could not be cached is only a lost optimisation
        logger.warning("cache unavailable on set %s", key)


def cache_delete(*keys: str) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - see the README: a write during a cache outage
        logger.warning("cache unavailable on delete %s; a stale value may live until it expires", keys)
