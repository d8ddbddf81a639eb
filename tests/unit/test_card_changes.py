"""Changing a card's terms — expiry extended, category, metadata — by a manager with a reason: the domain's rules,
and the use case that keeps each change in the card's audit trail and moves no value."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from pos_app.domain.cards import CardStatus, GiftCard, OperationContext, Validity, check_deletable
from pos_app.domain.errors import GiftCardError
from pos_app.domain.terms import FieldChange, NewTerms, TermsRefused, change_terms
from pos_app.services import card_changes
from pos_app.services.modes import ENROLLED, MODE_KEY
from tests.unit.conftest import START, Store

BERLIN = ZoneInfo("Europe/Berlin")
EXPIRES = datetime(2025, 12, 31, 23, 0, tzinfo=UTC)  # the end of 2025-12-31 in Berlin


def ctx(reason: str | None = "goodwill", at: datetime = START) -> OperationContext:
    return OperationContext(at=at, zone=BERLIN, device_id="till_1", operator_id="u_m", reason=reason)


def card(**fields: object) -> GiftCard:
    values: dict[str, object] = {"expiration_date": EXPIRES, "category": "xmas", "metadata": {"shop": "north"}}
    values.update(fields)
    return GiftCard(id="v_1", code="GC-TEST-CARD-0000-7XZP", currency="EUR", balance=1200, loaded=5000,
                    redeemed=3800, **values)  # type: ignore[arg-type]


def refused(terms: NewTerms, on: GiftCard | None = None, **context: object) -> str:
    """The refusal's key and the rule that refused (``invalid_payload/not_later``)."""
    target = on or card()
    before = (target.expiration_date, target.category, dict(target.metadata), target.version)
    with pytest.raises(TermsRefused) as caught:
        change_terms(target, terms, ctx(**context), zone=BERLIN)  # type: ignore[arg-type]
    assert (target.expiration_date, target.category, target.metadata, target.version) == before  # unchanged
    return f"{caught.value.key}/{caught.value.why}"


def test_an_extension_ends_at_the_shops_midnight_after_the_new_last_day_and_is_recorded() -> None:
    target = card()
    change = change_terms(target, NewTerms(expires_on=date(2026, 6, 30)), ctx(), zone=BERLIN)
    assert target.expiration_date == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)  # summer time in Berlin
    assert change.changes == (FieldChange("expiration_date", EXPIRES.isoformat(), "2026-06-30T22:00:00+00:00"),)
    assert (change.card_id, change.reason, change.operator_id, change.device_id, change.created_at) == (
        "v_1", "goodwill", "u_m", "till_1", START)
    assert (target.balance, target.loaded, target.version) == (1200, 5000, 1)  # no value moves


def test_an_expired_card_may_be_extended() -> None:
    target = card(expiration_date=START - timedelta(days=3))
    change_terms(target, NewTerms(expires_on=date(2025, 7, 31)), ctx(), zone=BERLIN)
    assert not target.is_expired(START)


@pytest.mark.parametrize(("terms", "fields", "why"), [
    (NewTerms(expires_on=date(2025, 12, 31)), {}, "not_later"),  # the same day: no extension
    (NewTerms(expires_on=date(2025, 11, 30)), {}, "not_later"),  # earlier: no extension
    (NewTerms(expires_on=date(2025, 6, 1)), {"expiration_date": START - timedelta(days=9)}, "past"),
    (NewTerms(expires_on=date(2026, 1, 31)), {"expiration_date": None}, "never_expires"),
    (NewTerms(expires_on=date(2300, 1, 1)), {}, "too_late"),  # no card lasts that long
    (NewTerms(category="x" * 201), {}, "category"),
    (NewTerms(metadata={"": "v"}), {}, "key"),
    (NewTerms(metadata={"k": "v" * 5000}), {}, "metadata"),  # more than the metadata may take
    (NewTerms(category="xmas", metadata={"shop": "north", "gone": None}), {}, "nothing"),  # nothing changes
    (NewTerms(), {}, "nothing"),
])
def test_what_is_refused_leaves_the_card_as_it_was(terms: NewTerms, fields: dict[str, object], why: str) -> None:
    assert refused(terms, card(**fields)) == f"invalid_payload/{why}"


def test_a_change_needs_a_reason() -> None:
    assert refused(NewTerms(category="spring"), reason=None) == "invalid_payload/reason"
    assert refused(NewTerms(category="spring"), reason="   ") == "invalid_payload/reason"


def test_category_and_metadata_are_set_removed_and_each_change_named() -> None:
    target = card()
    change = change_terms(target, NewTerms(category="  spring ", metadata={"shop": None, "batch": "7", "shop2": "s"}),
                          ctx(), zone=BERLIN)
    assert (target.category, target.metadata) == ("spring", {"batch": "7", "shop2": "s"})
    assert change.changes == (FieldChange("category", "xmas", "spring"), FieldChange("metadata.shop", '"north"', None),
                              FieldChange("metadata.batch", None, '"7"'), FieldChange("metadata.shop2", None, '"s"'))
    change_terms(target, NewTerms(category=""), ctx(), zone=BERLIN)
    assert target.category is None


