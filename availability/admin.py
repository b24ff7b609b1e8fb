"""Admin of locations, products and price rules; edits drop the cached lookups, as the API's writes do."""

from collections.abc import Callable

from django.contrib import admin
from django.forms.models import model_to_dict

from availability.models import Location, PriceRule, Product
from availability.services import location_cache_drop, product_cache_drop


class DropsCachedLookups(admin.ModelAdmin):
    """Saving or deleting a row drops its cached lookup: `cache_drop` called with the row's `cache_fields`."""

    cache_drop: Callable[..., None]
    cache_fields: tuple[str, ...]

    def drop(self, row: dict) -> None:
        self.cache_drop(**{name: row[name] for name in self.cache_fields})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.drop({**model_to_dict(obj), **form.initial})  # under the name it had, when it changed
        self.drop(model_to_dict(obj))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.drop(model_to_dict(obj))

    def delete_queryset(self, request, queryset):
        rows = list(queryset.values())
        super().delete_queryset(request, queryset)
        for row in rows:
            self.drop(row)


@admin.register(Location)
class LocationAdmin(DropsCachedLookups):
    list_display = ["city", "country", "active", "updated_at"]
    list_filter = ["country", "active"]
    list_editable = ["active"]
    search_fields = ["city", "country"]
    ordering = ["country", "city"]
    cache_drop = staticmethod(location_cache_drop)
    cache_fields = ("country", "city")


@admin.register(Product)
class ProductAdmin(DropsCachedLookups):
    list_display = ["sku", "description", "price"]
    search_fields = ["sku", "description"]
    cache_drop = staticmethod(product_cache_drop)
    cache_fields = ("sku",)


@admin.register(PriceRule)
class PriceRuleAdmin(admin.ModelAdmin):
    list_display = ["product", "location", "min_condition", "max_condition", "variation"]
    list_filter = ["product", "location__country"]
    list_select_related = ["product", "location"]
    autocomplete_fields = ["location"]
    search_fields = ["product__sku", "location__city"]
