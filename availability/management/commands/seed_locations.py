"""Load the NicaVentas locations from CSV; the rules of loading are `services.locations_seed`'s."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from availability.services import DATA, locations_seed


class Command(BaseCommand):
    help = "Load data/nicaventas/locations.csv into Location (idempotent; --reset overwrites `active`)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA / "locations.csv")
        parser.add_argument(
            "--reset", action="store_true", help="set `active` of existing rows to the file's"
        )

    def handle(self, *args: Any, file: Path, reset: bool, **options: Any) -> None:
        try:
            result = locations_seed(path=file, reset=reset)
        except (OSError, ValueError) as error:
            raise CommandError(f"seed_locations: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Locations: {result}."))
