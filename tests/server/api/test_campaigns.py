"""``/v1/campaigns`` through the official SDK: codes made from a code config, sold with their value and usable at
once, large counts made in the background, cards added, transactions paged, and the refusals."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import voucherify
from voucherify.exceptions import BadRequestException, NotFoundException

from tests.server.api.conftest import ApiServer
from tests.server.harness import HttpTill, add_user, enrol_code, pos_server, running_server


def _campaigns(api: ApiServer) -> voucherify.CampaignsApi:
    return voucherify.CampaignsApi(api.client())


def _body(name: str, count: int, amount: int = 2500, **config: object) -> voucherify.CampaignsCreateRequestBody:
    return voucherify.CampaignsCreateRequestBody(
        name=name, campaign_type="GIFT_VOUCHERS", type="AUTO_UPDATE", vouchers_count=count,
        voucher=voucherify.CampaignsCreateRequestBodyVoucher(
            type="GIFT_VOUCHER", gift=voucherify.Gift(amount=amount, effect="APPLY_TO_ORDER"),
            code_config=voucherify.CodeConfig(**config) if config else None,
            redemption=voucherify.CampaignsCreateRequestBodyVoucherRedemption(quantity=3)),
        category="winter")


def _codes(api: ApiServer, campaign_id: str) -> list[dict[str, object]]:
    out = pos_server(api.db_url, "export", "vouchers", "--out", "-", check=False)
    assert out.code == 0, out.err
    lines = out.out.splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    name = next(c["name"] for c in pos_server(api.db_url, "campaign", "list", "--json").json()
                if c["id"] == campaign_id)
    return [r for r in rows if r["campaign"] == name]


def _name() -> str:
    return f"winter {time.time_ns()}"


def test_a_campaign_is_made_with_its_code_config_and_its_cards_are_usable_at_once(api: ApiServer) -> None:
    made = _campaigns(api).create_campaign(_body(_name(), 5, prefix="WIN-", postfix="-26", length=10,
                                                 charset="ABCDEFGHJKMNPQRSTUVWXYZ"))
    assert made.vouchers_count == 5 and made.vouchers_generation_status == "DONE"
    assert made.campaign_type == "GIFT_VOUCHERS" and made.voucher.gift.amount == 2500
    assert made.voucher.code_config.prefix == "WIN-" and made.category == "winter"
    got = _campaigns(api).get_campaign(made.id)
    assert got.id == made.id and got.vouchers_count == 5
    assert _campaigns(api).get_campaign(made.name).id == made.id  # by its name too
    rows = _codes(api, made.id)
    assert len(rows) == 5
    for row in rows:
        assert re.fullmatch(r"WIN-[A-HJKMNP-Z]{10}-26", str(row["code"])), row["code"]
        assert row["gift_balance"] == "2500" and row["active"] == "true"
    card = pos_server(api.db_url, "card", "show", str(rows[0]["code"]), "--json").json()
    assert card["status"] == "active" and card["balance"] == 2500
    assert [(e["type"], e["amount"], e["reason"]) for e in card["entries"]] == [
        ("CREDITS_ADDITION", 2500, "campaign")]
    voucher = api.vouchers.get_voucher(str(rows[0]["code"]))
    assert voucher.gift.balance == 2500 and voucher.campaign_id == made.id and voucher.redemption.quantity == 3


@pytest.mark.parametrize("config", [
    {"length": 4, "charset": "AB"},  # guessable: too few random bits
    {"pattern": "GC-NOHASH"},
    {"length": 12, "charset": "AAB"},
])
def test_a_bad_code_config_is_refused_and_nothing_is_made(api: ApiServer, config: dict[str, object]) -> None:
    name = _name()
    with pytest.raises(BadRequestException) as refused:
        _campaigns(api).create_campaign(_body(name, 3, **config))
    assert json.loads(refused.value.body)["key"] == "invalid_code_config"
    with pytest.raises(NotFoundException):
        _campaigns(api).get_campaign(name)


def test_more_than_a_request_may_make_is_refused(api: ApiServer) -> None:
    name = _name()
    with pytest.raises(BadRequestException) as refused:
        _campaigns(api).create_campaign(_body(name, 100_001))
    assert json.loads(refused.value.body)["key"] == "invalid_payload"
    with pytest.raises(NotFoundException):
        _campaigns(api).get_campaign(name)


def test_unknown_campaigns_are_not_found(api: ApiServer) -> None:
    for call in (lambda c: c.get_campaign("camp_nothing"), lambda c: c.add_vouchers_to_campaign("camp_nothing", 2),
                 lambda c: c.list_campaign_transactions("camp_nothing")):
        with pytest.raises(NotFoundException) as missing:
            call(_campaigns(api))
        assert json.loads(missing.value.body)["key"] == "not_found"


def test_vouchers_added_to_a_campaign_one_at_once_and_many_as_an_async_action(api: ApiServer) -> None:
    made = _campaigns(api).create_campaign(_body(_name(), 2, amount=1000))
    one = _campaigns(api).add_vouchers_to_campaign(made.id, 1)
    assert one.code and one.gift.balance == 1000 and one.campaign_id == made.id
    many = _campaigns(api).add_vouchers_to_campaign(made.id, 40)
    action = voucherify.AsyncActionsApi(api.client()).get_async_action(many.async_action_id)
    assert action.status == "DONE" and action.type == "CAMPAIGN.VOUCHERS_GENERATION"
    assert _campaigns(api).get_campaign(made.id).vouchers_count == 43
    assert len(_codes(api, made.id)) == 43


def test_a_large_campaign_is_made_in_the_background_and_polled_to_done(api: ApiServer) -> None:
    made = _campaigns(api).create_campaign(_body(_name(), 20_000, amount=500))
    assert made.vouchers_generation_status == "IN_PROGRESS"
    deadline = time.monotonic() + 300
    while (got := _campaigns(api).get_campaign(made.id)).vouchers_generation_status == "IN_PROGRESS":
        assert time.monotonic() < deadline, f"still generating: {got.vouchers_count}"
        time.sleep(0.5)
    assert got.vouchers_generation_status == "DONE" and got.vouchers_count == 20_000
    rows = _codes(api, made.id)
    assert len(rows) == 20_000 and len({r["code"] for r in rows}) == 20_000
    assert {r["gift_balance"] for r in rows} == {"500"}
    liability = pos_server(api.db_url, "card", "show", str(rows[-1]["code"]), "--json").json()
    assert liability["balance"] == 500


def test_a_till_pulls_the_api_campaigns_cards_with_their_value(api: ApiServer) -> None:
    made = _campaigns(api).create_campaign(_body(_name(), 3, amount=700))
    codes = {str(r["code"]) for r in _codes(api, made.id)}
    with HttpTill.enrol(api.url, enrol_code(api.db_url), "till") as till:
        pulled = till.pull_all()
    cards = {c["code"]: c for c in pulled["cards"].values() if c["code"] in codes}
    assert set(cards) == codes and all(c["balance"] == 700 and c["status"] == "active" for c in cards.values())
    loaded = [e for e in pulled["entries"] if e["code"] in codes]
    assert sorted(e["amount"] for e in loaded) == [700, 700, 700]


def test_campaign_transactions_are_paged_by_cursor(api: ApiServer) -> None:
    made = _campaigns(api).create_campaign(_body(_name(), 5, amount=300))
    first = _campaigns(api).list_campaign_transactions(made.id, limit=2, order="id")
    assert len(first.data) == 2 and first.has_more is True
    seen = [t.id for t in first.data]
    after = first.more_starting_after
    while after:
        page = _campaigns(api).list_campaign_transactions(made.id, limit=2, order="id",
                                                          starting_after_id=after)
        seen += [t.id for t in page.data]
        after = page.more_starting_after if page.has_more else None
    assert len(seen) == len(set(seen)) == 5
    one = first.data[0]
    assert one.type == "CREDITS_ADDITION" and one.details.balance.amount == 300
    assert one.details.balance.balance == 300 and one.campaign_id == made.id


def test_a_generation_cut_off_by_a_killed_server_is_resumed_to_the_exact_count(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server process making a campaign's cards is killed mid-way: the batches it committed stay whole, the
    campaign says IN_PROGRESS, and once its owner has gone quiet the next server that is asked takes it over and
    makes exactly the cards still missing."""
    monkeypatch.setenv("POS_SERVER_JOB_STALE", "2")
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    with running_server(db_url) as first:
        key = pos_server(db_url, "api-key", "create", "--name", "crash", "--json").json()
        api = ApiServer(process=first, db_url=db_url, app_id=key["app_id"], app_token=key["app_token"])
        made = _campaigns(api).create_campaign(_body(_name(), 20_000, amount=500))
        deadline = time.monotonic() + 120
        while (count := _campaigns(api).get_campaign(made.id).vouchers_count or 0) < 2_000:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        first.process.kill()
        first.process.wait()
    assert count < 20_000, "the generation ended before the kill: make it larger"
    with running_server(db_url) as second:
        api = ApiServer(process=second, db_url=db_url, app_id=key["app_id"], app_token=key["app_token"])
        cut = _campaigns(api).get_campaign(made.id)
        assert cut.vouchers_generation_status == "IN_PROGRESS" and cut.vouchers_count % 2_000 == 0  # whole batches
        deadline = time.monotonic() + 300
        while (got := _campaigns(api).get_campaign(made.id)).vouchers_generation_status == "IN_PROGRESS":
            assert time.monotonic() < deadline, f"not resumed: {got.vouchers_count}"
            time.sleep(0.5)
        assert got.vouchers_generation_status == "DONE" and got.vouchers_count == 20_000
        rows = _codes(api, made.id)
        assert len(rows) == 20_000 and len({r["code"] for r in rows}) == 20_000
        assert {r["gift_balance"] for r in rows} == {"500"}


