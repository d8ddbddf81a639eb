"""Scanned or typed text to a card code, before any lookup (DESIGN.md §4).

What arrives is rarely just the code: a QR code may hold a shop's link, a scanner adds a prefix, a suffix, an
AIM symbology identifier (``]Q1``) or control characters (CR, LF, TAB, GS, RS, EOT), and a QWERTY-programmed
scanner on an AZERTY or QWERTZ till types garbage. :func:`parse_payload` finds the code in all of that, or
refuses with a sentence a cashier understands (``InvalidCode``), so nothing that cannot be a code is ever looked
up, and a misread readable code is named as misread instead of "not found".

Two kinds of code, two rules:

* a readable code (``GC-XXXX-XXXX-XXXX-XXXX``) is normalised as the domain allows and its check character
  verified; a code typed through the wrong keyboard layout is recovered *only* through a readable code, whose
  check character proves the recovery right;
* any other code (imported from another system) is kept exactly as given, case included, when it is plausible.
  It has no check character, so it is never repaired, never un-garbled: a wrong card must never be charged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from pos_app.domain.codes import MAX_CODE_LENGTH, looks_readable, mask, normalise_readable, verify_readable
from pos_app.domain.errors import InvalidCode
from pos_app.scanning.keyboard_layouts import LAYOUTS, KeyboardLayout

MAX_PAYLOAD_LENGTH = 4096  # a link in a QR code; anything longer is not worth parsing
CODE_PARAMETERS = ("code", "voucher", "giftcard", "gift_card", "gift", "c")  # query names that carry a code
CODE_SCHEMES = frozenset({"giftcard", "gift", "voucher"})  # ``giftcard:GC-…`` (no ``//``)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(//)?")
_BARE_HOST = re.compile(r"www\.[^/?#\s]+[/?#]", re.IGNORECASE)
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")  # ISO/IEC 15424 symbology identifier: ]C0 Code 128, ]Q1 QR, ]E0 EAN
# Readable in shape, with characters the alphabet leaves out (0, O, 1, I, L): a misread, not an imported code.
_READABLE_SHAPE = re.compile(r"GC-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", re.IGNORECASE | re.ASCII)
# What a scanner sends for a readable code: hyphens everywhere or nowhere. Only this is un-garbled.
# ``GC-…`` with the hyphens as a layout types them (``GC)…``, ``GCß…``): no other system's code looks like that.
_GARBLED_HYPHENS = "".join(sorted({layout.garble_map["-"] for layout in LAYOUTS}))
_GARBLED_READABLE = re.compile(rf"GC([{re.escape(_GARBLED_HYPHENS)}])\S{{4}}\1\S{{4}}\1\S{{4}}\1\S{{4}}", re.IGNORECASE)
_SCANNED_READABLE = re.compile(r"GC(-?)[A-Z0-9]{4}\1[A-Z0-9]{4}\1[A-Z0-9]{4}\1[A-Z0-9]{4}", re.IGNORECASE | re.ASCII)


class Source(StrEnum):
    BARE = "bare"
    URL = "url"


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """A code ready for lookup. ``layout`` names the keyboard layout the text was recovered from, if any, so the
    till can say "your scanner types as QWERTY; the keyboard is set to AZERTY (French)"."""

    code: str
    source: Source
    layout: str | None = None


def _refuse(sentence: str, reason: str, **context: object) -> InvalidCode:
    """``details`` is the cashier's sentence; ``reason`` tells the refusals apart for tests and logs."""
    return InvalidCode(sentence, reason=reason, **context)


