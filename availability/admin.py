"""Admin of locations, products and price rules; edits drop the cached lookups, as the API's writes do."""

from django.contrib import admin
from django.forms.models import model_to_dict

from availability.models import Location, PriceRule, Product
from availability.services import location_cache_drop, product_cache_drop


class DropsCachedLookups(admin.ModelAdmin):
    """Saving or deleting a row drops its cached lookup (`drop`, given the row's fields by name)."""

    def drop(self, row: dict) -> None:
        raise NotImplementedError

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

    def drop(self, row: dict) -> None:
        location_cache_drop(country=row["country"], city=row["city"])


@admin.register(Product)
class ProductAdmin(DropsCachedLookups):
    list_display = ["sku", "description", "price"]
    search_fields = ["sku", "description"]

    def drop(self, row: dict) -> None:
        product_cache_drop(sku=row["sku"])


@admin.register(PriceRule)
class PriceRuleAdmin(admin.ModelAdmin):
    list_display = ["product", "location", "min_condition", "max_condition", "variation"]
    list_filter = ["product", "location__country"]
    list_select_related = ["product", "location"]
    autocomplete_fields = ["location"]
    search_fields = ["product__sku", "location__city"]
