"""The Textual application: the four places an officer works, switched with 1-4.

Only the case list is imported before the first paint; the other screens are imported
when first opened (each mode's factory imports its module), so launch stays quick.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import constants, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from complaints_tui.services.lists_model import CaseListing, FilterChoices
from complaints_tui.tui.commands import CaseCommands, ImportCommands, ScreenCommands
from complaints_tui.tui.desk import DeskCommands
from complaints_tui.tui.hangup import end_with_the_terminal
from complaints_tui.tui.styles import load_screen_styles

if TYPE_CHECKING:
    from complaints_tui.domain.policy import Policy
    from complaints_tui.services.context import Context


@dataclass(frozen=True)
class Opening:
    """What the app knows before the database layer has loaded, and how to open it.

    The first list is painted from a plain ``sqlite3`` read; ``open`` (SQLAlchemy, the
    schema check, the policy check) runs the first time anything asks for ``app.ctx``:
    the list's own reload, just after that paint.
    """

    actor: str
    policy: Policy | None
    """The policy file's, read before the app started (a mistake in it is refused then);
    None: no file was named, and the defaults are built when first needed."""
    today: Callable[[], date]
    open: Callable[[Callable[[str], None]], Context]
    """Opens the database; takes where to send a line for the officer (a notice)."""


def _cases() -> Screen:
    from complaints_tui.tui.screens.case_list import CaseListScreen

    return CaseListScreen()


def _triage() -> Screen:
    from complaints_tui.tui.screens.triage import TriageScreen

    return TriageScreen()


def _deadlines() -> Screen:
    from complaints_tui.tui.screens.deadlines import DeadlinesScreen

    return DeadlinesScreen()


def _report() -> Screen:
    from complaints_tui.tui.screens.report import ReportScreen

    return ReportScreen()


SCREENS = Binding.Group("Screens", compact=True)
"""1-4 share one footer entry, so the screen's own keys fit at 80 columns."""


