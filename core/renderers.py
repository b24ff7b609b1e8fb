"""A JSON renderer on orjson: the same output as DRF's, several times faster on large pages."""

from decimal import Decimal
from typing import Any

import orjson
from django.utils.functional import Promise
from rest_framework import renderers


def _default(value: Any) -> Any:
    """What orjson does not know, as DRF's encoder has it: money exact (never a float), lazy text."""
    if isinstance(value, (Decimal, Promise)):
        return str(value)
    if hasattr(value, "__iter__"):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
        return orjson.dumps(data, default=_default, option=option)


class PlainTextRenderer(renderers.BaseRenderer):
    """Text for `/which`; its error answers are rendered as JSON (core.views.ErrorsInJSONView)."""

    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return str(data).encode(self.charset)
