"""The row count of cars_car kept by triggers (PostgreSQL): GET /cars counts without COUNT(*)."""

from django.db import migrations

from core.rowcount import MaintainRowCount


class Migration(migrations.Migration):
    dependencies = [("cars", "0001_initial")]

    operations = [MaintainRowCount("cars_car")]
