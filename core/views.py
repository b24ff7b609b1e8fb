"""The API root, `/which`, `/live`, `/check`, the schema, and the JSON 404 for every unknown path."""

import contextlib

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.urls import NoReverseMatch
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.renderers import JSONRenderer, PlainTextRenderer

SERVICE_LINKS = {
    "cars": "cars-list",
    "comments": "comment-create",
    "availability": "availability-active",
    "quote": "availability-quote",
    "rollbar_items": "rollbar-item-list",
    "rollbar_reports": "rollbar-report-list",
}


class RootView(APIView):
    """The API root: what this service is and a link to each service, the schema and the docs."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses=inline_serializer(
            "ApiRoot",
            {
                "service": serializers.CharField(),
                "version": serializers.CharField(),
                "services": serializers.DictField(child=serializers.URLField()),
                "schema": serializers.URLField(),
                "docs": serializers.URLField(),
                "redoc": serializers.URLField(),
            },
        )
    )
    def get(self, request):
        services = {}
        for name, url_name in SERVICE_LINKS.items():
            with contextlib.suppress(NoReverseMatch):  # an app without that route is simply not linked
                services[name] = reverse(url_name, request=request)
        return Response(
            {
                "service": settings.SERVICE_NAME,
                "version": settings.SERVICE_VERSION,
                "services": services,
                "schema": reverse("schema", request=request),
                "docs": reverse("swagger-ui", request=request),
                "redoc": reverse("redoc", request=request),
            }
        )


class ErrorsInJSONMixin:
    """For views whose success is not JSON: their error answers stay in the JSON error shape."""

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class WhichView(ErrorsInJSONMixin, APIView):
    """`API under construction`, as text (kept from the Rollbar original)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = [PlainTextRenderer, JSONRenderer]

    @extend_schema(
        responses={(200, "text/plain"): OpenApiResponse(str, description="API under construction")}
    )
    def get(self, request):
        return Response("API under construction", content_type="text/plain; charset=utf-8")


class SchemaView(ErrorsInJSONMixin, SpectacularAPIView):
    """The OpenAPI schema: YAML, or JSON with `?format=json`."""

    @extend_schema(exclude=True)  # SERVE_INCLUDE_SCHEMA is off: the schema does not describe itself
    def get(self, request, *args, **kwargs):
        # One schema, the service's version: drf-spectacular would copy a `?version=` into the
        # Content-Disposition header and `info.version`.
        if "version" in request.query_params:
            raise exceptions.ValidationError(
                {"version": ["This API has one schema; leave the parameter out."]}
            )
        return super().get(request, *args, **kwargs)


def run_health_checks() -> dict[str, str]:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "OK"
    except DatabaseError:
        checks["database"] = "KO"
    if settings.CACHE_CONFIGURED:
        try:
            cache.set("health-check", "1", 10)
            checks["cache"] = "OK" if cache.get("health-check") == "1" else "KO"
        except Exception:  # noqa: BLE001 - any failure of the cache client means the cache is down
            checks["cache"] = "KO"
    return checks


class LiveView(APIView):
    """Liveness: 200 whenever this process can answer a request; it asks no backing service."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(responses=inline_serializer("Live", {"status": serializers.CharField()}))
    def get(self, request):
        return Response({"status": "OK"})


class CheckView(APIView):
    """Readiness: 200 `{"status": "OK"}` when the database (and cache, if configured) answer, else 503."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "HealthOk",
                {
                    "status": serializers.CharField(),
                    "checks": serializers.DictField(child=serializers.CharField()),
                },
            ),
            503: inline_serializer(
                "HealthKo",
                {
                    "status": serializers.CharField(),
                    "message": serializers.CharField(),
                    "checks": serializers.DictField(child=serializers.CharField()),
                },
            ),
        }
    )
    def get(self, request):
        checks = run_health_checks()
        failed = [name for name, state in checks.items() if state != "OK"]
        if failed:
            message = f"Failing: {', '.join(failed)}."
            return Response({"status": "KO", "message": message, "checks": checks}, status=503)
        return Response({"status": "OK", "checks": checks})


class NotFoundView(APIView):
    """Every path no pattern matched, whatever the method: 404 in the error shape."""

    permission_classes = [AllowAny]
    authentication_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # content negotiation: a browser gets the HTML page
        raise exceptions.NotFound(f"Nothing at {request.path}; see / for the services this API offers.")
