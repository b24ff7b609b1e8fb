"""Admin of locations, products and price rules; location edits drop the cached lookup like the API's."""

from django.contrib import admin

from availability.models import Location, PriceRule, Product
from availability.services import location_cache_drop


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["city", "country", "active", "updated_at"]
    list_filter = ["country", "active"]
    list_editable = ["active"]
    search_fields = ["city", "country"]
    ordering = ["country", "city"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # the old name may differ from the new one
            location_cache_drop(
                country=form.initial.get("country", obj.country), city=form.initial.get("city", obj.city)
            )
        location_cache_drop(country=obj.country, city=obj.city)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        location_cache_drop(country=obj.country, city=obj.city)

    def delete_queryset(self, request, queryset):
        locations = list(queryset.values_list("country", "city"))
        super().delete_queryset(request, queryset)
        for country, city in locations:
            location_cache_drop(country=country, city=city)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "description", "price"]
    search_fields = ["sku", "description"]


@admin.register(PriceRule)
class PriceRuleAdmin(admin.ModelAdmin):
    list_display = ["product", "location", "min_condition", "max_condition", "variation"]
    list_filter = ["product", "location__country"]
    list_select_related = ["product", "location"]
    autocomplete_fields = ["location"]
    search_fields = ["product__sku", "location__city"]
