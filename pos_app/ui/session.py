"""What the till window does to the till, in plain Python: no Qt here, so it is tested without a window.

Every method may touch the store, the server or the printer, so the window calls them only through
:mod:`pos_app.ui.ops` (a worker thread), never on the GUI thread. Each call opens units of work of its own
(``Till.new_uow``/``new_reader``): the writer thread and the reader threads never share one.

The session holds who is logged in (:attr:`caller`), the last sale this till made (for "Refund last" and
"Reprint"), and turns typed text into money and codes the way the command line does.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, TextIO

from pos_app.bootstrap import Till
from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.day_report import DayReport
from pos_app.domain.ledger import Entry, EntryKind, PaymentMethod
from pos_app.domain.money import Money, parse_amount
from pos_app.domain.people import Permission, Role
from pos_app.domain.terms import CardChange, NewTerms
from pos_app.formatting import decimal_separator
from pos_app.printing.receipt import ReceiptKind
from pos_app.services import card_changes, cards, customers, reports
from pos_app.services.card_changes import Changed
from pos_app.services.cards import CardView
from pos_app.services.context import Caller
from pos_app.services.customers import CustomerCards
from pos_app.services.enrolment import head_office_policy
from pos_app.services.ports import Customer
from pos_app.services.setup import StoreProfile, load_profile

if TYPE_CHECKING:
    from pos_app.printing.spool import PrintOutcome
    from pos_app.services.ports import UnitOfWork


class NotLoggedIn(errors.GiftCardError):
    key, code, message = "unauthorized", 401, "nobody is logged in at this till"


@dataclass(frozen=True, slots=True)
class Sale:
    """A committed value change and what became of its receipt (``receipt`` None: no printer is set up)."""

    entry: Entry
    receipt: PrintOutcome | None = None

    @property
    def receipt_problem(self) -> str | None:
        """The cashier's sentence when the receipt did not print (the sale stands regardless)."""
        if self.receipt is None or self.receipt.printed:
            return None
        return self.receipt.message


