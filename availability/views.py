"""HTTP endpoints of NicaVentas: `/active` (locations), `/price/<sku>` and `/quote`.

Model endpoints are DRF generic views whose hooks point at the selectors; `/quote`, which asks an
outside service, is a plain APIView like every proxy (docs/design.md, "View styles").
"""

import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import authentication, exceptions, generics, pagination, permissions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from availability import selectors, services
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
from core.authentication import TokenAuthentication
from core.throttling import ClientAddressRateThrottle

CACHE_WORDS = {True: "hit", False: "miss"}
SERVICE = "availability-service-token"  # request.auth when the shared Bearer token was sent


class ServiceTokenAuthentication(TokenAuthentication):
    """Who may change locations: `Authorization: Bearer <AVAILABILITY_API_TOKEN>` (the shared service
    token) or `Authorization: Token <a user's key>`; credentials that are present but wrong are 403.

    Reads are public: their credentials are not read, so a wrong token does not refuse a read and
    an anonymous read touches no token table.
    """

    def authenticate(self, request):
        if request.method in SAFE_METHODS:
            return None
        header = authentication.get_authorization_header(request).split()
        try:
            if header and header[0].lower() == b"bearer":
                return self.service(header[1:])
            return super().authenticate(request)  # another scheme: not ours, the request stays anonymous
        except exceptions.AuthenticationFailed as error:
            # A credential that was sent but is wrong is refused (403), not missing (401).
            raise exceptions.PermissionDenied(error.detail) from None

    def service(self, token: list[bytes]) -> tuple[AnonymousUser, str]:
        if not settings.AVAILABILITY_API_TOKEN:
            raise exceptions.AuthenticationFailed(
                "Bearer tokens are not accepted: no AVAILABILITY_API_TOKEN is configured; "
                "use `Authorization: Token <your API token>`."
            )
        given = token[0] if len(token) == 1 else b""
        if not hmac.compare_digest(given, settings.AVAILABILITY_API_TOKEN.encode()):
            raise exceptions.AuthenticationFailed("The Bearer token is not the service token.")
        return AnonymousUser(), SERVICE

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = ServiceTokenAuthentication
    # Not "tokenAuth": that name belongs to DRF's TokenAuthentication, a different class.
    name = ["availabilityBearer", "availabilityToken"]

    def get_security_requirement(self, auto_schema):
        # Either scheme alone is enough (not both together); reads need neither (CanChangeLocations).
        alternatives: list[dict] = [{"availabilityBearer": []}, {"availabilityToken": []}]
        return [*alternatives, {}] if auto_schema.method in SAFE_METHODS else alternatives

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "description": "The shared AVAILABILITY_API_TOKEN."},
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": 'A user\'s API token with the prefix "Token"',
            },
        ]


class CanChangeLocations(permissions.BasePermission):
    """Reads are public; writes need the service token or an authenticated user."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or request.auth == SERVICE or request.user.is_authenticated:
            return True
        raise exceptions.NotAuthenticated(
            "Changing locations needs `Authorization: Bearer <AVAILABILITY_API_TOKEN>`, "
            "`Authorization: Token <your API token>`, or a logged-in session."
        )


class LocationWriteThrottle(ClientAddressRateThrottle):
    """Location writes of users who are not staff: the `locations` rate (LOCATIONS_THROTTLE_RATE) per user.

    Any user may write locations, so without a limit one account could fill the table (and every
    list). The service token and staff are the operators: not counted.
    """

    scope = "locations"

    def get_cache_key(self, request, view):
        if request.method in SAFE_METHODS or request.auth == SERVICE or request.user.is_staff:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class LocationPagination(pagination.PageNumberPagination):
    """Pages of a bare array, the contract's shape: `Link: <...>; rel="next"` and `X-Total-Count`.

    The pages are large, so that a list as long as the shipped one (205) is one page as before,
    and no answer grows with the table.
    """

    page_size = 1000

    def get_paginated_response(self, data):
        assert self.page is not None  # paginate_queryset ran first
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
