"""Scanned or typed text to a card code (scanning/payload.py): found where it is, refused when it cannot be one,
recovered from a QWERTY scanner typing through an AZERTY or QWERTZ keyboard, and never another card's code."""

from __future__ import annotations

import string
from urllib.parse import quote

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from pos_app.domain.codes import READABLE_ALPHABET, check_character, looks_readable
from pos_app.domain.errors import InvalidCode
from pos_app.scanning.keyboard_layouts import BELGIAN, FRENCH, GERMAN, LAYOUTS, SWISS, KeyboardLayout
from pos_app.scanning.payload import ParsedCode, Source, parse_payload

CODE = "GC-" + "7XZP-2345-6789-ABC"
CODE += check_character(CODE[3:].replace("-", ""))


def refusal(text: str, **kwargs: str) -> InvalidCode:
    with pytest.raises(InvalidCode) as caught:
        parse_payload(text, **kwargs)
    assert caught.value.key == "invalid_code"
    assert caught.value.details.endswith("."), "the cashier reads a sentence"
    return caught.value


# --- what a scanner or a person gives ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    CODE,
    CODE.lower(),
    f"  {CODE}\r\n",
    f"\t{CODE}\x04",
    f"\x1e{CODE}\x1d",
    f"\ufeff{CODE}",
    "gc 7xzp 2345 6789 " + CODE[-4:].lower(),
    CODE.replace("-", ""),
    f"]Q1{CODE}",
    f"]C0{CODE}\r",
])
def test_a_bare_readable_code_is_found_whatever_surrounds_it(text: str) -> None:
    assert parse_payload(text) == ParsedCode(CODE, Source.BARE)


@pytest.mark.parametrize("text", [
    f"https://shop.example/gift?code={CODE}",
    f"https://shop.example/gift?lang=fr&voucher={CODE}",
    f"https://shop.example/gift?GiftCard={quote(CODE)}",
    f"https://shop.example/gift?c={CODE}&utm_source=mail",
    f"https://shop.example/gift/{CODE}",
    f"https://shop.example/gift/{CODE}/",
    f"https://shop.example/gift/{quote(CODE, safe='')}?lang=fr",
    f"HTTP://SHOP.EXAMPLE/GIFT/{CODE}",
    f"giftcard:{CODE}",
    f"voucher:{CODE.lower()}",
    f"myshop://gift/{CODE}",
    f"www.shop.example/gift/{CODE}",
    f"https://shop.example/#/redeem?code={CODE}",
    f"https://shop.example/redeem#{CODE}",
    f"https://shop.example/campaign/spring?c=campaign7&code={CODE}",
    f"]Q1https://shop.example/gift?code={CODE}\r\n",
])
def test_a_readable_code_is_found_in_a_link(text: str) -> None:
    assert parse_payload(text) == ParsedCode(CODE, Source.URL)


def test_configured_scanner_prefix_and_suffix_are_stripped() -> None:
    assert parse_payload(f"\x02{CODE}\x03", prefix="\x02", suffix="\x03").code == CODE
    assert parse_payload(f"##{CODE}!!\r\n", prefix="##", suffix="!!").code == CODE
    assert parse_payload("%%Voucher-7x%%", prefix="%%", suffix="%%").code == "Voucher-7x"
    assert parse_payload(CODE, prefix="##").code == CODE, "a code typed by hand has no prefix"


@pytest.mark.parametrize(("text", "code"), [
    ("SUMMER-2023-abc", "SUMMER-2023-abc"),
    ("  vZ7nQ8\r\n", "vZ7nQ8"),
    ("gc-summer", "gc-summer"),
    ("GC2023SUMMERSALE12", "GC2023SUMMERSALE12"),
    ("CAFÉ2024", "CAFÉ2024"),
    ("50%OFF", "50%OFF"),
])
def test_an_imported_code_is_kept_exactly_case_included(text: str, code: str) -> None:
    assert parse_payload(text) == ParsedCode(code, Source.BARE)


def test_an_imported_code_in_a_link_is_taken_from_a_named_parameter_or_a_code_uri() -> None:
    assert parse_payload("https://other.example/r?voucher=Promo%2B7&lang=fr").code == "Promo+7"
    assert parse_payload("https://other.example/r/ignored?code=Exact-Case").code == "Exact-Case"
    assert parse_payload("giftcard:AbC123xyz").code == "AbC123xyz"


