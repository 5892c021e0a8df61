"""What the thread workers send back to the screens: read results and saved actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:  # names for annotations only: the first paint loads no database layer
    from complaints_tui.services.actions import Done
    from complaints_tui.services.lists import (
        CaseListing,
        ContactRow,
        DeadlineGroup,
        FilterChoices,
    )
    from complaints_tui.services.queries import CaseDetail


class ListingLoaded(Message):
    """The case list's count and first page for a filter."""

    def __init__(self, listing: CaseListing, *, keep_cursor: bool, started: float) -> None:
        super().__init__()
        self.listing, self.keep_cursor, self.started = listing, keep_cursor, started


class CaseLoaded(Message):
    def __init__(self, detail: CaseDetail) -> None:
        super().__init__()
        self.detail = detail


class QueueLoaded(Message):
    """The duty triage queue: how many contacts wait, and the first of them."""

    def __init__(self, total: int, first: Sequence[ContactRow], *, keep_cursor: bool) -> None:
        super().__init__()
        self.total, self.first, self.keep_cursor = total, first, keep_cursor


class DeadlinesLoaded(Message):
    def __init__(
        self, groups: Sequence[DeadlineGroup], first: Sequence[Any], *, keep_cursor: bool
    ) -> None:
        super().__init__()
        self.groups, self.first, self.keep_cursor = groups, first, keep_cursor


class ChoicesLoaded(Message):
    """The services, divisions and officers the filters and forms offer."""

    def __init__(self, choices: FilterChoices) -> None:
        super().__init__()
        self.choices = choices


class ActionDone(Message):
    """An officer action was saved."""

    def __init__(self, done: Done) -> None:
        super().__init__()
        self.done = done


class ContactCaptured(Message):
    """A new duty contact was logged from the quick-capture form."""

    def __init__(self, done: Done) -> None:
        super().__init__()
        self.done = done
