"""Money is integer minor units; parse_amount turns what a person typed into Money or a named refusal."""

from __future__ import annotations

import pytest

from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import MAX_MAJOR_UNITS, Money, max_minor, parse_amount, require_positive


def refusal(text: str | None, currency: str = "EUR", **kwargs: object) -> str:
    with pytest.raises(GiftCardError) as caught:
        parse_amount(text, currency, **kwargs)  # type: ignore[arg-type]
    return caught.value.key


@pytest.mark.parametrize(
    ("text", "currency", "separator", "minor"),
    [
        ("12.50", "EUR", ".", 1250),
        ("12,50", "EUR", ",", 1250),
        ("12.50", "EUR", ",", 1250),  # a dot is always understood, whatever the locale
        ("5", "EUR", ".", 500),
        ("5.", "EUR", ".", 500),
        ("0.01", "EUR", ".", 1),
        ("12.5", "EUR", ".", 1250),
        ("  7.25\n", "EUR", ".", 725),
        ("007", "EUR", ".", 700),
        ("500", "JPY", ".", 500),
        ("1.234", "KWD", ".", 1234),
        ("1,234", "KWD", ",", 1234),
        (str(MAX_MAJOR_UNITS), "EUR", ".", MAX_MAJOR_UNITS * 100),
    ],
)
def test_typed_amounts_are_read_exactly(text: str, currency: str, separator: str, minor: int) -> None:
    assert parse_amount(text, currency, decimal_separator=separator) == Money(minor, currency)


@pytest.mark.parametrize(
    "text",
    [
        "-5", "-0.01", "+5", "abc", "12a", "1e5", "1E5", "NaN", "nan", "inf", "-inf", "Infinity",
        "١٢", "１２", "12.5٠",  # Arabic-Indic and full-width digits
        "1,000.00", "1 000", "1'000", "1_000", "12.50.1", "0x10", "12 50", "€12", "12€", "½",
    ],
)
def test_anything_but_plain_digits_is_refused(text: str) -> None:
    assert refusal(text) == "invalid_amount"


def test_a_comma_is_refused_where_the_locale_uses_a_dot() -> None:
    assert refusal("12,50") == "invalid_amount"


def test_thousands_separators_are_refused_in_a_comma_locale_too() -> None:
    assert refusal("1.000,00", decimal_separator=",") == "invalid_amount"


@pytest.mark.parametrize(("text", "currency"), [("12.505", "EUR"), ("0.001", "EUR"), ("1.5", "JPY"),
                                                 ("5.0", "JPY"), ("1.2345", "KWD")])
def test_more_decimals_than_the_currency_has_are_refused_not_rounded(text: str, currency: str) -> None:
    assert refusal(text, currency) == "invalid_amount"


@pytest.mark.parametrize("text", ["0", "0.00", "0.", "000"])
def test_zero_is_refused_unless_allowed(text: str) -> None:
    assert refusal(text) == "invalid_amount"
    assert parse_amount(text, "EUR", allow_zero=True) == Money(0, "EUR")


@pytest.mark.parametrize(("text", "currency"), [(f"{MAX_MAJOR_UNITS}.01", "EUR"), (str(MAX_MAJOR_UNITS + 1), "JPY"),
                                                ("9" * 40, "EUR"), ("9" * 5000, "EUR")])
def test_absurdly_large_amounts_are_refused(text: str, currency: str) -> None:
    assert refusal(text, currency) == "invalid_amount"


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_nothing_typed_is_a_missing_amount(text: str | None) -> None:
    assert refusal(text) == "missing_amount"


def test_an_unknown_currency_is_refused() -> None:
    assert refusal("5", "EUT") == "invalid_amount"


@pytest.mark.parametrize("minor", [1.0, 12.5, True, False, "100", None])
def test_money_refuses_anything_but_an_int(minor: object) -> None:
    with pytest.raises(GiftCardError) as caught:
        Money(minor, "EUR")  # type: ignore[arg-type]
    assert caught.value.key == "invalid_amount"


def test_money_adds_and_subtracts_within_one_currency_only() -> None:
    assert Money(1250, "EUR") + Money(250, "EUR") == Money(1500, "EUR")
    assert Money(1250, "EUR") - Money(1500, "EUR") == Money(-250, "EUR")
    assert -Money(5, "EUR") == Money(-5, "EUR")
    with pytest.raises(GiftCardError) as caught:
        Money(1, "EUR") + Money(1, "USD")
    assert caught.value.key == "currency_mismatch"


@pytest.mark.parametrize(
    ("money", "text"),
    [(Money(1250, "EUR"), "12.50"), (Money(5, "EUR"), "0.05"), (Money(-1250, "EUR"), "-12.50"),
     (Money(0, "EUR"), "0.00"), (Money(500, "JPY"), "500"), (Money(1, "KWD"), "0.001")],
)
def test_major_str_is_plain_major_units_with_a_dot(money: Money, text: str) -> None:
    assert money.major_str() == text


def test_max_minor_follows_the_currency_exponent() -> None:
    assert max_minor("EUR") == MAX_MAJOR_UNITS * 100
    assert max_minor("JPY") == MAX_MAJOR_UNITS
    assert max_minor("KWD") == MAX_MAJOR_UNITS * 1000


@pytest.mark.parametrize("minor", [0, -1, max_minor("EUR") + 1])
def test_require_positive_refuses_zero_negative_and_absurd(minor: int) -> None:
    with pytest.raises(GiftCardError) as caught:
        require_positive(Money(minor, "EUR"))
    assert caught.value.key == "invalid_amount"


def test_require_positive_passes_a_sensible_amount_through() -> None:
    assert require_positive(Money(max_minor("EUR"), "EUR")) == Money(max_minor("EUR"), "EUR")
