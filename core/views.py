"""The API root, `/which`, `/live`, `/check`, the schema, and the JSON 404 for every unknown path."""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
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
DOC_LINKS = {"schema": "schema", "docs": "swagger-ui", "redoc": "redoc"}


class ApiRootSerializer(serializers.Serializer):
    service = serializers.CharField()
    version = serializers.CharField()
    services = serializers.DictField(child=serializers.URLField())
    schema = serializers.URLField()
    docs = serializers.URLField()
    redoc = serializers.URLField()


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="OK, or KO (with a 503) when a check failed.")
    message = serializers.CharField(required=False, help_text="Which checks failed.")
    checks = serializers.DictField(child=serializers.CharField())


class OpenView(APIView):
    """A view anyone may call, without reading credentials."""

    permission_classes = [AllowAny]
    authentication_classes = []


class ErrorsInJSONView(APIView):
    """For views whose success is not JSON: their error answers stay in the JSON error shape."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class RootView(OpenView):
    """The API root: what this service is and a link to each service, the schema and the docs."""

    @extend_schema(responses=ApiRootSerializer)
    def get(self, request: Request) -> Response:
        services = {name: reverse(url_name, request=request) for name, url_name in SERVICE_LINKS.items()}
        docs = {name: reverse(url_name, request=request) for name, url_name in DOC_LINKS.items()}
        about = {"service": settings.SERVICE_NAME, "version": settings.SERVICE_VERSION}
        return Response({**about, "services": services, **docs})


class WhichView(ErrorsInJSONView, OpenView):
    """`API under construction`, as text (kept from the Rollbar original)."""

    renderer_classes = [PlainTextRenderer, JSONRenderer]

    @extend_schema(
        responses={(200, "text/plain"): OpenApiResponse(str, description="API under construction")}
    )
    def get(self, request: Request) -> Response:
        return Response("API under construction", content_type="text/plain; charset=utf-8")


class SchemaView(ErrorsInJSONView, SpectacularAPIView):
    """The OpenAPI schema: YAML, or JSON with `?format=json`."""

    @extend_schema(exclude=True)  # the schema is not an operation of itself
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # One schema: drf-spectacular would copy a `?version=` into Content-Disposition and the schema.
        if "version" in request.query_params:
            message = "This API has one schema; leave the parameter out."
            raise exceptions.ValidationError({"version": [message]})
        return super().get(request, *args, **kwargs)


class LiveView(OpenView):
    """Liveness: 200 whenever this process can answer a request; it asks no backing service."""

    @extend_schema(responses=inline_serializer("Live", {"status": serializers.CharField()}))
    def get(self, request: Request) -> Response:
        return Response({"status": "OK"})


class CheckView(OpenView):
    """Readiness: 200 `{"status": "OK"}` when the database (and cache, if configured) answer, else 503."""

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer})
    def get(self, request: Request) -> Response:
        checks = {"database": "OK"}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            checks["database"] = "KO"
        if settings.CACHE_CONFIGURED:
            try:
                cache.set("health-check", "1", 10)
                checks["cache"] = "OK" if cache.get("health-check") == "1" else "KO"
            except Exception:  # noqa: BLE001 - any failure of the cache client means the cache is down
                checks["cache"] = "KO"
        if failed := [name for name, state in checks.items() if state != "OK"]:
            message = f"Failing: {', '.join(failed)}."
            return Response({"status": "KO", "message": message, "checks": checks}, status=503)
        return Response({"status": "OK", "checks": checks})


class NotFoundView(OpenView):
    """Every path no pattern matched, whatever the method: 404 in the error shape."""

    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # content negotiation: a browser gets the HTML page
        raise exceptions.NotFound(f"Nothing at {request.path}; see / for the services this API offers.")
