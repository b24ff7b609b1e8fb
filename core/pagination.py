"""Page-number pagination with a capped `page_size` and per-app envelopes."""

from django.conf import settings
from rest_framework import pagination
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", <results_key>: [...]}` plus any fixed `envelope` keys."""

    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    results_key = "results"
    envelope: dict = {}

    def get_paginated_response(self, data):
        return Response(
            {
                **self.envelope,
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                self.results_key: data,
            }
        )

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