def test_a_head_office_campaign_keeps_its_cards_inactive_until_sold(api: ApiServer) -> None:
    """``pos-server campaign create`` cards are the shop's stock: the API shows them with nothing loaded, and
    cards added to such a campaign through the API are stock too."""
    name = _name()
    made = pos_server(api.db_url, "campaign", "create", "--name", name, "--amount", "10.00", "--count", "2",
                      "--json").json()
    got = _campaigns(api).get_campaign(name)
    assert got.id == made["id"] and got.vouchers_count == 2 and got.vouchers_generation_status == "DONE"
    added = _campaigns(api).add_vouchers_to_campaign(made["id"], 1)
    assert added.gift.amount == 0 and added.gift.balance == 0
    assert pos_server(api.db_url, "card", "show", added.code, "--json").json()["status"] == "inactive"
    assert _campaigns(api).get_campaign(name).vouchers_count == 3


def test_a_disabled_campaign_s_cards_are_refused_by_the_api_and_by_tills_until_it_is_enabled(
        api: ApiServer) -> None:
    made = _campaigns(api).create_campaign(_body(_name(), 2, amount=900))
    code = str(_codes(api, made.id)[0]["code"])
    headers = {"X-App-Id": api.app_id, "X-App-Token": api.app_token}
    url = f"{api.url}/v1/vouchers/{quote(code, safe='')}/redemption"
    manager = add_user(api.db_url, f"Boss {time.time_ns()}", "manager", "9876")["id"]
    assert _campaigns(api).disable_campaign(made.id) is not None
    assert _campaigns(api).get_campaign(made.id).active is False
    refused = httpx.post(url, json={"order": {"amount": 100}}, headers=headers, timeout=10)
    assert refused.status_code == 400 and refused.json()["key"] == "voucher_disabled"
    with HttpTill.enrol(api.url, enrol_code(api.db_url), "till", operator_id=manager) as till:
        pulled = till.pull_all()
        assert pulled["campaigns"][made.id]["active"] is False  # tills learn it, and refuse offline alike
        answer = till.authorise("redeem", code, 100).json()
        assert answer["result"] == "FAILURE" and answer["error"]["key"] == "voucher_disabled"
        _campaigns(api).enable_campaign(made.name)  # by its name too
        assert till.authorise("redeem", code, 100).json()["result"] == "SUCCESS"
    assert httpx.post(url, json={"order": {"amount": 100}}, headers=headers, timeout=10).status_code == 200
    assert api.vouchers.get_voucher(code).gift.balance == 700
