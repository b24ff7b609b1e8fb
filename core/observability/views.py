"""`GET /metrics`: Prometheus text format, behind a Bearer token when METRICS_TOKEN is set."""

import hmac

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from core.errors import json_error
from core.observability.metrics import metrics_render


@csrf_exempt
def metrics_view(request):
    """Plain Django view: scraped every few seconds, it skips DRF's negotiation and is not an API."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return json_error(
                401,
                "Metrics need the header `Authorization: Bearer <METRICS_TOKEN>`.",
                WWW_Authenticate='Bearer realm="metrics"',
            )
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            return json_error(403, "The metrics token is not valid.")
    if request.method not in ("GET", "HEAD"):
        return json_error(
            405, f"Method {request.method} is not allowed on /metrics; use GET.", Allow="GET, HEAD"
        )
    body, content_type = metrics_render(request.META.get("HTTP_ACCEPT", ""))
    return HttpResponse(body, content_type=content_type)
