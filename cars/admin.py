"""Admin for the vehicle inventory: search by name or model, filter by doors."""

from django.contrib import admin

from cars.models import Car


@admin.register(Car)
class CarAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "model", "doors", "updated_at"]
    list_display_links = ["id", "name"]
    list_filter = ["doors", "created_at"]
    search_fields = ["name", "model"]
    readonly_fields = ["created_at", "updated_at"]
    # The table may hold millions of generated rows: no full COUNT(*) for the unfiltered changelist.
    show_full_result_count = False
    list_per_page = 50
