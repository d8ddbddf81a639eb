"""Refunds of several returned items, on the real server process over real HTTP: a redemption is refunded in parts,
online and pushed from a till that was offline, and its refunds together never give back more than it took."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.server.harness import HttpTill, add_user, enrol_codes, pos_server, running_server


def _answer(response: Any) -> tuple[str, str | None, int | None]:
    body = response.json()
    assert response.status_code == 200, body
    return body["result"], (body["error"] or {}).get("key"), (body["entry"] or {}).get("amount")


@pytest.mark.slow
def test_a_redemption_is_refunded_in_parts_online_and_pushed_never_beyond_it(db_url: str) -> None:
    with running_server(db_url) as server:
        manager = add_user(db_url, "Ann", "manager", "9876")["id"]
        online_code, offline_code = enrol_codes(db_url, 2)
        with HttpTill.enrol(server.url, online_code, "till 1", operator_id=manager) as online, \
                HttpTill.enrol(server.url, offline_code, "till 2", operator_id=manager) as offline:
            pos_server(db_url, "campaign", "create", "--name", "Parts", "--amount", "50.00", "--count", "1")
            (card,) = online.pull_all()["cards"].values()
            assert online.authorise("sell", card["code"]).json()["result"] == "SUCCESS"
            paid = online.authorise("redeem", card["code"], 3000).json()["entry"]  # 30.00 of 50.00

            def refund(amount: int | None) -> tuple[str, str | None, int | None]:
                return _answer(online.authorise("refund", card["code"], amount, refund_of=paid["id"]))

            assert refund(1000) == ("SUCCESS", None, 1000)  # one item back
            assert refund(500) == ("SUCCESS", None, 500)  # another
            assert refund(1501) == ("FAILURE", "gift_amount_exceeded", 1501)  # 15.00 is left, not 15.01

            # Till 2 was offline and refunds two more items of the same redemption: the first fits, the second not.
            state = offline.pull_all()["cards"][card["id"]]
            fits = offline.offline_entry(state, "CREDITS_REFUND", 1000, refund_of=paid["id"])
            beyond = offline.offline_entry(state, "CREDITS_REFUND", 1000, refund_of=paid["id"])
            pushed = offline.push([fits, beyond]).json()["results"]
            assert [r["outcome"] for r in pushed] == ["stored", "rejected"]
            assert pushed[1]["error"]["key"] == "gift_amount_exceeded"  # 5.00 was left of it then

            assert refund(None) == ("SUCCESS", None, 500)  # all that is left
            assert refund(None) == ("FAILURE", "already_rolled_back", 0)
            last = offline.offline_entry(state, "CREDITS_REFUND", 100, refund_of=paid["id"])
            (late,) = offline.push([last]).json()["results"]
            assert (late["outcome"], late["error"]["key"]) == ("rejected", "already_rolled_back")

            final = online.pull_all()
            refunds = [e for e in final["entries"] if e["kind"] == "CREDITS_REFUND" and e["result"] == "SUCCESS"]
            assert sorted(e["amount"] for e in refunds) == [500, 500, 1000, 1000]
            after = final["cards"][card["id"]]
            assert (after["balance"], after["redeemed"], after["refunded"]) == (5000, 3000, 3000)
        exported = pos_server(db_url, "export", "redemptions", "--out", "-").out
        (row,) = [r for r in csv.DictReader(io.StringIO(exported)) if r["id"] == paid["id"]]
        assert (row["status"], row["refunded_amount"]) == ("ROLLED_BACK", "3000")  # one line, its refunds summed
