"""The API's JSON renderer (drf-orjson-renderer's) and the text renderer of `/which`."""

import orjson
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework import renderers


class JSONRenderer(ORJSONRenderer):
    """The JSON of DRF's renderer, several times faster (orjson); keys that are not strings become strings."""

    options = ORJSONRenderer.options | orjson.OPT_NON_STR_KEYS

    def render(self, data, media_type=None, renderer_context=None):
        # DRF's `Accept: application/json; indent=4` pretty-prints; the library indents HTML only.
        if data is not None and media_type and "indent=" in media_type:
            return orjson.dumps(data, default=self.default, option=self.options | orjson.OPT_INDENT_2)
        return super().render(data, media_type, renderer_context)


class PlainTextRenderer(renderers.BaseRenderer):
    """Text for `/which`; its error answers are rendered as JSON (core.views.ErrorsInJSONView)."""

    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return str(data).encode(self.charset)
