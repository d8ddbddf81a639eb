"""A card sold at the counter, through the use case on a real till store (SQLite file): the price paid and the
payment method are kept on the sale's entry and read back, the receipt shows them, and only a manager sells
unless the shop lets its cashiers sell."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.bootstrap import Till, open_till
from pos_app.domain import people
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import PaymentMethod
from pos_app.domain.money import Money
from pos_app.domain.people import Role
from pos_app.printing.text import render_text
from pos_app.services import auth, cards
from pos_app.services.campaigns import CreateCampaign, create_campaign
from pos_app.services.context import Caller
from pos_app.services.setup import init_store

MANAGER_PIN, CASHIER_PIN = "9876", "1234"


@pytest.fixture(autouse=True)
def cheap_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people, "SCRYPT_N", 2**4)


@pytest.fixture
def till(tmp_path: Path) -> Till:
    opened = open_till(tmp_path / "till")
    init_store(opened.uow, store_name="Corner Shop", currency="EUR", manager_pin=MANAGER_PIN,
               manager_name="Maria", locale="en_GB")
    auth.add_user(opened.uow, opened.login(MANAGER_PIN), "Chris", Role.CASHIER, CASHIER_PIN)
    return opened


def unsold(till: Till, count: int = 3) -> list[str]:
    manager = till.login(MANAGER_PIN)
    campaign = create_campaign(till.uow, manager, CreateCampaign(name="Winter", amount=Money(5000, "EUR"),
                                                                  count=count))
    with till.reader as uow:
        return [card.code for card in uow.cards.iter_all(campaign.id)]


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def test_a_sale_keeps_its_price_and_payment_and_its_receipt_shows_them(till: Till) -> None:
    code = unsold(till)[0]
    entry = cards.sell(till.uow, till.login(MANAGER_PIN), code, price=eur(4500), payment=PaymentMethod.CARD)
    with till.reader as uow:
        stored = uow.entries.get(entry.id)
    assert stored is not None
    assert (stored.amount, stored.price, stored.payment) == (5000, 4500, PaymentMethod.CARD)

    text = render_text(till.receipt_of(entry.id), 40)
    assert "GIFT CARD SOLD" in text
    lines = {line.split("  ")[0].strip(): line.split()[-1] for line in text.splitlines() if "  " in line.strip()}
    assert lines["Card value"] == "€50.00"
    assert lines["Price paid"] == "€45.00"
    assert lines["Paid by"] == "Card"


def test_a_sale_without_a_price_is_paid_at_its_value(till: Till) -> None:
    code = unsold(till)[0]
    entry = cards.sell(till.uow, till.login(MANAGER_PIN), code, payment=PaymentMethod.CASH)
    assert (entry.price, entry.payment) == (5000, PaymentMethod.CASH)


@pytest.mark.parametrize(("price", "key"), [(5001, "invalid_amount"), (-1, "invalid_amount")])
def test_a_price_above_the_value_or_below_zero_is_refused_and_the_card_stays_unsold(
        till: Till, price: int, key: str) -> None:
    code = unsold(till)[0]
    with pytest.raises(GiftCardError) as refused:
        cards.sell(till.uow, till.login(MANAGER_PIN), code, price=eur(price), payment=PaymentMethod.CASH)
    assert refused.value.key == key
    with till.reader as uow:
        card = uow.cards.get_by_code(code)
    assert card is not None and card.status.value == "inactive"


def test_a_card_given_away_is_sold_for_nothing(till: Till) -> None:
    code = unsold(till)[0]
    entry = cards.sell(till.uow, till.login(MANAGER_PIN), code, price=eur(0), payment=PaymentMethod.OTHER)
    assert (entry.amount, entry.price, entry.payment) == (5000, 0, PaymentMethod.OTHER)


def test_a_cashier_sells_only_once_the_shop_lets_cashiers_sell(till: Till) -> None:
    first, second = unsold(till)[:2]
    cashier: Caller = till.login(CASHIER_PIN)
    with pytest.raises(GiftCardError) as refused:
        cards.sell(till.uow, cashier, first, payment=PaymentMethod.CASH)
    assert refused.value.key == "forbidden"

    with pytest.raises(GiftCardError) as not_theirs:  # a cashier cannot give themselves the right
        cards.set_cashiers_sell(till.uow, cashier, allowed=True)
    assert not_theirs.value.key == "forbidden"

    cards.set_cashiers_sell(till.uow, till.login(MANAGER_PIN), allowed=True)
    sale = cards.sell(till.uow, cashier, first, price=eur(4000), payment=PaymentMethod.CASH)
    assert (sale.operator_id, sale.price) == (cashier.actor.user_id, 4000)
    with pytest.raises(GiftCardError) as top_up:  # selling is all it lets them do
        cards.top_up(till.uow, cashier, first, eur(100))
    assert top_up.value.key == "forbidden"

    cards.set_cashiers_sell(till.uow, till.login(MANAGER_PIN), allowed=False)
    with pytest.raises(GiftCardError) as again:
        cards.sell(till.uow, cashier, second, payment=PaymentMethod.CASH)
    assert again.value.key == "forbidden"
