"""Every English string of the console has its German: the strings of the templates (``{{ _("…") }}``) and of the
Python modules (``_("…")``, ``N_("…")``), found by parsing them, so a string added anywhere in
``pos_app/server/console`` without its line in a ``translations/de/<area>.json`` fails here — with the list of
what is missing, ready to copy."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from jinja2.ext import extract_from_ast

from pos_app.server.console import i18n, pages

CONSOLE = Path(pages.__file__).resolve().parent
_FIELDS = re.compile(r"\{(\w*)\}")


def template_strings() -> dict[str, str]:
    """English text → where it is used, in every template."""
    found: dict[str, str] = {}
    for path in sorted((CONSOLE / "templates").rglob("*.html")):
        tree = pages.templates.env.parse(path.read_text(encoding="utf-8"))
        for line, _function, message in extract_from_ast(tree, gettext_functions=("_",)):
            text = message[0] if isinstance(message, tuple) else message  # with keywords: (text, None, …)
            if isinstance(text, str):
                found.setdefault(text, f"{path.relative_to(CONSOLE)}:{line}")
    return found


def python_strings() -> dict[str, str]:
    """English text → where it is used, in every ``_()`` and ``N_()`` call of the console's modules."""
    found: dict[str, str] = {}
    for path in sorted(CONSOLE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(CONSOLE)}:{node.lineno}")
    return found


def test_the_scan_finds_strings_of_both_kinds() -> None:  # the test below cannot pass by finding nothing
    assert "Sign in to head office" in template_strings()
    assert "Revoke the key {name}" in template_strings()  # a call with keywords
    assert "The e-mail address or the password is wrong." in python_strings()
    assert "Audit log" in python_strings()  # N_() in the navigation's table


def test_every_console_string_has_its_german() -> None:
    german = i18n.CATALOGUES.get("de", {})
    used = {**template_strings(), **python_strings()}
    missing = {text: where for text, where in sorted(used.items()) if not german.get(text, "").strip()}
    assert not missing, "no German for these console strings (add them to translations/de/<area>.json):\n" + \
        json.dumps(dict.fromkeys(missing, ""), ensure_ascii=False, indent=2) + "\nused at: " + \
        ", ".join(missing.values())


def test_the_german_keeps_every_placeholder() -> None:
    for english, translated in i18n.CATALOGUES.get("de", {}).items():
        assert set(_FIELDS.findall(english)) == set(_FIELDS.findall(translated)), (english, translated)
