"""Importing cards from CSV or JSON — our own export, or Voucherify's — all or nothing.

Every row is read and checked first; if anything is wrong, nothing is written and :class:`ImportFailed` lists
the problems with their line numbers (CSV) or item numbers (JSON), each with its error key. Only then are the
cards written, in batches of a few thousand per transaction, with progress.

Decisions (the file is the authority on each card; nothing is inherited from an existing campaign):

- The file's bytes are decoded by :mod:`pos_app.services.import_text`: UTF-8 with or without a byte-order mark,
  UTF-16 with one; anything else, JSON nested too deeply and numbers of absurd length are refused by line.
- Amounts are integer minor units, as in Voucherify's API and our export; ``12.50`` is refused, not guessed. In
  JSON an amount (or a count) is a JSON integer: ``"100"``, ``true`` and ``100.0`` are refused; a CSV cell, being
  text, holds digits only.
- Codes are kept exactly as given (case included); only surrounding white space is stripped.
- A card of value V and balance B (default V) gets a ``CREDITS_ADDITION`` of V (reason ``import``) and, when
  B < V, a ``CREDITS_REDEMPTION`` of V-B (reason ``import: redeemed before import``), both at the time of
  the import, by the importing manager on this till, so that loaded - redeemed + refunded = balance holds. That
  redemption is no payment made here: the redemption reports leave it out (``Entry.is_used_before_import``).
- Status: our ``status`` column wins (``frozen`` is imported as ``disabled``: the conflict that froze the card
  is not in the file, and a manager can enable it). Without it: value 0 → ``inactive`` with no entries;
  else ``active``, or ``disabled`` when ``active`` is false. ``active`` and ``status`` must agree if both given.
- ``redemption_count`` given: the card keeps the larger of it and the count of its import entries.
- A campaign named in the file that does not exist is created (amount = the first value seen, code_config {}).
- Columns we do not know (``id``, ``customer_id``, ``created_at``, …) are ignored and named in the result.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import IO, Any

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard, OperationContext, check_date, check_metadata
from pos_app.domain.codes import mask
from pos_app.domain.ledger import USED_BEFORE_IMPORT, Entry, EntryKind
from pos_app.domain.people import Permission
from pos_app.services import import_fields as fields
from pos_app.services.campaigns import new_id
from pos_app.services.context import Caller
from pos_app.services.import_text import Unreadable, decode, load_json
from pos_app.services.modes import require_standalone
from pos_app.services.ports import UnitOfWork

Progress = Callable[[int, int], None]  # (done, total)
BATCH = 5_000
MAX_PROBLEMS_SHOWN = 20
MAX_PROBLEMS_KEPT = 1_000
IMPORT_REASON = "import"
REDEEMED_BEFORE_REASON = USED_BEFORE_IMPORT

#: Header names (lower case, spaces and hyphens as underscores) → the field they fill.
ALIASES: dict[str, str] = {
    "code": "code", "voucher_code": "code",
    "value": "value", "gift_amount": "value", "amount": "value", "gift_value": "value",
    "gift_balance": "balance", "balance": "balance",
    "initial_amount": "initial_amount",
    "campaign": "campaign", "campaign_name": "campaign",
    "category": "category",
    "start_date": "start_date",
    "expiration_date": "expiration_date", "expiry_date": "expiration_date",
    "redemption_quantity": "redemption_quantity", "redemption_limit": "redemption_quantity",
    "redemption_count": "redemption_count", "redeemed_quantity": "redemption_count",
    "active": "active", "currency": "currency", "status": "status",
    "voucher_type": "voucher_type", "type": "voucher_type",
    "metadata": "metadata",
}


@dataclass(frozen=True, slots=True)
class ImportResult:
    cards: int
    entries: int
    campaigns_created: int
    ignored_columns: tuple[str, ...] = ()


@dataclass(slots=True, kw_only=True)
class ImportRow:
    where: str
    code: str
    value: int
    balance: int
    status: CardStatus
    initial_amount: int | None = None
    campaign: str | None = None
    category: str | None = None
    start_date: datetime | None = None
    expiration_date: datetime | None = None
    redemption_limit: int | None = None
    redemption_count: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Problems:
    count: int = 0
    kept: list[str] = field(default_factory=list)

    def add(self, where: str, error: errors.GiftCardError) -> None:
        self.count += 1
        if len(self.kept) < MAX_PROBLEMS_KEPT:
            self.kept.append(f"{where}: {error.key}: {error.details or error.message}")

    def raise_if_any(self) -> None:
        if not self.count:
            return
        shown = self.kept[:MAX_PROBLEMS_SHOWN]
        more = f"\n… and {self.count - len(shown)} more" if self.count > len(shown) else ""
        noun = "problem" if self.count == 1 else "problems"
        raise errors.ImportFailed(
            f"{self.count} {noun}; nothing was imported:\n" + "\n".join(shown) + more,
            problems=tuple(self.kept), count=self.count,
        )


#: An import file: its bytes (decoded here, see :mod:`pos_app.services.import_text`), or text already decoded.
Source = bytes | str | IO[bytes] | IO[str]


def import_cards(uow: UnitOfWork, caller: Caller, rows_source: Source, *, fmt: str,
                 progress: Progress | None = None, batch_size: int = BATCH) -> ImportResult:
    """Import the cards in ``rows_source`` (CSV or JSON: bytes, a binary stream or text), all or nothing."""
    caller.require(Permission.IMPORT_EXPORT)
    if fmt not in ("csv", "json"):
        raise errors.InvalidPayload(f"unknown import format {fmt!r}; use csv or json")
    with uow:
        require_standalone(uow, "importing cards", "pos-server import FILE")
        currency = uow.settings.get("currency")
    if currency is None:
        raise errors.StoreNotInitialised()
    parsed = read_file(rows_source, fmt=fmt, currency=str(currency), zone=caller.zone)
    _check_store(uow, parsed.rows, str(currency), parsed.problems, batch_size)
    parsed.problems.raise_if_any()
    return _write(uow, caller, parsed.rows, currency=str(currency), progress=progress, batch_size=batch_size,
                  ignored=parsed.ignored)


@dataclass(frozen=True, slots=True)
class ReadFile:
    """The cards of a file, each checked on its own; ``problems`` also has what the store must still check."""

    rows: list[ImportRow]
    problems: Problems
    ignored: tuple[str, ...]


def read_file(rows_source: Source, *, fmt: str, currency: str, zone: tzinfo) -> ReadFile:
    """Read and check every row of a CSV or JSON file (the till's import and the server's share this); a bare
    date is a day of the shop's time zone ``zone``."""
    problems = Problems()
    ignored: list[str] = []
    records: Iterable[tuple[str, dict[str, Any]]] = ()
    try:
        text = _text(rows_source)
        records = (_csv_records(text, problems, ignored) if fmt == "csv"
                   else _json_records(load_json(text), problems))
    except Unreadable as exc:
        problems.add(exc.where, exc.error)
    rows: list[ImportRow] = []
    first_seen: dict[str, str] = {}
    for where, raw in records:
        row = _parse_row(where, raw, currency, problems, first_seen, zone, from_csv=fmt == "csv")
        if row is not None:
            rows.append(row)
    if not rows and not problems.count:
        problems.add("file", errors.InvalidPayload("there are no cards in it"))
    return ReadFile(rows=rows, problems=problems, ignored=tuple(ignored))


