"""The cashier screen's own sentences: what a typed amount got wrong, and what a finished sale did.

:func:`pos_app.ui.messages.sentence` has one sentence per error key; a typed amount deserves more than
"invalid amount", because the person has the text in front of them and should see at once which part to fix
(a minus sign, a third decimal, a letter). The text is judged the way ``parse_amount`` judges it.
"""

from __future__ import annotations

import re

from pos_app.domain.errors import GiftCardError, InvalidAmount
from pos_app.domain.ledger import Entry
from pos_app.domain.money import Money, exponent
from pos_app.formatting import decimal_separator, format_money
from pos_app.ui.messages import sentence, tr

_NUMBER = re.compile(r"^[0-9]+(?:[.,]([0-9]*))?$")


def amount_refusal(text: str, error: GiftCardError, *, currency: str, locale: str) -> str:
    """The sentence for a typed amount ``text`` that ``ctx.session.money`` refused with ``error``."""
    raw = text.strip()
    sep = decimal_separator(locale)
    example = f"12{sep}50" if exponent(currency) else "12"
    if not isinstance(error, InvalidAmount) or not raw:
        return sentence(error, locale=locale)
    if raw.startswith("-"):
        return tr("An amount cannot be negative. Type it without a minus sign, such as {example}.").format(
            example=example)
    match = _NUMBER.match(raw)
    if match is None or not raw.isascii():
        return tr("“{text}” is not an amount. Type digits only, such as {example}.").format(
            text=raw, example=example)
    if "," in raw and sep != ",":
        return tr("Use a dot for the decimals and no thousands separator, such as {example}.").format(
            example=example)
    places = exponent(currency)
    if match.group(1) is not None and len(match.group(1)) > places:
        if places == 0:
            return tr("Amounts in {currency} have no decimals. Type whole amounts, such as 12.").format(
                currency=currency)
        return tr("Amounts in {currency} have at most {n} decimals, such as {example}.").format(
            currency=currency, n=places, example=example)
    if int(re.sub(r"[^0-9]", "", raw) or "0") == 0:
        return tr("Enter an amount greater than zero, such as {example}.").format(example=example)
    return tr("That amount is larger than any gift card holds. Check what you typed.")


def nothing_to_refund() -> str:
    return tr("There is nothing to refund: you have not redeemed a card since you logged in.")


def last_was_not_a_redemption() -> str:
    return tr("The last sale at this till was not a redemption, so there is nothing to refund.")


def nothing_to_reprint() -> str:
    return tr("There is no receipt to reprint: nothing has been sold since you logged in.")


def no_card() -> str:
    return tr("Scan a card first, or type its code.")


def redeemed(entry: Entry, locale: str) -> str:
    return tr("Redeemed {amount} — {left} left on the card").format(
        amount=format_money(Money(-entry.amount, entry.currency), locale=locale),
        left=format_money(Money(entry.balance_after, entry.currency), locale=locale))


def refunded(entry: Entry, locale: str) -> str:
    return tr("Refunded {amount} to the card — {left} on it now").format(
        amount=format_money(Money(entry.amount, entry.currency), locale=locale),
        left=format_money(Money(entry.balance_after, entry.currency), locale=locale))


def receipt_failed(problem: str) -> str:
    return tr("The sale is done, but the receipt did not print: {problem} Reprint with F4.").format(
        problem=problem.rstrip(".") + ".")
