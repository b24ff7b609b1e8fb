"""The row count of cars_car kept by triggers (PostgreSQL): GET /cars counts without COUNT(*).

Statement-level triggers add and subtract the rows each INSERT, DELETE and TRUNCATE changes, in the
writing transaction, so every snapshot sees a counter that agrees with the table. The price is on
writes: concurrent transactions writing cars queue on the counter row (fine for an inventory).
Other databases have no counter: CarManager.table_count() counts there.
"""

from django.db import migrations

INSTALL = [
    "CREATE TABLE IF NOT EXISTS core_rowcount (table_name text PRIMARY KEY, n bigint NOT NULL)",
    # No write may slip between the initial count and the triggers.
    "LOCK TABLE cars_car IN SHARE ROW EXCLUSIVE MODE",
    "INSERT INTO core_rowcount VALUES ('cars_car', (SELECT count(*) FROM cars_car)) "
    "ON CONFLICT (table_name) DO UPDATE SET n = EXCLUDED.n",
    """CREATE OR REPLACE FUNCTION cars_car_rowcount() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE core_rowcount SET n = n + (SELECT count(*) FROM changed) WHERE table_name = 'cars_car';
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE core_rowcount SET n = n - (SELECT count(*) FROM changed) WHERE table_name = 'cars_car';
        ELSE
            UPDATE core_rowcount SET n = 0 WHERE table_name = 'cars_car';
        END IF;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER cars_car_rowcount_insert AFTER INSERT ON cars_car REFERENCING NEW TABLE AS changed "
    "FOR EACH STATEMENT EXECUTE FUNCTION cars_car_rowcount()",
    "CREATE TRIGGER cars_car_rowcount_delete AFTER DELETE ON cars_car REFERENCING OLD TABLE AS changed "
    "FOR EACH STATEMENT EXECUTE FUNCTION cars_car_rowcount()",
    "CREATE TRIGGER cars_car_rowcount_truncate AFTER TRUNCATE ON cars_car "
    "FOR EACH STATEMENT EXECUTE FUNCTION cars_car_rowcount()",
]

UNINSTALL = [
    "DROP TRIGGER IF EXISTS cars_car_rowcount_insert ON cars_car",
    "DROP TRIGGER IF EXISTS cars_car_rowcount_delete ON cars_car",
    "DROP TRIGGER IF EXISTS cars_car_rowcount_truncate ON cars_car",
    "DROP FUNCTION IF EXISTS cars_car_rowcount()",
    "DELETE FROM core_rowcount WHERE table_name = 'cars_car'",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("cars", "0001_initial")]

    operations = [migrations.RunPython(run_on_postgresql(INSTALL), run_on_postgresql(UNINSTALL))]
