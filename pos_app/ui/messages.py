"""Every refusal as one plain sentence a cashier understands, chosen by its Voucherify error key.

The domain's messages (``GiftCardError.message``/``details``) are for logs, the command line and the API; here
each key has a sentence written for the person at the till: what happened and what to do. When the card is
known, the sentence names what matters (its balance, its expiry date), formatted for the shop's locale.

Strings go through :func:`tr` (Qt's translation context ``"messages"``), so a translation file covers them.
A key without a sentence of its own (a new one) falls back to the domain's message, never to a traceback.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

from PySide6.QtCore import QCoreApplication

from pos_app.domain.cards import GiftCard
from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import Money
from pos_app.domain.people import Permission
from pos_app.formatting import format_last_day, format_money


def tr(text: str) -> str:
    return QCoreApplication.translate("messages", text)


def tr_noop(text: str) -> str:
    """Mark a string for translation where it is defined (a class's title, a table of choices); it is shown
    through :func:`tr` later, once the language is loaded (Qt's ``QT_TR_NOOP``)."""
    return text


def _sentences() -> dict[str, str]:
    """Built on each call so that a language switched at run time takes effect."""
    return {
        "not_found": tr("This card is not known to the till. Check the code and scan it again."),
        "invalid_code": tr("That is not a gift card code. Scan the card again or type its code."),
        "invalid_amount": tr("Enter an amount greater than zero, such as 12.50."),
        "missing_amount": tr("Enter the amount first."),
        "gift_amount_exceeded": tr("The card does not have enough on it for this amount."),
        "voucher_expired": tr("This card has expired and cannot be used."),
        "voucher_not_active": tr("This card has not been sold yet: it must be sold and activated first."),
        "voucher_not_active_now": tr("This card cannot be used at this time."),
        "voucher_disabled": tr("This card has been disabled (reported lost or stolen). Do not accept it."),
        "voucher_frozen": tr("This card is on hold until a manager reviews it. Ask a manager."),
        "quantity_exceeded": tr("This card has been used as many times as it may be."),
        "order_rules_violated": tr("This card's rules do not allow this purchase."),
        "customer_rules_violated": tr("This card's rules do not allow this customer to use it now."),
        "currency_mismatch": tr("This card is in another currency and cannot be used here."),
        "invalid_add_balance_params": tr("A correction needs a reason and an amount other than zero."),
        "already_rolled_back": tr("This redemption has been refunded in full already."),
        "voucher_already_active": tr("This card is already sold and active."),
        "voucher_already_published": tr("This card belongs to another customer."),
        "duplicate_found": tr("That already exists; choose another name."),
        "unauthorized": tr("That PIN is not right. Try again."),
        "locked_out": tr("Too many wrong PINs. Wait a few minutes, or ask a manager."),
        "too_many_requests": tr("Too many codes that match no card were tried. Wait a few minutes before "
                                "scanning again, or ask a manager."),
        "forbidden": tr("Only a manager can do this. Ask a manager to enter their PIN."),
        "offline_limit_exceeded": tr("The till is offline and may take only a small amount per card now. "
                                     "Take less, or ask a manager to override."),
        "offline_cap_exceeded": tr("The till is offline and has taken as much on gift cards as it may. "
                                   "Ask a manager to override."),
        "offline_too_long": tr("The till has been offline too long to accept gift cards. Ask a manager."),
        "card_state_stale": tr("The till is offline and cannot check this card now. Ask a manager."),
        "operation_limit_exceeded": tr("That is more than head office lets one sale or top-up put on a card."),
        "correction_limit_exceeded": tr("That correction is more than you may make. Ask an administrator at head "
                                        "office to make it."),
        "balance_limit_exceeded": tr("The card would then hold more than head office allows. Put less on it."),
        "till_daily_cap_exceeded": tr("This till has sold and topped up as much as it may today. Call head office."),
        "unknown_operator": tr("The central server does not know you as an active person here. Call head office."),
        "device_revoked": tr("This till has been removed from the central server. Call head office."),
        "not_enrolled": tr("This till works on its own; it has no central server to ask."),
        "managed_by_server": tr("For this till, that is done at head office on the central server."),
        "server_unavailable": tr("The central server does not answer. Try again in a moment."),
        "store_not_initialised": tr("This till has no shop set up yet."),
        "printer_not_configured": tr("No receipt printer is set up at this till."),
        "printer_unavailable": tr("The receipt printer did not print. Check that it is on and has paper."),
        "no_receipt": tr("A refused attempt has no receipt."),
        "invalid_printer_settings": tr("Those printer settings cannot work; check them."),
        "invalid_payload": tr("That could not be read. Check what you typed."),
        "conflict_resolved": tr("That conflict has been resolved already."),
        "invalid_import": tr("The file has errors; nothing was imported."),
        "invalid_code_config": tr("Those code settings cannot make enough codes; change them."),
        "invalid_query_params": tr("The central server does not accept a setting of that request."),
    }


def _forbidden() -> dict[str, str]:
    """What a person was refused, by the permission it needs (``domain.people.PERMISSION_PHRASES``)."""
    ask = " " + tr("Ask a manager to enter their PIN.")
    return {
        Permission.CHECK_BALANCE: tr("Only a manager may check a card's balance here.") + ask,
        Permission.REDEEM: tr("Only a manager may take payments with gift cards here.") + ask,
        Permission.REFUND_OWN_RECENT: tr("Only a manager may refund a redemption here.") + ask,
        Permission.REFUND: tr("Only a manager may refund a redemption.") + ask,
        Permission.SELL: tr("Only a manager may sell gift cards.") + ask,
        Permission.TOP_UP: tr("Only a manager may top up a card.") + ask,
        Permission.CORRECT: tr("Only a manager may correct a card's balance.") + ask,
        Permission.DISABLE: tr("Only a manager may disable or enable a card.") + ask,
        Permission.PUBLISH: tr("Only a manager may give a card to a customer.") + ask,
        Permission.MANAGE_CAMPAIGNS: tr("Only a manager may manage campaigns.") + ask,
        Permission.IMPORT_EXPORT: tr("Only a manager may import or export cards.") + ask,
        Permission.REPORTS: tr("Only a manager may see reports.") + ask,
        Permission.MANAGE_USERS: tr("Only a manager may manage the till's people.") + ask,
        Permission.SEE_FULL_CODES: tr("Only a manager may see whole card codes.") + ask,
        Permission.OVERRIDE_OFFLINE_LIMITS: tr("Only a manager may override the offline limits.") + ask,
        Permission.CHANGE_CARD: tr("Only a manager may change a card's expiry, category or metadata.") + ask,
    }


def sentence(error: BaseException, card: GiftCard | None = None, *, locale: str = "en_US",
             zone: tzinfo = UTC) -> str:
    """The one sentence for ``error``; with ``card``, one that names its balance or expiry where it helps (the
    last day it was valid, in the shop's time zone ``zone``)."""
    if not isinstance(error, GiftCardError):
        return tr("Something went wrong, and nothing was changed. The till has noted the details; try again.")
    if card is not None:
        specific = _about_card(error.key, card, locale, zone)
        if specific:
            return specific
    if error.key == "forbidden" and str(error.context.get("permission")) in _forbidden():
        return _forbidden()[str(error.context["permission"])]
    found = _sentences().get(error.key)
    if found:
        return found
    return (error.message[:1].upper() + error.message[1:] + ".") if error.message else tr("That was refused.")


def _about_card(key: str, card: GiftCard, locale: str, zone: tzinfo) -> str | None:
    if key == "gift_amount_exceeded":
        return tr("The card does not have enough on it: {balance} left.").format(
            balance=format_money(Money(card.balance, card.currency), locale=locale))
    if key == "voucher_expired" and card.expiration_date is not None:
        return tr("This card was valid until {date} and cannot be used any more.").format(
            date=format_last_day(card.expiration_date, zone=zone, locale=locale))
    return None


def known_keys() -> frozenset[str]:
    return frozenset(_sentences())


def sentence_for_key(key: str) -> str | None:
    """The sentence for an error key named in text (a refused import's line: ``line 4: invalid_amount: …``)."""
    return _sentences().get(key)
