"""``pos-app card extend`` and ``card set``: a manager changes a card's terms with a reason; ``card show`` lists
the changes; a cashier may not; nothing of the ledger moves."""

from __future__ import annotations

import csv
import io

from tests.e2e.conftest import CASHIER_PIN, Shop


def test_a_manager_extends_a_card_and_changes_its_category_and_metadata(shop: Shop) -> None:
    shop.ok("campaign", "create", "--name", "Terms", "--amount", "20.00", "--count", "1", "--expires", "2030-01-31")
    (row,) = [r for r in csv.DictReader(io.StringIO(shop.ok("export", "vouchers", "--out", "-").out))
              if r["campaign"] == "Terms"]
    code = row["code"]
    shop.ok("sell", code)
    before = shop.ok("card", "show", code, "--json").json()

    extended = shop.ok("card", "extend", code, "--expires", "2030-06-30", "--reason", "shop closed in January",
                       "--json").json()
    assert extended["object"] == "card_change" and extended["reason"] == "shop closed in January"
    assert [c["field"] for c in extended["changes"]] == ["expiration_date"]
    assert extended["expiration_date"] > before["expiration_date"]

    shown = shop.ok("card", "set", code, "--category", "staff", "--metadata", "owner=Ann", "--metadata",
                    "batch=7", "--reason", "given to staff")
    assert "category: — → staff" in shown.out and "given to staff" in shown.out

    after = shop.ok("card", "show", code, "--json").json()
    assert (after["category"], after["metadata"]) == ("staff", {"owner": "Ann", "batch": "7"})
    assert [c["reason"] for c in after["changes"]] == ["given to staff", "shop closed in January"]
    assert after["balance"] == before["balance"] and len(after["entries"]) == len(before["entries"])
    assert "Changes of its terms" in shop.ok("card", "show", code).out

    removed = shop.ok("card", "set", code, "--metadata", "batch=", "--reason", "batch no longer used",
                      "--json").json()
    assert removed["metadata"] == {"owner": "Ann"}

    for args, key in ((["extend", code, "--expires", "2030-03-01", "--reason", "r"], "invalid_payload"),
                      (["set", code, "--category", "staff", "--reason", "r"], "invalid_payload"),
                      (["set", code, "--category", "x", "--reason", " "], "invalid_payload")):
        refused = shop.run("card", *args)
        assert refused.code == 1 and key in refused.err and "Traceback" not in refused.err, args
    cashier = shop.run("card", "set", code, "--category", "mine", "--reason", "r", pin=CASHIER_PIN)
    assert cashier.code == 1 and "forbidden" in cashier.err
    assert shop.ok("card", "show", code, "--json", pin=CASHIER_PIN).json()["changes"] == []  # a manager's
    assert shop.run("card", "set", code, "--metadata", "novalue", "--reason", "r").code == 2  # bad usage
