"""The till's Qt side: the only package that imports PySide6 (DESIGN.md §2, enforced by import-linter).

Everything else — domain, services, store, printing models — stays importable on a server without Qt. Qt code
that a command line needs too (PDF receipts and card sheets) lives here, and the command that needs it imports
it only when it runs, so that ``pos-app card show`` never loads Qt.
"""
