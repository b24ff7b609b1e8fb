"""Who may change locations: the shared service token (`Bearer`), a user's API token, or a session.

Missing credentials answer 401; credentials that are present but wrong answer 403 (SPEC.md).
"""

import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions, permissions

from core.authentication import TokenAuthentication

SERVICE = "availability-service-token"  # request.auth when the shared Bearer token was sent


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <AVAILABILITY_API_TOKEN>` or `Authorization: Token <a user's key>`."""

    keyword = "Bearer"

    def authenticate(self, request):
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
        return request.auth == SERVICE or bool(request.user and request.user.is_authenticated)
