"""REST endpoints over Rollbar: /items, /items/<id> and /reports."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from core.pagination import PageNumberPagination
from core.schema import AutoSchema
from rollbar_items import serializers, services
from rollbar_items.serializers import validated


class RollbarSchema(AutoSchema):
    """Operation ids `rollbar_<path>_<action>` (`rollbar_items_partial_update`), apart from other apps';
    a view names its own where spectacular's guess misleads (a page of items is a list, not a retrieve)."""

    def get_operation_id(self) -> str:
        return "rollbar_" + super().get_operation_id()


class RollbarView(APIView):
    """Every Rollbar endpoint, a proxy of an outside API: authenticated users only, JSON bodies (a
    form cannot say null; the browsable API's raw-data form sends JSON too)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    extra_error_codes = (502, 504)
    schema = RollbarSchema()


def page_link(url: str, page: int | None) -> str | None:
    """`url` asking for `page` of the same query (page 1 without a `page` parameter), or None."""
    if page is None:
        return None
    return remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)


class ItemListView(RollbarView):
    """Rollbar's items, one Rollbar page (100 items) at a time; POST sends a new occurrence."""

    @extend_schema(
        parameters=[serializers.ItemListQuerySerializer],
        responses=serializers.ItemPageSerializer,
        operation_id="rollbar_items_list",
    )
    def get(self, request):
        page = services.item_list(**validated(serializers.ItemListQuerySerializer, request.query_params))
        url = request.build_absolute_uri()
        return Response(
            {
                "count": page["count"],
                "page": page["page"],
                "next": page_link(url, page["next_page"]),
                "previous": page_link(url, page["previous_page"]),
                "items": page["items"],
            }
        )

    @extend_schema(
        request=serializers.ItemCreateSerializer, responses={202: serializers.ItemCreatedSerializer}
    )
    def post(self, request):
        result = services.item_create(**validated(serializers.ItemCreateSerializer, request.data))
        return Response(result, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="Rollbar's item id.")]
)
class ItemDetailView(RollbarView):
    """One Rollbar item: read it, change its status, level, title, version or assignee.

    DELETE answers 405: Rollbar's API cannot delete items; resolve or mute them with PATCH instead.
    """

    @extend_schema(responses=serializers.ItemSerializer)
    def get(self, request, item_id):
        return Response(services.item_get(item_id=int(item_id)))

    @extend_schema(request=serializers.ItemUpdateSerializer, responses=serializers.ItemUpdateSerializer)
    def put(self, request, item_id):
        fields = validated(serializers.ItemUpdateSerializer, request.data)
        return Response(services.item_update(item_id=int(item_id), fields=fields))

    patch = put  # Rollbar has only PATCH: both send the fields given

    def http_method_not_allowed(self, request, *args, **kwargs):
        # No `delete` handler, so that the Allow header and the schema list what works.
        if request.method == "DELETE":
            services.item_delete(item_id=int(kwargs["item_id"]))
        return super().http_method_not_allowed(request, *args, **kwargs)


class ReportPagination(PageNumberPagination):
    results_key = "reports"


class ReportListView(RollbarView):
    """Stored Rollbar reports: read (fetching one when none is stored), fetch a fresh one, clear."""

    pagination_class = ReportPagination

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsAuthenticated(), IsAdminUser()]
        return super().get_permissions()

    @extend_schema(
        parameters=[serializers.ReportFetchSerializer], responses=serializers.ReportSerializer(many=True)
    )
    def get(self, request):
        reports = services.report_list(**validated(serializers.ReportFetchSerializer, request.query_params))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(reports, request, view=self)
        return paginator.get_paginated_response(serializers.ReportSerializer(page, many=True).data)

    @extend_schema(request=serializers.ReportFetchSerializer, responses={201: serializers.ReportSerializer})
    def post(self, request):
        report = services.report_fetch(**validated(serializers.ReportFetchSerializer, request.data))
        return Response(serializers.ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: serializers.ReportsClearedSerializer},
        operation_id="rollbar_reports_clear",
    )
    def delete(self, request):
        return Response({"message": f"{services.report_clear()} reports cleared."})
