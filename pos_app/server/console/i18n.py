"""The console's languages: English source strings, German from ``translations/de/*.json``.

Each area keeps its own catalogue, ``translations/de/<area>.json`` (``{"English text": "Deutscher Text"}``); they
are merged when the module loads (a text in two files must have the same German). ``_("Text")`` translates into
the language of the page being answered (:func:`use`, set by ``pages.render`` and the request's dependencies);
``_("Locked until {time}", time=…)`` formats after translating. ``tests/console/test_translations.py`` fails on
a string of a template or a ``_()`` call that has no German.

The language of a page: the viewer's stored choice, else the ``pos_console_lang`` cookie (the switch on the login
page), else the browser's ``Accept-Language``, else English.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}
DEFAULT = "en"
LANG_COOKIE = "pos_console_lang"
CATALOGUE_DIR = Path(__file__).resolve().with_name("translations")

_current: ContextVar[str] = ContextVar("console_language", default=DEFAULT)


def load_catalogues(root: Path = CATALOGUE_DIR) -> dict[str, dict[str, str]]:
    """``{language: {English: translation}}`` from every ``<root>/<language>/*.json``."""
    found: dict[str, dict[str, str]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        merged: dict[str, str] = {}
        for file in sorted(folder.glob("*.json")):
            for english, translated in json.loads(file.read_text(encoding="utf-8")).items():
                if merged.get(english, translated) != translated:
                    raise ValueError(f"{file}: {english!r} is translated differently in another catalogue")
                merged[english] = translated
        found[folder.name] = merged
    return found


CATALOGUES = load_catalogues()


def translate(language: str, text: str, **values: object) -> str:
    """``text`` in ``language`` (English when there is no translation), formatted with ``values`` if any."""
    result = CATALOGUES.get(language, {}).get(text, text) if language != DEFAULT else text
    return result.format(**values) if values else result


def _(text: str, **values: object) -> str:
    """``text`` in the language of the page being answered."""
    return translate(_current.get(), text, **values)


def N_(text: str) -> str:
    """Mark ``text`` for translation where it is defined (a table of labels); ``_()`` translates it where it is
    shown. The translation test finds it as it finds ``_()``."""
    return text


def current() -> str:
    return _current.get()


@contextmanager
def use(language: str) -> Iterator[None]:
    """Translate into ``language`` inside the block."""
    token = _current.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def set_current(language: str) -> None:
    """Translate into ``language`` for the rest of this request (its context; a dependency calls it)."""
    _current.set(language if language in LANGUAGES else DEFAULT)


def from_accept_language(header: str | None) -> str | None:
    """The first language of ``Accept-Language`` the console speaks, by the browser's order of preference."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and quality > 0:
            choices.append((-quality, index, language))
    return min(choices)[2] if choices else None


def pick(stored: str | None, cookie: str | None, accept_language: str | None) -> str:
    for candidate in (stored, cookie, from_accept_language(accept_language)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT
