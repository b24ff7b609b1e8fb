"""Trigram indexes for `?search=` (PostgreSQL): a term of three or more characters is found through
the index instead of reading every car.

Django's `icontains` is `UPPER(column::text) LIKE UPPER(%s)` on PostgreSQL, so the indexes are on
that expression. Other databases have no such index; their tables here are small.
"""

from django.db import migrations

COLUMNS = ("name", "model")
INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX IF NOT EXISTS cars_car_{column}_trgm ON cars_car "
        f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        for column in COLUMNS
    ),
]
UNINSTALL = [f"DROP INDEX IF EXISTS cars_car_{column}_trgm" for column in COLUMNS]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("cars", "0002_car_rowcount")]

    operations = [migrations.RunPython(run_on_postgresql(INSTALL), run_on_postgresql(UNINSTALL))]
