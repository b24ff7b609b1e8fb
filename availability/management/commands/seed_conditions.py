"""Load the NicaVentas products and price rules from CSV; the rules are `services.conditions_seed`'s."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from availability.services import DATA, conditions_seed


class Command(BaseCommand):
    help = "Load data/nicaventas/products.csv and rules.csv (idempotent; --reset overwrites values)."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=Path, default=DATA / "products.csv")
        parser.add_argument("--rules", type=Path, default=DATA / "rules.csv")
        parser.add_argument("--reset", action="store_true", help="overwrite existing products and rules")

    def handle(self, *args: Any, products: Path, rules: Path, reset: bool, **options: Any) -> None:
        try:
            product_result, rule_result = conditions_seed(
                products_path=products, rules_path=rules, reset=reset
            )
        except (OSError, ValueError) as error:
            raise CommandError(f"seed_conditions: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Products: {product_result}. Price rules: {rule_result}."))
