"""Properties that must hold for any input: amounts, readable codes, and the ledger under any sequence of
operations."""

from __future__ import annotations

import contextlib
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import READABLE_ALPHABET, CodeConfig, generate_code, looks_readable, verify_readable
from pos_app.domain.errors import GiftCardError, InvalidCode
from pos_app.domain.ledger import Entry, EntryKind
from pos_app.domain.money import CURRENCY_EXPONENTS, Money, max_minor, parse_amount
from pos_app.domain.people import Actor, Role
from pos_app.services import cards
from pos_app.services.context import Caller
from tests.unit.conftest import START, FixedClock
from tests.unit.fakes import FakeUnitOfWork

CURRENCIES = sorted(CURRENCY_EXPONENTS)

# ---- amounts ----------------------------------------------------------------------------------------------------

amount_like = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.,-+eE naifINF_ '\u0660\uff11\t"),
    st.from_regex(r"\A\s?-?[0-9]{0,8}([.,][0-9]{0,4})?\s?\Z"),
)


@settings(max_examples=500)
@given(amount_like, st.sampled_from(CURRENCIES), st.sampled_from([".", ","]), st.booleans())
def test_any_text_is_a_sensible_amount_or_a_named_refusal(
        text: str, currency: str, separator: str, allow_zero: bool) -> None:
    try:
        money = parse_amount(text, currency, decimal_separator=separator, allow_zero=allow_zero)
    except GiftCardError:
        return
    assert money.currency == currency
    assert (0 if allow_zero else 1) <= money.minor <= max_minor(currency)
    # exactly what was typed, never rounded
    typed = Decimal(text.strip().replace(",", "."))
    assert typed.scaleb(CURRENCY_EXPONENTS[currency]) == money.minor
    assert parse_amount(money.major_str(), currency, allow_zero=allow_zero) == money


@given(st.sampled_from(CURRENCIES).flatmap(lambda c: st.tuples(st.just(c), st.integers(1, max_minor(c)))))
def test_every_valid_amount_survives_the_round_trip_through_text(currency_and_minor: tuple[str, int]) -> None:
    currency, minor = currency_and_minor
    money = Money(minor, currency)
    assert parse_amount(money.major_str(), currency) == money
    assert parse_amount(money.major_str().replace(".", ","), currency, decimal_separator=",") == money


@given(st.one_of(st.floats(allow_nan=True), st.booleans(), st.decimals(allow_nan=True), st.text()))
def test_money_is_never_made_of_anything_but_an_int(minor: object) -> None:
    with pytest.raises(GiftCardError):
        Money(minor, "EUR")  # type: ignore[arg-type]


# ---- readable codes ---------------------------------------------------------------------------------------------

readable_codes = st.integers(0, 2**64).map(
    lambda seed: generate_code(CodeConfig.readable_default(), random.Random(seed).randbytes))

#: What a person or a scanner might put in the place of a character: the alphabet in both cases, the look-alikes
#: the alphabet leaves out, separators, and a few non-ASCII look-alikes.
SUBSTITUTES = READABLE_ALPHABET + READABLE_ALPHABET.lower() + "0O1IiLlo" + "-_ ." + "\u017f\u0131\uff21\u0410"


def forgiven(typed: str, code: str) -> bool:
    """What the readable format promises to forgive: (ASCII) case, spaces and hyphens; nothing else."""
    compact = re.sub(r"[\s\-]", "", typed)
    return compact.isascii() and compact.upper() == code.replace("-", "")


def assert_caught_or_forgiven(typed: str, code: str) -> None:
    if forgiven(typed, code):
        assert verify_readable(typed) == code
    else:
        with pytest.raises(InvalidCode):
            verify_readable(typed)


@settings(max_examples=60)
@given(readable_codes)
def test_every_single_character_substitution_is_caught(code: str) -> None:
    assert looks_readable(code) and verify_readable(code) == code
    changed = 0
    for i, original in enumerate(code):
        for sub in SUBSTITUTES:
            if sub != original:
                typo = code[:i] + sub + code[i + 1 :]
                assert_caught_or_forgiven(typo, code)
                changed += not forgiven(typo, code)
    assert changed > len(code) * 30  # the check above really ran on wrong codes


