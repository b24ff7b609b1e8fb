"""Pages of a comment list that stay a plain JSON array: links and total travel in headers."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.pagination import PageNumberPagination

# Databases count rows in signed 64 bits: a page further than that is past the end of any list.
LAST_ROW = 2**63 - 1


def _positive_int(params, name: str, default: int) -> int:
    """The query parameter as a positive integer; 400 for anything else, as the schema says."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError({name: ["A valid integer is required."]})
    value = int(raw) if len(raw) <= 19 else LAST_ROW  # a longer number is past any end anyway
    if value < 1:
        raise ValidationError({name: ["Ensure this value is greater than or equal to 1."]})
    return value


class CommentListPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (capped); `Link: <...>; rel="next"` (RFC 8288) and `X-Total-Count`.

    The contract's body is the original's bare array, so the envelope of the other lists cannot be
    used. The rows are read first and counted only when more follow the page (or the page is empty
    past page 1): a list that fits in one page costs one query, a longer one two.
    """

    total_header = "X-Total-Count"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        params = request.query_params
        self.page_size = min(
            _positive_int(params, self.page_size_query_param, self.page_size), self.max_page_size
        )
        self.number = _positive_int(params, self.page_query_param, 1)
        offset = (self.number - 1) * self.page_size
        # One row more than the page tells whether anything follows; only then is a count needed.
        rows = (
            list(queryset[offset : offset + self.page_size + 1]) if offset < LAST_ROW - self.page_size else []
        )
        if len(rows) > self.page_size or (not rows and offset):
            self.total = queryset.count()
        else:
            self.total = offset + len(rows)
        # An empty list is for the view to answer (its own 404); a page past the end is ours.
        if not rows and self.total:
            raise NotFound(self.invalid_page_message)
        return rows[: self.page_size]

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

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1; past the last page: 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Comments per page (default {self.page_size}; more than {self.max_page_size} "
                    f"gives {self.max_page_size})."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
