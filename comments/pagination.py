"""Pages of a comment list that stay a plain JSON array: links and total travel in headers."""

from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.pagination import PageNumberPagination


class CommentListPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (capped); `Link: <...>; rel="next"` (RFC 8288) and `X-Total-Count`.

    The contract's body is the original's bare array, so the envelope of the other lists cannot be
    used. The rows are read first and counted only when more follow the page (or the page is empty
    past page 1): a list that fits in one page costs one query, a longer one two.
    """

    total_header = "X-Total-Count"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.number = self._page_number(request)
        offset = (self.number - 1) * self.page_size
        # One row more than the page tells whether anything follows; only then is a count needed.
        rows = list(queryset[offset : offset + self.page_size + 1])
        if len(rows) > self.page_size or (not rows and offset):
            self.total = queryset.count()
        else:
            self.total = offset + len(rows)
        # An empty list is for the view to answer (its own 404); a page past the end is ours.
        if not rows and self.total:
            raise NotFound(self.invalid_page_message)
        return rows[: self.page_size]

    def _page_number(self, request) -> int:
        raw = request.query_params.get(self.page_query_param) or "1"
        number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
        if number < 1:
            raise NotFound(self.invalid_page_message)
        return number

    def get_next_link(self):
        if self.number * self.page_size >= self.total:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        links = [(self.get_next_link(), "next"), (self.get_previous_link(), "prev")]
        headers = {self.total_header: str(self.total)}
        link = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
        if link:
            headers["Link"] = link
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema):
        return schema
