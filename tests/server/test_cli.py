"""The ``pos-server`` command line, in process (click's runner) on both databases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from pos_app.server.cli import main
from pos_app.server.db.migrate import HEAD_REVISION
from pos_app.services.setup import host_zone_name


def run(db_url: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [*args, "--db", db_url], env=env)


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_init_sets_up_the_store_and_can_run_again(db_url: str) -> None:
    first = as_json(run(db_url, "init", "--store-name", "Chain", "--currency", "EUR", "--json"))
    assert first["revision"] == HEAD_REVISION
    assert first["store"] == {"name": "Chain", "currency": "EUR", "locale": "en_US",
                              "time_zone": host_zone_name()}
    again = as_json(run(db_url, "init", "--json"))
    assert again["store"]["name"] == "Chain"
    changed = run(db_url, "init", "--currency", "USD")
    assert changed.exit_code == 1
    assert "error: currency_mismatch:" in changed.output


def test_users_are_added_and_listed(engine: Engine, db_url: str) -> None:
    added = as_json(run(db_url, "user", "add", "Ann", "--role", "manager", "--pin", "9876", "--json"))
    assert added["id"].startswith("u_") and (added["name"], added["role"]) == ("Ann", "manager")
    listed = as_json(run(db_url, "user", "list", "--json"))
    assert [u["name"] for u in listed] == ["Ann", "Carl", "Mia"]  # with the test server's two people
    twice = run(db_url, "user", "add", "Ann", "--role", "cashier", "--pin", "1234")
    assert twice.exit_code == 1
    assert twice.output.strip() == "error: duplicate_found: a user named 'Ann' exists already"
    short_pin = run(db_url, "user", "add", "Bob", "--role", "cashier", "--pin", "12")
    assert (short_pin.exit_code, short_pin.output.split(":")[1].strip()) == (1, "invalid_payload")


def test_enrol_codes_devices_and_revocation(engine: Engine, db_url: str) -> None:
    made = as_json(run(db_url, "device", "enrol-code", "--json"))
    assert len(made["code"]) == 14 and made["id"].startswith("enc_") and made["expires_at"]
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT code_hash FROM enrol_codes")).scalar_one()
    assert made["code"] not in stored  # only its hash is kept
    assert as_json(run(db_url, "device", "list", "--json")) == []
    missing = run(db_url, "device", "revoke", "dev_nope")
    assert missing.exit_code == 1 and "error: not_found:" in missing.output


def test_limits_are_typed_in_major_units_and_shown_in_minor(engine: Engine, db_url: str) -> None:
    shown = as_json(run(db_url, "limits", "show", "--json"))
    assert (shown["per_redemption"], shown["per_device_unsynced"]) == (10_000, 50_000)
    changed = as_json(run(db_url, "limits", "set", "--per-redemption", "75.50", "--per-device-unsynced", "300",
                          "--max-card-age-hours", "48", "--json"))
    assert (changed["per_redemption"], changed["per_device_unsynced"]) == (7550, 30_000)
    assert (changed["max_offline_seconds"], changed["max_card_age_seconds"]) == (86_400, 48 * 3600)
    assert "75.50 EUR" in run(db_url, "limits", "show").output
    bad = run(db_url, "limits", "set", "--per-redemption", "1,000.00")
    assert bad.exit_code == 1 and "error: invalid_amount:" in bad.output


def test_campaign_create_makes_inactive_cards_and_logs_each(engine: Engine, db_url: str) -> None:
    made = as_json(run(db_url, "campaign", "create", "--name", "Spring", "--amount", "25.00", "--count", "30",
                       "--expires", "2099-12-31", "--json"))
    assert (made["vouchers_count"], made["amount"], made["currency"]) == (30, 2500, "EUR")
    with engine.connect() as conn:
        cards = conn.execute(text("SELECT count(*), min(status), max(status), sum(balance) FROM cards "
                                  "WHERE campaign_id = :c"), {"c": made["id"]}).one()
        logged = conn.execute(text("SELECT count(*) FROM changes WHERE kind = 'card'")).scalar_one()
    assert tuple(cards) == (30, "inactive", "inactive", 0)
    assert logged == 30
    twice = run(db_url, "campaign", "create", "--name", "Spring", "--amount", "25.00", "--count", "1")
    assert twice.exit_code == 1 and "error: duplicate_found:" in twice.output
    bad = run(db_url, "campaign", "create", "--name", "Bad", "--amount", "25.001", "--count", "1")
    assert bad.exit_code == 1 and "error: invalid_amount:" in bad.output


def test_the_database_comes_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    runner = CliRunner()
    assert runner.invoke(main, ["init"], env={"POS_SERVER_DB": url}).exit_code == 0
    assert runner.invoke(main, ["user", "add", "Ann", "--role", "manager", "--pin", "9876"],
                         env={"POS_SERVER_DB": url}).exit_code == 0
    assert (tmp_path / "env.sqlite3").exists()


@pytest.mark.parametrize("args", [["user", "list"], ["limits", "show"], ["conflicts"], ["device", "enrol-code"]])
def test_commands_on_a_database_never_initialised_refuse(tmp_path: Path, args: list[str]) -> None:
    result = run(f"sqlite:///{tmp_path / 'none.sqlite3'}", *args)
    assert result.exit_code == 1
    assert result.output.startswith("error: not_initialised:")
    assert "Traceback" not in result.output
    assert not (tmp_path / "none.sqlite3").exists()


def test_an_unreachable_database_is_a_refusal(tmp_path: Path) -> None:
    result = run("postgresql+psycopg://nobody:x@127.0.0.1:1/none", "user", "list")
    assert result.exit_code == 1
    assert result.output.startswith("error: database_unavailable:")
    bad_url = run("mysql://x@localhost/y", "init")
    assert bad_url.exit_code == 1 and bad_url.output.startswith("error: invalid_payload:")