# ---- reading -----------------------------------------------------------------------------------------------

def _text(source: Source) -> str:
    """The file's text: bytes are decoded deliberately (:func:`decode`); text is taken as it is."""
    data = source if isinstance(source, bytes | str) else source.read()
    return decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")


def _csv_records(text: str, problems: Problems, ignored: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    lines: Iterator[str] = iter(io.StringIO(text, newline=""))
    first = next(lines, "")
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
    try:
        header = next(reader, [])
        if not header:
            problems.add("line 1", errors.InvalidPayload("the file is empty"))
            return
        fields: list[str | None] = []
        for name in header:
            key = ALIASES.get("_".join(name.strip().lower().replace("-", " ").split()))
            if key is not None and key in fields:
                problems.add("line 1", errors.InvalidPayload(f"two columns give the {key}: {name!r} too"))
            if key is None and name.strip():
                ignored.append(name.strip())
            fields.append(key)
        if "code" not in fields:
            problems.add("line 1", errors.InvalidPayload("the header has no code column"))
            return
        start = reader.line_num + 1
        for cells in reader:
            where, start = f"line {start}", reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if any(c.strip() for c in cells[len(fields):]):
                problems.add(where, errors.InvalidPayload(
                    f"{len(cells)} fields, but the header has {len(fields)}"))
                continue
            yield where, {k: v for k, v in zip(fields, cells, strict=False) if k is not None}
    except csv.Error as exc:
        problems.add(f"line {reader.line_num}", errors.InvalidPayload(f"not readable as CSV ({exc})"))


def _json_records(data: Any, problems: Problems) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(data, dict):
        data = data.get("vouchers", data.get("data"))
    if not isinstance(data, list):
        problems.add("file", errors.InvalidPayload('expected a list of vouchers, or {"vouchers": [...]}'))
        return
    for number, item in enumerate(data, start=1):
        where = f"item {number}"
        if not isinstance(item, dict):
            problems.add(where, errors.InvalidPayload("a voucher is a JSON object"))
            continue
        raw = {ALIASES[k]: v for k, v in item.items() if k in ALIASES and k not in ("gift", "redemption")}
        for key, nested, inner in (("value", "gift", "amount"), ("balance", "gift", "balance"),
                                   ("redemption_quantity", "redemption", "quantity"),
                                   ("redemption_count", "redemption", "redeemed_quantity")):
            part = item.get(nested)
            if part is not None and not isinstance(part, dict):
                problems.add(where, errors.InvalidPayload(f"{nested} must be an object"))
                break
            if part and part.get(inner) is not None:
                raw[key] = part[inner]
        else:
            yield where, raw


# ---- checking one row --------------------------------------------------------------------------------------

def _parse_row(where: str, raw: dict[str, Any], currency: str, problems: Problems,
               first_seen: dict[str, str], zone: tzinfo, *, from_csv: bool) -> ImportRow | None:
    """The row as a card to make, or None after adding its problems (a repeated code is one of them).

    ``from_csv``: the values are a CSV's text, where a whole number is written in digits; in JSON it is a number."""
    before = problems.count
    bad = object()  # what a field that has a problem reads as, so that no second problem follows from it

    def check(parse: Callable[[], Any]) -> Any:
        try:
            return parse()
        except errors.GiftCardError as exc:
            problems.add(where, exc)
            return bad

    code = check(lambda: fields.code(raw.get("code")))
    if code is not bad:
        if code in first_seen:
            problems.add(where, errors.DuplicateFound(f"the same code as {first_seen[code]}"))
        else:
            first_seen[code] = where
    digits = from_csv
    value = check(lambda: fields.minor(raw.get("value"), "value", currency, digits=digits) or 0)
    balance = check(lambda: fields.minor(raw.get("balance"), "gift_balance", currency, digits=digits))
    initial = check(lambda: fields.minor(raw.get("initial_amount"), "initial_amount", currency, digits=digits) or None)
    limit = check(lambda: fields.count(raw.get("redemption_quantity"), "redemption_quantity", minimum=1, digits=digits))
    used = check(lambda: fields.count(raw.get("redemption_count"), "redemption_count", minimum=0, digits=digits))
    active = check(lambda: fields.flag(raw.get("active")))
    status = check(lambda: fields.status(raw.get("status")))
    start = check(lambda: fields.when(raw.get("start_date"), "start_date", zone, end_of_day=False))
    expiry = check(lambda: fields.when(raw.get("expiration_date"), "expiration_date", zone,
                                         end_of_day=True))
    campaign = check(lambda: fields.text(raw.get("campaign"), "campaign", 200))
    category = check(lambda: fields.text(raw.get("category"), "category", 200))
    metadata = check(lambda: fields.metadata(raw.get("metadata")))
    check(lambda: fields.same(raw.get("voucher_type"), "GIFT_VOUCHER", "only gift cards can be imported, not"))
    check(lambda: fields.same(raw.get("currency"), currency, f"this store's currency is {currency}, not",
                        errors.CurrencyMismatch))

    def ok(*values: Any) -> bool:
        return all(v is not bad and v is not None for v in values)

    if ok(balance, value) and balance > value:
        problems.add(where, errors.InvalidAmount(f"gift_balance {balance} is more than the value {value}"))
    if ok(limit, used) and used > limit:
        problems.add(where, errors.InvalidPayload(
            f"redemption_count {used} is above redemption_quantity {limit}"))
    if ok(start, expiry) and expiry <= start:
        problems.add(where, errors.InvalidPayload("the expiration_date is not after the start_date"))
    if ok(active, status) and active != (status is CardStatus.ACTIVE):
        problems.add(where, errors.InvalidPayload(
            f"active {str(active).lower()} contradicts status {status}"))
    if problems.count > before:
        return None
    if status is None:
        status = CardStatus.INACTIVE if value == 0 else (
            CardStatus.DISABLED if active is False else CardStatus.ACTIVE)
    return ImportRow(
        where=where, code=code, value=value, balance=value if balance is None else balance,
        status=CardStatus.DISABLED if status is CardStatus.FROZEN else status, initial_amount=initial,
        campaign=campaign, category=category, start_date=start, expiration_date=expiry,
        redemption_limit=limit, redemption_count=used, metadata=metadata or {},
    )


def _check_store(uow: UnitOfWork, rows: list[ImportRow], currency: str, problems: Problems, batch_size: int
                 ) -> None:
    """Codes that exist already, and campaigns in another currency, are problems too."""
    with uow:
        for chunk in _chunks(rows, batch_size):
            taken = uow.cards.existing_codes([r.code for r in chunk])
            for row in chunk:
                if row.code in taken:
                    problems.add(row.where, errors.DuplicateFound(
                        f"card {mask(row.code)} exists in this store"))
        for name in dict.fromkeys(r.campaign for r in rows if r.campaign):
            campaign = uow.campaigns.get_by_name(name)
            if campaign is not None and campaign.currency != currency:
                first = next(r.where for r in rows if r.campaign == name)
                problems.add(first, errors.CurrencyMismatch(f"campaign {name!r} is in {campaign.currency}"))


# ---- writing -----------------------------------------------------------------------------------------------

def _write(uow: UnitOfWork, caller: Caller, rows: list[ImportRow], *, currency: str, progress: Progress | None,
           batch_size: int, ignored: tuple[str, ...]) -> ImportResult:
    at = caller.clock()
    campaigns: dict[str, Campaign] = {}
    created = entries = done = 0
    if progress:
        progress(0, len(rows))
    for chunk in _chunks(rows, batch_size):
        with uow:
            per_campaign: dict[str, int] = {}
            new_names = (r.campaign for r in chunk if r.campaign and r.campaign not in campaigns)
            for name in dict.fromkeys(new_names):
                found = uow.campaigns.get_by_name(name)
                if found is None:
                    amount = next(r.value for r in rows if r.campaign == name)
                    found = Campaign(id=new_id("camp"), name=name, currency=currency, amount=amount,
                                     code_config={}, created_at=at)
                    uow.campaigns.add(found)
                    created += 1
                campaigns[name] = found
            ctx = OperationContext(at=at, zone=caller.zone, device_id=caller.device_id,
                                   operator_id=caller.actor.user_id)
            built = [build_card(row, campaigns.get(row.campaign) if row.campaign else None, currency, ctx)
                     for row in chunk]
            try:
                uow.cards.add_many([card for card, _ in built])
            except errors.DuplicateFound as exc:
                raise errors.ImportFailed(
                    f"{done} cards were imported; then a code of this file appeared in the store meanwhile "
                    f"({exc.details}). Import the rest without the cards already imported."
                ) from exc
            for card, card_entries in built:
                for entry in card_entries:
                    uow.entries.add(entry)
                entries += len(card_entries)
                if card.campaign_id is not None:
                    per_campaign[card.campaign_id] = per_campaign.get(card.campaign_id, 0) + 1
            for campaign_id, n in per_campaign.items():
                stored = uow.campaigns.get(campaign_id)
                if stored is not None:
                    stored.vouchers_count += n
                    uow.campaigns.save(stored)
            uow.commit()
        done += len(chunk)
        if progress:
            progress(done, len(rows))
    return ImportResult(cards=done, entries=entries, campaigns_created=created, ignored_columns=ignored)


def build_card(row: ImportRow, campaign: Campaign | None, currency: str, ctx: OperationContext, *,
               reason: str = IMPORT_REASON) -> tuple[GiftCard, list[Entry]]:
    """The card of ``row`` and the entries that give it its value and balance (at ``ctx.at``, by ``ctx``'s
    device and operator); ``reason``: the reason of the entry that loads its value. Its dates and metadata are
    checked again here, as every way in needs them (a file's cells were checked as they were read; the API's
    fields come here as they were sent): a card every till can pull."""
    check_date(row.start_date, "the start date")
    check_date(row.expiration_date, "the expiry date")
    check_metadata(row.metadata)
    at = ctx.at
    card = GiftCard(
        id=new_id("v"), code=row.code, currency=currency, campaign_id=campaign.id if campaign else None,
        initial_amount=row.initial_amount or row.value or (campaign.amount if campaign else None) or None,
        start_date=row.start_date, expiration_date=row.expiration_date, redemption_limit=row.redemption_limit,
        category=row.category, metadata=row.metadata, created_at=at,
    )
    made: list[Entry] = []

    def record(kind: EntryKind, amount: int, reason: str) -> None:
        made.append(card.apply(Entry(
            card_id=card.id, code=card.code, kind=kind, amount=amount, currency=currency,
            balance_after=card.balance + amount, created_at=at, device_id=ctx.device_id,
            operator_id=ctx.operator_id, reason=reason,
        )))

    if row.value > 0:
        record(EntryKind.CREDITS_ADDITION, row.value, reason)
    if row.balance < row.value:
        record(EntryKind.CREDITS_REDEMPTION, row.balance - row.value, REDEEMED_BEFORE_REASON)
    card.redemption_count = max(card.redemption_count, row.redemption_count or 0)
    card.status = row.status
    if row.value > 0 or row.status is CardStatus.ACTIVE:
        card.activated_at = at
    return card, made


def _chunks(rows: list[ImportRow], size: int) -> Iterable[list[ImportRow]]:
    size = max(1, size)
    for i in range(0, len(rows), size):
        yield rows[i : i + size]
