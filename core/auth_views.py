"""Password logins, throttled per client address: the browsable API's login page and the token endpoint."""

import math

from django.contrib.auth import views as auth_views
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

from core.errors import json_error
from core.renderers import JSONRenderer
from core.throttling import LoginRateThrottle


class ThrottledLoginView(auth_views.LoginView):
    """Django's login form for the browsable API; password POSTs beyond the `login` rate answer 429."""

    template_name = "rest_framework/login.html"

    def post(self, request, *args, **kwargs):
        throttle = LoginRateThrottle()
        if not throttle.allow_request(request, self):
            wait = math.ceil(throttle.wait() or 1)
            return json_error(
                429, f"Too many login attempts; try again in {wait} seconds.", Retry_After=str(wait)
            )
        return super().post(request, *args, **kwargs)


@extend_schema(
    tags=["auth"],
    summary="Exchange a username and password for an API token",
    responses=inline_serializer("AuthToken", {"token": serializers.CharField()}),
)
class ObtainTokenView(ObtainAuthToken):
    """`POST {"username", "password"}` → `{"token": ...}` for `Authorization: Token <key>`; throttled."""

    # The password in the body is the credential: no session (so no CSRF) and no token involved.
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]
    renderer_classes = [JSONRenderer]
