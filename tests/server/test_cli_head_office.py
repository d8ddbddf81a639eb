"""Head office's ``pos-server`` commands, through the real command line on SQLite and PostgreSQL: import, publish,
card show/topup/correct, campaign list, export, report. Each happy path, and each refusal as ``error: <key>:`` with
a non-zero exit and no traceback; what a command changes reaches the tills by pull."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from tests.server.conftest import make_cards, totals_add_up
from tests.server.harness import CliResult, HttpTill, pos_server

CARDS_CSV = """code,value,gift_balance,campaign,expiration_date
IMP-0001,5000,3000,Imported,2030-12-31
IMP-0002,2000,,Imported,
=HYPERLINK(1),1000,,,
"""


def refused(result: CliResult, key: str) -> None:
    assert result.code == 1, result.out
    assert result.err.startswith(f"error: {key}:"), result.err
    assert "Traceback" not in result.err + result.out


def test_import_writes_every_card_with_its_entries_and_the_tills_pull_them(
        engine: Engine, db_url: str, till: HttpTill, tmp_path: Path) -> None:
    cursor = till.pull_all()["cursor"]
    file = tmp_path / "cards.csv"
    file.write_text(CARDS_CSV, encoding="utf-8")
    done = pos_server(db_url, "import", str(file), "--json").json()
    assert (done["cards"], done["entries"], done["campaigns_created"]) == (3, 4, 1)

    page = till.pull_all(cursor)
    by_code = {c["code"]: c for c in page["cards"].values()}
    assert (by_code["IMP-0001"]["balance"], by_code["IMP-0001"]["loaded"], by_code["IMP-0001"]["status"]) == \
        (3000, 5000, "active")
    assert by_code["IMP-0002"]["balance"] == 2000 and "=HYPERLINK(1)" in by_code
    assert len(page["entries"]) == 4 and {e["device_id"] for e in page["entries"]} == {"server"}
    assert {e["status"] for e in page["entries"]} == {"confirmed"}
    (campaign,) = [c for c in pos_server(db_url, "campaign", "list", "--json").json() if c["name"] == "Imported"]
    assert campaign["vouchers_count"] == 2 and by_code["IMP-0001"]["campaign_id"] == campaign["id"]
    totals_add_up(engine)


def test_import_is_all_or_nothing_and_names_the_line(engine: Engine, db_url: str, tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text("code,value\nOK-0001,5000\nBAD-0002,12.50\n", encoding="utf-8")
    result = pos_server(db_url, "import", str(file), check=False)
    refused(result, "invalid_import")
    assert "line 3: invalid_amount" in result.err
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cards")).scalar_one() == 0
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps([{"code": "J-1", "gift": {"amount": 100}}]), encoding="utf-8")
    assert pos_server(db_url, "import", str(twice), "--json").json()["cards"] == 1
    refused(again := pos_server(db_url, "import", str(twice), check=False), "invalid_import")
    assert "item 1: duplicate_found" in again.err


def test_import_reads_files_as_the_till_does_refusing_other_encodings_by_line(
        engine: Engine, db_url: str, tmp_path: Path) -> None:
    """The server's import shares the till's parser: latin-1 and huge numbers are refused by line, not with
    ``internal_error``; UTF-16 with its byte-order mark is read."""
    (latin := tmp_path / "latin.csv").write_bytes("code,value\nOK-1,100\ncafé,200\n".encode("latin-1"))
    refused(result := pos_server(db_url, "import", str(latin), check=False), "invalid_import")
    assert "line 3: invalid_payload: byte 24 of the file (E9) is not UTF-8" in result.err
    (huge := tmp_path / "huge.json").write_bytes(b'[{"code": "H-1", "gift": {"amount": ' + b"9" * 5000 + b"}}]")
    refused(result := pos_server(db_url, "import", str(huge), check=False), "invalid_import")
    assert "line 1: invalid_payload: a number of 5,000 digits" in result.err
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cards")).scalar_one() == 0
    (wide := tmp_path / "wide.csv").write_bytes("code,value\nÜ-1,100\n".encode("utf-16"))
    assert pos_server(db_url, "import", str(wide), "--json").json()["cards"] == 1


def test_top_up_and_correct_are_decided_by_the_card_rules_and_reach_the_tills(
        db_url: str, engine: Engine, till: HttpTill, card: dict[str, Any]) -> None:
    cursor = till.pull_all()["cursor"]
    topped = pos_server(db_url, "card", "topup", card["code"], "20.00", "--reason", "paid cash", "--json").json()
    assert (topped["amount"], topped["balance_after"], topped["type"]) == (2000, 7000, "CREDITS_ADDITION")
    assert (topped["device_id"], topped["status"], topped["reason"]) == ("server", "confirmed", "paid cash")
    down = pos_server(db_url, "card", "correct", card["code"], "-5.00", "--reason", "typo", "--json").json()
    assert (down["amount"], down["balance_after"], down["type"]) == (-500, 6500, "CREDITS_REMOVAL")
    assert "Corrected by" in pos_server(db_url, "card", "correct", card["code"], "+1.00", "--reason", "back").out

    page = till.pull_all(cursor)
    assert page["cards"][card["id"]]["balance"] == 6600
    assert {e["id"] for e in page["entries"]} >= {topped["id"], down["id"]}
    shown = pos_server(db_url, "card", "show", card["code"], "--json").json()
    assert (shown["balance"], shown["loaded"]) == (6600, 6600)  # a correction down unloads
    assert [e["amount"] for e in shown["entries"]][:3] == [100, -500, 2000]  # newest first, every till's
    assert shown["entries"][-1]["device_id"] == till.device_id  # the sale, at the till
    assert "Recent entries" in pos_server(db_url, "card", "show", card["code"].lower()).out
    totals_add_up(engine)


def test_value_changes_are_refused_by_the_card_rules(db_url: str, engine: Engine, till: HttpTill,
                                                     card: dict[str, Any]) -> None:
    (unsold,) = make_cards(engine, till, 1)
    refused(pos_server(db_url, "card", "topup", unsold["code"], "20.00", "--reason", "x", check=False),
            "voucher_not_active")
    refused(pos_server(db_url, "card", "correct", card["code"], "-60.00", "--reason", "x", check=False),
            "gift_amount_exceeded")
    refused(pos_server(db_url, "card", "topup", card["code"], "12.345", "--reason", "x", check=False),
            "invalid_amount")
    refused(pos_server(db_url, "card", "show", "NO-SUCH-CARD", check=False), "not_found")
    pos_server(db_url, "card", "disable", card["code"])
    refused(pos_server(db_url, "card", "topup", card["code"], "5.00", "--reason", "x", check=False),
            "voucher_disabled")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entries WHERE origin = 'server'")).scalar_one() == 0


def test_publish_gives_a_card_to_one_customer(db_url: str, till: HttpTill, card: dict[str, Any]) -> None:
    cursor = till.pull_all()["cursor"]
    given = pos_server(db_url, "publish", card["code"], "--customer", "crm-42", "--name", "Ann", "--json").json()
    assert given["voucher"]["customer_id"] == given["customer_id"]
    again = pos_server(db_url, "publish", card["code"], "--customer", "crm-42", "--json").json()
    assert again["customer_id"] == given["customer_id"]  # the same customer: nothing to change
    refused(pos_server(db_url, "publish", card["code"], "--customer", "crm-43", check=False),
            "voucher_already_published")
    assert till.pull_all(cursor)["cards"][card["id"]]["customer_id"] == given["customer_id"]


def test_exports_are_the_tills_columns_with_formulas_escaped(db_url: str, card: dict[str, Any],
                                                             till: HttpTill, tmp_path: Path) -> None:
    file = tmp_path / "cards.csv"
    file.write_text(CARDS_CSV, encoding="utf-8")
    pos_server(db_url, "import", str(file))
    assert till.authorise("redeem", card["code"], 1234).json()["result"] == "SUCCESS"
    out = tmp_path / "vouchers.csv"
    assert pos_server(db_url, "export", "vouchers", "--out", str(out), "--json").json()["rows"] == 4
    assert not (tmp_path / "vouchers.csv.part").exists()
    vouchers = {row["code"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert "'=HYPERLINK(1)" in vouchers and vouchers["IMP-0001"]["gift_balance"] == "3000"
    assert vouchers[card["code"]]["gift_balance"] == str(5000 - 1234)
    transactions = list(csv.DictReader(io.StringIO(
        pos_server(db_url, "export", "transactions", "--out", "-").out)))
    assert [int(t["amount"]) for t in transactions if t["voucher_code"] == card["code"]
                       and t["type"] == "CREDITS_REDEMPTION"] == [-1234]  # a negative number stays a number
    redemptions = list(csv.DictReader(io.StringIO(pos_server(db_url, "export", "redemptions", "--out", "-").out)))
    assert {(r["voucher_code"], r["amount"], r["device_id"]) for r in redemptions} >= {
        (card["code"], "1234", till.device_id)}
    refused(pos_server(db_url, "export", "vouchers", "--out", str(tmp_path / "no" / "x.csv"), check=False),
            "invalid_payload")


def test_reports_per_campaign_per_day_and_per_till(db_url: str, till: HttpTill, till2: HttpTill,
                                                   card: dict[str, Any], tmp_path: Path) -> None:
    (imported := tmp_path / "used.csv").write_text("code,value,gift_balance\nUSED-1,5000,1000\n")
    pos_server(db_url, "import", str(imported))  # its balance used elsewhere is no redemption of these tills
    assert till.authorise("redeem", card["code"], 1000).json()["result"] == "SUCCESS"
    assert till2.authorise("redeem", card["code"], 500).json()["result"] == "SUCCESS"
    liability = pos_server(db_url, "report", "liability", "--json").json()
    assert liability["balanced"] and liability["totals"][0]["outstanding"] == 3500 + 1000
    assert "Ledger adds up." in pos_server(db_url, "report", "liability").out
    report = pos_server(db_url, "report", "redemptions", "--utc-offset", "0", "--json").json()
    per_till = {row["device_id"]: (row["count"], row["redeemed"]) for row in report["per_till"]}
    assert per_till == {till.device_id: (1, 1000), till2.device_id: (1, 500)}
    assert [(t["count"], t["redeemed"]) for t in report["totals"]] == [(2, 1500)]
    assert sum(day["redeemed"] for day in report["per_day"]) == 1500 and len(report["per_day"]) == 31
    shown = pos_server(db_url, "report", "redemptions").out
    assert "till 1" in shown and "till 2" in shown  # tills by name
    refused(pos_server(db_url, "report", "redemptions", "--since", "2026-02-01", "--until", "2026-01-01",
                       check=False), "invalid_payload")
