"""Where the window's files are: the style sheet, icons, sounds and translations under ``resources/``.

``resources/`` sits at the top of the repository (beside ``pos_app/``); a source checkout and an editable install
find it there. ``POS_APP_RESOURCES`` points elsewhere (a packaged build that puts it beside the executable).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

RESOURCES_ENV = "POS_APP_RESOURCES"


@cache
def resources_dir() -> Path:
    given = os.environ.get(RESOURCES_ENV)
    return Path(given) if given else Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
