"""Rate throttles shared by the apps: keyed safely by client address, and open when the cache is down."""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class CacheFailOpenMixin:
    """A throttle whose cache (Redis) is unreachable lets the request through instead of failing it.

    Throttling protects the service; refusing every write because the cache is down would turn a
    cache outage into a full outage.
    """

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache client error means "cannot count"
            logger.warning("throttle %s: cache unreachable, request let through", self.scope)
            return True


class ClientAddressRateThrottle(CacheFailOpenMixin, SimpleRateThrottle):
    """Counts requests per client address, with the rate read from settings at each request.

    Without NUM_PROXIES configured, X-Forwarded-For is a header any client can set, so it is
    ignored: the address is the socket's peer. Behind a proxy, set API_NUM_PROXIES (DRF's NUM_PROXIES).
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR")
        return super().get_ident(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginRateThrottle(ClientAddressRateThrottle):
    """Password attempts (browsable API login, token endpoint): `login` rate, LOGIN_THROTTLE_RATE."""

    scope = "login"
