"""The end-of-day (Z) report as a printout: plain text for the screen and the tests, ESC/POS for the receipt
printer. The same blocks as a receipt (:mod:`pos_app.printing.text`): the shop, the day, then the whole shop's
figures and each till's and cashier's, each as label and amount pairs. The figures come from
:class:`~pos_app.domain.day_report.DayReport`; nothing is added up here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from babel.dates import format_date

from pos_app.domain.day_report import DayFigures, DayReport
from pos_app.domain.ledger import PaymentMethod
from pos_app.domain.money import Money
from pos_app.formatting import format_datetime, format_money
from pos_app.printing.escpos_render import Paper, printer_model, render_layout
from pos_app.printing.text import MIN_COLUMNS, Align, Block, Style, clean, fit

LABELS: dict[str, str] = {
    "title": "END OF DAY",
    "printed": "Printed",
    "shop": "Whole shop",
    "till": "Till",
    "cashier": "Cashier",
    "nobody": "(no cashier)",
    "sales": "Cards sold",
    "sold": "Value sold",
    "paid": "Takings",
    "paid.cash": "Paid in cash",
    "paid.card": "Paid by card",
    "paid.other": "Paid otherwise",
    "paid.none": "Payment not recorded",
    "top_ups": "Top-ups",
    "redemptions": "Redemptions",
    "refunds": "Refunds",
    "corrections": "Corrections",
    "unsynced": "Not yet synced",
    "nothing": "Nothing happened on this day.",
}


def day_blocks(report: DayReport, *, shop_name: str, locale: str, money: Callable[[Money], str] | None = None,
               clean: Callable[[str], str] = clean, labels: Mapping[str, str] | None = None) -> list[Block]:
    """What the printout says, top to bottom (``money`` and ``clean`` as in ``text.blocks``)."""
    label = {**LABELS, **(labels or {})}.__getitem__
    show = money or (lambda m: format_money(m, locale=locale))

    def amount(minor: int) -> str:
        return show(Money(minor, report.currency))

    def pair(name: str, value: str, style: Style = Style.NORMAL) -> Block:
        return Block(style, Align.PAIR, clean(label(name)), clean(value))

    def figures(title: str, f: DayFigures) -> list[Block]:
        out = [Block(Style.RULE, Align.LEFT), Block(Style.STRONG, Align.LEFT, clean(title))]
        out.append(pair("sales", f"{f.sales} · {amount(f.sold)}"))
        out.append(pair("paid", amount(f.paid), Style.STRONG))
        for taking in f.takings:
            name = f"paid.{taking.payment.value}" if isinstance(taking.payment, PaymentMethod) else "paid.none"
            out.append(pair(name, f"{taking.count} · {amount(taking.paid)}"))
        out.append(pair("top_ups", f"{f.top_ups} · {amount(f.topped_up)}"))
        out.append(pair("redemptions", f"{f.redemptions} · {amount(f.redeemed)}"))
        out.append(pair("refunds", f"{f.refunds} · {amount(f.refunded)}"))
        sign = "+" if f.corrected > 0 else ""
        out.append(pair("corrections", f"{f.corrections} · {sign}{amount(f.corrected)}"))
        if f.unsynced:
            out.append(pair("unsynced", str(f.unsynced), Style.STRONG))
        return out

    out = [Block(Style.TITLE, Align.CENTER, clean(shop_name)),
           Block(Style.STRONG, Align.CENTER, clean(label("title"))),
           Block(Style.NORMAL, Align.CENTER, clean(str(format_date(report.day, "full", locale=locale)))),
           pair("printed", format_datetime(report.at, locale=locale))]
    if not report.shifts:
        return [*out, Block(Style.RULE, Align.LEFT), Block(Style.NORMAL, Align.LEFT, clean(label("nothing")))]
    out += figures(label("shop"), report.total)
    for till in report.tills:
        out += figures(f"{label('till')} {till.device_id}", till)
        for shift in (s for s in report.shifts if s.device_id == till.device_id):
            who = shift.operator_name or shift.operator_id or label("nobody")
            out += figures(f"{label('cashier')} {who}", shift)
    out.append(Block(Style.RULE, Align.LEFT))
    return [b for b in out if b.style is Style.RULE or b.text]


def render_day_text(report: DayReport, *, shop_name: str, locale: str, columns: int = 42) -> str:
    """The printout as plain text, no line wider than ``columns``."""
    if columns < MIN_COLUMNS:
        raise ValueError(f"a printout needs at least {MIN_COLUMNS} columns, not {columns}")
    return "\n".join(line for block in day_blocks(report, shop_name=shop_name, locale=locale)
                     for line in fit(block, columns))


def render_day_escpos(report: DayReport, *, shop_name: str, locale: str, profile: str = "default",
                      paper: Paper = "80mm") -> bytes:
    """ESC/POS bytes of the printout for the printer ``profile`` on ``paper`` (as a receipt is printed)."""
    printer_model(profile, paper)  # an unknown profile or paper says so before anything is laid out

    def layout(money: Callable[[Money], str], fit_text: Callable[[str], str]) -> list[Block]:
        return day_blocks(report, shop_name=shop_name, locale=locale, money=money, clean=fit_text)

    return render_layout(layout, locale, profile, paper)
