"""Who may change locations, and how often: the shared service token (`Bearer`), a user's API token
or a session; missing credentials answer 401, credentials that are present but wrong 403.
"""

import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions, permissions
from rest_framework.settings import api_settings

from core.authentication import TokenAuthentication
from core.throttling import ClientAddressRateThrottle

SERVICE = "availability-service-token"  # request.auth when the shared Bearer token was sent


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <AVAILABILITY_API_TOKEN>` or `Authorization: Token <a user's key>`.

    Reads are public: their credentials are not read, so a wrong token does not refuse a read and
    an anonymous read touches no token table.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        if request.method in permissions.SAFE_METHODS:
            return None
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        scheme = header[0].lower()
        if scheme == b"bearer":
            return self._service(header)
        if scheme == b"token":
            return self._user_token(request)
        return None  # another scheme: not ours; the request stays anonymous

    def _service(self, header):
        expected = settings.AVAILABILITY_API_TOKEN
        if not expected:
            raise exceptions.PermissionDenied(
                "Bearer tokens are not accepted: no AVAILABILITY_API_TOKEN is configured; "
                "use `Authorization: Token <your API token>`."
            )
        given = header[1] if len(header) == 2 else b""
        if not hmac.compare_digest(given, expected.encode()):
            raise exceptions.PermissionDenied("The Bearer token is not the service token.")
        return AnonymousUser(), SERVICE

    def _user_token(self, request):
        try:
            return TokenAuthentication().authenticate(request)
        except exceptions.AuthenticationFailed as error:
            # A token that was sent but is wrong is refused (403), not missing (401).
            raise exceptions.PermissionDenied(error.detail) from None

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class CanChangeLocations(permissions.BasePermission):
    """Reads are public; writes need the service token or an authenticated user."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.auth == SERVICE or (request.user and request.user.is_authenticated):
            return True
        raise exceptions.NotAuthenticated(
            "Changing locations needs `Authorization: Bearer <AVAILABILITY_API_TOKEN>`, "
            "`Authorization: Token <your API token>`, or a logged-in session."
        )


class LocationWriteThrottle(ClientAddressRateThrottle):
    """Location writes of users who are not staff: the `locations` rate (LOCATIONS_THROTTLE_RATE) per user.

    Any user may write locations, so without a limit one account could fill the table (and every
    list). The service token and staff are the operators: not counted. Without a configured rate
    nothing is counted (DRF's rule for a rate of None).
    """

    scope = "locations"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if request.method in permissions.SAFE_METHODS or request.auth == SERVICE or request.user.is_staff:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
