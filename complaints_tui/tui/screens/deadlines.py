"""Deadlines: every running clock by due date, grouped, then stopped clocks,
acknowledgements due, escalation windows still open and learning actions due."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from complaints_tui.domain.clocks import fmt
from complaints_tui.services import actions
from complaints_tui.services.actions import Done
from complaints_tui.services.lists import (
    CLOCK_GROUPS,
    DeadlineGroup,
    DeadlineItem,
    deadline_groups,
    deadline_rows,
)
from complaints_tui.tui import forms
from complaints_tui.tui.feedback import report_done, report_error
from complaints_tui.tui.keys import HELP
from complaints_tui.tui.messages import ActionDone, DeadlinesLoaded
from complaints_tui.tui.screens.case_list import deadline_kind, short_label
from complaints_tui.tui.screens.form_dialog import RELOAD
from complaints_tui.tui.styles import SCREENS_CSS
from complaints_tui.tui.widgets.key_bar import KeyBar
from complaints_tui.tui.widgets.virtual_table import Column, RowView, VirtualTable

WHEN = {
    "suspended": "stopped since",
    "acknowledgements": "acknowledge by",
    "windows": "may escalate until",
    "learning": "action due",
}

COLUMNS = (
    Column("Date", 10),
    Column("Left", 4, right=True),
    Column("Reference", 13),
    Column("Stage", 11),
    Column("Officer", 10, drop=2),
    Column("Service", 18, drop=1),
    Column("What", 14, flex=True),
)


def heading(item: DeadlineGroup, mine: bool) -> str:
    """'Overdue (mine 3 · team 12)': each group counts both the officer's and the team's."""
    if item.team is None:
        return f"{item.title} ({item.count})"
    if mine:
        return f"{item.title} (mine {item.count} · team {item.team})"
    return f"{item.title} (team {item.count} · mine {item.team})"


def render_item(item: DeadlineGroup | DeadlineItem, mine: bool = True) -> RowView:
    if isinstance(item, DeadlineGroup):
        return RowView(text=f"━━ {heading(item, mine)} ━━", kind="heading")
    what = item.text
    if item.group == "learning" and item.owner:
        what = f"{item.text} — {item.owner}"
    if item.group in WHEN:
        what = f"{WHEN[item.group]} {fmt(item.when)}: {what}"
    kind = ""
    if item.group in CLOCK_GROUPS:
        kind = deadline_kind(item.days_left, "open")
    elif item.group == "suspended":
        kind = "stopped"
    elif item.days_left is not None and item.days_left < 0:
        kind = "overdue"
    return RowView(
        (
            fmt(item.when),
            "" if item.days_left is None else str(item.days_left),
            item.reference,
            short_label(item.procedure, item.number),
            item.officer or "",
            item.service or "",
            what,
        ),
        kind,
    )


class DeadlinesScreen(Screen[None]):
    CSS_PATH = SCREENS_CSS

    AUTO_FOCUS = "#deadlines"
    BINDINGS: ClassVar[list[BindingType]] = [
        HELP,
        Binding("enter", "open", "Open", tooltip="Open the case", id="deadlines.open"),
        Binding(
            "x", "extend", "Extend", tooltip="Extend the selected clock", id="deadlines.extend"
        ),
        Binding(
            "r",
            "respond",
            "Respond",
            tooltip="Record the response to the selected clock",
            id="deadlines.respond",
        ),
        Binding(
            "e",
            "escalate",
            "Escalate",
            tooltip="The escalation screen of the selected case",
            id="deadlines.escalate",
        ),
        Binding(
            "d",
            "action_done",
            "Action done",
            tooltip="Mark the selected learning action implemented",
            id="deadlines.learning-done",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "group(1)",
            "Next group",
            tooltip="Jump to the next group",
            id="deadlines.next",
        ),
        Binding(
            "left_square_bracket",
            "group(-1)",
            "Previous group",
            tooltip="Jump to the previous group",
            id="deadlines.previous",
            show=False,
        ),
        Binding(
            "m",
            "toggle_mine",
            "Mine/team",
            tooltip="Switch between your own work and the whole team's",
            id="deadlines.mine",
        ),
        Binding("ctrl+r", "reload", "Reload", id="deadlines.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.groups: tuple[DeadlineGroup, ...] = ()
        self.officer: str | None = None
        """The officer using the app, as the team's list spells it (None: not on it)."""
        self.mine = True
        """Showing the officer's own work (the default), or the whole team's."""

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="deadline-status")
        yield VirtualTable(
            COLUMNS,
            lambda item: render_item(item, self.mine and self.officer is not None),
            empty="No deadlines.",
            id="deadlines",
        )
        yield Static("", id="deadline-detail")
        yield KeyBar()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#deadlines", VirtualTable)

    def on_mount(self) -> None:
        self.title = "Deadlines"
        self.load()

    def follow_changes(self) -> None:
        """A colleague saved something: show the list as it is now, cursor kept."""
        self.load(keep_cursor=True)

    def on_screen_resume(self) -> None:
        self.load(keep_cursor=True)

    def load(self, *, keep_cursor: bool = False) -> None:
        self._load(keep_cursor)

    def _whose(self) -> str | None:
        """Whose work the rows are: the officer's, or None for the whole team."""
        return self.officer if self.mine else None

    @work(thread=True, exclusive=True, exit_on_error=False, group="deadlines")
    def _load(self, keep_cursor: bool) -> None:
        self.app.calendar_ready()  # type: ignore[attr-defined]
        from complaints_tui.tui.desk import me

        self.officer = me(self.ctx)
        whose = self._whose()
        groups = deadline_groups(self.ctx, officer=self.officer)
        if whose is None and self.officer is not None:
            # the team's counts lead; the officer's own stay beside them
            groups = tuple(replace(g, count=g.team or 0, team=g.count) for g in groups)
        first = deadline_rows(self.ctx, groups, offset=0, limit=self.table.page_size, officer=whose)
        self.post_message(DeadlinesLoaded(groups, first, keep_cursor=keep_cursor))

    def action_toggle_mine(self) -> None:
        if self.officer is None:
            self.notify(
                f"{self.ctx.actor} is not on the team's officer list: this is the whole "
                "team's work. Set COMPLAINTS_OFFICER to your name as the list has it.",
                severity="warning",
                markup=False,
            )
            return
        self.mine = not self.mine
        self.load()

    def on_deadlines_loaded(self, message: DeadlinesLoaded) -> None:
        self.groups = tuple(message.groups)
        groups = self.groups
        whose = self._whose()
        self.title = f"Deadlines — {whose}" if whose else "Deadlines — the whole team"
        self.sub_title = f"{self.ctx.today():%a %d/%m/%Y}"  # not the app's "name · date" again
        total = sum(g.count + 1 for g in groups)
        self.table.show(
            total,
            message.first,
            lambda offset, limit, _a, _b: deadline_rows(
                self.ctx, groups, offset=offset, limit=limit, officer=whose
            ),
            keep_cursor=message.keep_cursor,
        )
        if not message.keep_cursor:
            # Start on the most pressing deadline, not on a heading.
            start = 0
            for g in groups:
                if g.count:
                    self.table.move_to(start + 1)
                    break
                start += g.count + 1
        counts = {g.key: g.count for g in groups}
        view = "[b]mine[/b] (m: team)" if whose else "[b]team[/b] (m: mine)"
        if self.officer is None:
            view = "[b]team[/b]"
        self.query_one("#deadline-status", Static).update(
            f"{view} · "
            f"[$text-error]{counts.get('overdue', 0)} overdue[/] · "
            f"[$text-warning]{counts.get('today', 0)} due today[/] · "
            f"{counts.get('this_week', 0)} this week · {counts.get('next_week', 0)} next week · "
            f"{counts.get('suspended', 0)} stopped · "
            f"{counts.get('acknowledgements', 0)} to acknowledge"
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            report_error(self, event.worker.error)

    @on(VirtualTable.Highlighted, "#deadlines")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        item = event.row
        detail = self.query_one("#deadline-detail", Static)
        if isinstance(item, DeadlineGroup):
            detail.update(
                f"{escape(heading(item, self._whose() is not None))}. "
                "] jumps to the next group; m switches mine / team."
            )
            return
        when = WHEN.get(item.group, "due")
        left = "" if item.days_left is None else f" ({item.days_left} working days)"
        detail.update(
            f"[b]{item.reference}[/b] {item.label} · {when} {fmt(item.when)}{left} · "
            f"{escape(item.officer or 'unassigned')} · {escape(item.text)}"
        )

    @on(VirtualTable.Selected, "#deadlines")
    def _selected(self, event: VirtualTable.Selected) -> None:
        if isinstance(event.row, DeadlineItem):
            self.app.open_case(event.row.reference)  # type: ignore[attr-defined]

    # -- actions on the selected item ----------------------------------------------------------

    def _item(self) -> DeadlineItem | None:
        item = self.table.row
        if not isinstance(item, DeadlineItem):
            self.notify("Select a deadline (not a group heading).", severity="warning")
            return None
        return item

    def _clock(self) -> DeadlineItem | None:
        item = self._item()
        if item is not None and not item.is_clock:
            what = "a learning action" if item.group == "learning" else "an escalation window"
            self.notify(
                f"This is {what}, not a running clock: Enter opens the case.", severity="warning"
            )
            return None
        return item

    def _saved(self, result: Done | str | None) -> None:
        if isinstance(result, Done):
            report_done(self, result)
            self.load(keep_cursor=True)
        elif result == RELOAD:
            self.load(keep_cursor=True)

    def action_open(self) -> None:
        self.table.action_select()

    def action_extend(self) -> None:
        if item := self._clock():
            self.app.push_screen(
                forms.extend_form(
                    self.ctx,
                    item.reference,
                    item.version,
                    stage_id=item.stage_id,
                    procedure=item.procedure,
                    number=item.number,
                    current=None,
                ),
                self._saved,
            )

    def action_respond(self) -> None:
        if item := self._clock():
            self.app.push_screen(
                forms.respond_form(
                    self.ctx,
                    item.reference,
                    item.version,
                    item.stage_id,
                    item.procedure,
                    item.label,
                ),
                self._saved,
            )

    def action_escalate(self) -> None:
        if item := self._item():
            from complaints_tui.tui.screens.escalation import EscalationScreen

            self.app.push_screen(EscalationScreen(item.reference))

    def action_action_done(self) -> None:
        item = self._item()
        if item is None or item.learning_id is None:
            if item is not None:
                self.notify("That is not a learning action.", severity="warning")
            return
        self._mark_done(item)

    @work(thread=True, exit_on_error=False, group="save")
    def _mark_done(self, item: DeadlineItem) -> None:
        assert item.learning_id is not None
        done = actions.set_learning_status(self.ctx, item.reference, item.learning_id, "done")
        self.post_message(ActionDone(done))

    def on_action_done(self, message: ActionDone) -> None:
        report_done(self, message.done)
        self.load(keep_cursor=True)

    def action_group(self, step: int) -> None:
        starts = []
        at = 0
        for g in self.groups:
            starts.append(at)
            at += g.count + 1
        if not starts:
            return
        cursor = self.table.cursor
        if step > 0:
            target = next((s for s in starts if s > cursor), starts[-1])
        else:
            target = next((s for s in reversed(starts) if s < cursor), starts[0])
        self.table.move_to(target, to_top=True)  # the heading, and its items below it