@settings(max_examples=200)
@given(readable_codes)
def test_every_adjacent_transposition_is_caught(code: str) -> None:
    compact = code.replace("-", "")
    for text in (code, compact):  # in the compact form, characters on both sides of a hyphen are neighbours
        for i in range(len(text) - 1):
            if text[i] != text[i + 1]:
                swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
                assert_caught_or_forgiven(swapped, code)
    payload = compact[2:]
    for i in range(len(payload) - 1):
        if payload[i] != payload[i + 1]:
            swapped = "GC" + payload[:i] + payload[i + 1] + payload[i] + payload[i + 2 :]
            with pytest.raises(InvalidCode):
                verify_readable(swapped)


@given(st.lists(st.one_of(st.sampled_from("GC-" + READABLE_ALPHABET + READABLE_ALPHABET.lower() + " "),
                          st.characters()), max_size=30).map("".join))
def test_whatever_is_typed_a_readable_code_comes_out_only_as_what_was_typed(text: str) -> None:
    try:
        code = verify_readable(text)
    except InvalidCode:
        return
    assert looks_readable(code)
    assert forgiven(text, code)


# ---- the ledger under any sequence of operations ----------------------------------------------------------------

#: Mostly amounts a card can pay, sometimes any amount up to more than any card holds here.
small_or_any = st.one_of(st.integers(1, 800), st.integers(1, 8000))
CODES = [generate_code(CodeConfig.readable_default(), random.Random(i).randbytes) for i in range(4)]
DEVICE = "till_1"


@dataclass
class Redemption:
    id: uuid.UUID
    card: int
    by: str


