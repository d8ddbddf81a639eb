"""Campaigns from the server reach a till's store by pull: before the cards that name them, replacing the stand-in
a card made for a campaign it did not know, idempotently; a local campaign with the same name gives way."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pos_app.store.uow import SqlUnitOfWork
from pos_app.sync.apply import apply_page
from pos_app.sync.schemas import PullResponse, StoreInfo, WireCampaign, WireCard, WireLimits
from tests.integration.conftest import T0, new_campaign

NOW = T0 + timedelta(hours=1)
WINTER = WireCampaign(id="camp_ho", name="Winter 2026", currency="EUR", amount=5000, vouchers_count=2,
                      code_config={"pattern": "GC-####-####", "check_character": True}, redemption_limit=3,
                      category="seasonal", expiration_date=T0 + timedelta(days=365), created_at=T0)


def card(card_id: str, code: str) -> WireCard:
    return WireCard(id=card_id, code=code, currency="EUR", status="inactive", loaded=0, balance=0, redeemed=0,
                    refunded=0, campaign_id="camp_ho", initial_amount=5000, created_at=T0, version=1)


def page(*, campaigns: list[WireCampaign], cards: list[WireCard], cursor: int) -> PullResponse:
    return PullResponse(campaigns=campaigns, cards=cards, entries=[], users=[], limits=WireLimits(),
                        store=StoreInfo(name="HQ", currency="EUR"), next_cursor=cursor, has_more=False,
                        server_time=NOW)


def test_a_campaign_replaces_the_stand_in_its_cards_made(uow: SqlUnitOfWork) -> None:
    apply_page(uow, page(campaigns=[], cards=[card("v_1", "GC-1"), card("v_2", "GC-2")], cursor=3), now=NOW)
    with uow:
        stand_in = uow.campaigns.get("camp_ho")
        assert stand_in is not None and (stand_in.name, stand_in.vouchers_count) == ("campaign camp_ho", 0)
    for _ in range(2):  # the server logged it again (a migration): idempotent
        apply_page(uow, page(campaigns=[WINTER], cards=[], cursor=4), now=NOW)
        with uow:
            got = uow.campaigns.get_by_name("Winter 2026")
            assert got is not None and got.id == "camp_ho"
            assert (got.amount, got.vouchers_count, got.redemption_limit, got.category) == (5000, 2, 3, "seasonal")
            assert got.code_config == {"pattern": "GC-####-####", "check_character": True}
            assert got.expiration_date == T0 + timedelta(days=365)
            assert [c.id for c in uow.campaigns.list()] == ["camp_ho"]
            assert sorted(c.id for c in uow.cards.iter_all("camp_ho")) == ["v_1", "v_2"]


def test_a_campaign_in_the_same_page_as_its_cards(uow: SqlUnitOfWork) -> None:
    apply_page(uow, page(campaigns=[WINTER], cards=[card("v_1", "GC-1")], cursor=2), now=NOW)
    with uow:
        got = uow.campaigns.get("camp_ho")
        assert got is not None and got.name == "Winter 2026"


def test_a_local_campaign_of_the_same_name_gives_way(uow: SqlUnitOfWork) -> None:
    local = replace(new_campaign(), name="Winter 2026")  # made here before the till was enrolled
    with uow:
        uow.campaigns.add(local)
        uow.commit()
    apply_page(uow, page(campaigns=[WINTER], cards=[], cursor=1), now=NOW)
    with uow:
        server_s = uow.campaigns.get_by_name("Winter 2026")
        assert server_s is not None and server_s.id == "camp_ho"
        renamed = uow.campaigns.get(local.id)
        assert renamed is not None and renamed.name == f"Winter 2026 ({local.id})"
