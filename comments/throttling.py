"""The rate limit of comment posting: per client address, counted atomically in the shared cache."""

import functools
import math

from rest_framework.throttling import SimpleRateThrottle

from core.throttling import ClientAddressRateThrottle


@functools.cache
def _parse_rate(rate: str) -> tuple[int, int]:
    return SimpleRateThrottle.parse_rate(None, rate)


class FixedWindowRateThrottle(SimpleRateThrottle):
    """Counts requests per key in fixed windows: one atomic `incr_or_add` on Redis, else `add` + `incr`.

    DRF's SimpleRateThrottle keeps a list of timestamps per client and writes it back with
    get-then-set: the list grows with the rate (a benchmark rate of 100000/min pickles 100000
    floats per request) and workers writing it at once lose each other's requests. A counter is
    one or two cache round trips whatever the rate, and atomic across processes in Redis.
    The price is that a client may spend two windows' allowance around a window boundary.
    """

    def parse_rate(self, rate):
        return (None, None) if rate is None else _parse_rate(rate)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        key = f"{self.get_cache_key(request, view)}_{window}"
        # The key outlives its window by a second so that incr never races its expiry.
        expiry = self.duration + 1
        incr_or_add = getattr(self.cache, "incr_or_add", None)
        if incr_or_add is not None:  # Redis (core.cache): one atomic round trip
            return incr_or_add(key, expiry) <= self.num_requests
        if self.cache.add(key, 1, expiry):
            return True
        try:
            return self.cache.incr(key) <= self.num_requests
        except ValueError:  # evicted between add and incr: count this request as the first
            self.cache.add(key, 1, expiry)
            return True

    def wait(self):
        return max(1, math.ceil(self.window_end - self.now))


class CommentRateThrottle(ClientAddressRateThrottle, FixedWindowRateThrottle):
    """POST /api/comment/new: the `comments` rate (COMMENTS_THROTTLE_RATE) per client address.

    From the shared throttle: the client address (X-Forwarded-For only behind configured proxies),
    the rate read from settings on each request, and requests let through when the cache is down.
    """

    scope = "comments"
