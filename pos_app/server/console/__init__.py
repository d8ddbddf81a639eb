"""The head-office console: server-rendered pages (FastAPI + Jinja2) served by ``pos-server serve`` under
``/console`` (DESIGN.md §13, issue 15).

The core: ``roles`` (permissions), ``users`` (accounts, passwords, lock-out), ``sessions`` (cookie, CSRF token),
``deps`` (who is signed in and what they may do, the CSRF check), ``pages`` (templates, flash, redirects),
``i18n`` (English source strings, German catalogues), ``audit`` (the audit log), ``login``; ``routes`` puts the
areas' routers together and installs them in the application. One module per area beside them.
"""
