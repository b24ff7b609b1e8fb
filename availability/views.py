"""HTTP endpoints of NicaVentas: `/active` (locations), `/price/<sku>` and `/quote`."""

import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.authentication import TokenScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import authentication, exceptions, generics, permissions
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
from core.pagination import HeaderPagination
from core.throttling import ClientAddressRateThrottle

CACHE_WORDS = {True: "hit", False: "miss"}
SERVICE = "availability-service-token"  # request.auth when the shared Bearer token was sent


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <AVAILABILITY_API_TOKEN>`, the shared service token, on writes.

    Reads are public: their credentials are not read, so a wrong token does not refuse a read.
    """

    def authenticate(self, request):
        if request.method in SAFE_METHODS:
            return None
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if not settings.AVAILABILITY_API_TOKEN:
            raise exceptions.AuthenticationFailed(
                "Bearer tokens are not accepted: no AVAILABILITY_API_TOKEN is configured; "
                "use `Authorization: Token <your API token>`."
            )
        given = header[1] if len(header) == 2 else b""
        if not hmac.compare_digest(given, settings.AVAILABILITY_API_TOKEN.encode()):
            raise exceptions.AuthenticationFailed("The Bearer token is not the service token.")
        return AnonymousUser(), SERVICE

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class WriteTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <a user's key>`, read on writes only, as the service token is."""

    def authenticate(self, request):
        return None if request.method in SAFE_METHODS else super().authenticate(request)


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = ServiceTokenAuthentication
    name = "availabilityBearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The shared AVAILABILITY_API_TOKEN."}


class WriteTokenScheme(TokenScheme):
    target_class = "availability.views.WriteTokenAuthentication"
    name = "availabilityToken"  # not "tokenAuth", the name of DRF's class
    priority = 1  # before drf-spectacular's TokenScheme, which matches subclasses too

    def get_security_requirement(self, auto_schema):
        # Reads need no credentials (CanChangeLocations): none is one of the alternatives.
        return [{self.name: []}, {}] if auto_schema.method in SAFE_METHODS else {self.name: []}


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
    """Per user, so that one account cannot fill the table; operators (service token, staff) go uncounted."""

    scope = "locations"

    def get_cache_key(self, request, view):
        if request.method in SAFE_METHODS or request.auth == SERVICE or request.user.is_staff:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class LocationPagination(HeaderPagination):
    """The contract's bare array, paged in headers; the shipped list is one page."""

    page_size = 1000
    page_size_query_param = None  # type: ignore[assignment]  # one page size, not the client's


class ActiveView(generics.GenericAPIView):
    """Sales availability per location: list, look up one (cached), create or update."""

    queryset = Location.objects.all()
    serializer_class = LocationWriteSerializer
    authentication_classes = [ServiceTokenAuthentication, WriteTokenAuthentication, SessionAuthentication]
    permission_classes = [CanChangeLocations]
    throttle_classes = [LocationWriteThrottle]
    pagination_class = LocationPagination
    filter_backends = []  # `?country=` is the one filter, validated by LocationQuerySerializer

    def perform_authentication(self, request):
        # Lazy, as DRF's docstring of this method offers: a JSON read never looks up a session or a
        # token (nor varies with the cookie); a write authenticates when its permission asks.
        pass

    def handle_exception(self, exc):
        # Credentials that were sent but are wrong are refused (403), not missing (401).
        if isinstance(exc, exceptions.AuthenticationFailed):
            exc = exceptions.PermissionDenied(exc.detail)
        return super().handle_exception(exc)

    def body(self) -> dict:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_object(self):
        # A PUT names its location in the body, not in the URL (DRF's OPTIONS asks for it).
        body = self.body()
        return selectors.location_get(country=body["country"], city=body["city"])

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
        location, created = services.location_upsert(**self.body())
        return Response(LocationSerializer(location).data, status=201 if created else 200)

    @extend_schema(summary="Update an existing location", responses={200: LocationSerializer})
    def put(self, request):
        location = services.location_update(**self.body())
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
        return selectors.product_lookup(sku=self.kwargs["sku"])


class QuoteView(APIView):
    """The price of a product in a city under its current weather.

    Public although a POST: it changes nothing, so it reads no credentials (and needs no CSRF token).
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
