"""A customer's details as a shop keeps them, and how a person at the till finds one again.

A phone number is kept as it was given (its spaces and dashes tidied) and searched by its digits alone, so that
"0171 234-5678", "(0171) 2345678" and "01712345678" are one number and "2345 678" finds it. A leading ``+`` or
``00`` is part of the digits as typed: "+49 171 2345678" is found by "171 2345678" (the national part), not by
"0171…" — the shop has no way to know which country a bare number is in.

A search looks for its text anywhere in a customer's name, e-mail address or phone number, whatever its case and
accents: names and addresses are compared by :func:`search_key` ("muller" finds "Müller", "NOVAK" "Nováková").
"""

from __future__ import annotations

import re
import unicodedata

from pos_app.domain import errors

#: Characters a phone number may be written with besides digits.
_PHONE_SEPARATORS = frozenset(" +-/().")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 3, 20
MAX_PHONE = 60  # characters, as written
#: A search shorter than this is refused: it would list half the shop's customers.
MIN_SEARCH = 2
MAX_SEARCH = 100


def phone_digits(text: str) -> str:
    """The digits of a phone number or of part of one: what a search compares."""
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def search_key(text: str) -> str:
    """``text`` as a search compares it: without accents (each letter's combining marks dropped), case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def looks_like_phone(text: str) -> bool:
    """Whether ``text`` is written like (part of) a phone number: digits and separators, three digits at least."""
    return all(ch in _PHONE_SEPARATORS or (ch.isascii() and ch.isdigit()) for ch in text) \
        and len(phone_digits(text)) >= MIN_PHONE_DIGITS


def check_phone(text: str | None) -> str | None:
    """A phone number as kept: trimmed, runs of spaces made one; None for none. Refuses anything that is not a
    phone number (letters, too few or too many digits) with ``invalid_payload``."""
    if text is None or not text.strip():
        return None
    tidy = re.sub(r"\s+", " ", text.strip())
    digits = phone_digits(tidy)
    if not all(ch in _PHONE_SEPARATORS or (ch.isascii() and ch.isdigit()) for ch in tidy) \
            or not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS or len(tidy) > MAX_PHONE:
        raise errors.InvalidPayload(
            f"a phone number has {MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS} digits, and may have spaces and + - / ( ) .")
    return tidy


def search_text(text: str) -> str:
    """What a person typed to find a customer, trimmed; refused when too short or too long to be a search."""
    wanted = re.sub(r"\s+", " ", text.strip())
    if not MIN_SEARCH <= len(wanted) <= MAX_SEARCH or not wanted.isprintable():
        raise errors.InvalidPayload(
            f"type {MIN_SEARCH} to {MAX_SEARCH} characters of a customer's name, e-mail address or phone number")
    return wanted