@pytest.mark.parametrize("link", [
    "https://other.example/redeem/AbC123xyz",
    "https://shop.example/gift?code=",
    "http://example.com/test.php?lang=en",
])
def test_a_web_links_last_word_is_not_taken_for_an_imported_code(link: str) -> None:
    """Any link's last path segment would otherwise be "a code" (``test.php``): only a readable code counts there."""
    with pytest.raises(InvalidCode) as refused:
        parse_payload(link)
    assert refused.value.context["reason"] == "no_code_in_link"


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"),
    (" \r\n\t\x04 ", "empty"),
    (CODE[:-1] + ("A" if CODE[-1] != "A" else "B"), "check_character"),
    (CODE[:3] + CODE[4] + CODE[3] + CODE[5:], "check_character"),  # two characters swapped
    ("GC-7XZP-2345-67B9-0BCD", "look_alike"),
    ("GC-7XZP-2345-6789-ABCL", "look_alike"),
    ("two words", "spaces"),
    ("x" * 101, "too_long"),
    ("x" * 5000, "too_long"),
    ("abc\x07def", "unprintable"),
    ("abc\ud800def", "unprintable"),
    ("broken\ufffdcode", "undecodable"),
    ("https://shop.example/", "no_code_in_link"),
    ("https://[shop.example/gift", "bad_link"),
    (f"https://shop.example/gift?code={CODE[:-1]}2", "check_character"),
])
def test_what_cannot_be_a_code_is_refused_before_any_lookup(text: str, reason: str) -> None:
    assert refusal(text).context["reason"] == reason


def test_a_misread_readable_code_is_named_as_misread() -> None:
    details = refusal(CODE[:-1] + ("A" if CODE[-1] != "A" else "B")).details
    assert "misread" in details
    assert CODE[4:8] not in details, "the code is masked in the sentence"


# --- keyboard layouts -----------------------------------------------------------------------------------------

def test_the_layout_maps_are_the_real_ones() -> None:
    assert FRENCH.garble("aqzwm1234567890-") == "qawz,&é\"'(-è_çà)"
    assert FRENCH.garble("AQZWM!") == "QAWZ?1"
    assert BELGIAN.garble("67890-=") == "§è!çà)-"
    assert GERMAN.garble("yzYZ-_/?") == "zyZYß?-_"
    assert SWISS.garble("yz-/") == "zy'-"
    for layout in LAYOUTS:
        assert layout.garble(string.ascii_uppercase + string.digits + "-") is not None
        assert layout.ungarble(layout.garble(CODE) or "") == CODE


@pytest.mark.parametrize(("layout", "garbled"), [
    (FRENCH, 'GC)èXWP)é"\'()-è_ç)QBC'),
    (BELGIAN, 'GC)èXWP)é"\'()§è!ç)QBC'),
    (GERMAN, "GCß7XYPß2345ß6789ßABC"),
    (SWISS, "GC'7XYP'2345'6789'ABC"),
])
def test_a_code_typed_through_a_layout_is_recovered_and_the_layout_named(layout: KeyboardLayout,
                                                                          garbled: str) -> None:
    typed = layout.garble(CODE)
    assert typed is not None and typed.startswith(garbled)
    assert parse_payload(typed + "\r\n") == ParsedCode(CODE, Source.BARE, layout.name)
    link = layout.garble(f"https://shop.example/gift?code={CODE}")
    assert link is not None
    assert parse_payload(link) == ParsedCode(CODE, Source.URL, layout.name)


def test_french_and_belgian_agreeing_are_both_named() -> None:
    code = "GC-7XZP-2345-79AB-CDE"
    code += check_character(code[3:].replace("-", ""))
    typed = FRENCH.garble(code)
    assert typed == BELGIAN.garble(code)
    assert parse_payload(typed or "").layout == "AZERTY (French or Belgian)"


def test_a_misread_code_typed_through_a_layout_is_refused_and_the_layout_named() -> None:
    typed = FRENCH.garble(CODE[:-1] + ("A" if CODE[-1] != "A" else "B")) or ""
    refused = refusal(typed)
    assert refused.context["reason"] == "check_character"
    assert "AZERTY (French)" in refused.details


def test_a_persons_mistyped_code_is_never_un_garbled() -> None:
    """Someone types a code with Y and Z swapped: swapping them back would give a valid card, but nothing in the
    text shows a layout at work (no ``ß`` for the hyphens), so it is refused, not "repaired"."""
    body = "YZ" + "AB" * 6 + "C"
    code = f"GC-{body[:4]}-{body[4:8]}-{body[8:12]}-{body[12:]}{check_character(body)}"
    mistyped = code.replace("-", "").translate(str.maketrans("YZ", "ZY"))
    assert GERMAN.ungarble(mistyped) == code.replace("-", "") and parse_payload(code.replace("-", "")).code == code
    assert refusal(mistyped).context["reason"] == "check_character"


