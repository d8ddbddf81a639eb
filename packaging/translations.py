"""The till's translations: ``python packaging/translations.py update|build|status [--language de]``.

Every string the window shows goes through ``pos_app.ui.messages.tr`` (Qt context ``messages``). ``update``
collects them from the source (every ``tr("…")`` or ``tr_noop("…")`` call with a literal) into ``resources/translations/
pos_app_LANG.ts``, Qt Linguist's format: translations already made are kept, new strings are added as
unfinished, strings no longer used are dropped. ``build`` compiles each ``.ts`` into the ``.qm`` the till loads
(``pyside6-lrelease``, shipped with PySide6). ``status`` says how much of each language is done.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "pos_app" / "ui"
FOLDER = ROOT / "resources" / "translations"
CONTEXT = "messages"


def extract(source: Path = SOURCE) -> dict[str, list[str]]:
    """Each translatable string and where it is used (``path:line``), in the order first met."""
    found: dict[str, list[str]] = {}
    for path in sorted(source.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            first = node.args[0]
            if name in ("tr", "tr_noop") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def ts_path(language: str) -> Path:
    return FOLDER / f"pos_app_{language}.ts"


def read_ts(path: Path) -> dict[str, str]:
    """source → translation (finished ones only)."""
    if not path.exists():
        return {}
    done: dict[str, str] = {}
    for message in ET.parse(path).getroot().iter("message"):
        source, translation = message.findtext("source"), message.find("translation")
        if source is None or translation is None or translation.get("type") in {"unfinished", "obsolete"}:
            continue
        if translation.text:
            done[source] = translation.text
    return done


def write_ts(path: Path, language: str, strings: dict[str, list[str]], done: dict[str, str]) -> None:
    root = ET.Element("TS", version="2.1", language=language)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source, places in strings.items():
        message = ET.SubElement(context, "message")
        for place in places[:3]:
            file, _, line = place.rpartition(":")
            ET.SubElement(message, "location", filename=file, line=line)
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        if source in done:
            translation.text = done[source]
        else:
            translation.set("type", "unfinished")
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def update(language: str) -> None:
    path = ts_path(language)
    strings, done = extract(), read_ts(path)
    write_ts(path, language, strings, done)
    kept = sum(1 for s in strings if s in done)
    print(f"{path.relative_to(ROOT)}: {len(strings)} strings, {kept} translated, {len(strings) - kept} to do")


def build() -> None:
    tool = shutil.which("pyside6-lrelease")
    if tool is None:
        raise SystemExit("pyside6-lrelease not found: install PySide6 (pip install -e .)")
    for ts in sorted(FOLDER.glob("*.ts")):
        subprocess.run([tool, str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def status() -> None:
    strings = extract()
    for ts in sorted(FOLDER.glob("*.ts")):
        done = read_ts(ts)
        current = sum(1 for s in strings if s in done)
        print(f"{ts.stem}: {current}/{len(strings)} translated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["update", "build", "status"])
    parser.add_argument("--language", default="de")
    args = parser.parse_args(argv)
    if args.action == "update":
        update(args.language)
    elif args.action == "build":
        build()
    else:
        status()
    return 0


if __name__ == "__main__":
    sys.exit(main())
