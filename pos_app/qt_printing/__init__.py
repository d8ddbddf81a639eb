"""Qt renderers of the printing models (DESIGN.md §9): PDF receipts and card sheets, office printers.

A printing adapter beside ``ui`` (DESIGN.md §2: the only other package that imports PySide6): the command line and
the composition root render PDFs through it without importing the window.

* ``qt_app``         — the one Qt application object, for the window and for headless rendering.

* ``receipt_pdf``    — :func:`render_receipt_pdf`: a receipt as a one-page PDF (a roll's width, or A4/Letter);
  :func:`print_receipt` sends it to an office printer by name.
* ``card_sheet_pdf`` — :func:`render_card_sheet`: a campaign's cards as a multi-page PDF with cut marks.
  The QR and Code128 module patterns they draw as filled rectangles come from ``pos_app.printing.symbols``
  (no Qt: the server renders the same patterns as images).
* ``pdf_metadata``   — fixed title, creator, dates and document id, so that the same receipt gives the same bytes.
"""