def test_an_imported_code_is_never_un_garbled() -> None:
    assert parse_payload("Bon)Cadeau").code == "Bon)Cadeau"
    assert parse_payload("Gutscheinß7").layout is None


# --- generated input: never a crash, never another card's code -----------------------------------------------

readable_codes = st.text(alphabet=READABLE_ALPHABET, min_size=15, max_size=15).map(
    lambda body: "GC-{}{}{}{}-{}{}{}{}-{}{}{}{}-{}{}{}".format(*body) + check_character(body))
layouts = st.sampled_from(LAYOUTS)


def parse_or_none(text: str, **kwargs: str) -> ParsedCode | None:
    """The parse, or None when refused; any other exception fails the test."""
    try:
        return parse_payload(text, **kwargs)
    except InvalidCode:
        return None


def assert_never_another_card(parsed: ParsedCode | None, code: str) -> None:
    """Refused, the right code, or a non-readable code kept verbatim (no readable card can have it)."""
    if parsed is not None and looks_readable(parsed.code):
        assert parsed.code == code


@settings(max_examples=500)
@given(st.text(max_size=300), st.text(max_size=3), st.text(max_size=3))
@example("GC-", "", "")
@example("]", "", "")
@example("giftcard:", "", "")
@example("https://[", "", "")
@example("%", "", "")
def test_random_text_never_crashes(text: str, prefix: str, suffix: str) -> None:
    parsed = parse_or_none(text, prefix=prefix, suffix=suffix)
    if parsed is not None:
        assert parsed.code and len(parsed.code) <= 100
        assert parsed.code.isprintable() and not any(ch.isspace() for ch in parsed.code)


urls = st.builds(
    "{}://{}/{}?{}#{}".format,
    st.sampled_from(["http", "https", "giftcard", "x-app", "HTTPS"]),
    st.text(max_size=20),
    st.lists(st.text(max_size=12), max_size=4).map("/".join),
    st.lists(st.tuples(st.sampled_from(["code", "c", "gift", "x", "voucher"]), st.text(max_size=30))
             .map("=".join), max_size=4).map("&".join),
    st.text(max_size=20),
)


@settings(max_examples=300)
@given(urls)
def test_random_links_never_crash(url: str) -> None:
    parse_or_none(url)


@settings(max_examples=300)
@given(readable_codes, st.sampled_from(["{}", "https://shop.example/g?code={}", "https://s.example/g/{}",
                                        "giftcard:{}", " ]Q1{}\r\n"]))
def test_generated_codes_are_found(code: str, template: str) -> None:
    assert parse_payload(template.format(code)).code == code


@settings(max_examples=1000)
@given(readable_codes, st.data())
def test_a_code_with_one_character_changed_is_never_another_card(code: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(code) - 1))
    replacement = data.draw(st.characters(codec="utf-8") | st.sampled_from(READABLE_ALPHABET + "-0OIL1 "))
    assume(replacement != code[i])
    assert_never_another_card(parse_or_none(code[:i] + replacement + code[i + 1 :]), code)


@settings(max_examples=500)
@given(readable_codes, layouts, st.sampled_from(["{}", "https://shop.example/gift?code={}",
                                                 "https://shop.example/gift/{}", "{}\r\n"]))
def test_generated_codes_typed_through_each_layout_are_recovered_and_named(
        code: str, layout: KeyboardLayout, template: str) -> None:
    typed = layout.garble(template.format(code).rstrip()) or ""
    parsed = parse_payload(typed + "\r\n")
    assert parsed.code == code
    assert parsed.layout is not None
    assert layout.family in parsed.layout and layout.variant in parsed.layout


@settings(max_examples=1000)
@given(readable_codes, layouts, st.data())
def test_a_garbled_code_with_one_character_changed_is_never_another_card(
        code: str, layout: KeyboardLayout, data: st.DataObject) -> None:
    typed = layout.garble(code) or ""
    i = data.draw(st.integers(0, len(typed) - 1))
    replacement = data.draw(st.characters(codec="utf-8") | st.sampled_from(sorted(layout.ungarble_map)))
    assume(replacement != typed[i])
    assert_never_another_card(parse_or_none(typed[:i] + replacement + typed[i + 1 :]), code)


@settings(max_examples=300)
@given(readable_codes, layouts, layouts)
def test_a_code_garbled_twice_is_never_another_card(code: str, first: KeyboardLayout,
                                                    second: KeyboardLayout) -> None:
    """Read back through the wrong one of two layouts, or garbled twice: refused or right, nothing else."""
    typed = second.garble(first.garble(code) or "")
    assume(typed is not None)
    assert_never_another_card(parse_or_none(typed or ""), code)
