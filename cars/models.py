"""The Car of the vehicle inventory, and its manager's exact count of the whole table."""

from django.core.validators import MaxValueValidator, MinLengthValidator
from django.db import connections, models
from django.db.models.functions import Now

MAX_DOORS = 10

# The counter row that migration 0002 keeps equal to the number of cars (PostgreSQL triggers).
# Columns: n, the row count of cars_car.
CAR_COUNT_SQL = "SELECT n FROM core_rowcount WHERE table_name = 'cars_car'"


class CarManager(models.Manager):
    def table_count(self) -> int:
        """How many cars the table holds, exactly: on PostgreSQL the counter (COUNT(*) reads the whole
        table, at a million cars dearer than the page it counts for), elsewhere COUNT(*)."""
        connection = connections[self.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(CAR_COUNT_SQL)
                row = cursor.fetchone()
            if row is not None:
                return row[0]
        return self.count()


class Car(models.Model):
    name = models.CharField(max_length=100, validators=[MinLengthValidator(1)])
    model = models.CharField(max_length=100, validators=[MinLengthValidator(1)])
    doors = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_DOORS)])
    # db_default as well: rows written by COPY (seed_cars) or by plain SQL get their timestamps too.
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = CarManager()

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
