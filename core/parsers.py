"""The JSON parser of every endpoint (DEFAULT_PARSER_CLASSES): DRF's, with too deep a body a 400."""

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser. Python's decoder recurses once per nesting level, so a small body nested
    deep enough raises RecursionError, which DRF does not catch: here it is bad input."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the body is nested too deeply.") from None
