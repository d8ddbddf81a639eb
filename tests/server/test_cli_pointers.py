"""Every refusal of an enrolled till that sends head office to ``pos-server`` names a command that exists."""

from __future__ import annotations

import re
from pathlib import Path

import click

from pos_app.server.cli import main

ROOT = Path(__file__).resolve().parents[2] / "pos_app"
POINTER = re.compile(r"require_standalone\([^)]*\"(pos-server [^\"]+)\"")


def _exists(words: list[str]) -> bool:
    command: click.Command = main
    for word in words:
        if word.isupper() or word.startswith("-"):  # CODE, FILE, ID, --customer: arguments and options
            break
        if not isinstance(command, click.Group):
            return False
        names = word.split("|")  # "disable|enable": each must exist
        if not all(name in command.commands for name in names):
            return False
        command = command.commands[names[0]]
    return True


def test_every_pointer_names_an_existing_command() -> None:
    pointers = [m.group(1) for path in ROOT.rglob("*.py") for m in POINTER.finditer(path.read_text("utf-8"))]
    assert len(pointers) >= 5  # import, publish, card disable|enable, campaign create, user add
    missing = [p for p in pointers if not _exists(p.split()[1:])]
    assert missing == []
