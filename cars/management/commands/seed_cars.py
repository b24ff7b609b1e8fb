"""`manage.py seed_cars`: the shipped inventory, generated cars for load tests, `--clear` first."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cars import services

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Load the shipped car inventory (cars/fixtures/cars.json) without duplicates; --count N adds N "
        "generated cars in batches; --clear empties the table first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--count", type=int, default=0, help="Generated cars to add (default 0).")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.DEFAULT_BATCH_SIZE,
            help=f"Rows per batch for --count (default {services.DEFAULT_BATCH_SIZE:,}).",
        )
        parser.add_argument("--clear", action="store_true", help="Delete every car first.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation of --clear.",
        )

    def handle(
        self, *args: Any, count: int, batch_size: int, clear: bool, interactive: bool, **options: Any
    ) -> None:
        self.stderr.style_func = None  # the progress bar is not an error: no red
        if count < 0:
            raise CommandError("--count must be zero or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if clear:
            if interactive and not self.confirm():
                raise CommandError("Cancelled: no car was deleted.")
            self.stdout.write(f"Deleted {services.car_clear():,} cars.")

        added, total = services.car_seed_inventory()
        self.stdout.write(f"Inventory: {added:,} cars added ({total:,} in the fixture).")
        if count:
            started = time.perf_counter()
            services.car_generate(count=count, batch_size=batch_size, progress=self.show_progress)
            seconds = time.perf_counter() - started
            self.stderr.write("")  # end the progress line
            report = f"{count:,} cars in {seconds:.2f} s ({count / seconds:,.0f} rows/s)"
            self.stdout.write(self.style.SUCCESS(f"Generated {report}."))

    def confirm(self) -> bool:
        self.stdout.write("This deletes every car in the database.")
        try:
            return input("Type 'yes' to continue, anything else to cancel: ").strip().lower() == "yes"
        except EOFError:
            return False

    def show_progress(self, done: int, total: int) -> None:
        bar = ("#" * (BAR_WIDTH * done // total)).ljust(BAR_WIDTH, ".")
        self.stderr.write(f"\r[{bar}] {done:,}/{total:,} ({100 * done // total}%)", ending="")
        self.stderr.flush()
