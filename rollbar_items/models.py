"""Reports fetched from Rollbar and stored, so that reading them again costs no Rollbar call."""

from django.db import models
from django.utils import timezone


class Report(models.Model):
    class Kind(models.TextChoices):
        TOP_ACTIVE_ITEMS = "top_active_items", "Top active items"

    kind = models.CharField(max_length=50, choices=Kind.choices, default=Kind.TOP_ACTIVE_ITEMS)
    params = models.JSONField(default=dict, blank=True, help_text="The query sent to Rollbar.")
    content = models.JSONField(default=list, blank=True, help_text="Rollbar's result, as it came.")
    fetched_at = models.DateTimeField(default=timezone.now, db_index=True)
    # True on the report a read fetched because none was stored, else null: unique, so that reads
    # finding none at the same moment store one report between them.
    on_read = models.BooleanField(null=True, unique=True, editable=False)

    class Meta:
        ordering = ["-fetched_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} fetched {self.fetched_at:%Y-%m-%d %H:%M}"
