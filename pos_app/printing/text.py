"""The receipt as lines of text to a width in columns: the screen, the tests, and the layout ESC/POS prints.

:func:`blocks` decides *what* a receipt says, in order (header, what happened, amount, remaining balance, entry
id, footer); :func:`fit` decides how one block is laid out on a line of a given width. The plain-text renderer
and the ESC/POS renderer share both, so the two cannot drift apart; they differ only in how they format money
and which characters they may print (the ESC/POS renderer passes its own ``money`` and ``clean``).

Widths are counted in terminal cells (:func:`cells`): East Asian wide characters take two, combining marks none,
so a line never runs past ``columns`` on a screen either. Nothing is cut off: long words are broken, not dropped.
Labels are in :data:`LABELS`, one table, English by default; pass ``labels`` to translate them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from babel.dates import format_date

from pos_app.domain.money import Money
from pos_app.formatting import format_datetime, format_money
from pos_app.printing.receipt import Receipt, ReceiptKind

MIN_COLUMNS = 24  # below this a label and an amount no longer share a line on any receipt

LABELS: dict[str, str] = {
    "title.sale": "GIFT CARD SOLD",
    "title.redemption": "GIFT CARD PAYMENT",
    "title.top_up": "GIFT CARD TOP-UP",
    "title.refund": "REFUND TO GIFT CARD",
    "title.correction": "BALANCE CORRECTION",
    "title.balance": "GIFT CARD BALANCE",
    "amount.sale": "Card value",
    "amount.redemption": "Amount paid",
    "amount.top_up": "Amount added",
    "amount.refund": "Amount refunded",
    "amount.correction": "Correction",
    "provisional": "PROVISIONAL — offline, to be confirmed",
    "card": "Card",
    "date": "Date",
    "till": "Till",
    "cashier": "Cashier",
    "order": "Order",
    "reason": "Reason",
    "expires": "Valid until",
    "balance": "Remaining balance",
    "entry": "Entry",
    "price": "Price paid",
    "payment": "Paid by",
    "payment.cash": "Cash",
    "payment.card": "Card",
    "payment.other": "Other",
}


class Style(StrEnum):
    NORMAL = "normal"
    TITLE = "title"  # the shop's name
    STRONG = "strong"
    BIG = "big"  # the remaining balance: the one figure a customer looks for
    MARK = "mark"  # the provisional mark
    RULE = "rule"  # a line of dashes across the paper
    QR = "qr"  # the lookup QR code (``text`` is its payload); plain text has no picture and skips it


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    PAIR = "pair"  # ``text`` on the left, ``right`` right-aligned on the same line when both fit


@dataclass(frozen=True, slots=True)
class Block:
    style: Style
    align: Align
    text: str = ""
    right: str = ""


def clean(text: str) -> str:
    """One line of printable text: NFC, control characters and runs of white space as one space, invisible
    format characters (zero-width, bidi controls), surrogates and unassigned code points dropped."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if category == "Cc" or ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        elif category not in {"Cf", "Cs", "Cn"}:
            out.append(ch)
    return "".join(out).strip()


