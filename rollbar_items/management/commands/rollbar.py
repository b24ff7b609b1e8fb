"""`manage.py rollbar items|reports ...`: the REST API's use cases in process (README, "Commands").

Every command prints JSON on stdout; a failure prints a message on stderr and exits with status 1.
"""

import argparse
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework import serializers

from core.errors import ServiceError
from core.fields import positive_int
from rollbar_items import services
from rollbar_items.serializers import ItemCreateSerializer, ItemUpdateSerializer, ReportSerializer, validated


def _positive_int(value: str) -> int:
    number = positive_int(value)
    if number is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return number


class Command(BaseCommand):
    help = "Rollbar items (list, get, create, update, delete) and stored reports (fetch, list, clear)."

    def add_arguments(self, parser: CommandParser) -> None:
        groups = parser.add_subparsers(dest="group", required=True, metavar="{items,reports}")

        items = groups.add_parser("items", help="Rollbar items", description="Rollbar items.")
        item_actions = items.add_subparsers(dest="action", required=True, metavar="ACTION")

        listing = item_actions.add_parser("list", help="one page (100) of items, newest first")
        listing.add_argument("--status", action="append", choices=services.ITEM_STATUSES, default=[])
        listing.add_argument("--level", action="append", choices=services.LEVELS, default=[])
        listing.add_argument("--environment", action="append", default=[], help="may repeat")
        listing.add_argument("--page", type=_positive_int, default=1, help="Rollbar's page, from 1")
        listing.set_defaults(run=self.items_list)

        get = item_actions.add_parser("get", help="one item by its id")
        get.add_argument("item_id", type=_positive_int, metavar="ID")
        get.set_defaults(run=lambda options: services.item_get(item_id=options["item_id"]))

        create = item_actions.add_parser("create", help="send an occurrence; Rollbar makes the item")
        create.add_argument("--message", required=True)
        create.add_argument("--environment", default="production")
        create.add_argument("--level", choices=services.LEVELS)
        create.add_argument("--title")
        create.set_defaults(run=self.items_create)

        update = item_actions.add_parser("update", help="change an item's status, level, title, ...")
        update.add_argument("item_id", type=_positive_int, metavar="ID")
        update.add_argument("--status", choices=services.UPDATE_STATUSES)
        update.add_argument("--level", choices=services.LEVELS)
        update.add_argument("--title")
        update.add_argument("--resolved-in-version", dest="resolved_in_version")
        update.add_argument("--assigned-user-id", dest="assigned_user_id", type=_positive_int)
        update.set_defaults(run=self.items_update)

        delete = item_actions.add_parser("delete", help="refused: Rollbar cannot delete items")
        delete.add_argument("item_id", type=_positive_int, metavar="ID")
        delete.set_defaults(run=lambda options: services.item_delete(item_id=options["item_id"]))

        reports = groups.add_parser("reports", help="stored reports", description="Stored Rollbar reports.")
        report_actions = reports.add_subparsers(dest="action", required=True, metavar="ACTION")
        fetch = report_actions.add_parser("fetch", help="fetch and store a top-active-items report")
        fetch.add_argument("--hours", type=_positive_int, default=24, help="1 to 168, default 24")
        fetch.add_argument("--environment", action="append", default=[], help="may repeat")
        fetch.set_defaults(run=self.reports_fetch)
        listed = report_actions.add_parser("list", help="stored reports (one is fetched if none is stored)")
        listed.set_defaults(run=lambda options: ReportSerializer(services.report_list(), many=True).data)
        clear = report_actions.add_parser("clear", help="delete every stored report")
        clear.set_defaults(run=lambda options: {"message": f"{services.report_clear()} reports cleared."})

    def run_from_argv(self, argv: list[str]) -> None:
        # From a shell, stdout carries only the JSON answer: the client's log lines go to stderr.
        app_logger = logging.getLogger("rollbar_items")
        app_logger.addHandler(logging.StreamHandler(sys.stderr))
        app_logger.propagate = False
        super().run_from_argv(argv)

    def handle(self, *args: Any, run: Callable[[dict[str, Any]], Any], **options: Any) -> None:
        try:
            result = run(options)
        except ServiceError as error:
            raise CommandError(error.message) from None
        except serializers.ValidationError as error:
            raise CommandError(f"Invalid input: {json.dumps(error.detail)}") from None
        self.stdout.write(json.dumps(result, indent=2, default=str))

    # Each action's `run` calls the service the REST API calls; the serializers take their own
    # fields from the options and leave the command's other options.

    def items_list(self, options: dict[str, Any]) -> dict:
        filters = {name: options[name] for name in ("status", "level", "environment", "page")}
        return services.item_list(**filters)

    def items_create(self, options: dict[str, Any]) -> Any:
        given = {key: value for key, value in options.items() if value}
        return services.item_create(**validated(ItemCreateSerializer, given))

    def items_update(self, options: dict[str, Any]) -> Any:
        fields = validated(
            ItemUpdateSerializer, {key: value for key, value in options.items() if value is not None}
        )
        if not fields:
            raise CommandError(
                "Nothing to update: give at least one of --status, --level, --title, "
                "--resolved-in-version, --assigned-user-id."
            )
        return services.item_update(item_id=options["item_id"], fields=fields)

    def reports_fetch(self, options: dict[str, Any]) -> Any:
        if options["hours"] > 168:
            raise CommandError("--hours must be between 1 and 168.")
        report = services.report_fetch(hours=options["hours"], environments=options["environment"])
        return ReportSerializer(report).data
