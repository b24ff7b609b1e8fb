"""Query filters of the car list."""

import django_filters
from django import forms
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter, SearchFilter

from cars.models import Car

# Query text may hold any character but NUL, which no database stores (it answers 400).
NO_NUL = {"type": "string", "pattern": r"^[^\u0000]*$"}


@extend_schema_field(NO_NUL)
class TextFilter(django_filters.CharFilter):
    pass


class IntegerFilter(django_filters.NumberFilter):
    """Whole numbers only (django-filter's NumberFilter takes decimals such as 1.5)."""

    field_class = forms.IntegerField


class CarFilter(django_filters.FilterSet):
    class Meta:
        model = Car
        filter_overrides = {
            models.PositiveSmallIntegerField: {"filter_class": IntegerFilter},
            models.CharField: {"filter_class": TextFilter},
        }
        fields = {
            "name": ["exact", "icontains"],
            "model": ["exact", "icontains"],
            "doors": ["exact", "gte", "lte"],
        }


class CarSearchFilter(SearchFilter):
    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(NO_NUL)
        return parameters


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` plus `id` as the last key, so that pages never repeat or skip rows of equal keys."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(field.lstrip("-") == "id" for field in ordering):
            ordering.append("id")
        return ordering


class CarFilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the query names none of its filters.

    Building and validating the filter form costs about a millisecond per request; the plain list
    (the common, benchmarked case) does not need it.
    """

    def filter_queryset(self, request, queryset, view):
        if request.query_params.keys().isdisjoint(CarFilter.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)
