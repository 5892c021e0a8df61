"""One case: every field, each stage's clock with why it has its date, and the timeline.

Each key opens the form of one action; the action names the case version shown here, so
if someone else saved in between nothing is overwritten and the officer is offered a reload.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from complaints_tui.domain.clocks import OPEN_STATUSES, ClockInput, fmt
from complaints_tui.domain.errors import NotFoundError
from complaints_tui.domain.printable import printable
from complaints_tui.domain.vocab import COMPLAINT_PROCEDURES, PROCEDURES, Vocabularies
from complaints_tui.services.actions import Done
from complaints_tui.services.queries import CaseDetail, StageView, case_detail
from complaints_tui.tui import forms
from complaints_tui.tui.feedback import report_done, report_error
from complaints_tui.tui.keys import HELP
from complaints_tui.tui.messages import CaseLoaded
from complaints_tui.tui.screens.form_dialog import RELOAD, FormDialog
from complaints_tui.tui.widgets.key_bar import KeyBar


def _when(at: datetime) -> str:
    """Event times are stored in UTC; officers read them in local time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%d/%m/%Y %H:%M")


def _grid() -> Table:
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(style="dim", no_wrap=True, width=20)
    table.add_column(ratio=1)
    return table


def _add(table: Table, label: str, value: Any) -> None:
    if value not in (None, "", ()):
        # values come from outside (names, summaries, reasons): never a control sequence
        table.add_row(label, value if isinstance(value, Text) else printable(str(value)))


def case_fields(case: CaseDetail, vocab: Vocabularies) -> Table:
    t = _grid()
    _add(t, "Complainant", case.complainant_name)
    _add(t, "Complainant type", vocab.label("complainant", case.complainant_type))
    _add(
        t, "Child's status", ", ".join(vocab.label("child_status", s) for s in case.child_statuses)
    )
    _add(t, "Advocate", case.advocate or ("yes" if case.advocate_involved else "none"))
    _add(t, "Channel", vocab.label("channel", case.channel))
    _add(t, "Division", case.division)
    _add(t, "Service / team", case.service)
    _add(t, "Officer", case.officer or "unassigned")
    _add(t, "Themes", "; ".join(case.themes))
    if case.matter_date:
        late = " — more than 12 months before the complaint" if case.late_matter else ""
        _add(t, "Matters happened", f"{fmt(case.matter_date)}{late}")
    _add(t, "Duty category", vocab.label("duty_category", case.duty_category))
    _add(t, "Repeat complainant", "yes" if case.repeat_complainant else None)
    _add(t, "Re-opened", case.reopened_count or None)
    _add(t, "Closed", fmt(case.closed_on))
    _add(t, "Linked cases", ", ".join(case.linked))
    _add(t, "Summary", case.summary)
    return t


