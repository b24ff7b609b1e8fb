"""Prometheus metrics of requests and SQL queries, summed across gunicorn workers when scraped.

Hand-written on prometheus_client rather than django-prometheus: its two middlewares update about
fifteen series per request, each a write to a memory-mapped file in gunicorn's multiprocess mode,
measured at 70-80 µs per request against 6-8 µs for these two (docs/performance.md), which answer
what a dashboard asks: rate, errors and latency by view.

Under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before any worker starts, so each
worker writes its samples to memory-mapped files there and `/metrics` adds them up.
"""

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder

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
    "django_db_queries",
    "SQL statements executed, by database alias and vendor.",
    ["alias", "vendor"],
)
DB_QUERY_ERRORS = Counter(
    "django_db_query_errors",
    "SQL statements that raised an error, by database alias and vendor.",
    ["alias", "vendor"],
)

# Any other method (clients can send anything) is counted as "other": labels stay few.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def request_observe(*, view: str, method: str, status: int, seconds: float) -> None:
    """Count one response and record its latency."""
    if method not in KNOWN_METHODS:
        method = "other"
    REQUESTS.labels(view, method, str(status)).inc()
    REQUEST_DURATION.labels(view).observe(seconds)


class QueryCounter:
    """A Django execute wrapper that counts the statements of one connection."""

    def __init__(self, alias: str, vendor: str):
        self.queries = DB_QUERIES.labels(alias, vendor)
        self.errors = DB_QUERY_ERRORS.labels(alias, vendor)

    def __call__(self, execute, sql, params, many, context):
        self.queries.inc()
        try:
            return execute(sql, params, many, context)
        except Exception:
            self.errors.inc()
            raise


def _install_query_counter(sender, connection, **kwargs):
    wrappers = connection.execute_wrappers
    if not any(isinstance(wrapper, QueryCounter) for wrapper in wrappers):
        # First in the list: `connection.execute_wrapper()` blocks pop the last one on exit, and a
        # connection may be opened inside such a block.
        wrappers.insert(0, QueryCounter(connection.alias, connection.vendor))


def query_counting_enable() -> None:
    """Count the statements of every database connection: those open now and those opened later."""
    connection_created.connect(_install_query_counter, dispatch_uid="core.observability.query_counter")
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _install_query_counter(None, connection)


def metrics_render(accept_header: str) -> tuple[bytes, str]:
    """The current metrics in the text format the scraper accepts, and its content type."""
    if settings.PROMETHEUS_MULTIPROC_DIR:
        registry = CollectorRegistry(auto_describe=True)
        multiprocess.MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
    else:
        from prometheus_client import REGISTRY as registry
    encoder, content_type = choose_encoder(accept_header)
    return encoder(registry), content_type
