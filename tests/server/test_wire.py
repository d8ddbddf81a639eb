"""``wire.card_json`` and ``wire.entry_json`` write what the wire models write, byte for byte, for any card and
entry the domain can hold (what a till parses must not depend on which of the two wrote it)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.cards import CardStatus, GiftCard, Validity
from pos_app.domain.ledger import Entry, EntryKind, EntryResult, EntryStatus
from pos_app.server.wire import card_json, entry_json, wire_card, wire_entry

offsets = st.sampled_from([UTC, timezone(timedelta(0)), timezone(timedelta(hours=1)),
                           timezone(timedelta(hours=-9, minutes=-30))])
moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=offsets) | \
    st.datetimes(min_value=datetime(1970, 1, 2), timezones=offsets).map(lambda d: d.replace(microsecond=0))
texts = st.text(max_size=12)  # any character: quotes, controls, emoji, lone surrogates excluded by hypothesis
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | texts
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3), max_leaves=8)
money = st.integers(min_value=-(10**15), max_value=10**15)


@st.composite
def cards(draw: Any) -> GiftCard:
    hours = draw(st.none() | st.tuples(st.times(), st.times()))
    return GiftCard(
        id=draw(texts), code=draw(texts), currency="EUR", campaign_id=draw(st.none() | texts),
        status=draw(st.sampled_from(list(CardStatus))), loaded=draw(money), balance=draw(money),
        redeemed=draw(money), refunded=draw(money), redemption_count=draw(st.integers(0, 10**9)),
        redemption_limit=draw(st.none() | st.integers(0, 10**9)), initial_amount=draw(st.none() | money),
        start_date=draw(st.none() | moments), expiration_date=draw(st.none() | moments),
        validity=Validity(days=draw(st.none() | st.frozensets(st.integers(0, 6), min_size=1)),
                          start=None if hours is None else hours[0], end=None if hours is None else hours[1]),
        min_order_amount=draw(st.none() | money), customer_id=draw(st.none() | texts),
        category=draw(st.none() | texts), metadata=draw(st.dictionaries(texts, json_values, max_size=4)),
        activated_at=draw(st.none() | moments), created_at=draw(st.none() | moments),
        version=draw(st.integers(0, 2**62)),
    )


@st.composite
def entries(draw: Any) -> Entry:
    return Entry(
        id=draw(st.uuids()), card_id=draw(texts), code=draw(texts), kind=draw(st.sampled_from(list(EntryKind))),
        amount=draw(money), currency="EUR", balance_after=draw(money), created_at=draw(moments),
        device_id=draw(texts), device_seq=draw(st.integers(0, 2**63 - 1)), operator_id=draw(st.none() | texts),
        result=draw(st.sampled_from(list(EntryResult))), error_key=draw(st.none() | texts),
        order_ref=draw(st.none() | texts), reason=draw(st.none() | texts),
        refund_of=draw(st.none() | st.uuids()), override_by=draw(st.none() | texts),
        status=draw(st.sampled_from(list(EntryStatus))), server_seq=draw(st.none() | st.integers(1, 2**62)),
    )


@settings(max_examples=300, deadline=None)
@given(cards())
def test_a_cards_json_is_its_wire_models(card: GiftCard) -> None:
    assert card_json(card) == wire_card(card).model_dump_json()


@settings(max_examples=300, deadline=None)
@given(entries())
def test_an_entrys_json_is_its_wire_models(entry: Entry) -> None:
    assert entry_json(entry) == wire_entry(entry).model_dump_json()


def test_what_orjson_cannot_write_is_written_by_the_model() -> None:
    card = GiftCard(id="v_1", code="GC-1", currency="EUR", metadata={"big": 2**70, "at": time(9, 30)},
                    created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert card_json(card) == wire_card(card).model_dump_json()
