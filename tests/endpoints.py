"""Every DRF endpoint of the URL conf with the methods it answers, found by walking the resolver.

The security and bad-input tests are generated from this table, so a new endpoint is covered the
day it is mounted, without anyone remembering to list it.
"""

from dataclasses import dataclass

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from rest_framework.views import APIView

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Values tried for each path parameter, in order, until the path resolves to the same view.
SAMPLE_VALUES = ("1", "AZ00001", "abc")


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    view: type[APIView]
    url_name: str | None

    @property
    def view_name(self) -> str:
        return f"{self.view.__module__}.{self.view.__qualname__}"

    def __str__(self):
        return f"{self.method} {self.path}"


def _leaves(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _leaves(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield pattern, namespace


def _methods(callback, view) -> list[str]:
    actions = getattr(callback, "actions", None)  # viewsets map methods to actions
    names = actions.keys() if actions else [m for m in view.http_method_names if hasattr(view, m)]
    return [name.upper() for name in names]


def _sample_path(resolver, callback) -> str | None:
    for possibilities, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(callback):
        for template, params in possibilities:
            for value in SAMPLE_VALUES:
                path = "/" + template % dict.fromkeys(params, value)
                try:
                    if resolve(path).func is callback:
                        return path
                except Resolver404:  # this value does not fit the pattern: try the next
                    continue
    return None


def api_endpoints() -> list[Endpoint]:
    """(path, method, view) for every DRF view in the URL conf; one sample path per pattern."""
    resolver = get_resolver()
    endpoints = {}
    for pattern, namespace in _leaves(resolver.url_patterns):
        view = getattr(pattern.callback, "cls", None)
        if view is None or not issubclass(view, APIView) or str(pattern.pattern) == "^":
            continue  # not DRF, or the catch-all 404 (core.tests cover it)
        path = _sample_path(resolver, pattern.callback)
        assert path, f"no sample path resolves to {view} ({pattern.pattern})"
        name = f"{namespace}{pattern.name}" if pattern.name else None
        for method in _methods(pattern.callback, view):
            endpoints.setdefault((path.rstrip("/"), method), Endpoint(path, method, view, name))
    return list(endpoints.values())


def write_endpoints() -> list[Endpoint]:
    return [endpoint for endpoint in api_endpoints() if endpoint.method in WRITE_METHODS]