class LedgerMachine(RuleBasedStateMachine):
    """Sell, redeem, top up, correct, refund, disable and enable a few cards through the services, in any order,
    by a manager or a cashier, while the clock moves; a model keeps the balance each card should have."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(START)
        self.uow = FakeUnitOfWork()
        self.callers = {
            "manager": Caller(Actor("u_m", "Maria", Role.MANAGER), DEVICE, self.clock),
            "cashier": Caller(Actor("u_c", "Carl", Role.CASHIER), DEVICE, self.clock),
        }
        gift_cards = [
            GiftCard(id="v_0", code=CODES[0], currency="EUR", initial_amount=5000),
            GiftCard(id="v_1", code=CODES[1], currency="EUR", initial_amount=2000, redemption_limit=4),
            GiftCard(id="v_2", code=CODES[2], currency="EUR", expiration_date=START + timedelta(hours=6)),
            GiftCard(id="v_3", code=CODES[3], currency="EUR", min_order_amount=500),
        ]
        with self.uow:
            self.uow.settings.set("currency", "EUR")
            self.uow.cards.add_many(gift_cards)
            self.uow.commit()
        self.ids = [c.id for c in gift_cards]
        self.initial = [c.initial_amount for c in gift_cards]
        self.model = dict.fromkeys(self.ids, 0)
        self.redemptions: list[Redemption] = []
        self.succeeded: dict[str, int] = {}
        self.refused: dict[str, int] = {}

    # -- helpers ----------------------------------------------------------------------------------------------

    @staticmethod
    def note(text: str) -> None:
        with contextlib.suppress(InvalidArgument):  # the rules are also run by hand, outside Hypothesis, below
            note(text)

    def balances(self) -> dict[str, int]:
        return {card.id: card.balance for card in self.uow.cards.iter_all()}

    def attempt(self, name: str, card: int, operation: Callable[[], object], delta: int | None) -> object | None:
        """Run ``operation``; a success moves card ``card`` (only) by ``delta``, a refusal moves nothing."""
        before, known = self.balances(), set(self.uow.state.entries)
        try:
            result = operation()
        except GiftCardError as exc:
            self.note(f"{name} on card {card}: refused {exc.key}")
            self.refused[exc.key] = self.refused.get(exc.key, 0) + 1
            assert self.balances() == before, f"refused {name} ({exc.key}) changed a balance"
            new = [e for i, e in self.uow.state.entries.items() if i not in known]
            assert all(not e.succeeded and e.error_key == exc.key for e in new) and len(new) <= 1
            return None
        self.note(f"{name} on card {card}: ok")
        self.succeeded[name] = self.succeeded.get(name, 0) + 1
        card_id = self.ids[card]
        expected = dict(before)
        expected[card_id] += delta or 0
        assert self.balances() == expected
        if isinstance(result, Entry):
            assert result.card_id == card_id and result.amount == delta and result.balance_after == expected[card_id]
        self.model[card_id] += delta or 0
        return result

    # -- rules ------------------------------------------------------------------------------------------------

    @initialize(first=st.none() | st.integers(1, 8000), second=st.none() | st.integers(1, 8000))
    def open_the_shop(self, first: int | None, second: int | None) -> None:
        """Most days start with cards already sold: two of the four are."""
        self.sell(0, first)
        self.sell(1, second)

    @rule(card=st.integers(0, 3), amount=st.none() | st.integers(1, 8000))
    def sell(self, card: int, amount: int | None) -> None:
        money = None if amount is None else Money(amount, "EUR")
        delta = amount if amount is not None else self.initial[card]
        self.attempt("sell", card, lambda: cards.sell(self.uow, self.callers["manager"], CODES[card], money), delta)

    @rule(card=st.integers(0, 3), amount=small_or_any, currency=st.sampled_from(["EUR"] * 5 + ["USD"]),
          by=st.sampled_from(["manager", "cashier"]), order=st.none() | st.integers(0, 10_000))
    def redeem(self, card: int, amount: int, currency: str, by: str, order: int | None) -> None:
        known = set(self.uow.state.entries)
        entry = self.attempt("redeem", card, lambda: cards.redeem(
            self.uow, self.callers[by], CODES[card], Money(amount, currency), order_amount=order), -amount)
        # keep failed attempts too: refunding one must be refused
        for entry_id in set(self.uow.state.entries) - known:
            self.redemptions.append(Redemption(entry_id, card, by))
        assert entry is None or isinstance(entry, Entry)

    @rule(card=st.integers(0, 3), amount=small_or_any)
    def top_up(self, card: int, amount: int) -> None:
        self.attempt("top_up", card, lambda: cards.top_up(
            self.uow, self.callers["manager"], CODES[card], Money(amount, "EUR"), reason="top-up"), amount)

    @rule(card=st.integers(0, 3), delta=st.integers(-6000, 6000).filter(bool), reason=st.sampled_from(["count", ""]))
    def correct(self, card: int, delta: int, reason: str) -> None:
        self.attempt("correct", card, lambda: cards.correct(
            self.uow, self.callers["manager"], CODES[card], Money(delta, "EUR"), reason=reason), delta)

    @precondition(lambda self: self.redemptions)
    @rule(pick=st.integers(0, 10_000), failed=st.sampled_from([False] * 4 + [True]),
          partial=st.none() | small_or_any, by=st.sampled_from(["manager", "cashier"]))
    def refund(self, pick: int, failed: bool, partial: int | None, by: str) -> None:
        """Refund a successful earlier redemption, now and then a failed one (which must be refused)."""
        done = {e.id for e in self.uow.entries.iter_all() if e.succeeded}
        choice = [r for r in self.redemptions if (r.id in done) is not failed] or self.redemptions
        redemption = choice[pick % len(choice)]
        original = self.uow.entries.get(redemption.id)
        assert original is not None
        left = -original.amount - self.uow.entries.refunded(redemption.id)  # what None gives back
        delta = partial if partial is not None else left
        money = None if partial is None else Money(partial, "EUR")
        self.attempt("refund", redemption.card, lambda: cards.refund(
            self.uow, self.callers[by], redemption.id, money), delta)

    @rule(card=st.integers(0, 3), enabled=st.booleans())
    def disable_or_enable(self, card: int, enabled: bool) -> None:
        self.attempt("enable" if enabled else "disable", card, lambda: cards.set_enabled(
            self.uow, self.callers["manager"], CODES[card], enabled=enabled), 0)

    @rule(minutes=st.integers(1, 40))
    def time_passes(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    # -- what must always hold --------------------------------------------------------------------------------

    @invariant()
    def every_card_and_the_store_add_up(self) -> None:
        loaded = outstanding = redeemed = refunded = 0
        for card in self.uow.cards.iter_all():
            assert card.loaded - card.redeemed + card.refunded == card.balance
            assert card.balance >= 0
            assert card.balance == self.model[card.id]

            history = self.uow.entries.for_card(card.id)[::-1]  # oldest first
            ok = [e for e in history if e.succeeded]
            assert sum(e.amount for e in ok) == card.balance
            assert sum(e.loaded_delta for e in ok) == card.loaded
            assert -sum(e.amount for e in ok if e.kind is EntryKind.CREDITS_REDEMPTION) == card.redeemed
            assert sum(e.amount for e in ok if e.kind is EntryKind.CREDITS_REFUND) == card.refunded
            assert sum(e.kind is EntryKind.CREDITS_REDEMPTION for e in ok) == card.redemption_count
            running = 0
            for e in history:
                running += e.balance_delta
                assert e.balance_after == running >= 0
            refunds = [e for e in ok if e.kind is EntryKind.CREDITS_REFUND]
            given_back: dict[object, int] = {}
            for r in refunds:
                took = self.uow.entries.get(r.refund_of)  # type: ignore[arg-type]
                assert took is not None and took.succeeded and took.card_id == card.id
                given_back[took.id] = given_back.get(took.id, 0) + r.amount
                assert r.amount > 0 and given_back[took.id] <= -took.amount, "refunds gave back more than it took"

            loaded += card.loaded
            outstanding += card.balance
            redeemed += card.redeemed
            refunded += card.refunded
        assert loaded == outstanding + redeemed - refunded
        assert sum(e.balance_delta for e in self.uow.entries.iter_all()) == outstanding
        assert sum(e.loaded_delta for e in self.uow.entries.iter_all()) == loaded
        report = self.uow.reports.liability()
        assert sum(r.outstanding for r in report) == outstanding and sum(r.loaded for r in report) == loaded

    @invariant()
    def the_till_numbers_its_entries_without_gaps(self) -> None:
        seqs = [e.device_seq for e in self.uow.entries.iter_all()]
        assert seqs == list(range(1, len(seqs) + 1))


LedgerMachine.TestCase.settings = settings(max_examples=120, stateful_step_count=40, deadline=None)
TestLedger = LedgerMachine.TestCase


def test_the_ledger_machine_reaches_every_kind_of_success() -> None:
    """Guard against a machine whose rules can only ever be refused (which would make its invariants trivial)."""
    machine = LedgerMachine()
    machine.open_the_shop(None, 2000)
    machine.sell(3, 3000)
    machine.redeem(0, 1200, "EUR", "cashier", None)  # redemption 0
    machine.redeem(1, 500, "EUR", "manager", None)  # redemption 1
    machine.redeem(3, 400, "EUR", "manager", 600)  # redemption 2
    machine.top_up(0, 1000)
    machine.correct(1, -500, "count")
    machine.correct(1, 250, "count")
    machine.refund(0, False, 200, "cashier")  # their own, just now: allowed
    machine.refund(1, False, 100, "manager")  # a part of it
    machine.refund(1, False, None, "manager")  # all that is left of it
    machine.refund(1, False, None, "manager")  # nothing left: refused
    machine.refund(2, False, None, "cashier")  # the manager's: refused
    machine.disable_or_enable(0, False)
    machine.redeem(0, 100, "EUR", "cashier", None)  # disabled: refused, recorded as a failed attempt
    machine.refund(0, True, None, "manager")  # refunding the failed attempt: refused
    machine.disable_or_enable(0, True)
    machine.time_passes(20)
    machine.redeem(0, 100, "EUR", "cashier", None)  # redemption 3
    machine.refund(3, False, None, "cashier")
    machine.every_card_and_the_store_add_up()
    machine.the_till_numbers_its_entries_without_gaps()
    assert set(machine.succeeded) == {"sell", "redeem", "top_up", "correct", "refund", "disable", "enable"}
    assert machine.refused == {"already_rolled_back": 1, "forbidden": 1, "voucher_disabled": 1, "invalid_payload": 1}
    assert machine.model == {"v_0": 5000 - 1200 + 1000 + 200 - 100 + 100, "v_1": 2000 - 500 - 500 + 250 + 500,
                             "v_2": 0, "v_3": 3000 - 400}
