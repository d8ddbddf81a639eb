"""Qt renderers of the printing models (DESIGN.md §9): PDF receipts and card sheets, office printers.

* ``receipt_pdf``    — :func:`render_receipt_pdf`: a receipt as a one-page PDF (a roll's width, or A4/Letter);
  :func:`print_receipt` sends it to an office printer by name.
* ``card_sheet_pdf`` — :func:`render_card_sheet`: a campaign's cards as a multi-page PDF with cut marks.
* ``symbols``        — QR and Code128 module patterns, drawn by QPainter as filled rectangles.
* ``pdf_metadata``   — fixed title, creator, dates and document id, so that the same receipt gives the same bytes.
"""
