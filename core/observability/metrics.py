"""Prometheus metrics of requests and SQL statements, and `GET /metrics`, summed over gunicorn's
workers. Not django-prometheus: its middlewares cost several times what these do (docs/performance.md)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder

from core.errors import json_error

REQUESTS = Counter(
    "django_http_requests",
    "HTTP responses sent, by view (URL name), method and status code.",
    ["view", "method", "status"],
)
REQUEST_DURATION = Histogram(
    "django_http_request_duration_seconds",
    "Time from the request entering Django to its response, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
DB_QUERIES = Counter(
    "django_db_queries", "SQL statements executed, by database alias and vendor.", ["alias", "vendor"]
)
DB_QUERY_ERRORS = Counter(
    "django_db_query_errors",
    "SQL statements that raised an error, by database alias and vendor.",
    ["alias", "vendor"],
)

# Any other method (clients can send anything) is counted as "other": labels stay few.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class QueryCounter:
    """A Django execute wrapper that counts the statements of one connection."""

    def __init__(self, alias: str, vendor: str):
        self.queries = DB_QUERIES.labels(alias, vendor)
        self.errors = DB_QUERY_ERRORS.labels(alias, vendor)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries.inc()
        with self.errors.count_exceptions():
            return execute(sql, params, many, context)


def _install_query_counter(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    wrappers = connection.execute_wrappers
    if not any(isinstance(wrapper, QueryCounter) for wrapper in wrappers):
        # First in the list: `connection.execute_wrapper()` blocks pop the last one on exit, and a
        # connection may be opened inside such a block.
        wrappers.insert(0, QueryCounter(connection.alias, connection.vendor))


def query_counting_enable() -> None:
    """Count the statements of every database connection: those open now and those opened later."""
    connection_created.connect(_install_query_counter, dispatch_uid="core.observability.query_counter")
    for connection in connections.all(initialized_only=True):
        _install_query_counter(None, connection)


@csrf_exempt
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text, behind `Authorization: Bearer <METRICS_TOKEN>` when that is set; a plain
    Django view, as a scrape every few seconds needs none of DRF's negotiation."""
    if token := settings.METRICS_TOKEN:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            message = "Metrics need the header `Authorization: Bearer <METRICS_TOKEN>`."
            return json_error(401, message, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        if not constant_time_compare(given.strip(), token):
            return json_error(403, "The metrics token is not valid.")
    if request.method not in ("GET", "HEAD"):
        message = f"Method {request.method} is not allowed on /metrics; use GET."
        return json_error(405, message, headers={"Allow": "GET, HEAD"})
    registry = REGISTRY
    if settings.PROMETHEUS_MULTIPROC_DIR:
        registry = CollectorRegistry(auto_describe=True)
        multiprocess.MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
    encoder, content_type = choose_encoder(request.META.get("HTTP_ACCEPT", ""))
    return HttpResponse(encoder(registry), content_type=content_type)