# ---- the use case -------------------------------------------------------------------------------------------

def test_a_manager_changes_a_card_and_the_audit_trail_keeps_it(store: Store) -> None:
    sold = store.sold_card(5000, expiration_date=EXPIRES)
    entries = store.entries()
    done = card_changes.change_card(store.uow, store.manager, sold.code, NewTerms(expires_on=date(2026, 3, 31)),
                                    reason="customer was ill", zone=BERLIN)
    card_changes.change_card(store.uow, store.manager, sold.code, NewTerms(metadata={"note": "vip"}),
                             reason="regular", zone=BERLIN)
    assert store.card(sold.code).expiration_date == done.card.expiration_date == datetime(2026, 3, 31, 22, tzinfo=UTC)
    assert store.card(sold.code).metadata == {"note": "vip"}
    assert store.entries() == entries  # the ledger is untouched
    trail = card_changes.changes_of(store.uow, store.manager, sold.code)
    assert [c.reason for c in trail] == ["regular", "customer was ill"]  # newest first
    assert trail[1] == done.change


def test_a_cashier_may_neither_change_a_card_nor_read_its_trail(store: Store) -> None:
    sold = store.sold_card(5000, expiration_date=EXPIRES)
    with pytest.raises(GiftCardError, match="forbidden"):
        card_changes.change_card(store.uow, store.cashier, sold.code, NewTerms(category="x"), reason="r", zone=BERLIN)
    with pytest.raises(GiftCardError, match="forbidden"):
        card_changes.changes_of(store.uow, store.cashier, sold.code)


def test_a_refused_change_writes_nothing(store: Store) -> None:
    sold = store.sold_card(5000, expiration_date=EXPIRES)
    with pytest.raises(GiftCardError, match="invalid_payload"):
        card_changes.change_card(store.uow, store.manager, sold.code, NewTerms(expires_on=date(2025, 7, 1)),
                                 reason="r", zone=BERLIN)
    assert store.card(sold.code).expiration_date == EXPIRES
    assert card_changes.changes_of(store.uow, store.manager, sold.code) == []


def test_on_an_enrolled_till_changing_a_card_is_head_offices(store: Store) -> None:
    sold = store.sold_card(5000, expiration_date=EXPIRES)
    with store.uow:
        store.uow.settings.set(MODE_KEY, ENROLLED)
        store.uow.commit()
    with pytest.raises(GiftCardError, match="managed_by_server") as caught:
        card_changes.change_card(store.uow, store.manager, sold.code, NewTerms(category="x"), reason="r", zone=BERLIN)
    assert "pos-server card extend" in caught.value.details


# ---- start, validity and an expiry as an instant (the Voucherify API's update_voucher) ----------------------

def test_a_start_validity_and_an_exact_expiry_are_changed_and_named() -> None:
    target = card()
    new_expiry = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    change = change_terms(target, NewTerms(expires_at=new_expiry, starts_at=datetime(2025, 1, 1, tzinfo=UTC),
                                           validity=Validity(days=frozenset({0, 1}), start=time(9), end=time(17))),
                          ctx(), zone=BERLIN)
    assert target.expiration_date == new_expiry and target.start_date == datetime(2025, 1, 1, tzinfo=UTC)
    assert target.validity == Validity(days=frozenset({0, 1}), start=time(9), end=time(17))
    assert [c.name for c in change.changes] == ["expiration_date", "start_date", "validity"]
    assert change.changes[2] == FieldChange("validity", None, "days=0,1 hours=09:00-17:00")
    every_day = change_terms(target, NewTerms(validity=Validity(days=frozenset(range(7)))), ctx(), zone=BERLIN)
    assert target.validity == Validity() and every_day.changes[0].after is None  # all seven days: no restriction
    assert (target.balance, target.loaded) == (1200, 5000)


@pytest.mark.parametrize(("terms", "why"), [
    (NewTerms(expires_at=EXPIRES - timedelta(hours=1)), "not_later"),  # an expiry is never brought forward
    (NewTerms(starts_at=EXPIRES), "start"),  # a card starting when it expires
    (NewTerms(starts_at=datetime(1999, 1, 1, tzinfo=UTC)), "start"),
    (NewTerms(validity=Validity(days=frozenset())), "validity"),  # no day at all
    (NewTerms(validity=Validity(days=frozenset({7}))), "validity"),
])
def test_starts_validities_and_instants_the_rules_refuse(terms: NewTerms, why: str) -> None:
    assert refused(terms) == f"invalid_payload/{why}"


def test_a_card_holding_money_is_deleted_only_when_forced_and_a_frozen_one_not_at_all() -> None:
    with pytest.raises(GiftCardError, match="invalid_payload"):
        check_deletable(card(), force=False)
    check_deletable(card(), force=True)
    spent = card()
    spent.balance = 0
    check_deletable(spent, force=False)
    with pytest.raises(GiftCardError, match="voucher_frozen"):
        check_deletable(card(status=CardStatus.FROZEN), force=True)
