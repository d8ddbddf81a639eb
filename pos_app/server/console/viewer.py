"""Who is looking at a console page (``deps.Viewer`` is this class): the signed-in user, the page's language and
the CSRF token of their session."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.server.console.roles import may


@dataclass(frozen=True, slots=True)
class Viewer:
    id: str
    email: str
    role: str
    locale: str  # the language of the pages: "en" or "de"
    csrf: str

    def may(self, permission: str) -> bool:
        return may(self.role, permission)
