"""One case: every field, each stage's clock with why it has its date, and the timeline.

Each key opens the form of one action; the action names the case version shown here, so
if someone else saved in between nothing is overwritten and the officer is offered a reload.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from complaints_tui.domain.clocks import OPEN_STATUSES, ClockInput
from complaints_tui.domain.errors import NotFoundError
from complaints_tui.domain.vocab import (
    COMPLAINT_PROCEDURES,
    PROCEDURES,
    with_article,
)
from complaints_tui.services.actions import Done
from complaints_tui.services.queries import CaseDetail, StageView, case_detail
from complaints_tui.tui import forms
from complaints_tui.tui.case_render import case_fields, stage_block, timeline
from complaints_tui.tui.feedback import report_done, report_error
from complaints_tui.tui.messages import CaseLoaded
from complaints_tui.tui.screens.case_keys import CASE_BINDINGS
from complaints_tui.tui.screens.form_dialog import RELOAD, FormDialog
from complaints_tui.tui.styles import SCREENS_CSS
from complaints_tui.tui.widgets.key_bar import KeyBar


class CaseDetailScreen(Screen[None]):
    CSS_PATH = SCREENS_CSS

    AUTO_FOCUS = "#detail"
    BINDINGS: ClassVar[list[BindingType]] = CASE_BINDINGS

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.case: CaseDetail | None = None
        self.acting: int | None = None
        """The id of the stage the keys act on (the latest open one unless chosen)."""

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail", can_focus=True):
            yield Static(f"{self.reference} — loading…", id="detail-head")
            yield Static("Case", classes="section-title")
            yield Static("", id="case-fields", classes="detail-section")
            yield Static("Stages and clocks", classes="section-title")
            yield Static("", id="stages", classes="detail-section")
            yield Static("Timeline", classes="section-title")
            yield Static("", id="timeline", classes="detail-section")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.reference
        self.load()

    def on_screen_resume(self) -> None:
        # Back from another screen (escalation, help): what it shows may have changed.
        if self.case is not None:
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="case")
    def load(self) -> None:
        self.app.calendar_ready()  # type: ignore[attr-defined]
        self.post_message(CaseLoaded(case_detail(self.ctx, self.reference)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            report_error(self, event.worker.error)
            if isinstance(event.worker.error, NotFoundError) and self.case is None:
                self.dismiss()

    def follow_changes(self) -> None:
        """Someone saved something: read the case again (it says if it was this case)."""
        self.load()

    def on_case_loaded(self, message: CaseLoaded) -> None:
        before = self.case
        case = self.case = message.detail
        if before is not None and case.version != before.version:
            self._say_changed(before, case)
        ids = [s.id for s in case.stages]
        if self.acting not in ids:
            open_ids = [s.id for s in case.stages if s.status in OPEN_STATUSES]
            self.acting = open_ids[-1] if open_ids else (ids[-1] if ids else None)
        self._show_case()

    def _say_changed(self, before: CaseDetail, case: CaseDetail) -> None:
        """The case changed underneath the screen: say who changed what, and when."""
        actor = self.ctx.actor
        theirs = [e for e in case.events[len(before.events) :] if e.who != actor]
        if not theirs:
            return  # this officer's own save, already announced
        last = theirs[-1]
        what = last.action + (f" ({last.field.replace('_', ' ')})" if last.field else "")
        more = f" and {len(theirs) - 1} more change(s)" if len(theirs) > 1 else ""
        at = last.at.astimezone()
        self.notify(
            f"{case.reference} changed underneath you: {last.who}, {what}{more} at "
            f"{at:%H:%M}. The screen shows it as it is now.",
            title="Changed by a colleague",
            severity="warning",
            timeout=10,
        )

    def _show_case(self) -> None:
        case = self.case
        if case is None:
            return
        vocab = self.ctx.policy.vocabularies
        head = Text(case.reference, style="bold")
        head.append(f"  {PROCEDURES.get(case.procedure, case.procedure)}  [{case.status}]")
        if case.procedure == "duty" and case.duty_category is None:
            head.append("  — untriaged contact: triage it on the triage screen (2)")
        self.query_one("#detail-head", Static).update(head)
        self.query_one("#case-fields", Static).update(case_fields(case, vocab))
        today = self.ctx.today()
        blocks = [
            stage_block(s, vocab, acting=s.id == self.acting, today=today)
            for s in reversed(case.stages)
        ]
        self.query_one("#stages", Static).update(Group(*blocks) if blocks else "No stages.")
        self.query_one("#timeline", Static).update(timeline(case))
        self.sub_title = f"version {case.version}"

    # -- the stage the keys act on ------------------------------------------------------------

    @property
    def stage(self) -> StageView | None:
        if self.case is None:
            return None
        return next((s for s in self.case.stages if s.id == self.acting), None)

    def _open_stage(self) -> StageView | None:
        stage = self.stage
        if stage is None:
            self.notify("The case is still loading.", severity="warning")
            return None
        if stage.status not in OPEN_STATUSES:
            self.notify(
                f"{stage.label} is {stage.status}: no clock to act on. "
                "[ and ] choose another stage; e escalates.",
                severity="warning",
                markup=False,
            )
            return None
        return stage

    def action_next_stage(self) -> None:
        if self.case and self.case.stages:
            ids = [s.id for s in self.case.stages]
            i = ids.index(self.acting) if self.acting in ids else 0
            self.acting = ids[(i + 1) % len(ids)]
            self._show_case()

    # -- actions ---------------------------------------------------------------------------------

    def _form(self, dialog: FormDialog) -> None:
        self.app.push_screen(dialog, self._saved)

    def _saved(self, result: Done | str | None) -> None:
        if isinstance(result, Done):
            report_done(self, result)
            self.load()
        elif result == RELOAD:
            self.load()

    def _ready(self) -> CaseDetail | None:
        if self.case is None:
            self.notify("The case is still loading.", severity="warning")
        return self.case

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load()

    def action_note(self) -> None:
        if case := self._ready():
            self._form(forms.note_form(self.ctx, case.reference, case.version))

    def action_acknowledge(self) -> None:
        case, stage = self.case, self._open_stage()
        if case and stage:
            if stage.procedure not in COMPLAINT_PROCEDURES:
                self.notify(
                    f"{with_article(stage.label)} needs no acknowledgement.", severity="warning"
                )
                return
            self._form(forms.acknowledge_form(self.ctx, case.reference, case.version, stage))

    def action_extend(self) -> None:
        case, stage = self.case, self._open_stage()
        if case and stage:
            clock = ClockInput(
                stage.procedure,
                stage.number,
                stage.clock_start,
                stage.extended_to,
                stage.fixed_due,
                tuple((s.start, s.end) for s in stage.suspensions),
            )
            self._form(
                forms.extend_form(
                    self.ctx,
                    case.reference,
                    case.version,
                    stage_id=stage.id,
                    procedure=stage.procedure,
                    number=stage.number,
                    current=stage.deadline.timescale,
                    clock=clock,
                )
            )

    def action_suspend(self) -> None:
        case, stage = self.case, self._open_stage()
        if case and stage:
            make = forms.resume_form if stage.status == "suspended" else forms.suspend_form
            self._form(make(self.ctx, case.reference, case.version, stage.id, stage.label))

    def action_respond(self) -> None:
        case, stage = self.case, self._open_stage()
        if case and stage and case.procedure == "duty":
            vocab = self.ctx.policy.vocabularies
            what = vocab.label("duty_category", case.duty_category) or "not yet triaged"
            self.notify(
                f"A duty matter has no complaint outcome (its category: {what}). "
                "Triage it on the triage screen (2), or close it with c.",
                severity="warning",
                markup=False,
            )
            return
        if case and stage:
            self._form(
                forms.respond_form(
                    self.ctx, case.reference, case.version, stage.id, stage.procedure, stage.label
                )
            )

    def action_withdraw(self) -> None:
        case, stage = self.case, self._open_stage()
        if case and stage:
            self._form(forms.withdraw_form(self.ctx, case.reference, case.version, stage))

    def action_learning(self) -> None:
        case, stage = self.case, self.stage
        if case and stage:
            self._form(forms.learning_form(self.ctx, case.reference, case.version, stage.id))

    def action_assign(self) -> None:
        if self._ready():
            self._officers_then_assign()

    @work(thread=True, exclusive=True, exit_on_error=False, group="officers")
    def _officers_then_assign(self) -> None:
        from complaints_tui.services.officers import officer_names

        names = officer_names(self.ctx)
        self.app.call_from_thread(self._assign_from, names)

    def _assign_from(self, names: tuple[str, ...]) -> None:
        if case := self.case:
            self._form(
                forms.assign_form(self.ctx, case.reference, case.version, case.officer, names)
            )

    def action_letter(self) -> None:
        if case := self._ready():
            from complaints_tui.tui.screens.letter import LetterScreen, default_kind

            stage = self.stage
            kind = default_kind(case.procedure, bool(stage and stage.acknowledged))
            self.app.push_screen(
                LetterScreen(case.reference, stage.id if stage else None, kind), self._saved
            )

    def action_link(self) -> None:
        if case := self._ready():
            self._form(forms.link_form(self.ctx, case.reference, case.version))

    def action_edit(self) -> None:
        if case := self._ready():
            choices = self.app.choices  # type: ignore[attr-defined]
            self._form(forms.edit_form(self.ctx, case, choices.services if choices else ()))

    def action_close(self) -> None:
        if case := self._ready():
            make = forms.reopen_form if case.status == "closed" else forms.close_form
            self._form(make(self.ctx, case.reference, case.version))

    def action_escalate(self) -> None:
        if case := self._ready():
            from complaints_tui.tui.screens.escalation import EscalationScreen

            self.app.push_screen(EscalationScreen(case.reference), self._back_from_escalation)

    def _back_from_escalation(self, _result: None) -> None:
        self.load()

    # Issue 8's forms live in rule_forms; these only open them on the chosen stage.
    def _rule_form(self, make: Any) -> None:
        case, stage = self._ready(), self.stage
        if case and stage:
            self._form(make(self.ctx, case, stage))

    def action_correct(self) -> None:
        from complaints_tui.tui.rule_forms import correct_form

        self._rule_form(correct_form)

    def action_void(self) -> None:
        from complaints_tui.tui.rule_forms import void_form

        self._rule_form(void_form)

    def action_panel(self) -> None:
        from complaints_tui.tui.rule_forms import panel_form

        stage = self.stage
        if stage is not None and not (stage.procedure == "statutory" and stage.number == 3):
            self.notify(
                "Only statutory Stage 3 has a review panel ([ and ] choose the stage).",
                severity="warning",
            )
            return
        self._rule_form(panel_form)
