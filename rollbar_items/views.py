"""REST endpoints over Rollbar: /items, /items/<id> and /reports."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from core.pagination import PageNumberPagination
from core.schema import AutoSchema
from rollbar_items import services
from rollbar_items.serializers import (
    ItemCreatedSerializer,
    ItemCreateSerializer,
    ItemListQuerySerializer,
    ItemPageSerializer,
    ItemSerializer,
    ItemUpdateSerializer,
    ReportFetchSerializer,
    ReportsClearedSerializer,
    ReportSerializer,
    validated,
)


class RollbarSchema(AutoSchema):
    """Operation ids `rollbar_<path>_<action>` (`rollbar_items_partial_update`), apart from other apps'."""

    def get_operation_id(self) -> str:
        return "rollbar_" + super().get_operation_id()


class RollbarView(APIView):
    """Every Rollbar endpoint, a proxy of an outside API: authenticated users only, JSON bodies (a
    form cannot say null; the browsable API's raw-data form sends JSON too)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    extra_error_codes = (502, 504)
    schema = RollbarSchema()


class ItemListView(RollbarView):
    """Rollbar's items, one Rollbar page (100 items) at a time; POST sends a new occurrence."""

    @extend_schema(
        parameters=[ItemListQuerySerializer], responses=ItemPageSerializer, operation_id="rollbar_items_list"
    )
    def get(self, request):
        page = services.item_list(**validated(ItemListQuerySerializer, request.query_params))
        return Response(
            {
                "count": page["count"],
                "page": page["page"],
                "next": self.page_link(request, page["next_page"]),
                "previous": self.page_link(request, page["previous_page"]),
                "items": page["items"],
            }
        )

    @staticmethod
    def page_link(request: Request, page: int | None) -> str | None:
        if page is None:
            return None
        url = request.build_absolute_uri()
        return remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)

    @extend_schema(request=ItemCreateSerializer, responses={202: ItemCreatedSerializer})
    def post(self, request):
        result = services.item_create(**validated(ItemCreateSerializer, request.data))
        return Response(result, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="Rollbar's item id.")]
)
class ItemDetailView(RollbarView):
    """One Rollbar item: read it, change its status, level, title, version or assignee.

    DELETE answers 405: Rollbar's API cannot delete items; resolve or mute them with PATCH instead.
    """

    @extend_schema(responses=ItemSerializer)
    def get(self, request, item_id):
        return Response(services.item_get(item_id=int(item_id)))

    @extend_schema(request=ItemUpdateSerializer, responses=ItemUpdateSerializer)
    def put(self, request, item_id):
        fields = validated(ItemUpdateSerializer, request.data)
        return Response(services.item_update(item_id=int(item_id), fields=fields))

    patch = put  # Rollbar has only PATCH: both send the fields given

    @property
    def allowed_methods(self):
        # The Allow header (of OPTIONS and of the 405) and the schema list what works: not DELETE.
        return [method for method in super().allowed_methods if method != "DELETE"]

    def delete(self, request, item_id):
        services.item_delete(item_id=int(item_id))  # always refused: 405 with what to do instead


class ReportPagination(PageNumberPagination):
    results_key = "reports"


class ReportListView(RollbarView):
    """Stored Rollbar reports: read (fetching one when none is stored), fetch a fresh one, clear."""

    pagination_class = ReportPagination

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [IsAuthenticated(), IsAdminUser()]
        return super().get_permissions()

    @extend_schema(parameters=[ReportFetchSerializer], responses=ReportSerializer(many=True))
    def get(self, request):
        reports = services.report_list(**validated(ReportFetchSerializer, request.query_params))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(reports, request, view=self)
        return paginator.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(request=ReportFetchSerializer, responses={201: ReportSerializer})
    def post(self, request):
        report = services.report_fetch(**validated(ReportFetchSerializer, request.data))
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={200: ReportsClearedSerializer}, operation_id="rollbar_reports_clear"
    )
    def delete(self, request):
        return Response({"message": f"{services.report_clear()} reports cleared."})
