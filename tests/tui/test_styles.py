"""The launch parses only the case list's styles; every other screen brings its own."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from textual.screen import Screen

import complaints_tui.tui.screens as screens
from complaints_tui.tui.styles import SCREENS_CSS


def _screens() -> list[type[Screen]]:
    for info in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"{screens.__name__}.{info.name}")
    found: list[type[Screen]] = []
    todo = [Screen]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("complaints_tui."):
                found.append(sub)
    return found


def test_every_screen_but_the_case_list_names_the_screens_styles() -> None:
    found = _screens()
    assert len(found) > 10
    for screen in found:
        paths = screen.CSS_PATH if isinstance(screen.CSS_PATH, list) else [screen.CSS_PATH]
        if screen.__name__ == "CaseListScreen":
            assert screen.CSS_PATH is None  # its rules are in app.tcss, parsed at launch
        else:
            assert SCREENS_CSS in [Path(p) for p in paths if p], screen.__name__
