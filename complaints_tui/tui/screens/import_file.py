"""Import a team's spreadsheet: a path, the proposed mapping to correct, then a preview.

The officer types the file's path; the screen proposes which heading feeds each of our
columns and which of our keys each of the team's words means (two tables changed from the
keyboard: left/right choose another heading, or another key), checks the whole file with
them and shows what would be created, the first rows as they would be stored and every
problem with its row and column. Nothing is written until the officer confirms.
Reading, checking and storing run in a thread worker, reporting progress as they go.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from complaints_tui.services.files import atomic_write
from complaints_tui.services.importer import ImportRefused, Plan, check_file, store_plan
from complaints_tui.services.importing.edits import Edits, merged, words_again
from complaints_tui.services.importing.propose import (
    Proposal,
    as_mapping,
    mapping_text,
    propose,
)
from complaints_tui.services.importing.sources import Unreadable
from complaints_tui.services.importing.word_choices import (
    WordCollector,
    key_label,
)
from complaints_tui.services.importing.words import Words
from complaints_tui.tui.feedback import report_error
from complaints_tui.tui.screens.import_parts import (
    NONE,
    SCREEN_KEYS,
    ConfirmImport,
    MappingTable,
    PlanReady,
    Progressed,
    ProposalReady,
    Stored,
    WordsReady,
    WordsTable,
    fill,
)
from complaints_tui.tui.screens.import_text import plan_status, preview_cells, problem_rows
from complaints_tui.tui.screens.report_export import ExportDialog
from complaints_tui.tui.styles import SCREENS_CSS
from complaints_tui.tui.widgets.key_bar import KeyBar

STEP_WORDS = {"read": "rows read", "checked": "rows checked", "stored": "rows stored"}


class Stopped(Exception):
    """The officer asked for something else while the file was being read."""


class ImportScreen(Screen[None]):
    CSS_PATH = SCREENS_CSS

    AUTO_FOCUS = "#import-path"
    BINDINGS = SCREEN_KEYS

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.start_path = path
        self.edits: Edits | None = None
        """The proposed mapping, as the officer has corrected it."""
        self.plan: Plan | None = None
        self.storing = False
        self.every_sheet = False
        """Every sheet of the workbook read together (ctrl+b), or the first alone."""

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
        yield Static(
            "left/right: another of your headings for a column, or another key for a word "
            "(tab moves between the tables)",
            id="import-hint",
        )
        with Horizontal(id="import-tables"):
            yield MappingTable(id="import-mapping", cursor_type="row", zebra_stripes=True)
            yield WordsTable(id="import-words", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-summary", markup=False)
        yield DataTable(id="import-preview", cursor_type="row")
        yield DataTable(id="import-problems", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Import a spreadsheet"
        mapping = self.query_one("#import-mapping", DataTable)
        mapping.add_columns("Our column", "Your heading")
        self.query_one("#import-words", DataTable).add_columns("Column", "Your word", "Our key")
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
        self.edits, self.plan = None, None
        self._status(f"Reading {path}…")
        self._propose(Path(path).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _propose(self, path: Path) -> None:
        try:
            # The first rows place the columns at once; the words of the rest are gathered
            # as the check reads the file (a 100,000-row workbook is read once, not twice).
            proposal = propose(path, self.ctx.policy.vocabularies, whole=False)
        except Unreadable as unreadable:
            self.post_message(PlanReady(Plan(path, problems=[unreadable.problem], problem_count=1)))
            return
        self.post_message(ProposalReady(proposal))
        self._check_now(proposal, gather=True)

    def _check_now(self, shown: Proposal, *, gather: bool) -> None:
        """Check the whole file with the mapping ``shown`` (the proposal as the officer has
        changed it); ``gather`` the words of its vocabulary columns as it is read."""
        worker = get_current_worker()
        at = {heading: cell for cell, heading in shown.headings_at.items()}
        feeding = {c: at[h] for c, h in shown.columns.items() if h in at}
        collector = WordCollector(feeding, Words(self.ctx.policy.vocabularies, {}))

        def progress(step: str, done: int, total: int | None) -> None:
            if worker.is_cancelled:
                raise Stopped  # a newer mapping or file was asked for
            self.post_message(Progressed(step, done, total))

        try:
            plan = check_file(
                self.ctx,
                shown.path,
                mapping=as_mapping(shown),
                every_sheet=self.every_sheet,
                progress=progress,
                watch=collector.add if gather else None,
            )
        except Stopped:
            return
        if worker.is_cancelled:
            return
        if gather:
            found = collector.found()
            read_from = {c: shown.columns[c] for c in found.words}
            self.post_message(WordsReady(found, read_from, whole=True))
        self.post_message(PlanReady(plan))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _check(self, shown: Proposal, reread: list[str], gather: bool) -> None:
        """Check again; first read the words of the ``reread`` columns, now fed from another
        heading, from the file (and ``gather`` every column's words as it is checked, when
        the first check was stopped before it had them all)."""
        if reread:
            try:
                found = words_again(
                    shown, reread, self.ctx.policy.vocabularies, every_sheet=self.every_sheet
                )
            except Unreadable as unreadable:
                self.post_message(
                    PlanReady(Plan(shown.path, problems=[unreadable.problem], problem_count=1))
                )
                return
            if get_current_worker().is_cancelled:
                return
            self.post_message(WordsReady(found, {c: shown.columns[c] for c in reread}))
            words = {c: merged(shown.words.get(c, {}), t) for c, t in found.words.items()}
            shown = replace(
                shown,
                words={**shown.words, **words},
                closest={**shown.closest, **found.closest},
            )
        self._check_now(shown, gather=gather)

    @on(ProposalReady)
    def proposal_ready(self, message: ProposalReady) -> None:
        self.edits = Edits.of(message.proposal)
        self._show_edits()
        self._status(f"Checking every row of {message.proposal.path.name}…")

    @on(WordsReady)
    def words_ready(self, message: WordsReady) -> None:
        if self.edits is not None:
            self.edits.take_words(message.found, message.read_from)
            self.edits.whole_words |= message.whole
            self._show_edits()

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
        self._status(plan_status(plan))
        preview = self.query_one("#import-preview", DataTable)
        fill(preview, (preview_cells(row, plan) for row in plan.preview))
        problems = self.query_one("#import-problems", DataTable)
        listed = problem_rows(plan)
        fill(problems, listed)
        problems.display = bool(listed)  # else the preview and the tables have room
        self.query_one("#import-summary", Static).update(
            f"First {len(plan.preview)} row(s) as they would be stored:" if plan.preview else ""
        )

    def action_all_sheets(self) -> None:
        edits = self.edits
        if edits is None or self.storing or edits.proposal.sheet is None:
            return
        self.every_sheet = not self.every_sheet
        which = "every sheet together" if self.every_sheet else f"sheet '{edits.proposal.sheet}'"
        self._status(f"Checking again, reading {which}…")
        # The check gathers the words of the sheets now read as it reads them (not in a
        # read of its own first); the officer's keys are kept.
        self._check(edits.shown(), edits.reread, True)

    # -- the mapping --------------------------------------------------------------------------

    def action_heading(self, step: int) -> None:
        edits = self.edits
        if edits is None or self.storing:
            return
        column = edits.rows[self.query_one(MappingTable).cursor_row]
        heading = edits.next_heading(column, step)
        self._show_edits()
        self._status(f"Checking again with '{heading or NONE}' for {column}…")
        self._recheck()

    def action_word(self, step: int) -> None:
        edits = self.edits
        if edits is None or self.storing or not edits.word_rows:
            return
        vocab = self.ctx.policy.vocabularies
        column, word = edits.word_rows[self.query_one(WordsTable).cursor_row]
        key = edits.next_key(column, word, step, vocab)
        self._show_edits()
        meaning = key_label(column, key, vocab) if key else "not recognised"
        self._status(f"Checking again with '{word}' as {meaning}…")
        self._recheck()

    def _recheck(self) -> None:
        """Check the file again with the officer's changes, first reading again the words
        of the columns now fed from another heading."""
        edits = self.edits
        assert edits is not None
        self._check(edits.shown(), edits.reread, not edits.whole_words)

    def _show_edits(self) -> None:
        if self.edits is not None:
            self.query_one(MappingTable).show(self.edits)
            self.query_one(WordsTable).show(self.edits, self.ctx.policy.vocabularies)

    def action_save_mapping(self) -> None:
        if self.edits is None:
            self.notify("Read a spreadsheet first: its mapping is what is saved.")
            return
        shown = replace(self.edits.shown(), every_sheet=self.every_sheet)
        suggested = shown.path.with_name(f"{shown.path.stem}.mapping.toml")

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
                f"complaints-tui import {shown.path.name} --mapping {path.name}"
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
