"""Every password login (browsable API, admin, token), throttled per client address and per username."""

import functools
import math

from django.contrib import admin
from django.contrib.auth import views as auth_views
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.views import APIView

from core.errors import json_error
from core.throttling import LoginRateThrottle, LoginUsernameRateThrottle

LOGIN_THROTTLES = [LoginRateThrottle, LoginUsernameRateThrottle]


def throttle_logins(view):
    """A Django login view whose password POSTs beyond the `login` rate answer 429."""

    @functools.wraps(view)
    def throttled(request, *args, **kwargs):
        if request.method == "POST":
            for throttle in (throttle_class() for throttle_class in LOGIN_THROTTLES):
                if not throttle.allow_request(request, None):
                    wait = math.ceil(throttle.wait() or 1)
                    message = f"Too many login attempts; try again in {wait} seconds."
                    return json_error(429, message, headers={"Retry-After": str(wait)})
        return view(request, *args, **kwargs)

    return throttled


api_login = throttle_logins(auth_views.LoginView.as_view(template_name="rest_framework/login.html"))
admin_login = throttle_logins(admin.site.login)


@extend_schema(
    tags=["auth"],
    summary="Exchange a username and password for an API token",
    responses=inline_serializer("AuthToken", {"token": serializers.CharField()}),
)
class ObtainTokenView(ObtainAuthToken):
    """`POST {"username", "password"}` → `{"token": ...}` for `Authorization: Token <key>`; throttled."""

    # The password in the body is the credential: no session (so no CSRF) and no token involved.
    authentication_classes = []
    throttle_classes = LOGIN_THROTTLES
    parser_classes = APIView.parser_classes  # the API's (ObtainAuthToken names DRF's JSON parser)
