"""The Car of the vehicle inventory."""

from django.core.validators import MaxValueValidator, MinLengthValidator
from django.db import models
from django.db.models.functions import Now

from core.rowcount import CountedQuerySet

MAX_DOORS = 10


class Car(models.Model):
    name = models.CharField(max_length=100, validators=[MinLengthValidator(1)])
    model = models.CharField(max_length=100, validators=[MinLengthValidator(1)])
    doors = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_DOORS)])
    # db_default as well: rows written by COPY (seed_cars) or by plain SQL get their timestamps too.
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    # Whole-table counts (the list's `count`) from a counter kept by triggers: see core/rowcount.py.
    objects = CountedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(doors__gte=0) & models.Q(doors__lte=MAX_DOORS), name="car_doors_0_to_10"
            ),
            models.CheckConstraint(
                condition=~models.Q(name="") & ~models.Q(model=""), name="car_name_model_set"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.model})"
