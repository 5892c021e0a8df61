"""The case list's filters, as a dialog that returns the new filter."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Label, Select, Static
from textual.worker import Worker, WorkerState

from complaints_tui.domain.clocks import OPEN_STATUSES
from complaints_tui.domain.vocab import PROCEDURES
from complaints_tui.services.lists import (
    SCOPES,
    SORTS,
    STAGE_STATUSES,
    UNASSIGNED,
    CaseFilter,
    FilterChoices,
    filter_choices,
)
from complaints_tui.tui.feedback import report_error
from complaints_tui.tui.messages import ChoicesLoaded
from complaints_tui.tui.styles import SCREENS_CSS


class FilterDialog(ModalScreen[CaseFilter | None]):
    CSS_PATH = SCREENS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="filter.apply", priority=True),
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+x", "reset", "Clear all", id="filter.reset", priority=True),
    ]

    def __init__(self, current: CaseFilter) -> None:
        super().__init__(classes="form-dialog")
        self.current = current

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical(id="dialog"):
            yield Static("Filter the case list", id="dialog-title")
            rows: list[tuple[str, Any]] = [
                (
                    "Show",
                    self._select("scope", [(v, k) for k, v in SCOPES.items()], f.scope, False),
                ),
                (
                    "Procedure",
                    self._select("procedure", [(v, k) for k, v in PROCEDURES.items()], f.procedure),
                ),
                ("Stage", self._select("stage", [(f"Stage {n}", n) for n in (1, 2, 3)], f.stage)),
                ("Status", self._select("status", [(s, s) for s in STAGE_STATUSES], f.status)),
                ("Service", self._select("service", self._known("services"), f.service)),
                ("Division", self._select("division", self._known("divisions"), f.division)),
                ("Officer", self._select("officer", self._known("officers"), f.officer)),
                (
                    "Sort by",
                    self._select("sort", [(v, k) for k, v in SORTS.items()], f.sort, False),
                ),
                ("Only mine", Checkbox("", f.mine, compact=True, id="filter-mine")),
            ]
            for label, widget in rows:
                with Horizontal(classes="field-row"):
                    yield Label(label, classes="field-label")
                    yield widget
            yield Static("", id="dialog-note", classes="empty")
            yield Static(
                "[b]ctrl+s[/b] apply   [b]ctrl+x[/b] clear all   [b]esc[/b] cancel",
                id="dialog-keys",
            )

    def _known(self, name: str) -> list[tuple[str, str]]:
        choices: FilterChoices | None = self.app.choices  # type: ignore[attr-defined]
        current = getattr(self.current, name[:-1])
        values = list(getattr(choices, name)) if choices else []
        if current and current not in values and current != UNASSIGNED:
            values.insert(0, current)
        options = [(v, v) for v in values]
        if name == "officers":
            options.insert(0, ("Unassigned", UNASSIGNED))
        return options

    def _select(self, name: str, options: list, value: Any, blank: bool = True) -> Select:
        return Select(
            options,
            value=value if value is not None else Select.NULL,
            allow_blank=blank,
            prompt="any",
            compact=True,
            id=f"filter-{name}",
        )

    def on_mount(self) -> None:
        self.query_one("#filter-scope").focus()
        if self.app.choices is None:  # type: ignore[attr-defined]
            note = self.query_one("#dialog-note", Static)
            note.update("Reading services and officers…")
            note.remove_class("empty")
            self._load_choices()

    @work(thread=True, exclusive=True, exit_on_error=False, group="db")
    def _load_choices(self) -> None:
        self.post_message(ChoicesLoaded(filter_choices(self.app.ctx)))  # type: ignore[attr-defined]

    def on_choices_loaded(self, message: ChoicesLoaded) -> None:
        self.app.choices = message.choices  # type: ignore[attr-defined]
        for name in ("services", "divisions", "officers"):
            select = self.query_one(f"#filter-{name[:-1]}", Select)
            value = select.value
            select.set_options(self._known(name))
            if value is not Select.NULL:
                select.value = value
        self.query_one("#dialog-note", Static).add_class("empty")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            report_error(self, event.worker.error)

    def _value(self, name: str) -> Any:
        value = self.query_one(f"#filter-{name}", Select).value
        return None if value is Select.NULL else value

    def action_apply(self) -> None:
        f = CaseFilter(
            scope=self._value("scope") or "open",
            mine=self.query_one("#filter-mine", Checkbox).value,
            procedure=self._value("procedure"),
            stage=self._value("stage"),
            service=self._value("service"),
            division=self._value("division"),
            officer=self._value("officer"),
            status=self._value("status"),
            sort=self._value("sort") or "due",
            search=self.current.search,
        )
        if f.status and (f.scope == "open") != (f.status in OPEN_STATUSES):
            f = f.but(scope="all")  # a status outside the scope: widen rather than show nothing
        self.dismiss(f)

    def action_reset(self) -> None:
        self.dismiss(CaseFilter(sort=self.current.sort))

    def action_cancel(self) -> None:
        self.dismiss(None)
