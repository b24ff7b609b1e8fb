"""Rate throttles shared by the apps: keyed safely by client address, and open when the cache is down."""

import hashlib
import logging
from collections.abc import Mapping

from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ClientAddressRateThrottle(SimpleRateThrottle):
    """Counts requests per client address (DRF's: from X-Forwarded-For only with NUM_PROXIES), at the
    rate the settings give at each request. A throttle whose cache raises (django-redis fails open by
    itself, other clients do not) lets the request through: a cache outage is no full outage."""

    scope: str

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except APIException:
            raise  # the request's own fault (a body that does not parse), not the cache's
        except Exception:  # noqa: BLE001 - any cache client error means "cannot count"
            logger.warning("throttle %s: cache unreachable, request let through", self.scope)
            return True

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginRateThrottle(ClientAddressRateThrottle):
    scope = "login"


class LoginUsernameRateThrottle(LoginRateThrottle):
    """Password attempts per username, from any address, at the `login` rate: no guessing one account's
    password from many addresses, at the price that anyone can spend its attempts (docs/security.md)."""

    def get_cache_key(self, request, view):
        data = getattr(request, "data", request.POST)  # DRF's parsed body, or a Django form post
        username = data.get("username") if isinstance(data, Mapping) else None
        if not username:
            return None  # nothing to count; the per-address throttle still applies
        digest = hashlib.sha256(str(username).casefold().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": "login-username", "ident": digest}
