"""`manage.py rollbar ...` against the fake Rollbar: the API's use cases, JSON out, errors on stderr."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rollbar_items.models import Report
from rollbar_items.tests.factories import ReportFactory
from rollbar_items.tests.fake_rollbar import POST_TOKEN, READ_TOKEN, WRITE_TOKEN

BASE_DIR = Path(__file__).resolve().parents[2]
TOKENS = (READ_TOKEN, WRITE_TOKEN, POST_TOKEN)


def rollbar(*args) -> object:
    out = StringIO()
    call_command("rollbar", *args, stdout=out)
    return json.loads(out.getvalue())


def manage(*args, env=None) -> subprocess.CompletedProcess:
    """`python manage.py ...` in a child process, as an operator would run it."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_items_list_pages_and_filters(fake_rollbar):
    fake_rollbar.state.seed_items(count=150, level="error")
    fake_rollbar.state.seed_items(count=5, level="critical")
    first = rollbar("items", "list")
    assert (first["count"], first["page"], first["next_page"], first["previous_page"]) == (155, 1, 2, None)
    assert len(first["items"]) == 100
    second = rollbar("items", "list", "--page", "2")
    assert (len(second["items"]), second["next_page"], second["previous_page"]) == (55, None, 1)
    critical = rollbar("items", "list", "--level", "critical", "--level", "warning", "--status", "active")
    assert critical["count"] == 5
    assert fake_rollbar.state.requests[-1]["query"]["level"] == ["critical", "warning"]


def test_items_get_create_and_update(fake_rollbar):
    created = rollbar(
        "items", "create", "--message", "Disk full", "--environment", "staging", "--level", "critical"
    )
    (item,) = fake_rollbar.state.items.values()
    assert fake_rollbar.state.occurrences[0]["data"]["uuid"] == created["uuid"]
    assert rollbar("items", "get", str(item["id"]))["title"] == "Disk full"

    changed = rollbar(
        "items",
        "update",
        str(item["id"]),
        "--status",
        "resolved",
        "--resolved-in-version",
        "3.1",
        "--assigned-user-id",
        "4",
    )
    assert changed == {"status": "resolved", "resolved_in_version": "3.1", "assigned_user_id": 4}
    assert fake_rollbar.state.items[item["id"]]["status"] == "resolved"


def test_items_delete_is_refused_with_the_alternative(fake_rollbar):
    with pytest.raises(CommandError, match=r"cannot delete items.*rollbar items update 7 --status resolved"):
        call_command("rollbar", "items", "delete", "7")
    assert fake_rollbar.state.requests == []


def test_items_errors_are_command_errors(fake_rollbar, settings):
    with pytest.raises(CommandError, match=r"item 404 not found in the Rollbar project\."):
        call_command("rollbar", "items", "get", "404")
    with pytest.raises(CommandError, match="Nothing to update"):
        call_command("rollbar", "items", "update", "1")
    with pytest.raises(CommandError, match="title"):
        call_command("rollbar", "items", "create", "--message", "x", "--title", "t" * 256)
    settings.ROLLBAR_POST_TOKEN = ""
    with pytest.raises(CommandError, match="ROLLBAR_POST_TOKEN is not set"):
        call_command("rollbar", "items", "create", "--message", "x")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("rollbar", "items", "list", "--level", "fatal")


@pytest.mark.django_db
def test_reports_fetch_list_and_clear(fake_rollbar):
    fake_rollbar.state.seed_items([{"title": "hot", "occurrences": 3}], environment="production")
    fetched = rollbar("reports", "fetch", "--hours", "4", "--environment", "production")
    assert fetched["params"] == {"hours": 4, "environments": ["production"]}
    assert fetched["content"][0]["item"]["title"] == "hot"
    listed = rollbar("reports", "list")
    assert [report["id"] for report in listed] == [fetched["id"]]
    assert len(fake_rollbar.state.requests) == 1  # listing read the database only
    assert rollbar("reports", "clear") == {"message": "1 reports cleared."}
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_reports_list_fetches_one_when_none_is_stored(fake_rollbar):
    listed = rollbar("reports", "list")
    assert len(listed) == 1
    assert len(fake_rollbar.state.requests) == 1
    ReportFactory()
    assert len(rollbar("reports", "list")) == 2
    assert len(fake_rollbar.state.requests) == 1


@pytest.mark.django_db
def test_reports_fetch_validates_hours(fake_rollbar):
    with pytest.raises(CommandError, match="between 1 and 168"):
        call_command("rollbar", "reports", "fetch", "--hours", "200")


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("items",),
        ("items", "list"),
        ("items", "get"),
        ("items", "create"),
        ("items", "update"),
        ("items", "delete"),
        ("reports",),
        ("reports", "fetch"),
        ("reports", "list"),
        ("reports", "clear"),
    ],
)
def test_every_level_has_help(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("rollbar", *args, "--help")
    assert exit_.value.code == 0
    usage = capsys.readouterr().out
    first_line = usage.splitlines()[0]
    assert first_line.startswith("usage: ")
    assert f" rollbar {' '.join(args)}".rstrip() + " " in first_line
    assert "-h, --help" in usage


def test_help_from_a_shell():
    result = manage("rollbar", "--help")
    assert result.returncode == 0, result.stderr
    assert "{items,reports}" in result.stdout


def test_from_a_shell_stdout_is_json_only(rollbar_env, fake_rollbar):
    fake_rollbar.state.seed_items(count=3)
    result = manage("rollbar", "items", "list", "--environment", "production", env=rollbar_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["count"] == 3
    for token in TOKENS:
        assert token not in result.stdout + result.stderr


def test_from_a_shell_a_failure_is_a_message_on_stderr_and_exit_1(rollbar_env, fake_rollbar):
    fake_rollbar.state.force(403, f"access token not found: {READ_TOKEN}")
    result = manage("rollbar", "items", "get", "1", env=rollbar_env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Rollbar refused the configured access token ROLLBAR_READ_TOKEN" in result.stderr
    for token in TOKENS:
        assert token not in result.stderr

    unset = manage("rollbar", "items", "list", env={**rollbar_env, "ROLLBAR_READ_TOKEN": ""})
    assert unset.returncode == 1
    assert "ROLLBAR_READ_TOKEN is not set" in unset.stderr

    usage = manage("rollbar", "items", "frobnicate", env=rollbar_env)
    assert usage.returncode == 2
    assert "invalid choice" in usage.stderr
