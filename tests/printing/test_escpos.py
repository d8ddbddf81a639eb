"""ESC/POS receipts read back by an independent reader (``escpos_reader``): what a printer would really print.

Each model's facts below are written from its specifications, not taken from the renderer: Font A is 12 dots
wide; a 203 dpi head prints 384 dots on 58 mm paper and 576 on 80 mm, a 180 dpi TM-T88 360 and 512; the
POS-5890 is a 58 mm printer whatever paper it is told; the TM-U220 is a 400-dot impact printer without cutter
or raster images; "simple" is a printer that knows only code page 437.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.money import Money
from pos_app.printing.escpos_render import render_escpos
from pos_app.printing.receipt import Receipt
from tests.printing.escpos_reader import Printout, read
from tests.printing.receipts import CODE, ENTRY_ID, sample


@dataclass(frozen=True)
class Model:
    profile: str
    paper: str
    columns: int
    qr: str | None  # "native", "image" or None
    cutter: bool
    euro: bool  # a code page with € among the model's


MODELS = [
    Model("default", "58mm", 32, "native", True, True),
    Model("default", "80mm", 48, "native", True, True),
    Model("TM-T20II", "58mm", 32, "native", True, True),
    Model("TM-T20II", "80mm", 48, "native", True, True),
    Model("TM-T88V", "58mm", 30, "native", True, True),
    Model("TM-T88V", "80mm", 42, "native", True, True),
    Model("TM-P80", "80mm", 42, "native", True, True),
    Model("POS-5890", "58mm", 32, "image", False, True),
    Model("POS-5890", "80mm", 32, "image", False, True),
    Model("simple", "80mm", 48, "image", False, False),
    Model("TM-U220", "80mm", 33, None, False, False),
]
IDS = [f"{m.profile}-{m.paper}" for m in MODELS]


def printed(model: Model, receipt: Receipt | None = None) -> Printout:
    return read(render_escpos(receipt or sample(), model.profile, model.paper))  # type: ignore[arg-type]


def source_text(receipt: Receipt) -> str:
    """Every character the receipt's text may legitimately print: its own, and their compatibility
    decompositions (``Ŀ`` may print as ``L·``), their compositions (``U`` + combining diaeresis prints as ``Ü``),
    and the currency signs of the amounts."""
    text = " ".join([receipt.shop_name, receipt.masked_code, *receipt.shop_lines, *receipt.footer,
                     receipt.cashier or "", receipt.reason or "", "—€£"])
    return text + unicodedata.normalize("NFKD", text) + unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_amount_and_remaining_balance_are_printed_the_balance_bold_and_large(model: Model) -> None:
    out = printed(model)
    amount, balance = ("€12.50", "€37.50") if model.euro else ("EUR 12.50", "EUR 37.50")
    assert any(line.text.startswith("Amount paid") and line.text.endswith(amount) for line in out.lines)
    balance_line = next(line for line in out.lines if line.text.endswith(balance))
    big = [s for s in balance_line.segments if balance in s.text]
    assert big and big[0].bold and big[0].width == 2 and big[0].height == 2
    assert any(line.text.startswith("Remaining balance") for line in out.lines)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_no_line_is_wider_than_the_paper(model: Model) -> None:
    receipt = sample(shop_name="Boulangerie-Pâtisserie du Marché Saint-Honoré", reason="A long reason " * 5,
                     balance=Money(123456789, "EUR"), provisional=True, footer=("Valid three years. " * 4,))
    out = printed(model, receipt)
    assert max(line.dots for line in out.lines) <= model.columns * 12
    assert max(line.dots for line in printed(model).lines) <= model.columns * 12
    assert "1,234,567.89" in out.text  # doubled where it fits, else only tall: never cut


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_the_whole_code_is_never_printed(model: Model) -> None:
    out = printed(model)
    random_part = CODE[3:-4]  # what the mask hides: no 5 characters of it in a row anywhere
    everything = [out.text, *out.qr_payloads, *out.image_codes()]
    for text in everything:
        flat = text.replace("-", "").replace("\n", "")
        assert not any(random_part.replace("-", "")[i : i + 5] in flat for i in range(len(random_part) - 5))
    assert "**** JKMN" in out.text or "•••• JKMN" in out.text


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_a_cut_exactly_when_the_printer_has_a_cutter_and_it_comes_last(model: Model) -> None:
    data = render_escpos(sample(), model.profile, model.paper)  # type: ignore[arg-type]
    out = read(data)
    assert len(out.cuts) == (1 if model.cutter else 0)
    assert out.fed_lines >= 4  # past the tear bar or the cutter
    if model.cutter:
        assert out.cuts == ["partial"]
        assert read(data[: data.rindex(b"\x1dV")]).cuts == []  # nothing printed after the cut


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_the_qr_code_holds_the_entry_id_natively_as_an_image_or_not_at_all(model: Model) -> None:
    out = printed(model)
    native, pictures = out.qr_payloads, out.image_codes()
    if model.qr == "native":
        assert (native, out.images) == ([ENTRY_ID], [])
    elif model.qr == "image":
        assert (native, pictures) == ([], [ENTRY_ID])
        assert all(image.shape[1] <= model.columns * 12 for image in out.images)
    else:
        assert (native, out.images) == ([], [])
    assert ENTRY_ID in out.text.replace("\n", "")  # always in text too


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_euro_sign_when_a_code_page_has_it_else_the_iso_code_and_never_a_question_mark(model: Model) -> None:
    out = printed(model, sample(footer=("Prices in € and £",)))
    assert ("€" in out.text) is model.euro
    assert ("EUR" in out.text) is not model.euro
    assert "?" not in out.text


@pytest.mark.parametrize(("model", "shop"), [
    (MODELS[3], "Café Zoë — Łódź Ærø"),  # TM-T20II: 437, 850, 852, 858, 1252… hold all of it
    (MODELS[9], "Café Zoë - Lódz Æro"),  # simple (437 only): ó, é, ë, Æ are there; Ł, ź, ø, — are not
    (MODELS[10], "Café Zoë - Lódz Æro"),
], ids=["TM-T20II", "simple", "TM-U220"])
def test_accents_are_printed_or_transliterated_never_replaced_by_a_wrong_character(model: Model, shop: str) -> None:
    receipt = sample(shop_name="Café Zoë — Łódź Ærø")
    out = printed(model, receipt)
    assert out.lines[0].text.strip() == shop
    allowed = set(source_text(receipt))
    assert {ch for ch in out.text if not ch.isascii()} <= allowed


def test_same_receipt_same_bytes() -> None:
    for model in MODELS:
        first = render_escpos(sample(provisional=True), model.profile, model.paper)  # type: ignore[arg-type]
        assert render_escpos(sample(provisional=True), model.profile, model.paper) == first  # type: ignore[arg-type]


def test_provisional_mark_is_printed_bold_and_tall() -> None:
    out = printed(MODELS[3], sample(provisional=True))
    mark = next(line for line in out.lines if "PROVISIONAL" in line.text)
    assert mark.segments[0].bold and mark.segments[0].height == 2
    assert re.search(r"PROVISIONAL - offline, to be\s+confirmed|PROVISIONAL — offline, to be\s+confirmed",
                     out.text)
    assert "PROVISIONAL" not in printed(MODELS[3]).text


def test_other_currencies_and_locales() -> None:
    out = printed(MODELS[3], sample(locale="de_DE"))
    assert "37,50 €" in out.text
    pounds = printed(MODELS[10], sample(amount=Money(1250, "GBP"), balance=Money(3750, "GBP")))
    assert "£37.50" in pounds.text  # 437 has £
    yen = printed(MODELS[9], sample(locale="ja_JP", amount=Money(1250, "JPY"), balance=Money(3750, "JPY")))
    assert "JPY 3,750" in yen.text or "¥3,750" in yen.text


def test_an_unknown_profile_or_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown printer profile"):
        render_escpos(sample(), "TM-NOPE")
    with pytest.raises(ValueError, match="paper"):
        render_escpos(sample(), "default", "110mm")  # type: ignore[arg-type]


latin_and_more = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs", "Cc"),
                               max_codepoint=0x52F) | st.sampled_from("€£¥•—–‘’“”…東京🎁ﬁＡ\u00a0\u202f\u200b")


@settings(max_examples=60, deadline=None)
@given(name=st.text(latin_and_more, max_size=120), footer=st.lists(st.text(latin_and_more, max_size=120),
                                                                    max_size=2),
       model=st.sampled_from([MODELS[2], MODELS[5], MODELS[9]]))
def test_odd_names_and_footers_print_without_overflow_or_wrong_characters(name: str, footer: list[str],
                                                                         model: Model) -> None:
    receipt = sample(shop_name=name, footer=tuple(footer))
    out = printed(model, receipt)
    assert max(line.dots for line in out.lines) <= model.columns * 12
    assert {ch for ch in out.text if not ch.isascii()} <= set(source_text(receipt))
    assert out.text.count("?") <= source_text(receipt).count("?")
