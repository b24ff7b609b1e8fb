"""Page-number pagination in per-app envelopes or in headers, and the page-number parser."""

from django.conf import settings
from rest_framework import pagination
from rest_framework.response import Response

from core.fields import MAX_ID, positive_int

# Beyond this offset a page is past the end of any table (and OFFSET would overflow 64 bits).
MAX_OFFSET = 2**62


def page_number(raw: str) -> int | None:
    """A page number or size from the query: a positive int (MAX_ID for any larger number), else None."""
    digits = raw.lstrip("0")
    if not (digits and raw.isascii() and raw.isdigit()):
        return None
    return positive_int(digits) or MAX_ID


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", <results_key>: [...]}` plus any fixed `envelope` keys."""

    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    results_key = "results"
    envelope: dict = {}

    def get_paginated_response(self, data):
        assert self.page is not None  # DRF calls this only after paginate_queryset made a page
        return Response(
            {
                **self.envelope,
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                self.results_key: data,
            }
        )

    def get_results(self, data):
        # The browsable API finds the rows of a page here to offer its "Filters" form.
        return data[self.results_key]

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

    def get_paginated_response_schema(self, schema):
        envelope = {key: {"type": "string", "example": value} for key, value in self.envelope.items()}
        return {
            "type": "object",
            "required": [*envelope, "count", "next", "previous", self.results_key],
            "properties": {
                **envelope,
                "count": {"type": "integer", "example": 123},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                self.results_key: schema,
            },
        }


class HeaderPagination(PageNumberPagination):
    """The page as a bare JSON array; `Link: <...>; rel="next"` (RFC 8288) and `X-Total-Count` headers."""

    def get_paginated_response(self, data):
        assert self.page is not None  # DRF calls this only after paginate_queryset made a page
        links = [(self.get_next_link(), "next"), (self.get_previous_link(), "prev")]
        headers = {"X-Total-Count": str(self.page.paginator.count)}
        if link := ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url):
            headers["Link"] = link
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema):
        return schema  # the array itself: the paging is in the headers
