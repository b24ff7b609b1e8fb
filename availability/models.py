"""NicaVentas data: the locations where sales may be active, the products, and their price rules."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

COUNTRY_CODE = RegexValidator(r"^[a-z]{2}\Z", "Enter an ISO 3166-1 alpha-2 country code, such as ni or es.")


class Location(models.Model):
    """A city of a country; `active` says whether sales are open there."""

    country = models.CharField(
        max_length=2, validators=[COUNTRY_CODE], help_text="ISO 3166-1 alpha-2, lower-case"
    )
    city = models.CharField(max_length=100)
    active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "city"]
        constraints = [
            # Functional, so that "Leon" and "LEON" are one location on every database.
            models.UniqueConstraint(Lower("country"), Lower("city"), name="location_country_city_unique_ci"),
            models.CheckConstraint(condition=~models.Q(city=""), name="location_city_set"),
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.country})"

    def save(self, *args, **kwargs):
        self.country = self.country.lower()
        super().save(*args, **kwargs)


class Product(models.Model):
    sku = models.CharField(max_length=32, unique=True)
    description = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.description}"


class PriceRule(models.Model):
    """In `location`, while the weather condition id is in [min, max], `product` costs price * variation."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="rules")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="rules")
    min_condition = models.PositiveIntegerField(help_text="OpenWeatherMap condition id, inclusive")
    max_condition = models.PositiveIntegerField(help_text="OpenWeatherMap condition id, inclusive")
    variation = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(0)], help_text="multiplier on the price"
    )

    class Meta:
        ordering = ["product", "location", "min_condition"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "location", "min_condition", "max_condition"],
                name="price_rule_unique_range",
            ),
            models.CheckConstraint(
                condition=models.Q(min_condition__lte=models.F("max_condition")),
                name="price_rule_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(variation__gte=0), name="price_rule_variation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        conditions = f"{self.min_condition}-{self.max_condition}"
        return f"{self.product.sku} in {self.location}: {conditions} x{self.variation}"
