"""Campaigns: N new cards from a code config, with progress, all unsold and worth the campaign's value."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from pos_app.domain.cards import CardStatus
from pos_app.domain.codes import CodeConfig, verify_readable
from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import Money
from pos_app.services import campaigns, cards
from pos_app.services.campaigns import CreateCampaign, create_campaign
from tests.unit.conftest import Store


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def refused(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(GiftCardError) as caught:
        call(*args, **kwargs)
    return caught.value.key


def test_a_campaign_makes_n_unsold_cards_with_unique_readable_codes_and_reports_progress(store: Store) -> None:
    calls: list[tuple[int, int]] = []
    campaign = create_campaign(
        store.uow, store.manager, CreateCampaign(name="Summer 2025", amount=eur(2500), count=250),
        progress=lambda done, total: calls.append((done, total)), batch_size=100,
    )
    assert calls[0] == (0, 250) and calls[-1] == (250, 250)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {250}
    assert len(calls) >= 4  # progress while it works, not just at the end

    made = list(store.uow.cards.iter_all(campaign.id))
    codes = [c.code for c in made]
    assert len(codes) == len(set(codes)) == 250
    assert all(verify_readable(code) == code for code in codes)
    assert {(c.status, c.initial_amount, c.balance, c.loaded, c.currency) for c in made} == {
        (CardStatus.INACTIVE, 2500, 0, 0, "EUR")}
    stored = store.uow.campaigns.get(campaign.id)
    assert stored is not None and stored.vouchers_count == 250 and stored.amount == 2500
    assert store.entries() == 0  # nothing is loaded until a card is sold


def test_a_card_of_a_campaign_is_sold_for_the_campaign_value(store: Store) -> None:
    campaign = create_campaign(store.uow, store.manager, CreateCampaign(name="Gift", amount=eur(1500), count=3))
    card = next(store.uow.cards.iter_all(campaign.id))
    assert refused(cards.redeem, store.uow, store.cashier, card.code, eur(100)) == "voucher_not_active"
    assert cards.sell(store.uow, store.manager, card.code).balance_after == 1500


def test_campaign_rules_reach_its_cards(store: Store) -> None:
    start = store.clock() + timedelta(days=1)
    expiry = store.clock() + timedelta(days=365)
    campaign = create_campaign(store.uow, store.manager, CreateCampaign(
        name="Limited", amount=eur(5000), count=2, start_date=start, expiration_date=expiry, redemption_limit=1,
        min_order_amount=1000, category="xmas"))
    card = next(store.uow.cards.iter_all(campaign.id))
    assert (card.start_date, card.expiration_date, card.redemption_limit, card.min_order_amount, card.category) == (
        start, expiry, 1, 1000, "xmas")


def test_a_custom_code_config_is_followed(store: Store) -> None:
    config = CodeConfig(pattern="#####-#####", charset="ABCDEFGHJK", prefix="XMAS-", postfix="-25")  # 33 bits
    campaign = create_campaign(store.uow, store.manager,
                               CreateCampaign(name="Xmas", amount=eur(1000), count=50, code_config=config))
    codes = [c.code for c in store.uow.cards.iter_all(campaign.id)]
    assert len(set(codes)) == 50
    assert all(re.fullmatch(r"XMAS-[A-HJK]{5}-[A-HJK]{5}-25", c) for c in codes), codes[:3]
    assert campaign.code_config["prefix"] == "XMAS-"


def test_a_campaign_name_is_used_once(store: Store) -> None:
    create_campaign(store.uow, store.manager, CreateCampaign(name="Summer", amount=eur(1000), count=5))
    calls: list[tuple[int, int]] = []
    assert refused(create_campaign, store.uow, store.manager,
                   CreateCampaign(name=" Summer ", amount=eur(2000), count=5),
                   progress=lambda *p: calls.append(p)) == "duplicate_found"
    assert calls == []
    assert len(store.uow.campaigns.list()) == 1
    assert len(list(store.uow.cards.iter_all())) == 5


def test_only_a_manager_creates_campaigns(store: Store) -> None:
    assert refused(create_campaign, store.uow, store.cashier,
                   CreateCampaign(name="Mine", amount=eur(1000), count=5)) == "forbidden"
    assert store.uow.campaigns.list() == []


def test_a_campaign_in_another_currency_than_the_store_is_refused(store: Store) -> None:
    assert refused(create_campaign, store.uow, store.manager,
                   CreateCampaign(name="Dollars", amount=Money(1000, "USD"), count=5)) == "currency_mismatch"
    assert store.uow.campaigns.list() == []


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"name": ""}, "invalid_payload"),
        ({"name": "  "}, "invalid_payload"),
        ({"name": "x" * 201}, "invalid_payload"),
        ({"name": "a\nb"}, "invalid_payload"),
        ({"count": 0}, "invalid_payload"),
        ({"count": campaigns.MAX_CAMPAIGN_SIZE + 1}, "invalid_payload"),
        ({"amount": eur(0)}, "invalid_amount"),
        ({"amount": eur(-100)}, "invalid_amount"),
        ({"expiration_date": "past"}, "invalid_payload"),
        ({"start_date": "future", "expiration_date": "soon"}, "invalid_payload"),
        ({"code_config": CodeConfig(length=6, charset="0123456789")}, "invalid_code_config"),
        ({"code_config": CodeConfig(length=7, charset="0123456789ABCDEF")}, "invalid_code_config"),  # 28 bits
        ({"code_config": CodeConfig(pattern="####", charset="AB#")}, "invalid_code_config"),
    ],
)
def test_a_bad_campaign_is_refused_before_anything_is_made(store: Store, fields: dict[str, object],
                                                           key: str) -> None:
    now = store.clock()
    dates = {"past": now - timedelta(days=1), "future": now + timedelta(days=10), "soon": now + timedelta(days=5)}
    args: dict[str, object] = {"name": "Bad", "amount": eur(1000), "count": 5}
    args.update({k: dates.get(v, v) if isinstance(v, str) and k.endswith("date") else v for k, v in fields.items()})
    assert refused(create_campaign, store.uow, store.manager, CreateCampaign(**args)) == key  # type: ignore[arg-type]
    assert store.uow.campaigns.list() == []
    assert list(store.uow.cards.iter_all()) == []