def _left(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return f" — {-days} working day(s) overdue"
    if days == 0:
        return " — due today"
    return f" — {days} working day(s) left"


def stage_block(stage: StageView, vocab: Vocabularies, *, acting: bool) -> Group:
    d = stage.deadline
    marker = "▶ " if acting else ""
    title = Text(f"{marker}{stage.label}", style="bold")
    title.append(f"  [{stage.status}]", style="bold red" if (stage.days_left or 0) < 0 else "")
    if d.due and stage.status in OPEN_STATUSES:
        title.append(f"  due {fmt(d.due)}{_left(stage.days_left)}")
    t = _grid()
    _add(t, "Received", fmt(stage.received))
    if stage.clock_start != stage.received:
        _add(t, "Clock started", fmt(stage.clock_start))
    if stage.procedure in COMPLAINT_PROCEDURES:
        ack = fmt(stage.acknowledged) if stage.acknowledged else "not yet"
        due = f" (due by {fmt(stage.acknowledgement_due)})" if stage.acknowledgement_due else ""
        _add(t, "Acknowledged", f"{ack}{due}")
    if d.timescale:
        kind = "extended" if d.extended else "standard"
        _add(t, "Timescale", f"{d.timescale} working days ({kind})")
    if stage.extended_to:
        agreed = f", agreed {fmt(stage.extension_agreed)}" if stage.extension_agreed else ""
        _add(t, "Extension", f"to {stage.extended_to} days{agreed}: {stage.extension_reason or ''}")
    if stage.fixed_due:
        _add(t, "Ombudsman deadline", fmt(stage.fixed_due))
    _add(t, "Ombudsman reference", stage.ombudsman_reference)
    for s in stage.suspensions:
        end = fmt(s.end) if s.end else "still stopped"
        _add(t, "Clock stopped", f"{fmt(s.start)} to {end}: {s.reason}")
    _add(t, "Due", fmt(d.due) if d.due else ("clock stopped" if d.stopped else "no deadline"))
    if stage.responded:
        taken = f", {stage.working_days_taken} working days" if stage.working_days_taken else ""
        late = "" if stage.on_time is not False else " — late"
        _add(t, "Responded", f"{fmt(stage.responded)}{taken}{late}")
    _add(t, "Outcome", vocab.label("outcome", stage.outcome))
    for r in stage.remedies:
        amount = f" £{r.amount_pence / 100:,.2f}" if r.amount_pence else ""
        _add(t, "Remedy", f"{vocab.label('remedy', r.kind)}{amount}")
    for a in stage.learning:
        owner = f" — {a.owner}" if a.owner else ""
        due = f", due {fmt(a.due)}" if a.due else ""
        _add(t, "Learning action", f"{a.text}{owner}{due} [{a.status}]")
    if stage.request_date:
        decision = stage.decision or ""
        reason = f": {stage.decision_reason}" if stage.decision_reason else ""
        late = " (out of time)" if stage.out_of_time else ""
        _add(t, "Requested", f"{fmt(stage.request_date)}{late} — {decision}{reason}")
    if stage.escalation_window_closes and stage.number < 3:
        _add(t, "May escalate until", fmt(stage.escalation_window_closes))
    _add(t, "Investigator", stage.investigator)
    _add(t, "IIO", stage.iio)
    _add(t, "Independent person", stage.independent_person)
    why = Text("Why this date: ", style="italic dim")
    why.append("\n".join(d.explanation), style="italic")
    return Group(title, t, why, Text(""))


def timeline(case: CaseDetail) -> Table:
    t = Table.grid(padding=(0, 1), expand=True)
    t.add_column(no_wrap=True, style="dim")
    t.add_column(no_wrap=True)
    t.add_column(ratio=1)
    for e in case.events:
        change = ""
        if e.field:
            change = f"{e.field}: {e.old or '-'} → {e.new or '-'}"
        elif e.new:
            change = e.new
        if e.note:
            change = f"{change} — {e.note}" if change else e.note
        t.add_row(
            _when(e.at), printable(e.who), Text.assemble((e.action, "bold"), " ", printable(change))
        )
    if not case.events:
        t.add_row("", "", "No events recorded (imported or demo data).")
    return t


class CaseDetailScreen(Screen[None]):
    AUTO_FOCUS = "#detail"
    BINDINGS: ClassVar[list[BindingType]] = [
        HELP,
        Binding("escape", "back", "Back", tooltip="Back to the list", id="case.back"),
        Binding("n", "note", "Note", tooltip="Add a note to the timeline", id="case.note"),
        Binding(
            "a", "acknowledge", "Acknowledge", tooltip="Record the acknowledgement", id="case.ack"
        ),
        Binding("x", "extend", "Extend", tooltip="Extend the stage's timescale", id="case.extend"),
        Binding(
            "s",
            "suspend",
            "Stop/restart clock",
            tooltip="Stop the clock (e.g. awaiting an advocate), or restart it",
            id="case.suspend",
        ),
        Binding(
            "r", "respond", "Respond", tooltip="Record the response and outcome", id="case.respond"
        ),
        Binding(
            "e",
            "escalate",
            "Escalate",
            tooltip="The next stage; the Ombudsman's enquiry, reply and decision: that screen",
            id="case.escalate",
        ),
        Binding("o", "assign", "Assign", tooltip="Assign the case to an officer", id="case.assign"),
        Binding("l", "link", "Link", tooltip="Link another case to this one", id="case.link"),
        Binding("d", "edit", "Edit details", tooltip="Edit the case's details", id="case.edit"),
        Binding(
            "i",
            "learning",
            "Learning action",
            tooltip="Add a learning action to the stage",
            id="case.learning",
            show=False,
        ),
        Binding(
            "w",
            "withdraw",
            "Withdraw stage",
            tooltip="The complainant withdraws the stage",
            id="case.withdraw",
            show=False,
        ),
        Binding(
            "c",
            "close",
            "Close/re-open",
            tooltip="Close the case, or re-open it",
            id="case.close",
            show=False,
        ),
        Binding(
            "k",
            "correct",
            "Correct",
            tooltip="Correct a mistake: procedure, received, outcome, remedies, response date",
            id="case.correct",
            show=False,
        ),
        Binding(
            "v",
            "void",
            "Void/restore",
            tooltip="Void a case or stage logged by mistake, or restore it",
            id="case.void",
            show=False,
        ),
        Binding(
            "p",
            "panel",
            "Panel",
            tooltip="Statutory Stage 3: the review panel's date and members, then its report",
            id="case.panel",
            show=False,
        ),
        Binding(
            "left_square_bracket,right_square_bracket",
            "next_stage",
            "Other stage",
            tooltip="Choose which stage the keys act on (▶)",
            id="case.stage",
            show=False,
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            tooltip="Read the case again",
            id="case.reload",
            show=False,
        ),
    ]

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
        blocks = [stage_block(s, vocab, acting=s.id == self.acting) for s in reversed(case.stages)]
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
                self.notify(f"A {stage.label} needs no acknowledgement.", severity="warning")
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
        if case := self._ready():
            choices = self.app.choices  # type: ignore[attr-defined]
            officers = choices.officers if choices else ()
            self._form(
                forms.assign_form(self.ctx, case.reference, case.version, case.officer, officers)
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
