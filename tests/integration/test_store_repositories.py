"""Each repository round-trips the domain's objects through a real SQLite file."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, time, timedelta, timezone

import pytest

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard, Validity
from pos_app.domain.ledger import EntryKind, EntryResult, EntryStatus
from pos_app.domain.money import Money
from pos_app.domain.people import Attempts, Role, TillAttempts, User
from pos_app.services.ports import Customer
from pos_app.store import Store
from pos_app.store.uow import SqlUnitOfWork
from tests.integration.conftest import T0, ctx, later, new_campaign, new_card, redeem

CET = timezone(timedelta(hours=1))


def full_card(campaign_id: str | None = None, customer_id: str | None = None) -> GiftCard:
    """A card with every field set to something other than its default."""
    return new_card(
        code="Imported-code-MixedCase", balance=4200, campaign_id=campaign_id, customer_id=customer_id,
        status=CardStatus.ACTIVE, redeemed=800, refunded=0, redemption_count=3, redemption_limit=10,
        initial_amount=5000, start_date=T0 - timedelta(days=1), expiration_date=T0 + timedelta(days=365),
        validity=Validity(days=frozenset({0, 2, 4}), start=time(9, 30), end=time(17, 45, 30)),
        min_order_amount=1000, category="spa", metadata={"source": "import", "n": [1, 2]},
        activated_at=T0.astimezone(CET), version=7,
    )


def test_a_card_round_trips_with_every_field(uow: SqlUnitOfWork) -> None:
    with uow:
        campaign = new_campaign()
        uow.campaigns.add(campaign)
        uow.customers.add(Customer(id="cust_1", source_id="src-1", name="Ada", email="ada@example.org"))
        card = replace(full_card(campaign.id, "cust_1"), loaded=5000)
        uow.cards.add_many([card])
        uow.commit()
    with uow:
        loaded = uow.cards.get(card.id)
        assert loaded == card
        assert loaded is not None and loaded.activated_at is not None
        assert loaded.activated_at.tzinfo is UTC  # stored as UTC, compared as the same instant
        assert uow.cards.get_by_code("Imported-code-MixedCase") == card


def test_a_campaigns_bulk_insert_stores_what_the_column_types_store(uow: SqlUnitOfWork) -> None:
    """``add_copies`` runs SQL text on the driver (the one measured exception): its rows must be the very rows
    that the statements through SQLAlchemy's column types write, and come back as the template."""
    with uow:
        campaign = new_campaign()
        uow.campaigns.add(campaign)
        uow.customers.add(Customer(id="cust_1", source_id="src-1", name="Ada", email="ada@example.org"))
        template = replace(full_card(campaign.id, "cust_1"), loaded=5000)
        uow.cards.add_many([replace(template, id="v_typed", code="CODE-TYPED")])
        uow.cards.add_copies(template, [("v_bulk1", "CODE-BULK-1"), ("v_bulk2", "code-bulk-2")])
        uow.commit()
    with uow:
        rows = uow.connection.exec_driver_sql("SELECT * FROM cards ORDER BY rowid").all()
        assert [row[2:] for row in rows[1:]] == [rows[0][2:]] * 2  # all but id and code, as stored
        assert uow.cards.get_by_code("code-bulk-2") == replace(template, id="v_bulk2", code="code-bulk-2")
        uow.cards.add_copies(template, [])
        with pytest.raises(errors.DuplicateFound):
            uow.cards.add_copies(template, [("v_bulk3", "CODE-BULK-1")])


