"""The port to the central server, as the use cases see it (no httpx, no pydantic here).

An enrolled till asks the server to decide every value change (:class:`Authoriser`); when the server does not
answer (:class:`ServerUnavailable`), the use case may stand in within the offline limits of
``pos_app.domain.offline``. The sync client in ``pos_app.sync`` implements the port; tests use a fake.
"""

from __future__ import annotations

import abc
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pos_app.domain.cards import GiftCard
from pos_app.domain.errors import GiftCardError
from pos_app.domain.ledger import Entry
from pos_app.services.ports import Customer

OperationName = Literal["redeem", "sell", "top_up", "correct", "refund"]


class ServerUnavailable(Exception):
    """The server did not answer in time (network down, timeout, 5xx): the till may stand in for it.

    Not a GiftCardError: it is never shown as a refusal; the use case falls back to the offline rules.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class OnlineOperation:
    """One value change for the server to decide; ``entry_id`` is made by the till and makes a retry safe."""

    op: OperationName
    entry_id: uuid.UUID
    code: str
    amount: int | None  # positive minor units; signed for "correct"; None: the preset value / all it took
    currency: str
    operator_id: str | None
    created_at: datetime
    device_seq: int = 0  # reserved by the till before it asks, so the recorded entry keeps its place
    order_ref: str | None = None
    order_amount: int | None = None
    reason: str | None = None
    refund_of: uuid.UUID | None = None
    override_by: str | None = None
    price: int | None = None  # a sale's: what the customer paid (None: the value)
    payment: str | None = None  # a sale's: cash, card, other


@dataclass(frozen=True, slots=True, kw_only=True)
class OnlineOutcome:
    """What the server decided: the recorded entry (also for a refusal of a known card), the card as it now
    stands, and the refusal if there was one."""

    entry: Entry | None
    card: GiftCard | None
    error: GiftCardError | None = None


class Authoriser(abc.ABC):
    @abc.abstractmethod
    def authorise(self, operation: OnlineOperation) -> OnlineOutcome:
        """Ask the server; raises :class:`ServerUnavailable` when it does not answer."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Publication:
    """Give the card ``code`` to the customer the shop knows as ``source_id`` (made on first use; details given
    replace the ones kept), done by ``operator_id``."""

    code: str
    source_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    operator_id: str | None = None


class Publisher(abc.ABC):
    """An enrolled till's publications: the server gives the card to the customer (a card belongs to one customer
    only, across every till), and answers with both as they now stand."""

    @abc.abstractmethod
    def publish(self, publication: Publication) -> tuple[GiftCard, Customer]:
        """Ask the server; raises :class:`ServerUnavailable` when it does not answer, a refusal as its error."""
