"""HTTP endpoints of NicaVentas: `/active` (locations), `/price/<sku>` and `/quote`."""

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from availability import selectors, services
from availability.auth import CanChangeLocations, ServiceTokenAuthentication
from availability.models import Location
from availability.serializers import (
    LOCATION_QUERY_FIELDS,
    QUOTE_FIELDS,
    LocationLookupSerializer,
    LocationSerializer,
    LocationWriteSerializer,
    ProductSerializer,
    QuoteRequestSerializer,
    QuoteSerializer,
    validate_fields,
)

CACHE_WORDS = {True: "hit", False: "miss"}


class ActiveView(generics.GenericAPIView):
    """Sales availability per location: list, look up one (cached), create or update."""

    queryset = Location.objects.order_by("country", "city")  # for the browsable API; reads use selectors
    serializer_class = LocationWriteSerializer
    authentication_classes = [ServiceTokenAuthentication, SessionAuthentication]
    permission_classes = [CanChangeLocations]
    pagination_class = None
    filter_backends = []

    def get_object(self):
        # A PUT names its location in the body, not the URL: there is none to look up. DRF's OPTIONS
        # metadata asks for one before describing PUT (and its default lookup would crash on no `pk`).
        return None

    def perform_authentication(self, request):
        # Lazy: the public (and benchmarked) GET never reads the token or session tables;
        # writes authenticate when the permission asks for request.user.
        pass

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(
                "Changing locations needs `Authorization: Bearer <AVAILABILITY_API_TOKEN>`, "
                "`Authorization: Token <your API token>`, or a logged-in session."
            )
        super().permission_denied(request, message, code)

    @extend_schema(
        summary="List locations, or look one up",
        parameters=[
            OpenApiParameter(
                "country", str, description="ISO alpha-2 code: filters the list", pattern="^[A-Za-z]{2}$"
            ),
            OpenApiParameter("city", str, description="With country: answers that one location (cached)"),
        ],
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
        query = validate_fields(request.query_params, LOCATION_QUERY_FIELDS)
        country, city = query.get("country"), query.get("city")
        if city is not None and country is None:
            raise ValidationError({"country": ["Give the country too when looking up a city."]})
        if city is None:
            return Response(selectors.location_list(country=country))
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


class PriceView(generics.GenericAPIView):
    """The base price of a product."""

    serializer_class = ProductSerializer
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="The base price of a product",
        parameters=[
            OpenApiParameter("sku", str, OpenApiParameter.PATH, description="Product code, e.g. AZ00001")
        ],
        responses={200: ProductSerializer},
    )
    def get(self, request, sku):
        return Response(ProductSerializer(selectors.product_get(sku=sku)).data)


class QuoteView(generics.GenericAPIView):
    """The price of a product in a city under its current weather.

    Public although a POST: it changes nothing, it computes a read. No authentication classes, so no
    CSRF either, and nothing touches the session or token tables on the (benchmarked) cache hit.
    """

    serializer_class = QuoteRequestSerializer
    authentication_classes = []
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends = []
    extra_error_codes = (502, 504)

    @extend_schema(summary="Quote a product in a city", responses={200: QuoteSerializer})
    def post(self, request):
        quote, hit = services.quote_create(**validate_fields(request.data, QUOTE_FIELDS))
        return Response({**quote, "cache": CACHE_WORDS[hit]})
