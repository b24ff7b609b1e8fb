"""HTTP endpoints of NicaVentas: `/active` (locations), `/price/<sku>` and `/quote`.

Model endpoints are DRF generic views whose hooks point at the selectors; `/quote`, which asks an
outside service, is a plain APIView like every proxy (docs/design.md, "View styles").
"""

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from availability import selectors, services
from availability.auth import CanChangeLocations, LocationWriteThrottle, ServiceTokenAuthentication
from availability.models import Location
from availability.serializers import (
    LocationLookupSerializer,
    LocationQuerySerializer,
    LocationSerializer,
    LocationWriteSerializer,
    ProductSerializer,
    QuoteRequestSerializer,
    QuoteSerializer,
)
from core.pagination import PageNumberPagination

CACHE_WORDS = {True: "hit", False: "miss"}


class LocationPagination(PageNumberPagination):
    """Pages of a bare array, the contract's shape: `Link: <...>; rel="next"` and `X-Total-Count`.

    The pages are large, so that a list as long as the shipped one (205) is one page as before,
    and no answer grows with the table.
    """

    page_size = 1000
    page_size_query_param = None

    def get_paginated_response(self, data):
        links = [(self.get_next_link(), "next"), (self.get_previous_link(), "prev")]
        headers = {"X-Total-Count": str(self.page.paginator.count)}
        if any(url for url, _ in links):
            headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema):
        return schema


class ActiveView(generics.GenericAPIView):
    """Sales availability per location: list, look up one (cached), create or update."""

    queryset = Location.objects.all()
    serializer_class = LocationWriteSerializer
    authentication_classes = [ServiceTokenAuthentication, SessionAuthentication]
    permission_classes = [CanChangeLocations]
    throttle_classes = [LocationWriteThrottle]
    pagination_class = LocationPagination
    filter_backends = []  # `?country=` is the one filter, validated by LocationQuerySerializer

    def get_object(self):
        # A PUT names its location in the body, not in the URL (DRF's OPTIONS asks for it).
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return selectors.location_get(country=data["country"], city=data["city"])

    @extend_schema(
        summary="List locations, or look one up",
        parameters=[LocationQuerySerializer],
        responses={
            200: PolymorphicProxySerializer(
                component_name="ActiveAnswer",
                serializers=[LocationSerializer(many=True), LocationLookupSerializer],
                resource_type_field_name=None,
                many=False,
            )
        },
    )
    def get(self, request):
        query = LocationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        country, city = query.validated_data.get("country"), query.validated_data.get("city")
        if city is None:
            page = self.paginate_queryset(selectors.location_list(country=country))
            return self.get_paginated_response(page)
        location, hit = selectors.location_lookup(country=country, city=city)
        return Response({**location, "cache": CACHE_WORDS[hit]})

    @extend_schema(
        summary="Create a location (201), or update the existing one (200)",
        responses={201: LocationSerializer, 200: LocationSerializer},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        location, created = services.location_upsert(**serializer.validated_data)
        return Response(LocationSerializer(location).data, status=201 if created else 200)

    @extend_schema(summary="Update an existing location", responses={200: LocationSerializer})
    def put(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        location = services.location_update(**serializer.validated_data)
        return Response(LocationSerializer(location).data)


@extend_schema(
    summary="The base price of a product",
    parameters=[
        OpenApiParameter("sku", str, OpenApiParameter.PATH, description="Product code, e.g. AZ00001")
    ],
)
class PriceView(generics.RetrieveAPIView):
    """The base price of a product."""

    serializer_class = ProductSerializer
    permission_classes = [AllowAny]

    def get_object(self):
        return selectors.product_get(sku=self.kwargs["sku"])


class QuoteView(APIView):
    """The price of a product in a city under its current weather.

    Public although a POST: it changes nothing, it computes a read. No authentication classes, so no
    CSRF either, and nothing touches the session or token tables on a cache hit.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    extra_error_codes = (502, 504)

    @extend_schema(
        summary="Quote a product in a city", request=QuoteRequestSerializer, responses={200: QuoteSerializer}
    )
    def post(self, request):
        serializer = QuoteRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quote, hit = services.quote_create(**serializer.validated_data)
        return Response({**quote, "cache": CACHE_WORDS[hit]})
