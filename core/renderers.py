"""The API's JSON renderer (drf-orjson-renderer's) and the text renderer of `/which`."""

import orjson
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework import renderers


class JSONRenderer(ORJSONRenderer):
    """The JSON of DRF's renderer, several times faster (orjson); keys that are not strings become strings."""

    options = ORJSONRenderer.options | orjson.OPT_NON_STR_KEYS


class PlainTextRenderer(renderers.BaseRenderer):
    """Text for `/which`; its error answers are rendered as JSON (core.views.ErrorsInJSONView)."""

    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return str(data).encode(self.charset)
