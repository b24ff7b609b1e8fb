"""The cars API: list and create at /cars, get, update and delete at /cars/<id>."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cars import selectors, services
from cars.models import Car
from cars.selectors import NO_NUL, CarFilter
from cars.serializers import CarEnvelopeSerializer, CarSerializer, MessageSerializer
from core.fields import positive_int
from core.pagination import MAX_OFFSET, PageNumberPagination, page_number

# Query parameters that leave the list whole and in id order (`format` picks the browsable API).
PAGING_PARAMS = frozenset({"page", "page_size", "format"})
# A search term uses the trigram indexes (migration 0003) only from three characters on, each term
# is one more index scan, and one longer than any name or model matches nothing.
MAX_SEARCH_TERMS = 5
SEARCH_TERM_LENGTH = (3, 100)


class CarPagination(PageNumberPagination):
    """The cars envelope around a page of rows and its total, as `selectors.car_page` reads them."""

    results_key = "cars"
    envelope = {"message": "success"}

    def paginate_cars(self, cars: QuerySet[Car] | None, request: Request) -> list[dict[str, Any]]:
        self.request = request
        size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:
            number = Paginator(range(selectors.car_count(cars=cars)), size).num_pages
        else:
            number = page_number(raw) or 0
        offset = (number - 1) * size
        if not 0 <= offset <= MAX_OFFSET:
            raise NotFound(self.invalid_page_message)
        rows, total = selectors.car_page(cars=cars, offset=offset, limit=size)
        if not rows and number > 1:
            raise NotFound(self.invalid_page_message)
        # The rows are read; the Paginator only works out the links, over a range as long as the list.
        self.page = Paginator(range(total), size).page(number)
        self.display_page_controls = self.template is not None and self.page.paginator.num_pages > 1
        return rows

    def get_page_size(self, request: Request) -> int:
        # DRF would take the default for `?page_size=abc`; the schema says "an integer >= 1".
        raw = request.query_params.get(self.page_size_query_param)
        size = self.page_size if raw is None else page_number(raw)
        if size is None:
            raise ValidationError({self.page_size_query_param: ["A whole number of at least 1 is required."]})
        return min(size, self.max_page_size)


class CarSearchFilter(SearchFilter):
    """`?search=`: at most MAX_SEARCH_TERMS distinct words of SEARCH_TERM_LENGTH characters."""

    def get_search_terms(self, request: Request) -> list[str]:
        terms = list(dict.fromkeys(super().get_search_terms(request)))
        shortest, longest = SEARCH_TERM_LENGTH
        if len(terms) > MAX_SEARCH_TERMS or not all(shortest <= len(term) <= longest for term in terms):
            message = f"Give 1 to {MAX_SEARCH_TERMS} words of {shortest} to {longest} characters each."
            raise ValidationError({self.search_param: [message]})
        return terms

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(NO_NUL)
        return parameters


class StableOrderingFilter(OrderingFilter):
    """`?ordering=`, each term once, then `id`, so that pages never repeat or skip rows of equal keys."""

    def get_ordering(self, request: Request, queryset: QuerySet[Car], view: APIView) -> list[str]:
        return list(dict.fromkeys([*(super().get_ordering(request, queryset, view) or []), "id"]))


@extend_schema_view(
    get=extend_schema(summary="List cars", description="Paged, ordered by id unless `ordering` says else."),
    post=extend_schema(
        summary="Add a car",
        responses={201: OpenApiResponse(CarEnvelopeSerializer, description="The car has been created.")},
    ),
)
class CarListView(generics.ListCreateAPIView):
    serializer_class = CarSerializer
    pagination_class = CarPagination
    filter_backends = [DjangoFilterBackend, CarSearchFilter, StableOrderingFilter]
    filterset_class = CarFilter
    search_fields = ["name", "model"]
    ordering_fields = ["id", "name", "model", "doors", "created_at", "updated_at"]
    queryset = Car.objects.order_by("id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Each parameter is one value (the schema says so); `?page_size=1&page_size=500` is a mistake.
        repeated = [name for name, values in request.query_params.lists() if len(values) > 1]
        if repeated:
            raise ValidationError({name: ["Give this parameter once."] for name in repeated})
        # A list whole and in id order takes the literal SQL of the selector.
        whole = request.query_params.keys() <= PAGING_PARAMS
        cars = None if whole else self.filter_queryset(self.get_queryset())
        assert isinstance(self.paginator, CarPagination)
        return self.get_paginated_response(self.paginator.paginate_cars(cars, request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        car = services.car_create(**serializer.validated_data)
        return Response(
            {"message": f"car {car.name} has been created successfully.", "car": CarSerializer(car).data},
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    get=extend_schema(summary="Get a car", responses={200: CarEnvelopeSerializer}),
    put=extend_schema(summary="Replace a car (all fields)", responses={200: CarEnvelopeSerializer}),
    patch=extend_schema(summary="Change some fields of a car", responses={200: CarEnvelopeSerializer}),
    delete=extend_schema(summary="Delete a car", responses={200: MessageSerializer}),
)
class CarDetailView(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = CarSerializer
    queryset = Car.objects.all()

    def get_car_id(self) -> int:
        """The id in the URL; a non-numeric or out-of-range one names no car (404, never a 500)."""
        car_id = positive_int(self.kwargs["pk"])
        if car_id is None:
            raise services.CarNotFound(self.kwargs["pk"])
        return car_id

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        car = selectors.car_get(car_id=self.get_car_id())
        if car is None:
            raise services.CarNotFound(self.kwargs["pk"])
        return Response({"message": "success", "car": car})

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        car = services.car_update(car_id=self.get_car_id(), **serializer.validated_data)
        return Response({"message": f"car {car.name} successfully updated", "car": CarSerializer(car).data})

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        name = services.car_delete(car_id=self.get_car_id())
        return Response({"message": f"Car {name} successfully deleted."})
