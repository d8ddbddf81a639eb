"""The window in German: every string of the source is in the translation file, translated, with its
placeholders intact, and the compiled file is the one the window loads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app.domain import errors
from pos_app.domain.people import Permission
from pos_app.ui import translations
from pos_app.ui.messages import sentence

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from translations import extract, read_ts, ts_path  # type: ignore[import-not-found]  # noqa: E402

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@pytest.fixture
def german(qapp):
    assert translations.install("de") == "de"
    yield
    translations.install("en")


def test_the_german_file_has_every_string_of_the_source_translated() -> None:
    done = read_ts(ts_path("de"))
    missing = [text for text in extract() if text not in done]
    assert missing == [], "run: python packaging/translations.py update, translate, then build"


def test_translations_keep_their_placeholders_and_shortcuts() -> None:
    for source, german in read_ts(ts_path("de")).items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(german)), source
        if re.fullmatch(r"(Ctrl|Alt|Shift)\+.*|F\d+", source):
            assert german == source, "Qt parses shortcut strings: they stay as written"


def test_the_compiled_file_is_the_translations_compiled(tmp_path: Path) -> None:
    tool = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    fresh = tmp_path / "de.qm"
    subprocess.run([tool, str(ts_path("de")), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == ts_path("de").with_suffix(".qm").read_bytes(), "run translations.py build"


def test_the_window_speaks_german(german) -> None:
    assert sentence(errors.Forbidden()) != "Only a manager can do this. Ask a manager to enter their PIN."
    assert "Manager" in sentence(errors.Forbidden())
    assert "de" in translations.available()


def test_every_permission_is_refused_in_german_words(german) -> None:
    said = {p: sentence(errors.Forbidden("", permission=p.value)) for p in Permission}
    assert len(set(said.values())) == len(Permission)
    for text in said.values():
        assert text.startswith("Nur ein Manager darf ") and "PIN" in text, text


def test_an_unknown_language_leaves_english(qapp) -> None:
    assert translations.install("xx") == "en"
    assert sentence(errors.Forbidden()).startswith("Only a manager")
