"""DRF's content negotiation, remembered per Accept header: it runs on every request and its answer
depends only on that header and the view's renderer classes."""

from rest_framework.negotiation import DefaultContentNegotiation

# Bounded: a client sending random headers only causes recomputation, never memory growth.
_MEMO_LIMIT = 512  # distinct (Accept, renderers) pairs kept; real clients send a handful of values
_MAX_REMEMBERED_LENGTH = 256


class ContentNegotiation(DefaultContentNegotiation):
    """The same choice as DefaultContentNegotiation; parsing and matching happen once per header value.

    Profiled on a trivial view it was 9% of a worker's CPU: parsing the Accept header into media types
    and matching them against every renderer, on every request.
    """

    _memo: dict = {}

    def select_renderer(self, request, renderers, format_suffix=None):
        override = self.settings.URL_FORMAT_OVERRIDE
        accept = request.META.get("HTTP_ACCEPT", "")
        # A format override (`?format=api`, a `.json` suffix) takes the full path; so does an unusually
        # long header, which is not worth remembering.
        if (
            format_suffix
            or (override and f"{override}=" in request.META.get("QUERY_STRING", ""))
            or len(accept) > _MAX_REMEMBERED_LENGTH
        ):
            return super().select_renderer(request, renderers, format_suffix)
        key = (accept, tuple(type(r) for r in renderers))
        found = self._memo.get(key)
        if found is None:
            renderer, media_type = super().select_renderer(request, renderers, format_suffix)  # may raise 406
            found = (renderers.index(renderer), media_type)
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        return renderers[found[0]], found[1]
