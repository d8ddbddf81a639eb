"""``pos-app decode``: the real console script in a subprocess, on generated images and real photos."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import pytest

from tests.scanning.card_images import blank, card, combo, new_code, write

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "scan-corpus"
ENV_DROPPED = {"POS_APP_DATA_DIR", "POS_APP_PIN"}


@dataclass
class Result:
    code: int
    out: str
    err: str

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines()]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """Where the platform's user data directory would be: nothing may appear there (no store is needed)."""
    return tmp_path / "home"


def pos_app(home: Path, *args: str | Path) -> Result:
    script = shutil.which("pos-app", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.fail("the pos-app console script is not installed: pip install -e '.[dev]'")
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROPPED}
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    proc = subprocess.run([script, *map(str, args)], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Any]:
    """A card, an empty frame, a misread card, a card as JPEG, and a card with a link QR + a bare barcode."""
    code, other = new_code(), new_code()
    misread = code[:-1] + ("2" if code[-1] != "2" else "3")
    folder = tmp_path / "images"
    return {
        "code": code, "other": other, "misread": misread,
        "card": write(folder / "1-card.png", card(code)),
        "blank": write(folder / "2-blank.png", blank()),
        "misread_card": write(folder / "3-misread.png", card(misread)),
        "jpeg": write(folder / "4-card.jpg", card(other)),
        "combo": write(folder / "10-combo.png", combo(f"https://shop.example/gift?code={code}", "hello world")),
    }


def test_json_lines_one_per_image_in_order(home: Path, images: dict[str, Any]) -> None:
    args = [images[k] for k in ("card", "blank", "misread_card", "jpeg")]
    result = pos_app(home, "decode", *args, "--json")
    assert result.code == 0, result.err
    lines = result.lines()
    assert [line["file"] for line in lines] == [str(a) for a in args]
    assert all(set(line) == {"file", "results", "ms"} for line in lines)
    assert all(isinstance(line["ms"], float | int) and 0 <= line["ms"] < 5000 for line in lines)
    card_line, blank_line, misread_line, jpeg_line = lines
    assert card_line["results"] == [{"text": images["code"], "format": "QR_CODE", "decoder": "zxing",
                                     "code": images["code"]}]
    assert blank_line["results"] == []
    [misread] = misread_line["results"]
    assert misread["text"] == images["misread"] and misread["code"] is None
    assert "check character" in misread["reason"]
    assert [r["code"] for r in jpeg_line["results"]] == [images["other"]]


def test_a_code_inside_a_link_and_a_text_that_is_no_code(home: Path, images: dict[str, Any]) -> None:
    [line] = pos_app(home, "decode", "--json", images["combo"]).lines()
    by_format = {r["format"]: r for r in line["results"]}
    assert by_format["QR_CODE"]["code"] == images["code"]
    assert by_format["QR_CODE"]["text"].startswith("https://shop.example/")
    assert by_format["CODE_128"] == {"text": "hello world", "format": "CODE_128", "decoder": "zxing",
                                     "code": None, "reason": by_format["CODE_128"]["reason"]}
    assert "spaces" in by_format["CODE_128"]["reason"]


def test_symbology_restricts_what_is_looked_for(home: Path, images: dict[str, Any]) -> None:
    [line] = pos_app(home, "decode", "--json", "--symbology", "code_128", images["combo"]).lines()
    assert [r["format"] for r in line["results"]] == ["CODE_128"]
    [line] = pos_app(home, "decode", "--json", "--symbology", "EAN_13", "--symbology", "QR_CODE",
                     images["combo"]).lines()
    assert [r["format"] for r in line["results"]] == ["QR_CODE"]
    bad = pos_app(home, "decode", "--symbology", "PDF417", images["card"])
    assert bad.code == 2 and "PDF417" in bad.err


def test_an_unreadable_file_gets_its_own_line_and_the_rest_are_still_decoded(home: Path, tmp_path: Path,
                                                                            images: dict[str, Any]) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    missing = tmp_path / "missing.png"
    result = pos_app(home, "decode", "--json", broken, images["card"], missing)
    assert result.code == 1
    first, second, third = result.lines()
    assert first == {"file": str(broken), "error": {"key": "unreadable_image", "message": first["error"]["message"]}}
    assert "broken.png" in first["error"]["message"]
    assert [r["code"] for r in second["results"]] == [images["code"]]
    assert third["error"]["key"] == "file_not_found" and "missing.png" in third["error"]["message"]
    assert result.err.startswith("error: unreadable_image: 2 of 3 images could not be decoded")


