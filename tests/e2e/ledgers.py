"""Every till agrees with the server: the entries and the cards of each till's store against the server's database.

Compared per entry: the card, the kind, the amount, the result, the status and the redemption a refund rolls back;
per card: the status and the four figures. The server's own ledger must also hold its invariant, card by card:
loaded − redeemed + refunded = balance, each figure the sum of the card's successful entries of its kinds.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.e2e.conftest import CASHIER_PIN, MANAGER_PIN, Shop
from tests.server.harness import add_user, enrol_codes, pos_server

ENTRY = "id, card_id, kind, amount, result, status, refund_of"
CARD = "id, status, balance, loaded, redeemed, refunded"


def set_up(db_url: str, *tills: tuple[Shop, str], amount: str, count: int) -> list[str]:
    """People, a campaign and enrolled tills (each through its own URL); the campaign's codes."""
    add_user(db_url, "Maria", "manager", MANAGER_PIN)
    add_user(db_url, "Chris", "cashier", CASHIER_PIN)
    pos_server(db_url, "campaign", "create", "--name", "Winter", "--amount", amount, "--count", str(count))
    for (till, url), code in zip(tills, enrol_codes(db_url, len(tills)), strict=True):
        till.ok("enroll", "--server", url, "--code", code, "--name", till.data_dir.name, pin=None)
    first = tills[0][0]
    return [row["code"] for row in csv.DictReader(io.StringIO(first.ok("export", "vouchers", "--out", "-").out))]


def _rows(rows: Any) -> dict[str, tuple[Any, ...]]:
    return {str(row[0]): tuple(None if v is None else (v if isinstance(v, int) else str(v)) for v in row[1:])
            for row in rows}


def server_ledger(db_url: str) -> tuple[dict[str, tuple[Any, ...]], dict[str, tuple[Any, ...]]]:
    """(entries by id, cards by id) as the server's database has them."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            entries = _rows(conn.execute(text(f"SELECT {ENTRY} FROM entries")))
            cards = _rows(conn.execute(text(f"SELECT {CARD} FROM cards")))
    finally:
        engine.dispose()
    return entries, cards


def till_ledger(data_dir: Path) -> tuple[dict[str, tuple[Any, ...]], dict[str, tuple[Any, ...]]]:
    with sqlite3.connect(data_dir / "till.sqlite3") as db:
        entries = _rows(db.execute(f"SELECT {ENTRY} FROM entries"))
        cards = _rows(db.execute(f"SELECT {CARD} FROM cards"))
    return entries, cards


def check_invariant(entries: dict[str, tuple[Any, ...]], cards: dict[str, tuple[Any, ...]]) -> None:
    """loaded − redeemed + refunded = balance on every card, each figure the sum of its successful entries."""
    sums: dict[str, list[int]] = {card_id: [0, 0, 0] for card_id in cards}
    for card_id, kind, amount, result, *_ in entries.values():
        if result != "SUCCESS":
            continue
        figures = sums[card_id]
        if kind == "CREDITS_REDEMPTION":
            figures[1] -= amount
        elif kind == "CREDITS_REFUND":
            figures[2] += amount
        else:
            figures[0] += amount
    for card_id, (_status, balance, loaded, redeemed, refunded) in cards.items():
        assert loaded - redeemed + refunded == balance, f"card {card_id}: {cards[card_id]}"
        assert [loaded, redeemed, refunded] == sums[card_id], f"card {card_id}: {cards[card_id]} ≠ {sums[card_id]}"


def assert_agree(db_url: str, *tills: Path) -> dict[str, tuple[Any, ...]]:
    """Each till holds exactly the server's entries and cards (card by card); returns the server's entries."""
    entries, cards = server_ledger(db_url)
    check_invariant(entries, cards)
    for data_dir in tills:
        here_entries, here_cards = till_ledger(data_dir)
        extra = {k: v for k, v in here_entries.items() if entries.get(k) != v}
        missing = {k: v for k, v in entries.items() if here_entries.get(k) != v}
        assert (extra, missing) == ({}, {}), f"{data_dir.name}: entries differ from the server's"
        differ = {k: (v, cards.get(k)) for k, v in here_cards.items() if cards.get(k) != v}
        assert differ == {}, f"{data_dir.name}: cards differ from the server's (till's, server's)"
        assert set(here_cards) == set(cards), f"{data_dir.name}: not every card of the server"
    return entries
