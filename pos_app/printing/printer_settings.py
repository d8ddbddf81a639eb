"""The till's receipt printer: where it is, which model, which paper, and the lines the shop adds to receipts.

Reading them is cheap (python-escpos is imported only to check them or print): every sale reads them. Kept in
the till's settings as one JSON object (see ``pos_app.bootstrap``); :meth:`PrinterSettings.from_stored`
reads whatever an older or hand-edited store holds without failing (a sale must never fail over a printer
setting), and :meth:`PrinterSettings.check` refuses a bad setting when a manager makes it, with the reason.

:func:`printer_test_page` is what ``pos-app printer test`` prints: the settings themselves and a ruler as wide as
the paper, so a manager sees at once whether the model and paper are right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from pos_app.domain.errors import GiftCardError

Paper = Literal["58mm", "80mm"]
PAPERS: tuple[Paper, ...] = ("58mm", "80mm")
MAX_LINES = 8
MAX_LINE_LENGTH = 80


class InvalidPrinterSettings(GiftCardError):
    key, code, message = "invalid_printer_settings", 400, "the printer settings were refused"


@dataclass(frozen=True, slots=True, kw_only=True)
class PrinterSettings:
    """``destination`` None: no receipt printer (sales go on; receipts can still be written to files)."""

    destination: str | None = None
    profile: str = "default"  # a python-escpos printer profile, e.g. "TM-T20II"
    paper: Paper = "80mm"
    footer: tuple[str, ...] = ()
    shop_lines: tuple[str, ...] = ()

    @property
    def pdf_page(self) -> str:
        """The PDF page that matches the roll (``roll58``/``roll80``)."""
        return f"roll{self.paper[:2]}"

    @classmethod
    def from_stored(cls, raw: Mapping[str, Any] | None) -> PrinterSettings:
        raw = raw if isinstance(raw, Mapping) else {}
        paper = raw.get("paper")
        return cls(
            destination=str(raw["destination"]) if raw.get("destination") else None,
            profile=str(raw.get("profile") or "default"),
            paper=cast(Paper, paper) if paper in PAPERS else "80mm",
            footer=_lines(raw.get("footer")),
            shop_lines=_lines(raw.get("shop_lines")),
        )

    def stored(self) -> dict[str, Any]:
        return {"destination": self.destination, "profile": self.profile, "paper": self.paper,
                "footer": list(self.footer), "shop_lines": list(self.shop_lines)}

    def check(self) -> PrinterSettings:
        """These settings, or :class:`InvalidPrinterSettings` saying what is wrong."""
        from pos_app.printing.connections import PrinterUnavailable, parse_setting
        from pos_app.printing.escpos_render import printer_model

        if self.destination:
            try:
                parse_setting(self.destination)
            except PrinterUnavailable as exc:
                raise InvalidPrinterSettings(f"{exc} ({exc.detail})" if exc.detail else str(exc)) from exc
        try:
            printer_model(self.profile, self.paper)
        except ValueError as exc:
            raise InvalidPrinterSettings(str(exc)) from exc
        for name, lines in (("footer", self.footer), ("shop", self.shop_lines)):
            if len(lines) > MAX_LINES:
                raise InvalidPrinterSettings(f"at most {MAX_LINES} {name} lines")
            for line in lines:
                if len(line) > MAX_LINE_LENGTH or not line.isprintable():
                    raise InvalidPrinterSettings(
                        f"{name} line {line[:20]!r}: at most {MAX_LINE_LENGTH} printable characters")
        return self


def _lines(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence):
        return ()
    return tuple(str(line).strip() for line in value if str(line).strip())


def clean_lines(lines: Sequence[str]) -> tuple[str, ...]:
    """Lines as typed: surrounding space trimmed, empty ones dropped (an empty ``--footer ""`` clears them)."""
    return _lines(list(lines))


def printer_test_page(settings: PrinterSettings, *, shop_name: str, at: datetime) -> bytes:
    """ESC/POS bytes of a test page for ``settings``' model and paper (ASCII only: any code page prints it)."""
    from escpos.printer import Dummy

    from pos_app.printing.escpos_render import printer_model

    model = printer_model(settings.profile, settings.paper)
    printer = Dummy(profile=model.profile)
    printer.hw("INIT")
    printer.set(bold=True, double_height=True)
    printer.text("PRINTER TEST\n")
    printer.set(normal_textsize=True)
    shown = shop_name.encode("ascii", "replace").decode("ascii")
    for line in (shown, at.strftime("%Y-%m-%d %H:%M:%S %z"), f"Profile {model.profile}", f"Paper {model.paper}",
                 f"{model.columns} columns:", ("1234567890" * 10)[:model.columns], "-" * model.columns,
                 "If you can read this, receipts", "will print here."):
        printer.text(f"{line[:model.columns]}\n")
    if model.cut:
        printer.cut(mode=model.cut)
    else:
        printer.print_and_feed(6)
    return bytes(printer.output)
