"""Bindings several screens share."""

from __future__ import annotations

from textual.binding import Binding

HELP = Binding("question_mark", "app.help", "Help", tooltip="Every key of every screen", id="help")
"""Listed first on each screen so the footer shows it even at 80 columns (the app's own
binding would come last and be cut off)."""