def _is_junk(ch: str) -> bool:
    """White space, control and invisible format characters (zero-width space, BOM): never part of a code."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def _strip_junk(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_junk(text[start]):
        start += 1
    while end > start and _is_junk(text[end - 1]):
        end -= 1
    return text[start:end]


def _clean(text: str, prefix: str, suffix: str) -> str:
    """Surrounding junk, then the configured scanner prefix and suffix, then junk again."""
    text = _strip_junk(text)
    prefix, suffix = _strip_junk(prefix), _strip_junk(suffix)
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    return _strip_junk(text)


def _visible(candidate: str) -> str:
    """``candidate`` without control characters: a scanner may put them anywhere, no one types them."""
    return "".join(ch for ch in candidate if not _is_junk(ch) or ch == " ")


def _readable(candidate: str) -> str | None:
    """The canonical readable code, None when ``candidate`` is no readable code, or ``InvalidCode`` if misread."""
    visible = _visible(candidate)
    if normalise_readable(visible) is not None:
        try:
            return verify_readable(visible)
        except InvalidCode as exc:
            raise _refuse(
                f"The gift card code {mask(visible)} was misread or mistyped (its check character does not "
                "match). Scan it again or type it carefully.", "check_character") from exc
    if _READABLE_SHAPE.fullmatch(visible):
        raise _refuse(
            f"The gift card code {mask(visible)} was misread or mistyped: it contains 0, O, 1, I or L, which "
            "gift card codes never use.", "look_alike")
    return None


def _imported(candidate: str) -> str:
    """A code from another system, kept exactly as given when it can be one at all."""
    if len(candidate) > MAX_CODE_LENGTH:
        raise _refuse(f"This is too long to be a gift card code (more than {MAX_CODE_LENGTH} characters).",
                      "too_long")
    if "\ufffd" in candidate:
        raise _refuse("Part of this code could not be read. Scan it again.", "undecodable")
    if any(ch.isspace() for ch in candidate):
        raise _refuse("Gift card codes have no spaces inside. Scan it again or type it without spaces.", "spaces")
    if not candidate.isprintable():
        raise _refuse("This contains characters that cannot be part of a gift card code.", "unprintable")
    return candidate


def _as_url(text: str) -> SplitResult | None:
    """``text`` as a link when it is one (``scheme://…``, ``giftcard:…``, ``www.…/…``), else None."""
    scheme = _SCHEME.match(text)
    if scheme is None and _BARE_HOST.match(text):
        text = "https://" + text
    elif scheme is None or not (scheme.group(2) or scheme.group(1).lower() in CODE_SCHEMES):
        return None
    try:
        return urlsplit(text)
    except ValueError as exc:  # e.g. a malformed IPv6 host
        raise _refuse("This link cannot be read, so it gives no gift card code.", "bad_link") from exc


def _url_candidates(url: SplitResult) -> tuple[list[str], list[str]]:
    """Where a link may carry a code, best first: (any code, readable codes only).

    Named query parameters first, then the last path segment. A web link's path segment counts only when it holds
    a readable code (``https://shop/gift/GC-…``): taken as an imported code, any link's last word (``test.php``)
    would be one. A ``giftcard:CODE`` URI is all code. Single-page shops put a path and a query after the ``#``:
    its parameters count as named ones, its last segment only when it holds a readable code.
    """
    fragment_path, question, fragment_query = url.fragment.partition("?")
    if not question and "=" in fragment_path:
        fragment_path, fragment_query = "", fragment_path
    params = parse_qsl(url.query, errors="replace") + parse_qsl(fragment_query, errors="replace")
    named = [value for name in CODE_PARAMETERS for key, value in params if key.lower() == name and value.strip()]

    def last_segment(path: str) -> list[str]:
        return [unquote(s, errors="replace") for s in path.split("/") if s.strip()][-1:]

    path = last_segment(url.path)
    if url.scheme.lower() in CODE_SCHEMES:
        return named + path, last_segment(fragment_path)
    return named, path + last_segment(fragment_path)


def _claims_readable(candidate: str) -> bool:
    visible = _visible(candidate)
    return normalise_readable(visible) is not None or _READABLE_SHAPE.fullmatch(visible) is not None


def _locate(text: str) -> tuple[str, Source]:
    """Where the code is in cleaned ``text``: the raw candidate (before normalisation) and whether from a link."""
    text = _strip_junk(_AIM.sub("", text, count=1) if _AIM.match(text) else text)
    if not text:
        raise _refuse("Nothing was scanned or typed.", "empty")
    url = _as_url(text)
    if url is None:
        return text, Source.BARE
    candidates, readable_only = ([_strip_junk(c) for c in group] for group in _url_candidates(url))
    for candidate in candidates + readable_only:
        if _claims_readable(candidate):
            return candidate, Source.URL
    if not candidates:
        raise _refuse("This link does not carry a gift card code.", "no_code_in_link")
    return candidates[0], Source.URL


def _code(candidate: str) -> str:
    readable = _readable(candidate)
    if readable is not None:
        return readable
    if _GARBLED_READABLE.search(candidate):
        raise _refuse("This gift card code came through the wrong keyboard layout and part of it was misread. "
                      "Scan it again or type it by hand.", "garbled")
    return _imported(candidate)


def _layout_name(layouts: list[KeyboardLayout]) -> str:
    families = {layout.family for layout in layouts}
    if len(families) == 1:
        return f"{layouts[0].family} ({' or '.join(layout.variant for layout in layouts)})"
    return " or ".join(layout.name for layout in layouts)


def _telltale(layout: KeyboardLayout, raw: str) -> bool:
    """True when ``raw`` typed through ``layout`` holds a character no one types in a code (``)``, ``ß``, ``é``)."""
    return any(not (ch.isascii() and (ch.isalnum() or ch == "-")) for ch in layout.garble(raw) or "")


def _ungarbled(text: str) -> ParsedCode | None:
    """The readable code ``text`` becomes when a QWERTY scanner's key positions are read back through a layout.

    Accepted only when the recovered code is exactly what a scanner sends (``GC-XXXX-…`` or ``GCXXXX…``), its
    check character is right, and the garbled form could not have been typed as a code (it holds a character
    such as ``)`` or ``ß`` where the hyphens or digits were): a person's mistyped code, re-mapped, is refused.
    Two layouts giving two different codes are refused too; a recovered but misread code is named as misread.
    """
    found: dict[str, tuple[Source, list[KeyboardLayout]]] = {}
    misread: list[KeyboardLayout] = []
    for layout in LAYOUTS:
        plain = layout.ungarble(text)
        if plain is None or plain == text:
            continue
        try:
            raw, source = _locate(plain)
        except InvalidCode:
            continue
        if not (_SCANNED_READABLE.fullmatch(raw) and _telltale(layout, raw)):
            continue
        try:
            code = _readable(raw)
        except InvalidCode:
            misread.append(layout)
            continue
        if code is not None:
            found.setdefault(code, (source, []))[1].append(layout)
    if len(found) > 1:
        raise _refuse("This code came through the wrong keyboard layout and can be read more than one way. "
                      "Type it by hand.", "ambiguous_layout")
    for code, (source, layouts) in found.items():
        return ParsedCode(code, source, _layout_name(layouts))
    if misread:
        name = _layout_name(misread)
        raise _refuse(f"The gift card code was misread. Also, the scanner types as QWERTY while the keyboard is "
                      f"set to {name}: set them the same.", "check_character", layout=name)
    return None


def parse_payload(text: str, *, prefix: str = "", suffix: str = "") -> ParsedCode:
    """The card code in scanned or typed ``text``; ``prefix``/``suffix`` are the scanner's configured ones.

    Raises :class:`~pos_app.domain.errors.InvalidCode` (its details a sentence for the cashier, its context a
    ``reason``) and nothing else, whatever the input.
    """
    if len(text) > MAX_PAYLOAD_LENGTH:
        raise _refuse("This is far too long to be a gift card code or a gift card link.", "too_long")
    if any("\ud800" <= ch <= "\udfff" for ch in text):  # lone surrogates: broken input, and unquote chokes on them
        raise _refuse("This contains characters that cannot be part of a gift card code.", "unprintable")
    cleaned = _clean(text, prefix, suffix)
    try:
        raw, source = _locate(cleaned)
        parsed = ParsedCode(_code(raw), source)
    except InvalidCode:
        recovered = _ungarbled(cleaned)
        if recovered is None:
            raise
        return recovered
    if looks_readable(parsed.code):
        return parsed
    return _ungarbled(cleaned) or parsed
