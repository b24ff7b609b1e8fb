"""Paging of the car list: the rows of a page and the total come back in one SQL query."""

from django.core.paginator import Page, Paginator
from rest_framework.exceptions import NotFound, ValidationError

from core.pagination import PageNumberPagination

TOTAL = "_total"
MAX_OFFSET = 2**62  # beyond this, OFFSET would overflow the database's 64-bit integers


class CarPagination(PageNumberPagination):
    """`{"message": "success", "count", "next", "previous", "cars": [...]}`.

    `COUNT(*) OVER ()` sends the total with the page's rows, so a page costs one round trip to the
    database instead of Django's COUNT then SELECT. Only a page past the end, which has no row to
    carry the total, and `?page=last` fall back to the two queries. Works on a `.values()` queryset.
    """

    results_key = "cars"
    envelope = {"message": "success"}

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get(self.page_query_param) or "1"
        if number in self.last_page_strings:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        page_size = self.get_page_size(request)
        number = int(number) if number.isascii() and number.isdigit() else 0
        if number < 1:
            raise NotFound(self.invalid_page_message.format(page_number=number, message=""))
        offset = (number - 1) * page_size
        if offset > MAX_OFFSET:
            return super().paginate_queryset(queryset, request, view)  # compares with COUNT: 404
        # The total rides with the rows: the maintained counter for the whole table on PostgreSQL
        # (COUNT over 1,000,000 rows would cost more than the page), else COUNT(*) OVER ().
        rows = list(queryset.with_total(TOTAL)[offset : offset + page_size])
        if not rows and number > 1:
            return super().paginate_queryset(queryset, request, view)  # answers 404 Invalid page
        paginator = Paginator(queryset, page_size)
        paginator.count = rows[0][TOTAL] if rows else 0  # count is a cached property: no COUNT query
        for row in rows:
            del row[TOTAL]
        self.page = Page(rows, number, paginator)
        if self.template is not None and paginator.num_pages > 1:
            self.display_page_controls = True
        return rows

    def get_page_size(self, request):
        # DRF would silently use the default for `?page_size=abc`; the schema says "an integer >= 1".
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: ["A whole number of at least 1 is required."]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

    def get_results(self, data):
        # The browsable API finds the rows of a page here to offer its "Filters" form.
        return data[self.results_key]
