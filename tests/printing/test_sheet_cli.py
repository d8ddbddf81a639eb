"""``pos-app campaign sheet``: the real command line in a subprocess, on a real store; the PDF read back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.cli_shop import CASHIER_PIN, MANAGER_PIN, Shop


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shop = Shop(tmp_path_factory.mktemp("template") / "till")
    shop.ok("init", "--store-name", "Corner Shop", "--currency", "EUR", "--manager-pin", MANAGER_PIN, pin=None)
    shop.ok("user", "add", "Chris", "--role", "cashier", "--new-pin", CASHIER_PIN)
    shop.ok("campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", "12", "--expires", "2027-12-31")
    shop.ok("campaign", "create", "--name", "Spring", "--amount", "20.00", "--count", "2")
    shop.ok("disable", shop.codes("Winter")[0])
    return shop.data_dir


@pytest.fixture
def shop(_template: Path, tmp_path: Path) -> Shop:
    copy = tmp_path / "till"
    shutil.copytree(_template, copy)
    return Shop(copy)


def decoded(pdf: Path) -> dict[str, list[str]]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(prefix)], check=True, timeout=120)
    found: dict[str, list[str]] = {"QRCode": [], "Code128": []}
    for png in sorted(pdf.parent.glob(f"{prefix.name}-*.png")):
        for result in zxingcpp.read_barcodes(Image.open(png)):
            found.setdefault(result.format.name, []).append(result.text)
    return found


def test_a_campaign_s_sheet_has_every_card_but_the_disabled_one(shop: Shop, tmp_path: Path) -> None:
    out = tmp_path / "winter.pdf"
    report = shop.ok("campaign", "sheet", "Winter", "--out", out, "--json").json()
    assert report["file"] == str(out) and report["page"] == "A4"
    assert (report["cards"], report["pages"], report["disabled_left_out"]) == (11, 2, 1)
    assert report["campaign"]["name"] == "Winter" and report["without_barcode"] == 0
    codes = shop.codes("Winter")
    found = decoded(out)
    assert sorted(found["QRCode"]) == sorted(codes[1:]) == sorted(found["Code128"])
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # the store's locale is en_US (init's default)
    assert text.count("€50.00") == 11 and "Valid until Dec 31, 2027" in text and codes[0] not in text


def test_a_selection_by_code_in_letter_size(shop: Shop, tmp_path: Path) -> None:
    codes = shop.codes("Winter")
    out = tmp_path / "two.pdf"
    typed = codes[5].lower().replace("-", " ")  # typed as a person types it: forgiven like at the till
    result = shop.ok("campaign", "sheet", "Winter", "--out", out, "--page", "Letter", "--codes", codes[3],
                     "--codes", typed, "--codes", codes[3])
    assert "Wrote 2 cards of 'Winter' on 1 Letter pages" in result.out
    assert sorted(decoded(out)["QRCode"]) == sorted([codes[3], codes[5]])
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "(letter)" in info


@pytest.mark.parametrize(("args", "key"), [
    (("Autumn",), "not_found"),  # no such campaign
    (("Winter", "--codes", "SPRING"), "not_found"),  # a card of another campaign (filled in below)
    (("Winter", "--codes", "DISABLED"), "voucher_disabled"),  # a lost card is never printed again
])
def test_refusals_write_nothing(shop: Shop, tmp_path: Path, args: tuple[str, ...], key: str) -> None:
    stand_in = {"SPRING": shop.codes("Spring")[0], "DISABLED": shop.codes("Winter")[0]}
    out = tmp_path / "refused.pdf"
    result = shop.run("campaign", "sheet", *(stand_in.get(a, a) for a in args), "--out", out, "--json")
    assert result.code == 1 and result.json()["error"]["key"] == key
    assert f"error: {key}:" in result.err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["till"]


def test_a_cashier_may_not_print_whole_codes(shop: Shop, tmp_path: Path) -> None:
    out = tmp_path / "cashier.pdf"
    result = shop.run("campaign", "sheet", "Winter", "--out", out, pin=CASHIER_PIN)
    assert result.code == 1 and "error: forbidden:" in result.err
    assert not out.exists()
