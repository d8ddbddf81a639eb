"""Receipts and card sheets (DESIGN.md §9): plain models, rendered by separate renderers.

Knows the domain (and ``pos_app.formatting`` for amounts and dates); never Qt — the Qt/PDF renderers live in
``pos_app.qt_printing``, the only place that may import PySide6, and are wired in by whoever prints (the till
window, the command line).

* ``receipt``   — :class:`~pos_app.printing.receipt.Receipt`, built from what was committed.
* ``text``      — the plain-text rendering (the screen, the tests), to a width in columns.
* ``escpos_render`` — ESC/POS bytes through python-escpos: printer profiles, 58/80 mm, code pages, QR, cut.
* ``connections`` — where the bytes go: USB, network (9100), serial, file/device, CUPS.
* ``spool``     — print jobs stored with their bytes (a reprint is identical), sent after the commit; a failed
  printer never undoes or blocks the sale. ``printer_settings``: where and how this till prints.
* ``card_sheet`` — :class:`~pos_app.printing.card_sheet.CardFace` and the sheet layout (cards per page, cut marks).
* ``symbols``   — a code as QR and Code128 module patterns (the card sheet, the receipt's QR, the demo cards);
  ``symbol_images`` — the same patterns as PNG and SVG images (the server's voucher assets).
"""
