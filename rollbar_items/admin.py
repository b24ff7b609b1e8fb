"""Stored Rollbar reports in the admin, read-only: they are Rollbar's data, not ours to edit."""

from django.contrib import admin

from rollbar_items.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "params", "fetched_at")
    list_filter = ("kind",)
    date_hierarchy = "fetched_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # clearing goes through DELETE /reports or `manage.py rollbar reports clear`