def test_codes_are_case_sensitive_and_unique(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.cards.add_many([new_card(code="abc-123")])
        uow.cards.add_many([new_card(code="ABC-123")])  # another card: imported codes keep their case
        assert uow.cards.get_by_code("Abc-123") is None
        with pytest.raises(errors.DuplicateFound):
            uow.cards.add_many([new_card(code="abc-123")])
        with pytest.raises(errors.DuplicateFound):
            uow.cards.add_many([new_card(code="dup"), new_card(code="dup")])


def test_save_writes_every_change_and_refuses_an_unknown_card(uow: SqlUnitOfWork) -> None:
    new = new_card(balance=1000)
    with uow:
        uow.cards.add_many([new])
        uow.commit()
    with uow:
        card = uow.cards.get(new.id)
        assert card is not None
        card.disable()
        card.metadata["note"] = "lost"
        card.validity = Validity(days=frozenset(), start=None, end=None)  # never valid by day
        uow.cards.save(card)
        uow.commit()
    with uow:
        assert uow.cards.get(card.id) == card
        with pytest.raises(errors.NotFound):
            uow.cards.save(new_card())


def test_existing_codes_looks_up_more_than_one_chunk(uow: SqlUnitOfWork) -> None:
    cards = [new_card(code=f"C-{i:05d}") for i in range(1200)]
    with uow:
        uow.cards.add_many(cards)
        asked = [f"C-{i:05d}" for i in range(0, 2400, 2)]  # half of them exist
        assert uow.cards.existing_codes(asked) == {c for c in asked if int(c[2:]) < 1200}
        assert uow.cards.existing_codes([]) == set()


def test_iter_all_streams_in_creation_order_and_by_campaign(uow: SqlUnitOfWork) -> None:
    with uow:
        one, two = new_campaign(), new_campaign()
        uow.campaigns.add(one)
        uow.campaigns.add(two)
        cards = [new_card(campaign_id=(one if i % 2 else two).id) for i in range(2500)]
        uow.cards.add_many(cards)
        uow.commit()
    with uow:
        assert [c.id for c in uow.cards.iter_all()] == [c.id for c in cards]
        assert [c.id for c in uow.cards.iter_all(one.id)] == [c.id for c in cards if c.campaign_id == one.id]


def test_search_finds_a_substring_of_the_code_in_any_case(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.cards.add_many([new_card(code=c) for c in ("GC-ABCD-7XZP", "gc-zzzz-7xzp", "GC-QQQQ-RRRR", "50%_off")])
        assert sorted(c.code for c in uow.cards.search("7xZp")) == ["GC-ABCD-7XZP", "gc-zzzz-7xzp"]
        assert [c.code for c in uow.cards.search("%_")] == ["50%_off"]  # no LIKE wildcards
        assert len(uow.cards.search("gc", limit=2)) == 2


def test_entries_get_a_gapless_sequence_per_device_and_an_outbox_row(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=10_000)
    with uow:
        uow.cards.add_many([card])
        first = redeem(uow, card, 100, device="till-1")
        second = redeem(uow, card, 100, at=later(1), device="till-1")
        other = redeem(uow, card, 100, at=later(2), device="till-2")
        uow.commit()
    assert (first.device_seq, second.device_seq, other.device_seq) == (1, 2, 1)
    with uow:
        assert uow.entries.get(first.id) == first
        assert uow.entries.outbox_count() == 3
        assert uow.entries.for_card(card.id) == [other, second, first]
        assert uow.entries.for_card(card.id, limit=2) == [other, second]
        assert uow.cards.get(card.id) == card
        assert card.balance == 9700 and card.invariant_holds()


def test_an_entry_round_trips_with_every_field(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=500)
    with uow:
        uow.cards.add_many([card])
        redemption = redeem(uow, card, 200)
        failure = card.failed_attempt(EntryKind.CREDITS_REDEMPTION, -900, errors.GiftAmountExceeded(),
                                      ctx(later(1), order_ref="order-7"))
        refund = card.refund(redemption, ctx(later(2).astimezone(CET), reason="changed mind"))
        refund = replace(refund, override_by="u_manager", status=EntryStatus.CONFIRMED, server_seq=42)
        stored = [uow.entries.add(e) for e in (failure, refund)]
        uow.commit()
    with uow:
        for entry in stored:
            assert uow.entries.get(entry.id) == entry
        assert stored[0].result is EntryResult.FAILURE and stored[0].error_key == "gift_amount_exceeded"
        assert uow.entries.refunded(redemption.id) == 200
        assert uow.entries.refunded(stored[0].id) == 0
        assert uow.entries.get(uuid.uuid4()) is None


def test_a_rejected_entry_gives_its_sequence_number_back(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=500)
    with uow:
        uow.cards.add_many([card])
        first = redeem(uow, card, 100)
        with pytest.raises(errors.DuplicateFound):
            uow.entries.add(first)
        with pytest.raises(errors.NotFound):  # the card is not in the store
            uow.entries.add(new_card(balance=100).redeem(Money(1, "EUR"), ctx()))
        assert redeem(uow, card, 100).device_seq == 2
        assert uow.entries.outbox_count() == 2


def test_iter_all_streams_entries_oldest_first_within_a_window(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=10_000)
    with uow:
        uow.cards.add_many([card])
        made = [redeem(uow, card, 10, at=later(m)) for m in (30, 0, 10, 20)]
        uow.commit()
    with uow:
        assert [e.created_at for e in uow.entries.iter_all()] == sorted(e.created_at for e in made)
        window = list(uow.entries.iter_all(since=later(10), until=later(30).astimezone(CET)))
        assert [e.created_at for e in window] == [later(10), later(20)]


def test_campaigns_round_trip_and_names_are_unique(uow: SqlUnitOfWork) -> None:
    campaign = new_campaign(
        start_date=T0, expiration_date=T0 + timedelta(days=90), redemption_limit=3, min_order_amount=500,
        category="xmas", vouchers_count=0,
    )
    with uow:
        uow.campaigns.add(campaign)
        campaign.vouchers_count, campaign.active = 1000, False
        uow.campaigns.save(campaign)
        uow.commit()
    with uow:
        assert uow.campaigns.get(campaign.id) == campaign
        assert uow.campaigns.get_by_name(campaign.name) == campaign
        assert uow.campaigns.list() == [campaign]
        with pytest.raises(errors.DuplicateFound):
            uow.campaigns.add(replace(campaign, id="camp_other"))
        with pytest.raises(errors.NotFound):
            uow.campaigns.save(replace(campaign, id="camp_missing"))


def test_users_round_trip_with_their_lockout_state(uow: SqlUnitOfWork) -> None:
    ada = User(id="u_1", name="Ada", role=Role.MANAGER, pin_hash="scrypt$...")
    bob = User(id="u_2", name="Bob", role=Role.CASHIER, pin_hash="scrypt$...", active=False,
               attempts=Attempts(failed=2, locked_until=later(5).astimezone(CET), lockouts=1))
    with uow:
        uow.users.add(bob)
        uow.users.add(ada)
        uow.commit()
    with uow:
        assert uow.users.list() == [ada, bob]
        assert uow.users.get_by_name("Bob") == bob
        ada.attempts.failure(T0)
        uow.users.save(ada)
        assert uow.users.get("u_1") == ada
        with pytest.raises(errors.DuplicateFound):
            uow.users.add(replace(ada, id="u_3"))


def test_customers_round_trip(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.customers.add(Customer(id="cust_1", source_id="crm-9", name="Ada", email="ada@example.org"))
        uow.customers.add(Customer(id="cust_2"))
        assert uow.customers.get("cust_1") == Customer("cust_1", "crm-9", "Ada", "ada@example.org")
        assert uow.customers.get_by_source_id("crm-9") == uow.customers.get("cust_1")
        assert uow.customers.get("cust_2") == Customer("cust_2")
        with pytest.raises(errors.DuplicateFound):
            uow.customers.add(Customer(id="cust_3", source_id="crm-9"))


def test_settings_are_json_values(uow: SqlUnitOfWork) -> None:
    with uow:
        assert uow.settings.get("currency") is None
        assert uow.settings.get("limits", {"x": 1}) == {"x": 1}
        uow.settings.set("limits", {"per_redemption": 10_000, "tills": ["a", "b"], "on": True})
        uow.settings.set("currency", "EUR")
        uow.settings.set("currency", "CHF")
        attempts = TillAttempts(failures=[later(1)], pending=[(later(2), "u_1"), (later(3), None)],
                                locked_until=later(5), lockouts=2)
        uow.settings.save_till_attempts(attempts)
        uow.commit()
    with uow:
        assert uow.settings.get("limits") == {"per_redemption": 10_000, "tills": ["a", "b"], "on": True}
        assert uow.settings.get("currency") == "CHF"
        assert uow.settings.till_attempts() == attempts


def test_liability_adds_up_per_campaign(uow: SqlUnitOfWork) -> None:
    with uow:
        campaign = new_campaign("Gifts")
        uow.campaigns.add(campaign)
        a, b = new_card(balance=5000, campaign_id=campaign.id), new_card(balance=5000, campaign_id=campaign.id)
        inactive = new_card(campaign_id=campaign.id, status=CardStatus.INACTIVE)
        loose = new_card(balance=2500, currency="CHF")
        uow.cards.add_many([a, b, inactive, loose])
        redemption = redeem(uow, a, 1200)
        uow.entries.add(a.refund(redemption, ctx(later(1)), Money(200, "EUR")))
        uow.cards.save(a)
        redeem(uow, b, 5000)
        rows = {row.campaign_id: row for row in uow.reports.liability()}
    assert set(rows) == {campaign.id, None}
    gifts, none = rows[campaign.id], rows[None]
    assert (gifts.campaign_name, gifts.currency, gifts.cards, gifts.active_cards) == (campaign.name, "EUR", 3, 2)
    assert (gifts.loaded, gifts.redeemed, gifts.refunded, gifts.outstanding) == (10_000, 6200, 200, 4000)
    assert gifts.loaded - gifts.redeemed + gifts.refunded == gifts.outstanding
    assert (none.campaign_name, none.currency, none.cards, none.outstanding) == (None, "CHF", 1, 2500)


def test_redemptions_are_grouped_by_local_day_and_till(uow: SqlUnitOfWork) -> None:
    card = new_card(balance=100_000)
    evening = T0.replace(hour=22, minute=30)  # 22:30 UTC is the next day in UTC+2
    with uow:
        uow.cards.add_many([card])
        r1 = redeem(uow, card, 1000, at=T0, device="till-1")
        redeem(uow, card, 500, at=T0 + timedelta(minutes=5), device="till-1")
        redeem(uow, card, 700, at=evening, device="till-1")
        redeem(uow, card, 300, at=T0, device="till-2")
        uow.entries.add(card.refund(r1, ctx(T0 + timedelta(minutes=9), device="till-1")))
        uow.cards.save(card)
        uow.entries.add(card.failed_attempt(EntryKind.CREDITS_REDEMPTION, -10**9, errors.GiftAmountExceeded(),
                                            ctx(T0)))
        utc = uow.reports.redemptions(None, None)
        plus_two = uow.reports.redemptions(None, None, utc_offset_minutes=120)
        morning = uow.reports.redemptions(T0, T0 + timedelta(hours=1))
    day = date(2025, 6, 4)
    assert [(b.day, b.device_id, b.count, b.redeemed, b.refunded) for b in utc] == [
        (day, "till-1", 3, 2200, 1000), (day, "till-2", 1, 300, 0),
    ]
    assert [(b.day, b.device_id, b.count, b.redeemed) for b in plus_two] == [
        (day, "till-1", 2, 1500), (day, "till-2", 1, 300), (day + timedelta(days=1), "till-1", 1, 700),
    ]
    assert [(b.device_id, b.count, b.redeemed, b.refunded) for b in morning] == [
        ("till-1", 2, 1500, 1000), ("till-2", 1, 300, 0),
    ]
    assert all(b.currency == "EUR" for b in utc)


def test_a_store_is_reused_by_many_units_of_work(store: Store) -> None:
    card = new_card(balance=300)
    with store.unit_of_work() as uow:
        uow.cards.add_many([card])
        uow.commit()
    for _ in range(3):
        with store.unit_of_work() as uow:
            found = uow.cards.get_by_code(card.code)
            assert found is not None
            redeem(uow, found, 100)
            uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        final = uow.cards.get(card.id)
        assert final is not None and final.balance == 0 and final.redemption_count == 3
        assert [e.device_seq for e in uow.entries.for_card(card.id)] == [3, 2, 1]
