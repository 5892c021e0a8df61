"""Where the screens' styles live, and loading them before a screen needs them.

Textual parses every style sheet it holds again each time one is added, and a few times
while it starts: the launch parses only the case list's rules (``app.tcss``). The other
screens name ``screens.tcss`` in their ``CSS_PATH`` (Textual loads it when the first of
them opens), and the app loads it just after the first list is painted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCREENS_CSS = Path(__file__).with_name("screens.tcss")


def load_screen_styles(app: Any) -> None:
    """Add ``screens.tcss`` to the app's styles now, as opening a screen would."""
    sheet = app.stylesheet
    if not sheet.has_source(str(SCREENS_CSS), ""):
        sheet.read(SCREENS_CSS)
        sheet.reparse()
        sheet.update(app)
