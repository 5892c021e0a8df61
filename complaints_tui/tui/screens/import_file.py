"""Import a team's spreadsheet: a path, the proposed mapping to correct, then a preview.

The officer types the file's path; the screen proposes which heading feeds each of our
columns (a table changed from the keyboard: left/right choose another heading), checks the
whole file with it and shows what would be created, the first rows as they would be stored
and every problem with its row and column. Nothing is written until the officer confirms.
Reading, checking and storing run in a thread worker, reporting progress as they go.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.vocab import stage_label
from complaints_tui.services.files import atomic_write
from complaints_tui.services.importer import ImportRefused, Plan, check_file, store_plan
from complaints_tui.services.importing.columns import COLUMNS, DETAIL_COLUMNS
from complaints_tui.services.importing.propose import (
    Proposal,
    as_mapping,
    mapping_text,
    propose,
    with_columns,
)
from complaints_tui.services.importing.sources import Unreadable
from complaints_tui.tui.feedback import report_error
from complaints_tui.tui.keys import HELP
from complaints_tui.tui.screens.import_parts import (
    ConfirmImport,
    MappingTable,
    PlanReady,
    Progressed,
    ProposalReady,
    Stored,
)
from complaints_tui.tui.screens.report_export import ExportDialog
from complaints_tui.tui.widgets.key_bar import KeyBar

NONE = "—"
"""Shown for one of our columns that no heading feeds."""

STEP_WORDS = {"read": "rows read", "checked": "rows checked", "stored": "rows stored"}


class Stopped(Exception):
    """The officer asked for something else while the file was being read."""


class ImportScreen(Screen[None]):
    AUTO_FOCUS = "#import-path"
    BINDINGS: ClassVar[list[BindingType]] = [
        HELP,
        Binding(
            "ctrl+s",
            "confirm",
            "Import",
            tooltip="Store the checked file (asks first)",
            id="import.confirm",
        ),
        Binding(
            "ctrl+o",
            "save_mapping",
            "Save mapping",
            tooltip="Write the mapping shown to a file, to correct and use again (--mapping)",
            id="import.save-mapping",
        ),
        Binding("escape", "leave", "Back", tooltip="Leave without importing", id="import.back"),
    ]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.start_path = path
        self.proposal: Proposal | None = None
        self.columns: dict[str, str] = {}
        """Our column -> the heading feeding it, as the officer has it now."""
        self.rows: list[str] = list(COLUMNS)
        """Our columns, in the mapping table's order."""
        self.plan: Plan | None = None
        self.storing = False

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            value=self.start_path,
            placeholder="Path of the spreadsheet (.xlsx or .csv), then Enter",
            id="import-path",
        )
        yield Static("", id="import-status", markup=False)
        yield ProgressBar(id="import-progress", show_eta=False)
        yield Static("Your headings: left/right choose another for a column", id="import-hint")
        yield MappingTable(id="import-mapping", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-summary", markup=False)
        yield DataTable(id="import-preview", cursor_type="row")
        yield DataTable(id="import-problems", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Import a spreadsheet"
        mapping = self.query_one("#import-mapping", DataTable)
        mapping.add_columns("Our column", "Your heading")
        self.query_one("#import-preview", DataTable).add_columns(
            "Row", "Reference", "Stage", "Received", "Responded", "Outcome", "Service"
        )
        self.query_one("#import-problems", DataTable).add_columns("Row", "Column", "Problem")
        self.query_one("#import-progress", ProgressBar).display = False
        if self.start_path:
            self.read(self.start_path)

    # -- reading ------------------------------------------------------------------------------

    @on(Input.Submitted, "#import-path")
    def path_given(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.read(event.value.strip())

    def read(self, path: str) -> None:
        self.proposal, self.plan = None, None
        self._status(f"Reading {path}…")
        self._propose(Path(path).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _propose(self, path: Path) -> None:
        try:
            proposal = propose(path, self.ctx.policy.vocabularies)
        except Unreadable as unreadable:
            self.post_message(PlanReady(Plan(path, problems=[unreadable.problem], problem_count=1)))
            return
        self.post_message(ProposalReady(proposal))
        self._check_now(proposal, dict(proposal.columns))

    def _check_now(self, proposal: Proposal, columns: dict[str, str]) -> None:
        worker = get_current_worker()

        def progress(step: str, done: int, total: int | None) -> None:
            if worker.is_cancelled:
                raise Stopped  # a newer mapping or file was asked for
            self.post_message(Progressed(step, done, total))

        try:
            plan = check_file(
                self.ctx, proposal.path, mapping=as_mapping(proposal, columns), progress=progress
            )
        except Stopped:
            return
        if not worker.is_cancelled:
            self.post_message(PlanReady(plan))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _check(self, proposal: Proposal, columns: dict[str, str]) -> None:
        self._check_now(proposal, columns)

    @on(ProposalReady)
    def proposal_ready(self, message: ProposalReady) -> None:
        self.proposal = message.proposal
        self.columns = dict(message.proposal.columns)
        # Our main columns, then those of the rest of the record the file has (officer,
        # acknowledged...): a detail column no heading feeds would only lengthen the table.
        self.rows = [*COLUMNS, *(c for c in DETAIL_COLUMNS if c in self.columns)]
        self._show_mapping()
        self._status(f"Checking every row of {message.proposal.path.name}…")

    @on(Progressed)
    def progressed(self, message: Progressed) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=message.total or None, progress=message.done)
        self._status(f"{message.done:,} {STEP_WORDS.get(message.step, message.step)}…")

    @on(PlanReady)
    def plan_ready(self, message: PlanReady) -> None:
        plan = self.plan = message.plan
        self.storing = False  # a store refused on its second read comes back as a plan
        self.query_one("#import-progress", ProgressBar).display = False
        name = plan.path.name
        if plan.ok:
            kinds = ", ".join(f"{kind} {n:,}" for kind, n in plan.by_stage.items())
            self._status(
                f"{name}: {plan.cases:,} case(s) and {plan.stages:,} stage(s) would be created"
                f"{' (' + kinds + ')' if kinds else ''}. Nothing is stored until ctrl+s."
            )
        else:
            more = (
                f" (the first {len(plan.problems)} listed)"
                if plan.problem_count > len(plan.problems)
                else ""
            )
            self._status(
                f"{name}: {plan.problem_count:,} problem(s){more}; nothing can be imported "
                "until they are put right. Change a heading above, or correct the file."
            )
        preview = self.query_one("#import-preview", DataTable)
        preview.clear()
        for row in plan.preview:
            stage = row.stage
            preview.add_row(
                str(row.line),
                row.reference,
                stage_label(stage.procedure, stage.number),
                fmt(stage.received),
                fmt(stage.responded) if stage.responded else "",
                stage.outcome or row.duty_category or "",
                row.service,
            )
        problems = self.query_one("#import-problems", DataTable)
        problems.clear()
        for problem in plan.problems:
            problems.add_row(str(problem.line or ""), problem.column, problem.reason)
        self.query_one("#import-summary", Static).update(
            f"First {len(plan.preview)} row(s) as they would be stored:" if plan.preview else ""
        )

    # -- the mapping --------------------------------------------------------------------------

    def _show_mapping(self) -> None:
        table = self.query_one("#import-mapping", DataTable)
        row = table.cursor_row
        table.clear()
        for column in self.rows:
            table.add_row(column, self.columns.get(column, NONE), key=column)
        if row:
            table.move_cursor(row=row)

    def action_heading(self, step: int) -> None:
        table = self.query_one("#import-mapping", DataTable)
        if self.proposal is None or self.storing:
            return
        column = self.rows[table.cursor_row]
        choices = [NONE, *self.proposal.headings]
        current = self.columns.get(column, NONE)
        heading = choices[(choices.index(current) + step) % len(choices)]
        for other, used in list(self.columns.items()):
            if used == heading and other != column:
                del self.columns[other]  # one heading feeds one column
        if heading == NONE:
            self.columns.pop(column, None)
        else:
            self.columns[column] = heading
        self._show_mapping()
        self._status(f"Checking again with '{heading}' for {column}…")
        self._check(self.proposal, dict(self.columns))

    def action_save_mapping(self) -> None:
        proposal = self.proposal
        if proposal is None:
            self.notify("Read a spreadsheet first: its mapping is what is saved.")
            return
        shown = with_columns(proposal, dict(self.columns))
        suggested = proposal.path.with_name(f"{proposal.path.stem}.mapping.toml")

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            try:
                with atomic_write(path, "w") as f:
                    f.write(mapping_text(shown, self.ctx.today()))
            except OSError as exc:
                self.notify(f"Could not write {path}: {exc.strerror or exc}", severity="error")
                return
            self._status(
                f"Mapping saved to {path}: correct it if need be, then "
                f"complaints-tui import {proposal.path.name} --mapping {path.name}"
            )

        self.app.push_screen(
            ExportDialog("mapping", suggested, title="Save the mapping shown as a file"), chosen
        )

    # -- storing ------------------------------------------------------------------------------

    def action_confirm(self) -> None:
        plan = self.plan
        if plan is None or self.storing:
            return
        if not plan.ok:
            self.notify("The file has problems: nothing can be imported yet.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.storing = True
                self._status(f"Storing {plan.stages:,} stage(s)…")
                self._store(plan)

        self.app.push_screen(
            ConfirmImport(
                f"{plan.cases:,} new case(s) with {plan.stages:,} stage(s) from {plan.path.name}, "
                "in one step: all of them or, if anything fails, none."
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-store")
    def _store(self, plan: Plan) -> None:
        def progress(step: str, done: int, total: int | None) -> None:
            self.post_message(Progressed(step, done, total))

        try:
            result = store_plan(self.ctx, plan, progress)
        except ImportRefused as refused:
            # The file changed, or a colleague stored one of its cases, since the preview:
            # every row is checked again as it is stored, and nothing was kept.
            self.post_message(
                PlanReady(
                    Plan(
                        plan.path,
                        plan.mapping,
                        plan.requested_sheet,
                        unit=plan.unit,
                        problems=refused.problems,
                        problem_count=refused.count,
                    )
                )
            )
            return
        self.post_message(Stored(result.stages, result.cases))

    @on(Stored)
    def stored(self, message: Stored) -> None:
        self.storing = False
        self.plan = None
        self.query_one("#import-progress", ProgressBar).display = False
        text = f"Imported {message.stages:,} stage(s) of {message.cases:,} case(s)."
        self._status(text)
        self.notify(text, title="Import")

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.storing = False
            self.query_one("#import-progress", ProgressBar).display = False
            error = event.worker.error
            from complaints_tui.services.importing.problems import ImportRefused

            if isinstance(error, ImportRefused):
                self._status(f"Not imported: {error.problems[0] if error.problems else error}")
            else:
                self._status("Not done: see the notification.")
                report_error(self, error)

    def action_leave(self) -> None:
        if self.storing:
            self.notify("Storing: wait until it is done.", severity="warning")
            return
        self.app.pop_screen()

    def _status(self, text: str) -> None:
        self.query_one("#import-status", Static).update(text)
