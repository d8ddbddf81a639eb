"""``domain.copies.replacer``: the copy ``dataclasses.replace`` makes, for the hot path's entries and cards."""

from __future__ import annotations

import dataclasses

import pytest

from pos_app.domain.cards import GiftCard, Validity
from pos_app.domain.copies import replacer
from pos_app.domain.ledger import Entry, EntryStatus
from tests.unit.test_cards import ctx, eur, sold


def test_a_copy_is_what_dataclasses_replace_makes() -> None:
    card = sold(5000, metadata={"colour": "red"}, validity=Validity(days=frozenset({1, 2})))  # Wednesday: 2
    entry = card.redeem(eur(700), ctx())
    replace_entry, replace_card = replacer(Entry), replacer(GiftCard)

    for changes in ({}, {"server_seq": 41}, {"status": EntryStatus.CONFIRMED, "device_seq": 7}):
        copy = replace_entry(entry, **changes)
        assert copy == dataclasses.replace(entry, **changes) and copy is not entry
    copy = replace_card(card, metadata=dict(card.metadata))
    assert copy == card and copy is not card and copy.metadata is not card.metadata
    copy.balance = 1  # a card is mutable; the copy is its own
    assert card.balance == 4300


def test_a_frozen_copy_stays_frozen_and_a_wrong_name_is_refused() -> None:
    entry = sold(5000).redeem(eur(100), ctx())
    copy = replacer(Entry)(entry, server_seq=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.server_seq = 4  # type: ignore[misc]
    with pytest.raises(TypeError, match="no field sever_seq"):
        replacer(Entry)(entry, sever_seq=3)


def test_a_class_with_a_field_init_does_not_set_is_refused() -> None:
    @dataclasses.dataclass
    class Counted:
        n: int
        seen: int = dataclasses.field(default=0, init=False)

    with pytest.raises(TypeError, match=r"dataclasses\.replace"):
        replacer(Counted)