def _cell(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in {"Mn", "Me"}:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1


def cells(text: str) -> int:
    """How many columns ``text`` takes on a fixed-width screen or printer."""
    return sum(_cell(ch) for ch in text)


def _break(word: str, width: int) -> list[str]:
    """A word wider than the line, in pieces: after its last hyphen that fits (an entry id breaks between its
    groups), else at the width; a combining mark stays with its letter."""
    pieces, piece, used = [], "", 0
    for ch in word:
        w = _cell(ch)
        while used + w > width and piece:
            cut = piece.rfind("-") + 1
            if 0 < cut < len(piece):
                pieces.append(piece[:cut])
                piece = piece[cut:]
            else:
                pieces.append(piece)
                piece = ""
            used = cells(piece)
        piece += ch
        used += w
    return [*pieces, piece] if piece else pieces


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap to ``width`` cells; words longer than a line are broken. Never returns a line wider
    than ``width`` and never loses a character (other than the spaces it breaks at)."""
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        if not word:
            continue
        size = cells(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        parts = _break(word, width) if size > width else [word]
        lines.extend(parts[:-1])
        line, used = parts[-1], cells(parts[-1])
    if line:
        lines.append(line)
    return lines


def right(text: str, width: int) -> str:
    return " " * (width - cells(text)) + text


def pair(left: str, value: str, width: int) -> list[str]:
    """``left`` and ``value`` on one line, ``value`` flush right; when they do not fit, ``left`` wrapped and the
    value right-aligned on its own line(s)."""
    if not value:
        return wrap(left, width)
    if cells(left) + 1 + cells(value) <= width:
        return [left + " " * (width - cells(left) - cells(value)) + value]
    return [*wrap(left, width), *(right(part, width) for part in wrap(value, width))]


def fit(block: Block, width: int) -> list[str]:
    """The lines of one block at ``width`` cells (no trailing spaces except in a pair's padding)."""
    if block.style is Style.RULE:
        return ["-" * width]
    if block.style is Style.QR:
        return []
    if block.align is Align.PAIR:
        return pair(block.text, block.right, width)
    lines = wrap(block.text, width)
    if block.align is Align.CENTER:
        return [" " * ((width - cells(line)) // 2) + line for line in lines]
    return lines


def blocks(
    receipt: Receipt,
    *,
    money: Callable[[Money], str] | None = None,
    clean: Callable[[str], str] = clean,
    labels: Mapping[str, str] | None = None,
) -> list[Block]:
    """What the receipt says, top to bottom. ``money`` formats an amount (default: Babel for the receipt's
    locale); ``clean`` makes every piece of text printable (default: :func:`clean`)."""
    label = {**LABELS, **(labels or {})}.__getitem__
    show = money or (lambda m: format_money(m, locale=receipt.locale))
    kind, text = receipt.kind, clean

    def row(name: str, value: str | None, style: Style = Style.NORMAL) -> Iterable[Block]:
        if value is not None and text(value):
            yield Block(style, Align.PAIR, text(label(name)), text(value))

    out = [Block(Style.TITLE, Align.CENTER, text(receipt.shop_name))]
    out += [Block(Style.NORMAL, Align.CENTER, text(line)) for line in receipt.shop_lines]
    out += [Block(Style.RULE, Align.LEFT), Block(Style.STRONG, Align.LEFT, text(label(f"title.{kind}")))]
    if receipt.provisional:
        out.append(Block(Style.MARK, Align.CENTER, text(label("provisional"))))
    out += row("card", receipt.masked_code)
    out += row("date", format_datetime(receipt.at, locale=receipt.locale, zone=receipt.at.tzinfo))
    out += row("till", receipt.till_id)
    out += row("cashier", receipt.cashier)
    out += row("order", receipt.order_ref)
    if receipt.reason and text(receipt.reason):
        out.append(Block(Style.NORMAL, Align.LEFT, text(f"{label('reason')}: {receipt.reason}")))
    if receipt.expires is not None:
        out += row("expires", str(format_date(receipt.expires, "medium", locale=receipt.locale)))
    out.append(Block(Style.RULE, Align.LEFT))
    if kind is not ReceiptKind.BALANCE:
        amount = show(receipt.amount)
        if kind is ReceiptKind.CORRECTION and receipt.amount.minor > 0:
            amount = f"+{amount}"
        out += row(f"amount.{kind}", amount, Style.STRONG)
    if kind is ReceiptKind.SALE and receipt.price is not None:
        out += row("price", show(receipt.price), Style.STRONG)
    if kind is ReceiptKind.SALE and receipt.payment is not None:
        out += row("payment", label(f"payment.{receipt.payment.value}"))
    out += row("balance", show(receipt.balance), Style.BIG)
    out.append(Block(Style.RULE, Align.LEFT))
    out += row("entry", receipt.entry_id[:8])
    out.append(Block(Style.NORMAL, Align.LEFT, text(receipt.entry_id)))
    out.append(Block(Style.QR, Align.CENTER, receipt.lookup_payload))
    out += [Block(Style.NORMAL, Align.CENTER, text(line)) for line in receipt.footer]
    return [b for b in out if b.style in {Style.RULE, Style.QR} or b.text]


def render_text(receipt: Receipt, columns: int = 32, *, labels: Mapping[str, str] | None = None) -> str:
    """The receipt as plain text, no line wider than ``columns`` cells (at least :data:`MIN_COLUMNS`)."""
    if columns < MIN_COLUMNS:
        raise ValueError(f"a receipt needs at least {MIN_COLUMNS} columns, not {columns}")
    return "\n".join(line for block in blocks(receipt, labels=labels) for line in fit(block, columns))
