"""End of day: what one local day's ledger adds up to, per till and cashier (a shift, or Z, report).

Pure figures in minor units, from lines the store has already grouped (:class:`DayLine`): a store never loads a
day's entries to add them up. :func:`summarise` turns them into one :class:`DayFigures` per till and cashier (a
shift), per till, and for the whole shop — every screen, file and printout of the report shows these, so they
cannot disagree. Only successful entries move money; refused attempts are not in the figures.

* **Sales**: cards sold, their value put on cards and what customers paid (``paid``; less for a promotion), by
  payment method (:class:`Takings`, ``payment`` None: a sale from before payments were kept, or one made by head
  office without one).
* **Top-ups**, **redemptions**, **refunds**: how many and how much (positive amounts).
* **Corrections**: how many, and their net effect (signed: up minus down).
* **Unsynced**: this till's entries of the day the central server has not acknowledged yet (made offline).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from pos_app.domain.ledger import Addition, EntryKind, PaymentMethod, addition_kind


@dataclass(frozen=True, slots=True, kw_only=True)
class DayLine:
    """Successful entries of one till, operator, currency and kind (a payment method, whether they carry a price
    and a reason), grouped by the store: how many, their summed amount and price, how many are unsynced."""

    device_id: str
    operator_id: str | None
    currency: str
    kind: EntryKind
    payment: PaymentMethod | None
    priced: bool
    reasoned: bool
    count: int
    amount: int
    price: int
    unsynced: int = 0


@dataclass(frozen=True, slots=True)
class Takings:
    """Cards sold with one payment method: how many, the value put on them, what the customers paid."""

    payment: PaymentMethod | None
    count: int
    value: int
    paid: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DayFigures:
    """One shift (a till and a cashier), one till (``operator_id`` None) or the shop (both None)."""

    device_id: str | None
    operator_id: str | None
    operator_name: str | None = None
    currency: str
    takings: tuple[Takings, ...] = ()
    top_ups: int = 0
    topped_up: int = 0
    redemptions: int = 0
    redeemed: int = 0
    refunds: int = 0
    refunded: int = 0
    corrections: int = 0
    corrected: int = 0  # signed: up minus down
    unsynced: int = 0

    @property
    def sales(self) -> int:
        return sum(t.count for t in self.takings)

    @property
    def sold(self) -> int:
        """The value put on the cards sold."""
        return sum(t.value for t in self.takings)

    @property
    def paid(self) -> int:
        """What the customers paid for the cards sold (all payment methods)."""
        return sum(t.paid for t in self.takings)

    def paid_by(self, payment: PaymentMethod | None) -> int:
        return sum(t.paid for t in self.takings if t.payment == payment)


@dataclass(frozen=True, slots=True, kw_only=True)
class DayReport:
    """The report of ``day`` (a local day of the shop: ``since`` ≤ an entry's time < ``until``)."""

    day: date
    since: datetime
    until: datetime
    currency: str
    shifts: tuple[DayFigures, ...]  # per till and cashier, by till then cashier
    tills: tuple[DayFigures, ...]  # per till
    total: DayFigures  # the shop (every till here, in the shop's currency)
    at: datetime  # when it was made


@dataclass(slots=True)
class _Sum:
    takings: dict[PaymentMethod | None, list[int]] = field(default_factory=dict)
    figures: list[int] = field(default_factory=lambda: [0] * 9)

    def add(self, line: DayLine) -> None:
        f = self.figures
        f[8] += line.unsynced
        if line.kind is EntryKind.CREDITS_ADDITION:
            what = addition_kind(price=line.price if line.priced else None, payment=line.payment,
                                 reason="r" if line.reasoned else None)
            if what is Addition.SALE:
                t = self.takings.setdefault(line.payment, [0, 0, 0])
                t[0] += line.count
                t[1] += line.amount
                t[2] += line.price if line.priced else line.amount
                return
            if what is Addition.TOP_UP:
                f[0] += line.count
                f[1] += line.amount
                return
        if line.kind is EntryKind.CREDITS_REDEMPTION:
            f[2] += line.count
            f[3] += -line.amount
        elif line.kind is EntryKind.CREDITS_REFUND:
            f[4] += line.count
            f[5] += line.amount
        else:  # a correction, up or down
            f[6] += line.count
            f[7] += line.amount

    def figures_of(self, device_id: str | None, operator_id: str | None, name: str | None,
                   currency: str) -> DayFigures:
        order: dict[PaymentMethod | None, int] = {m: i for i, m in enumerate(PaymentMethod)}
        takings = tuple(Takings(p, *t) for p, t in sorted(self.takings.items(),
                                                          key=lambda item: order.get(item[0], len(order))))
        f = self.figures
        return DayFigures(device_id=device_id, operator_id=operator_id, operator_name=name, currency=currency,
                          takings=takings, top_ups=f[0], topped_up=f[1], redemptions=f[2], redeemed=f[3],
                          refunds=f[4], refunded=f[5], corrections=f[6], corrected=f[7], unsynced=f[8])


def summarise(lines: Iterable[DayLine], *, day: date, since: datetime, until: datetime, currency: str,
              names: dict[str, str], at: datetime) -> DayReport:
    """The report of ``day`` from the store's grouped ``lines`` (those in other currencies are left out: a shop
    has one); ``names``: operator id → the person's name."""
    shifts: dict[tuple[str, str], _Sum] = defaultdict(_Sum)
    tills: dict[str, _Sum] = defaultdict(_Sum)
    total = _Sum()
    for line in lines:
        if line.currency != currency:
            continue
        for each in (shifts[(line.device_id, line.operator_id or "")], tills[line.device_id], total):
            each.add(line)
    return DayReport(
        day=day, since=since, until=until, currency=currency, at=at,
        shifts=tuple(s.figures_of(device, operator or None, names.get(operator), currency)
                     for (device, operator), s in sorted(shifts.items())),
        tills=tuple(s.figures_of(device, None, None, currency) for device, s in sorted(tills.items())),
        total=total.figures_of(None, None, None, currency),
    )
