"""Admin of locations, products and price rules; edits drop the cached lookups, as the API's writes do."""

from collections.abc import Callable

from django.contrib import admin
from django.core.cache import cache
from django.forms.models import model_to_dict

from availability import selectors
from availability.models import Location, PriceRule, Product


class DropsCachedLookups(admin.ModelAdmin):
    """Saving or deleting rows drops their cached lookups: `cache_key` of each row's `cache_fields`."""

    cache_key: Callable[..., str]
    cache_fields: tuple[str, ...]

    def drop(self, *rows: dict) -> None:
        cache.delete_many([self.cache_key(**{name: row[name] for name in self.cache_fields}) for row in rows])

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Under the name it had, when it changed, and under the one it has.
        self.drop({**model_to_dict(obj), **form.initial}, model_to_dict(obj))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.drop(model_to_dict(obj))

    def delete_queryset(self, request, queryset):
        rows = list(queryset.values())
        super().delete_queryset(request, queryset)
        self.drop(*rows)


@admin.register(Location)
class LocationAdmin(DropsCachedLookups):
    list_display = ["city", "country", "active", "updated_at"]
    list_filter = ["country", "active"]
    list_editable = ["active"]
    search_fields = ["city", "country"]
    cache_key = staticmethod(selectors.location_key)
    cache_fields = ("country", "city")


@admin.register(Product)
class ProductAdmin(DropsCachedLookups):
    list_display = ["sku", "description", "price"]
    search_fields = ["sku", "description"]
    cache_key = staticmethod(selectors.product_key)
    cache_fields = ("sku",)


@admin.register(PriceRule)
class PriceRuleAdmin(admin.ModelAdmin):
    list_display = ["product", "location", "min_condition", "max_condition", "variation"]
    list_filter = ["product", "location__country"]
    list_select_related = ["product", "location"]
    autocomplete_fields = ["location"]
    search_fields = ["product__sku", "location__city"]
