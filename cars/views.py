"""The cars API: list and create at /cars, get, update and delete at /cars/<id>."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from cars.filters import CarFilter, CarFilterBackend, CarSearchFilter, StableOrderingFilter
from cars.models import Car
from cars.pagination import CarPagination
from cars.selectors import CAR_FIELDS, AllCars, car_get
from cars.serializers import CarEnvelopeSerializer, CarSerializer, MessageSerializer

MAX_ID = 2**63 - 1  # BigAutoField: a larger id cannot exist, and must not reach the database
# Query parameters that leave the list whole and in id order (`format` picks the browsable API).
PAGING_PARAMS = frozenset({"page", "page_size", "format"})


@extend_schema_view(
    get=extend_schema(summary="List cars", description="Paged, ordered by id unless `ordering` says else."),
    post=extend_schema(
        summary="Add a car",
        request=CarSerializer,
        responses={201: OpenApiResponse(CarEnvelopeSerializer, description="The car has been created.")},
    ),
)
class CarListView(generics.ListCreateAPIView):
    serializer_class = CarSerializer
    pagination_class = CarPagination
    filter_backends = [CarFilterBackend, CarSearchFilter, StableOrderingFilter]
    filterset_class = CarFilter
    search_fields = ["name", "model"]
    ordering_fields = ["id", "name", "model", "doors", "created_at", "updated_at"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Car]:
        return Car.objects.only(*CAR_FIELDS).order_by("id")

    def list(self, request, *args, **kwargs):
        # Each parameter is one value (the schema says so); `?page_size=1&page_size=500` is a mistake.
        repeated = [name for name, values in request.query_params.lists() if len(values) > 1]
        if repeated:
            raise ValidationError({name: ["Give this parameter once."] for name in repeated})
        # Rows go out as plain dicts from .values(): the same JSON as CarSerializer gives, without
        # building a model instance and a serializer field pass per row (the list is benchmarked).
        # The unfiltered list, the common case, reads its page with a statement compiled once.
        if request.query_params.keys() <= PAGING_PARAMS:
            queryset = AllCars()
        else:
            queryset = self.filter_queryset(self.get_queryset()).values(*CAR_FIELDS)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(list(page))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        car = serializer.save()
        return Response(
            {"message": f"car {car.name} has been created successfully.", "car": serializer.data},
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
    queryset = Car.objects.only(*CAR_FIELDS)

    def get_object(self) -> Car:
        raw_id = self.kwargs["pk"]
        # A non-numeric or out-of-range id names no car: 404, never a 500 from the database.
        car_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() else None
        car = None
        if car_id is not None and car_id <= MAX_ID:
            car = self.get_queryset().filter(pk=car_id).first()
        if car is None:
            raise NotFound(f"car {raw_id[:40]} not found")
        self.check_object_permissions(self.request, car)
        return car

    def retrieve(self, request, *args, **kwargs):
        # The benchmarked read: the row as a dict (cars.selectors), no model instance and no
        # serializer pass; the same JSON as CarSerializer gives.
        raw_id = self.kwargs["pk"]
        car_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() else None
        car = car_get(car_id=car_id) if car_id is not None and car_id <= MAX_ID else None
        if car is None:
            raise NotFound(f"car {raw_id[:40]} not found")
        return Response({"message": "success", "car": car})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        car = serializer.save()
        return Response({"message": f"car {car.name} successfully updated", "car": serializer.data})

    def destroy(self, request, *args, **kwargs):
        car = self.get_object()
        name = car.name
        car.delete()
        return Response({"message": f"Car {name} successfully deleted."})
