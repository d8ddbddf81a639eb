"""A customer's phone number as kept and as searched, and what counts as a search."""

from __future__ import annotations

import pytest

from pos_app.domain import errors
from pos_app.domain.customers import check_phone, looks_like_phone, phone_digits, search_key, search_text


@pytest.mark.parametrize(("given", "kept"), [
    ("  0171  234-5678 ", "0171 234-5678"), ("+49 (171) 234 56 78", "+49 (171) 234 56 78"), ("", None),
    (None, None), ("   ", None), ("030/555.1234", "030/555.1234"),
])
def test_a_phone_number_is_kept_tidied(given: str | None, kept: str | None) -> None:
    assert check_phone(given) == kept


@pytest.mark.parametrize("given", ["call me", "12", "0171 234 5678 ext. 9", "1" * 21, "١٢٣٤٥", "1 " * 31])
def test_what_is_not_a_phone_number_is_refused(given: str) -> None:
    with pytest.raises(errors.InvalidPayload):
        check_phone(given)


def test_a_phone_number_is_searched_by_its_digits() -> None:
    assert phone_digits("+49 (171) 234-56/78") == "49171234567" + "8"
    assert looks_like_phone("0171 2345") and looks_like_phone("(0171)")
    assert not looks_like_phone("anna") and not looks_like_phone("12") and not looks_like_phone("K-100")


def test_a_search_is_two_to_a_hundred_printable_characters() -> None:
    assert search_text("  anna   müller ") == "anna müller"
    for bad in ("", " a ", "x" * 101, "tab\x00"):
        with pytest.raises(errors.InvalidPayload):
            search_text(bad)


def test_names_are_compared_without_accents_or_case() -> None:
    assert search_key("Jana NOVÁKOVÁ") == "jana novakova"
    assert search_key("Müller-Lüdenscheidt") == "muller-ludenscheidt"
    assert search_key("Straße") == "strasse"  # case folding, as German readers expect
    assert search_key("ﬁ@Example.ORG") == "fi@example.org"