def test_human_output_one_line_per_image(home: Path, tmp_path: Path, images: dict[str, Any]) -> None:
    broken = tmp_path / "notes.png"
    broken.write_text("not an image")
    result = pos_app(home, "decode", images["card"], images["blank"], images["misread_card"], broken)
    assert result.code == 1
    card_line, blank_line, misread_line, broken_line = result.out.splitlines()
    code = images["code"]
    assert card_line.startswith(f"{images['card']}: QR_CODE \"{code}\" → card {code} (")
    assert card_line.endswith(" ms)")
    assert blank_line.startswith(f"{images['blank']}: no code found (")
    assert f"QR_CODE \"{images['misread']}\" → not a card code: " in misread_line
    assert "check character" in misread_line
    assert broken_line.startswith(f"{broken}: error: unreadable_image: ")
    assert result.err.startswith("error: unreadable_image: ")


def test_a_text_with_line_breaks_stays_on_its_line(home: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "note.png", card("line one\r\nline two"))
    result = pos_app(home, "decode", path)
    assert result.code == 0
    assert result.out.splitlines() == [result.out.rstrip("\n")]
    assert '"line one\\r\\nline two"' in result.out


def test_a_folder_stands_for_its_images_in_name_order(home: Path, images: dict[str, Any]) -> None:
    folder = images["card"].parent
    (folder / "readme.txt").write_text("not an image: skipped")
    result = pos_app(home, "decode", "--json", folder)
    assert result.code == 0
    names = [Path(line["file"]).name for line in result.lines()]
    assert names == ["1-card.png", "2-blank.png", "3-misread.png", "4-card.jpg", "10-combo.png"]


def test_a_folder_without_images_is_an_error_line(home: Path, tmp_path: Path, images: dict[str, Any]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = pos_app(home, "decode", "--json", empty, images["card"])
    assert result.code == 1
    first, second = result.lines()
    assert first == {"file": str(empty), "error": {"key": "no_images", "message": f"folder {empty} holds no images"}}
    assert second["results"][0]["code"] == images["code"]


def test_no_store_is_needed_or_created(home: Path, tmp_path: Path, images: dict[str, Any]) -> None:
    data_dir = tmp_path / "no-till-here"
    result = pos_app(home, "--data-dir", data_dir, "decode", images["card"])
    assert result.code == 0
    assert not data_dir.exists()
    assert pos_app(home, "decode", images["card"]).code == 0
    assert not home.exists()  # the default data directory was not touched either


def test_no_image_argument_is_a_usage_error(home: Path) -> None:
    result = pos_app(home, "decode")
    assert result.code == 2 and "IMAGE" in result.err


# --- real photos ------------------------------------------------------------------------------------------------

CORPUS_SAMPLES = [
    "qrcode/qrcode-3_01.png",   # a link that carries no card code
    "qrcode/qrcode-2_8.png",    # a transparent PNG
    "ean13/ean13-1_1.png",
    "ean13/ean13-2_01.png",     # transparent, and only a fallback reads it
    "code128/code128-1_1.png",
    "upca/upca-1_2.png",        # reported as UPC-A, 12 digits
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no scan corpus at {CORPUS}")
def test_real_photos_from_the_corpus(home: Path) -> None:
    result = pos_app(home, "decode", "--json", *(CORPUS / s for s in CORPUS_SAMPLES))
    assert result.code == 0, result.err
    lines = result.lines()
    assert [line["file"] for line in lines] == [str(CORPUS / s) for s in CORPUS_SAMPLES]
    for sample, line in zip(CORPUS_SAMPLES, lines, strict=True):
        expected = (CORPUS / sample).with_suffix(".txt").read_bytes().decode("utf-8")
        assert expected in [r["text"] for r in line["results"]], (sample, line)
    formats = [line["results"][0]["format"] for line in lines]
    assert formats == ["QR_CODE", "QR_CODE", "EAN_13", "EAN_13", "CODE_128", "UPC_A"]
    link = lines[1]["results"][0]
    assert link["code"] is None and link["reason"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no scan corpus at {CORPUS}")
def test_a_corpus_folder_decodes_its_images_and_skips_the_texts(home: Path) -> None:
    result = pos_app(home, "decode", "--json", CORPUS / "code128")
    assert result.code == 0, result.err
    lines = result.lines()
    images = [p for p in (CORPUS / "code128").iterdir() if p.suffix == ".png"]
    assert len(lines) == len(images)
    read = sum(1 for line in lines if line["results"])
    assert read >= 0.9 * len(images)


def test_jpeg_and_png_give_the_same_code(home: Path, tmp_path: Path) -> None:
    code = new_code()
    png = write(tmp_path / "card.png", card(code))
    jpg = tmp_path / "card.jpg"
    assert cv2.imwrite(str(jpg), cv2.imread(str(png)), [cv2.IMWRITE_JPEG_QUALITY, 60])
    lines = pos_app(home, "decode", "--json", png, jpg).lines()
    assert [[r["code"] for r in line["results"]] for line in lines] == [[code], [code]]
