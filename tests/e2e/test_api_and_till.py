"""A real enrolled till (the ``pos-app`` command line, through a real HTTP hop it can lose) and a web shop on the
Voucherify-compatible API (the official SDK) redeem the same card, online and with the till offline; after the
till syncs, the till's ledger and the server's agree entry by entry and card by card, and the API, the till and
the server's command line show the same balance. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import voucherify
from voucherify.exceptions import BadRequestException

from tests.e2e.conftest import CASHIER_PIN, Shop
from tests.e2e.ledgers import assert_agree, set_up
from tests.e2e.lossy_proxy import LossyProxy
from tests.server.harness import pos_server, running_server


def _redeem(client: voucherify.ApiClient, code: str, credits: int) -> voucherify.Redemption:
    answer = voucherify.RedemptionsApi(client).redeem_stacked_discounts(voucherify.RedemptionsRedeemRequestBody(
        redeemables=[voucherify.RedemptionsRedeemRequestBodyRedeemablesItem(
            object="voucher", id=code, gift=voucherify.RedemptionsRedeemRequestBodyRedeemablesItemGift(
                credits=credits))]))
    return answer.redemptions[0]


@pytest.mark.slow
def test_a_till_and_the_api_on_one_card_online_and_offline(server_db: str, tmp_path: Path) -> None:
    till = Shop(tmp_path / "till")
    with running_server(server_db) as server, LossyProxy(server.url) as net:
        code, = set_up(server_db, (till, net.url), amount="50.00", count=1)
        key = pos_server(server_db, "api-key", "create", "--name", "web shop", "--json").json()
        shop = voucherify.ApiClient(voucherify.Configuration(
            host=server.url, api_key={"X-App-Id": key["app_id"], "X-App-Token": key["app_token"]}))
        vouchers = voucherify.VouchersApi(shop)
        till.ok("sell", code)

        # online: each sees the other's redemption at once (the API) or at its next pull (the till)
        paid = till.ok("redeem", code, "10.00", "--json", pin=CASHIER_PIN).json()
        assert paid["status"] == "confirmed" and paid["remaining_balance"] == 4000
        assert vouchers.get_voucher(code).gift.balance == 4000
        web = _redeem(shop, code, 500)
        assert web.voucher.gift.balance == 3500
        till.ok("sync", "--once")
        assert till.ok("card", "show", code, "--json").json()["balance"] == 3500
        listed = voucherify.RedemptionsApi(shop).get_voucher_redemptions(code).redemption_entries
        assert [r.amount for r in listed] == [500, 1000]  # the till's redemption is one of the API's too

        # the till goes offline and stands in for the server; the web shop carries on meanwhile
        net.down()
        offline = till.ok("redeem", code, "20.00", "--json", pin=CASHIER_PIN).json()
        assert offline["status"] == "provisional"
        _redeem(shop, code, 700)
        voucherify.RedemptionsApi(shop).rollback_redemption(web.id, reason="returned")
        with pytest.raises(BadRequestException) as over:  # the server does not know of the till's 20.00 yet
            _redeem(shop, code, 3301)
        assert json.loads(over.value.body)["key"] == "gift_amount_exceeded"
        assert vouchers.get_voucher(code).gift.balance == 3500 - 700 + 500

        net.up()
        for _ in range(2):
            till.ok("sync", "--once")
        expected = 5000 - 1000 - 500 - 2000 - 700 + 500
        assert vouchers.get_voucher(code).gift.balance == expected
        assert till.ok("card", "show", code, "--json").json()["balance"] == expected
        assert pos_server(server_db, "card", "show", code, "--json").json()["balance"] == expected
        entries = assert_agree(server_db, till.data_dir)
        assert entries[offline["id"]][1:4] == ("CREDITS_REDEMPTION", -2000, "SUCCESS")
        kinds = sorted((kind, amount, result) for _card, kind, amount, result, *_ in entries.values())
        assert kinds.count(("CREDITS_REDEMPTION", -3301, "FAILURE")) == 1  # the API's refused attempt, pulled too
        assert ("CREDITS_REFUND", 500, "SUCCESS") in kinds
        status = till.ok("status", "--json").json()
        assert (status["mode"], status["unsynced"]) == ("online", 0)
