"""How outcomes reach the officer: a notification in words, never a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from complaints_tui.domain.errors import DomainError

if TYPE_CHECKING:  # the first paint loads no database layer
    from complaints_tui.services.actions import Done


def error_text(error: BaseException | None) -> str:
    """The sentence an officer sees for a failure."""
    if isinstance(error, DomainError):
        return str(error)
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    if isinstance(error, OperationalError) and "locked" in str(error.orig):
        return "The database is busy (another officer is saving): try again in a moment."
    if isinstance(error, SQLAlchemyError):
        detail = getattr(error, "orig", None) or error
        return f"Database error: {detail}."
    if isinstance(error, OSError):
        return f"File error: {error.strerror or error}."
    return f"Something went wrong ({type(error).__name__}: {error})."


def report_error(node: Widget, error: BaseException | None) -> None:
    """Tell the officer what failed; unexpected errors also go to the Textual log."""
    if not isinstance(error, DomainError):
        node.log.error(repr(error))
    node.notify(error_text(error), title="Not done", severity="error", timeout=8, markup=False)


def report_done(node: Widget, done: Done) -> None:
    node.notify(done.message, title=done.reference, markup=False)
    for warning in done.warnings:
        node.notify(warning, title=done.reference, severity="warning", timeout=10, markup=False)