class ComplaintsApp(App[None]):
    TITLE = "Complaints"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ScreenCommands, CaseCommands, ImportCommands, DeskCommands}
    MODES: ClassVar = {
        "cases": _cases,
        "triage": _triage,
        "deadlines": _deadlines,
        "report": _report,
    }
    DEFAULT_MODE = "cases"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "1",
            "go('cases')",
            "Cases",
            tooltip="The case list",
            id="go.cases",
            group=SCREENS,
        ),
        Binding(
            "2",
            "go('triage')",
            "Triage",
            tooltip="Duty triage queue",
            id="go.triage",
            group=SCREENS,
        ),
        Binding(
            "3",
            "go('deadlines')",
            "Deadlines",
            tooltip="Every running clock, grouped",
            id="go.deadlines",
            group=SCREENS,
        ),
        Binding(
            "4",
            "go('report')",
            "Report",
            tooltip="The year-end report",
            id="go.report",
            group=SCREENS,
        ),
        Binding("question_mark", "help", "Help", tooltip="Every key of every screen", id="help"),
        Binding(
            "ctrl+t",
            "toggle_theme",
            "Light/dark",
            tooltip="Switch between the light and dark theme",
            id="theme",
            show=False,
        ),
        # No bare "q": on a screen where it means nothing it quit the app mid-task.
        Binding("ctrl+q", "quit", "Quit", tooltip="Leave the app", id="quit", show=False),
    ]

    THEMES = ("textual-dark", "textual-light")

    CHANGE_POLL = 2.0
    """Seconds between readings of the change counter: how soon a colleague's change
    shows on the screen in front of the officer (one primary-key read each time)."""

    def __init__(
        self,
        ctx: Context | None = None,
        *,
        theme: str | None = None,
        first: CaseListing | None = None,
        opening: Opening | None = None,
    ) -> None:
        super().__init__()
        self._policy: Policy | None
        if ctx is not None:
            self.actor, self._policy, self.today = ctx.actor, ctx.policy, ctx.today
        elif opening is not None:
            self.actor, self._policy, self.today = opening.actor, opening.policy, opening.today
        else:
            raise ValueError("the app needs a context or an opening")
        self._ctx = ctx
        self._opening = opening
        self._open_lock = threading.Lock()
        self.first_listing = first
        """The case list's first page when the command read it before start-up."""
        wanted = theme or self.THEMES[0]
        if wanted != constants.DEFAULT_THEME:
            # Setting it, even to what it already is, runs its watcher now, which queues
            # a re-parse of every style and a repaint of every widget at start-up: a whole
            # extra frame before the first list. Textual applies its default itself.
            self.theme = wanted
        self.choices: FilterChoices | None = None
        """Services, divisions and officers in the data, read once after the first paint."""
        self._warm = False
        self._shown = False
        """Whether Textual has started and written its first frame (see ``after_paint``)."""
        self._after_shown: list[Callable[[], None]] = []
        self._calendar_lock = threading.Lock()
        self._marker: str | None = None

    @property
    def policy(self) -> Policy:
        """The team's policy (the first screen needs none: the defaults are built here, on
        first use, rather than before the first paint)."""
        if self._policy is None:
            from complaints_tui.services.context import default_policy

            self._policy = self._ctx.policy if self._ctx is not None else default_policy()
        return self._policy

    @property
    def ctx(self) -> Context:
        """The officer's context, opened on first use when the app started from an
        ``Opening`` (a thread worker asks first; the UI would wait for it)."""
        if self._ctx is None:
            with self._open_lock:
                if self._ctx is None:
                    assert self._opening is not None
                    self._ctx = self._opening.open(self._notice)
        return self._ctx

    def _notice(self, line: str) -> None:
        if threading.current_thread() is threading.main_thread():
            self.notify(line, markup=False)
        else:
            self.call_from_thread(self.notify, line, markup=False)

    def calendar_built(self) -> bool:
        """Whether the working-day calendar exists yet (it is built on first use)."""
        return self._ctx is not None and self._ctx.calendar is not None

    def calendar_ready(self) -> None:
        """Build the calendar if need be, once (call from a thread worker, never the UI).

        It takes a quarter of a second, most of it importing the holidays package, so the
        first list is painted without it and this runs just after (see CaseListScreen).
        """
        with self._calendar_lock:
            assert self.ctx.cal is not None

    def on_mount(self) -> None:
        self.sub_title = f"{self.actor} · {self.today():%a %d/%m/%Y}"
        end_with_the_terminal(self)

    def on_ready(self) -> None:
        self._shown = True
        waiting, self._after_shown = self._after_shown, []
        for callback in waiting:
            self.call_after_refresh(callback)

    def after_paint(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` now, or, before Textual has written its first frame, once it has.

        Screens call this from their ``call_after_refresh``, which at start-up is not yet a
        paint: Textual holds every frame until it has started. Work started then (the
        database layer's import, in a thread) would share the interpreter with the making
        of the first frame, and delay it.
        """
        if self._shown:
            callback()
        else:
            self._after_shown.append(callback)

    def on_unmount(self) -> None:
        # What the warm-up froze (see _warm_up) can be collected once the app has gone:
        # a process that runs one app after another (the tests) does not keep them all.
        gc.unfreeze()

    @work(thread=True, exclusive=True, exit_on_error=False, group="changes")
    def _poll_changes(self) -> None:
        from complaints_tui.services.changes import change_marker

        marker = change_marker(self.ctx)
        self.call_from_thread(self._changes_seen, marker)

    def _changes_seen(self, marker: str) -> None:
        """Someone saved since the last reading: the screen in front reloads what it shows
        (screens underneath reload when they come back to the front)."""
        before, self._marker = self._marker, marker
        if before is not None and before != marker:
            follow = getattr(self.screen, "follow_changes", None)
            if follow is not None:
                follow()

    def warm_up(self) -> None:
        """After the first list is painted: read the filters' choices, import the rest
        and parse the other screens' styles (so the first of them opens at once)."""
        if not self._warm:
            self._warm = True
            load_screen_styles(self)
            self._warm_up()
            # Colleagues' changes are followed from here, not from mount: the first
            # reading opens the database, which must not compete with the first paint.
            self._poll_changes()  # the reading later ones are compared with
            self.set_interval(self.CHANGE_POLL, self._poll_changes)

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        from complaints_tui.services.lists import filter_choices

        choices = filter_choices(self.ctx)
        self.call_from_thread(setattr, self, "choices", choices)
        self._say_the_day()
        # Importing the other screens now makes their first opening instant.
        from complaints_tui.tui.screens import case_detail, deadlines, report, triage  # noqa: F401

        # What the app holds by now (modules, styles, widgets, the engine) lives as long
        # as the app: frozen, a full collection no longer walks it. Such a walk took
        # 200-270 ms at 1M stages, landing now and then between a key and its rows (the
        # slowest keystrokes). Frozen objects are still freed when nothing refers to them.
        self.call_from_thread(gc.freeze)

    def _say_the_day(self) -> None:
        """On opening, one line: the officer's overdue and due-today work (from a worker)."""
        from complaints_tui.tui.desk import opening_line

        self.calendar_ready()
        line = opening_line(self.ctx)
        self.call_from_thread(self.notify, line, title="Today", timeout=10, markup=False)

    def action_go(self, mode: str) -> None:
        """1-4: a place, never an old screen left on it.

        Screens opened on top (a case, an escalation) are closed on the way out and on
        the way in, so a number key shows the place itself, read afresh, not a stale case.
        """
        if mode == self.current_mode:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        from complaints_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = self.THEMES[1] if self.theme == self.THEMES[0] else self.THEMES[0]

    def open_case(self, reference: str) -> None:
        """Show a case on top of whatever screen the officer is on."""
        from complaints_tui.tui.screens.case_detail import CaseDetailScreen

        self.push_screen(CaseDetailScreen(reference))


def run_app(ctx: Context) -> None:
    """The command's entry point. The first page of the case list is read here, before
    the app's event loop exists (15 ms), rather than by a worker racing Textual's own
    start-up for the interpreter, which made the same read take ten times as long."""
    from complaints_tui.services.lists import CaseFilter, open_listing

    first = open_listing(ctx, CaseFilter(), working_days=ctx.calendar is not None)
    ComplaintsApp(ctx, first=first).run()


def run_opening(opening: Opening, first: CaseListing) -> None:
    """The command's quick start: the first page already read without the database layer,
    which loads behind the painted list (see ``services.first_page``)."""
    ComplaintsApp(first=first, opening=opening).run()
