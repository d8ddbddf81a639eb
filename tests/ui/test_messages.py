"""Every refusal has one plain sentence for the cashier; a card makes it precise."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.errors import Forbidden
from pos_app.domain.people import Permission
from pos_app.printing.printer_settings import InvalidPrinterSettings
from pos_app.printing.spool import NoPrinter, NoReceipt, PrintFailed
from pos_app.ui.messages import known_keys, sentence


def test_every_error_key_of_the_domain_has_a_sentence_of_its_own(qapp) -> None:
    keys = set(errors.ERRORS_BY_KEY) | {cls.key for cls in (NoPrinter, NoReceipt, PrintFailed,
                                                            InvalidPrinterSettings)}
    assert keys - known_keys() == set()


def test_sentences_are_one_plain_sentence_without_keys_or_tracebacks(qapp) -> None:
    for cls in errors.ERRORS_BY_KEY.values():
        text = sentence(cls("internal detail 0xdeadbeef"))
        assert text[0].isupper() and text.rstrip().endswith("."), text
        assert "0xdeadbeef" not in text and "_" not in text and "Traceback" not in text


def test_over_the_balance_names_the_balance_and_expiry_names_the_date(qapp) -> None:
    card = GiftCard(id="c1", code="ABCD", currency="EUR", balance=3750,
                    expiration_date=datetime(2026, 1, 31, tzinfo=UTC))
    assert "€37.50" in sentence(errors.GiftAmountExceeded(), card, locale="en_IE")
    assert "37,50" in sentence(errors.GiftAmountExceeded(), card, locale="de_DE")
    assert "2026" in sentence(errors.VoucherExpired(), card, locale="en_IE")


def test_a_fault_is_a_calm_sentence(qapp) -> None:
    assert sentence(RuntimeError("boom")).startswith("Something went wrong")


def test_a_refusal_for_want_of_a_permission_says_which_in_a_sentence_of_its_own(qapp) -> None:
    said = {p: sentence(Forbidden("", permission=p.value)) for p in Permission}
    assert len(set(said.values())) == len(Permission)
    for permission, text in said.items():
        assert text.startswith("Only a manager may ") and "_" not in text, (permission, text)
    assert sentence(Forbidden()) == "Only a manager can do this. Ask a manager to enter their PIN."
