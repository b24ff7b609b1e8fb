"""Load the NicaVentas locations from CSV.

Usage: python manage.py seed_locations [--file data/nicaventas/locations.csv] [--reset]

Creates the locations that do not exist yet (matched by country and city, case-insensitively), so
running it twice adds nothing twice and keeps what operators changed since; `--reset` also sets
`active` back to the file's value.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from availability.services import locations_seed


class Command(BaseCommand):
    help = "Load data/nicaventas/locations.csv into Location (idempotent; --reset overwrites `active`)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=settings.BASE_DIR / "data" / "nicaventas" / "locations.csv"
        )
        parser.add_argument(
            "--reset", action="store_true", help="set `active` of existing rows to the file's"
        )

    def handle(self, *args: Any, file: Path, reset: bool, **options: Any) -> None:
        try:
            result = locations_seed(path=file, reset=reset)
        except (OSError, ValueError, ValidationError) as error:
            raise CommandError(f"seed_locations: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Locations: {result}."))
