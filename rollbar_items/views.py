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
from rollbar_items import services
from rollbar_items.models import Report
from rollbar_items.serializers import (
    ItemCreatedSerializer,
    ItemCreateSerializer,
    ItemListQuerySerializer,
    ItemPageSerializer,
    ItemSerializer,
    ItemUpdatedSerializer,
    ItemUpdateSerializer,
    ReportFetchSerializer,
    ReportsClearedSerializer,
    ReportSerializer,
)


class RollbarView(APIView):
    """Every Rollbar endpoint, a proxy of an outside API: authenticated users only.

    The services raise core's errors for Rollbar's failures; core.errors answers them.
    """

    permission_classes = [IsAuthenticated]
    # Bodies are JSON only (the browsable API's raw-data form sends JSON too): a form cannot say null.
    parser_classes = [JSONParser]
    extra_error_codes = (502, 504)


class ItemListView(RollbarView):
    """Rollbar's items, one Rollbar page (100 items) at a time; POST sends a new occurrence."""

    @extend_schema(
        parameters=[ItemListQuerySerializer],
        responses={200: ItemPageSerializer},
        operation_id="rollbar_items_list",
    )
    def get(self, request):
        query = ItemListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = services.item_list(**query.validated_data)
        return Response(
            {
                "count": result["total_count"],
                "page": result["page"],
                "next": self._page_link(request, result["next_page"]),
                "previous": self._page_link(request, result["previous_page"]),
                "items": result["items"],
            }
        )

    @staticmethod
    def _page_link(request: Request, page: int | None) -> str | None:
        if page is None:
            return None
        url = request.build_absolute_uri()
        return remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)

    @extend_schema(
        request=ItemCreateSerializer,
        responses={202: ItemCreatedSerializer},
        operation_id="rollbar_items_create",
    )
    def post(self, request):
        serializer = ItemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.item_create(**serializer.validated_data)
        return Response(result, status=status.HTTP_202_ACCEPTED)


ITEM_ID = OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="Rollbar's item id.")


@extend_schema(parameters=[ITEM_ID])
class ItemDetailView(RollbarView):
    """One Rollbar item: read it, change its status, level, title, version or assignee.

    DELETE answers 405: Rollbar's API cannot delete items; resolve or mute them with PATCH instead.
    """

    @extend_schema(responses={200: ItemSerializer}, operation_id="rollbar_items_retrieve")
    def get(self, request, item_id):
        return Response(services.item_get(item_id=int(item_id)))

    @extend_schema(
        request=ItemUpdateSerializer,
        responses={200: ItemUpdatedSerializer},
        operation_id="rollbar_items_update",
    )
    def put(self, request, item_id):
        return self._update(request, item_id)

    @extend_schema(
        request=ItemUpdateSerializer,
        responses={200: ItemUpdatedSerializer},
        operation_id="rollbar_items_partial_update",
    )
    def patch(self, request, item_id):
        return self._update(request, item_id)

    def _update(self, request, item_id):
        # PUT and PATCH are the same on Rollbar (it only has PATCH): send the fields given.
        serializer = ItemUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(services.item_update(item_id=int(item_id), fields=serializer.validated_data))

    @property
    def allowed_methods(self):
        # The Allow header (of OPTIONS and of the 405) and the schema list what works: not DELETE.
        return [method for method in super().allowed_methods if method != "DELETE"]

    # Not in the schema: DELETE is not an operation of this resource (its 405 lists the methods that are).
    @extend_schema(exclude=True)
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

    @extend_schema(
        parameters=[
            OpenApiParameter("page", {"type": "integer", "minimum": 1}),
            OpenApiParameter(
                "page_size", int, description="Reports per page (capped; invalid: the default)."
            ),
            OpenApiParameter(
                "hours",
                {"type": "integer", "minimum": 1, "maximum": 168},
                description="Window of the report fetched when none is stored.",
            ),
            OpenApiParameter(
                "environments", str, description="Comma-separated environments, for that report."
            ),
        ],
        responses={200: ReportSerializer(many=True)},
        operation_id="rollbar_reports_list",
    )
    def get(self, request):
        query = ReportFetchSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        reports = services.report_list(**query.validated_data)
        paginator = self.pagination_class()
        page: list[Report] | None = paginator.paginate_queryset(reports, request, view=self)
        return paginator.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(
        request=ReportFetchSerializer,
        responses={201: ReportSerializer},
        operation_id="rollbar_reports_create",
    )
    def post(self, request):
        params = ReportFetchSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        report = services.report_fetch(**params.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={200: ReportsClearedSerializer}, operation_id="rollbar_reports_clear"
    )
    def delete(self, request):
        count = services.report_clear()
        return Response({"message": f"{count} reports cleared."})
