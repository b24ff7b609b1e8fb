"""The rate limit of comment posting: per client IP, counted in the shared cache."""

import functools
import logging
import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


@functools.cache
def _parse_rate(rate: str) -> tuple[int, int]:
    return SimpleRateThrottle.parse_rate(None, rate)


class CommentRateThrottle(SimpleRateThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["comments"] requests per client IP per window.

    Differs from DRF's SimpleRateThrottle in two ways, both on purpose:
    - the rate is read from settings on each request (DRF reads it once at import, so a changed
      setting would be ignored);
    - it counts in fixed windows with `cache.add` + `cache.incr` (atomic in Redis, one or two cache
      round trips whatever the rate) instead of DRF's per-client list of timestamps, which grows
      with the rate and loses updates when several processes write it at once.
    A cache that is down lets comments through (logged): the limit protects, it must not take
    posting down with it.
    """

    scope = "comments"

    def get_rate(self):
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)

    def parse_rate(self, rate):
        return (None, None) if rate is None else _parse_rate(rate)

    def get_cache_key(self, request, view):
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        return f"throttle_{self.scope}_{self.get_ident(request)}_{window}"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.now = self.timer()
        key = self.get_cache_key(request, view)
        try:
            # The key outlives its window by a second so that incr never races its expiry.
            if self.cache.add(key, 1, self.duration + 1):
                return True
            return self.cache.incr(key) <= self.num_requests
        except ValueError:  # the key expired between add and incr: a new window has begun
            return True
        except Exception:  # any cache failure (connection, timeout) must not block posting
            logger.warning("comment throttle skipped: the cache is not answering", exc_info=True)
            return True

    def wait(self):
        return max(1, math.ceil(self.window_end - self.now))