@dataclass
class TillSession:
    """One till window's view of the till: the person logged in and the last sale.

    Threads: whatever uses ``till.uow`` (login, the authoriser's enrolment check) runs on the one writer thread
    of :mod:`pos_app.ui.ops`; reads open their own read-only units of work and may run anywhere.

    ``printing``: print a receipt after each value change when a printer is set up (tests may turn it off).
    """

    till: Till
    printing: bool = True
    caller: Caller | None = None
    last_sale: Entry | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _profile: StoreProfile | None = field(default=None, repr=False)

    # ---- who is at the till ----------------------------------------------------------------------------------

    @property
    def profile(self) -> StoreProfile:
        """The store's name, currency, locale and device id, read once (settings call :meth:`reload_profile`)."""
        profile = self._profile
        if profile is None:
            profile = self._profile = load_profile(self._reader())
        return profile

    def reload_profile(self) -> StoreProfile:
        self._profile = None
        return self.profile

    def login(self, pin: str) -> Caller:
        """Log in with ``pin`` (``unauthorized``/``locked_out`` otherwise); the last sale is forgotten."""
        return self.become(self.authenticate(pin))

    def authenticate(self, pin: str) -> Caller:
        """Who ``pin`` belongs to, without logging them in (a manager's PIN asked for over a cashier's
        shoulder). Wrong PINs count towards the lock-out like any other."""
        return self.till.login(pin)

    def become(self, caller: Caller) -> Caller:
        with self._lock:
            if self.caller is None or self.caller.actor.user_id != caller.actor.user_id:
                self.last_sale = None
            self.caller = caller
        return caller

    def logout(self) -> None:
        with self._lock:
            self.caller, self.last_sale = None, None

    @property
    def who(self) -> Caller:
        caller = self.caller
        if caller is None:
            raise NotLoggedIn()
        return caller

    @property
    def role(self) -> Role | None:
        return None if self.caller is None else self.caller.actor.role

    def can(self, permission: Permission) -> bool:
        return self.caller is not None and self.caller.actor.can(permission)

    # ---- typed text ------------------------------------------------------------------------------------------

    def money(self, text: str, *, zero: bool = False) -> Money:
        """An amount typed at the till ("12.50", or "12,50" where the locale writes a decimal comma); ``zero``:
        0 is an amount too (a card's price when it is given away)."""
        profile = self.profile
        return parse_amount(text, profile.currency, decimal_separator=decimal_separator(profile.locale),
                            allow_zero=zero)

    # ---- the cashier's work ----------------------------------------------------------------------------------

    def look_up(self, code: str, *, recent: int = 8) -> CardView:
        """The card and its last entries (``not_found``/``invalid_code`` otherwise)."""
        return cards.check_balance(self._reader(), self.who, code, recent=recent)

    def redeem(self, code: str, amount: Money, *, override_pin: str | None = None,
               order_ref: str | None = None) -> Sale:
        override = self.till.login(override_pin).actor if override_pin else None
        entry = cards.redeem(self._writer(), self.who, code, amount, order_ref=order_ref,
                             authoriser=self.till.authoriser(), override=override)
        return self._done(entry)

    def refund_last(self) -> Sale:
        """Roll back this till's last redemption (a cashier's own, within minutes; a manager's any time)."""
        last = self.last_sale
        if last is None or last.kind is not EntryKind.CREDITS_REDEMPTION:
            raise errors.NotFound("there is no redemption to refund since you logged in")
        entry = cards.refund(self._writer(), self.who, last.id, reason="refund last",
                             authoriser=self.till.authoriser())
        return self._done(entry)

    def reprint_last(self) -> PrintOutcome:
        last = self.last_sale
        if last is None:
            raise errors.NotFound("there is no receipt to reprint since you logged in")
        return self.reprint(last.id)

    def reprint(self, entry_id: uuid.UUID) -> PrintOutcome:
        from pos_app.printing.spool import NoPrinter

        settings = self.till.printer_settings()
        if not settings.destination:
            raise NoPrinter("this till has no receipt printer set up")
        spool = self.till.spool(settings)
        return spool.reprint(str(entry_id), lambda: self.till.receipt_of(entry_id, settings=settings))

    # ---- the manager's card work -----------------------------------------------------------------------------

    def sell(self, code: str, amount: Money | None = None, *, price: Money | None = None,
             payment: PaymentMethod = PaymentMethod.CASH, order_ref: str | None = None) -> Sale:
        """Sell and activate a card: ``price`` is what the customer paid (None: its value), ``payment`` how."""
        entry = cards.sell(self._writer(), self.who, code, amount, price=price, payment=payment, order_ref=order_ref,
                           authoriser=self.till.authoriser())
        return self._done(entry)

    def top_up(self, code: str, amount: Money, *, reason: str | None = None) -> Sale:
        entry = cards.top_up(self._writer(), self.who, code, amount, reason=reason,
                             authoriser=self.till.authoriser())
        return self._done(entry)

    def correct(self, code: str, delta: Money, *, reason: str) -> Sale:
        entry = cards.correct(self._writer(), self.who, code, delta, reason=reason,
                              authoriser=self.till.authoriser())
        return self._done(entry, kind=ReceiptKind.CORRECTION)

    def refund(self, entry_id: uuid.UUID | str, amount: Money | None = None, *, reason: str | None = None) -> Sale:
        entry = cards.refund(self._writer(), self.who, entry_id, amount, reason=reason,
                             authoriser=self.till.authoriser())
        return self._done(entry)

    def set_enabled(self, code: str, *, enabled: bool) -> GiftCard:
        return cards.set_enabled(self._writer(), self.who, code, enabled=enabled)

    def search(self, text: str, *, limit: int = 200) -> list[GiftCard]:
        """Cards whose code (or part of it) matches ``text`` (a manager's search; needs a manager)."""
        self.who.require(Permission.SEE_FULL_CODES)
        with self._reader() as uow:
            return uow.cards.search(text.strip(), limit=limit)

    # ---- customers ------------------------------------------------------------------------------------------

    def find_customers(self, text: str) -> list[CustomerCards]:
        """Customers by part of their name, e-mail or phone, with their cards (works offline)."""
        return customers.find(self._reader(), self.who, text)

    def customer(self, customer: str) -> CustomerCards:
        """One customer (the till's id for them or the shop's) with their cards."""
        return customers.show(self._reader(), self.who, customer)

    def publish(self, code: str, source_id: str, *, name: str | None = None, email: str | None = None,
                phone: str | None = None) -> tuple[GiftCard, Customer]:
        """Give a card to a customer: through the server on an enrolled till, here on a standalone one."""
        return customers.publish_to(self._writer(), self.who, code, source_id, name=name, email=email, phone=phone,
                                    publisher=self.till.publisher())

    def history(self, code: str, *, limit: int = 500) -> CardView:
        return cards.check_balance(self._reader(), self.who, code, recent=limit)

    def cashiers_sell(self) -> bool:
        """Whether the shop's rules (head office's, on an enrolled till) let cashiers sell cards."""
        with self._reader() as uow:
            return head_office_policy(uow.settings).cashiers_sell

    def set_cashiers_sell(self, allowed: bool) -> bool:
        """A standalone shop's manager lets cashiers sell cards, or not (``managed_by_server`` when enrolled)."""
        return cards.set_cashiers_sell(self._writer(), self.who, allowed=allowed).cashiers_sell

    # ---- the end of a day -------------------------------------------------------------------------------------

    def end_of_day(self, day: date | None = None) -> DayReport:
        """The shift (Z) report of ``day`` (default: today) for every till and cashier (a manager's)."""
        return reports.end_of_day(self._reader(), self.who, day)

    def print_end_of_day(self, report: DayReport) -> str:
        """Print it on the receipt printer; returns where it went (``printer_not_configured`` without one)."""
        self.who.require(Permission.REPORTS)
        return self.till.print_day_report(report)

    def export_end_of_day(self, report: DayReport, path: str) -> int:
        """Write it as CSV to ``path`` through the one export writer; returns how many rows."""
        from pos_app.cli_options import write_export

        self.who.require(Permission.REPORTS)
        rows: list[int] = []

        def write(out: TextIO) -> int:
            rows.append(reports.write_day_csv(report, out))
            return rows[-1]

        write_export(path, write, what="end-of-day rows", as_json=False)
        return rows[-1]

    def change_card(self, code: str, terms: NewTerms, *, reason: str) -> Changed:
        """Change a card's terms (a manager's; a last day ends in the shop's time zone)."""
        return card_changes.change_card(self._writer(), self.who, code, terms, reason=reason, zone=self.who.zone)

    def card_changes(self, code: str, *, limit: int = 20) -> list[CardChange]:
        """A card's audit trail, newest first (none for a cashier: the reasons are the managers')."""
        if not self.who.actor.can(Permission.CHANGE_CARD):
            return []
        return card_changes.changes_of(self._reader(), self.who, code, limit=limit)

    # ---- plumbing --------------------------------------------------------------------------------------------

    def _writer(self) -> UnitOfWork:
        return self.till.new_uow()

    def _reader(self) -> UnitOfWork:
        return self.till.new_reader()

    def _done(self, entry: Entry, *, kind: ReceiptKind | None = None) -> Sale:
        """Remember the sale, then print its receipt: after the commit, and never failing the sale."""
        with self._lock:
            self.last_sale = entry
        return Sale(entry=entry, receipt=self._print(entry, kind) if self.printing else None)

    def _print(self, entry: Entry, kind: ReceiptKind | None) -> PrintOutcome | None:
        from pos_app.printing.spool import PrintOutcome, PrintStatus

        try:
            settings = self.till.printer_settings()
            if not settings.destination:
                return None
            spool = self.till.spool(settings)
            make = cache(lambda: self.till.receipt_of(entry.id, kind=kind, settings=settings))
            return spool.print_receipt(str(entry.id), make)
        except Exception as exc:  # the sale is done whatever the printer says
            return PrintOutcome(status=PrintStatus.FAILED, entry_id=str(entry.id),
                                message=f"The receipt could not be made: {exc}")
