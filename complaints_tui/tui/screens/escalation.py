"""Escalation: a case's chain of stages, the complainant's window, and the next step.

Corporate Stage 2 and 3 may be accepted or refused (a refusal signposts the Ombudsman);
statutory Stage 2 and 3 are the complainant's right inside the window, so they can only be
accepted (or later withdrawn); a statutory request made after the window may be declined
with a reason. Statutory Stage 3's panel and report dates are recorded here. An Ombudsman
enquiry is not an escalation: it records its reference and deadline, the council's reply
and the Ombudsman's decision.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from complaints_tui.domain.clocks import OPEN_STATUSES, escalation_window_closes, fmt
from complaints_tui.domain.vocab import PROCEDURES, STAGED_PROCEDURES, stage_label, with_article
from complaints_tui.services.actions import Done
from complaints_tui.services.queries import CaseDetail, StageView, case_detail
from complaints_tui.tui import forms
from complaints_tui.tui.feedback import report_done, report_error
from complaints_tui.tui.keys import HELP
from complaints_tui.tui.messages import CaseLoaded
from complaints_tui.tui.screens.form_dialog import RELOAD
from complaints_tui.tui.styles import SCREENS_CSS
from complaints_tui.tui.widgets.key_bar import KeyBar


def chain_table(case: CaseDetail, vocab: Any) -> Table:
    """One row per stage; an escalated stage is received on the day it was asked for."""
    t = Table(expand=True, box=None, header_style="bold", pad_edge=False, collapse_padding=True)
    t.add_column("Stage", no_wrap=True, min_width=11)
    t.add_column("Received", no_wrap=True, width=10)
    t.add_column("Decision", no_wrap=True, min_width=8)
    t.add_column("Due", no_wrap=True, width=10)
    t.add_column("Responded", no_wrap=True, width=10)
    t.add_column("Outcome", ratio=1, min_width=9)
    t.add_column("Status", no_wrap=True, min_width=9)
    for s in case.stages:
        decision = s.decision or ""
        if s.out_of_time:
            decision += ", late"
        t.add_row(
            s.label,
            fmt(s.received),
            decision,
            fmt(s.deadline.due),
            fmt(s.responded),
            vocab.label("outcome", s.outcome),
            s.status,
        )
    return t


class EscalationScreen(Screen[None]):
    CSS_PATH = SCREENS_CSS

    AUTO_FOCUS = "#escalation"
    BINDINGS: ClassVar[list[BindingType]] = [
        HELP,
        Binding("escape", "back", "Back", tooltip="Back to the case", id="esc.back"),
        Binding(
            "a",
            "accept",
            "Accept next stage",
            tooltip="The complainant asked for the next stage: accept it, its clock starts",
            id="esc.accept",
        ),
        Binding(
            "f",
            "refuse",
            "Refuse",
            tooltip="Refuse corporate Stage 2/3 with a reason (signposts the Ombudsman)",
            id="esc.refuse",
        ),
        Binding(
            "w",
            "withdraw",
            "Withdraw",
            tooltip="The complainant withdraws the stage in progress",
            id="esc.withdraw",
        ),
        Binding(
            "o",
            "ombudsman",
            "Ombudsman",
            tooltip="Log the Ombudsman's enquiry: its reference and deadline",
            id="esc.ombudsman",
        ),
        Binding(
            "p",
            "panel",
            "Panel",
            tooltip="Statutory Stage 3: the review panel's date and members, then its report",
            id="esc.panel",
        ),
        Binding(
            "m",
            "people",
            "People",
            tooltip="Name the investigator, the IIO and Independent Person, or the panel",
            id="esc.people",
        ),
        Binding(
            "y",
            "reply",
            "Reply to LGSCO",
            tooltip="The council replied to the Ombudsman's enquiry",
            id="esc.reply",
        ),
        Binding(
            "b",
            "decision",
            "LGSCO decision",
            tooltip="The Ombudsman's decision and its date",
            id="esc.decision",
        ),
        Binding(
            "g",
            "deadline",
            "LGSCO deadline",
            tooltip="A later deadline the Ombudsman agreed (never an extension)",
            id="esc.deadline",
            show=False,
        ),
        Binding("ctrl+r", "reload", "Reload", id="esc.reload", show=False),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.case: CaseDetail | None = None

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="escalation", can_focus=True):
            yield Static(f"{self.reference} — loading…", id="detail-head")
            yield Static("Chain of stages", classes="section-title")
            yield Static("", id="chain")
            yield Static("Next step", classes="section-title")
            yield Static("", id="window-check")
            yield Static("", id="rules")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"{self.reference} escalation"
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="case")
    def load(self) -> None:
        self.post_message(CaseLoaded(case_detail(self.ctx, self.reference)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            report_error(self, event.worker.error)

    # -- what the screen says ---------------------------------------------------------------

    def _previous(self) -> StageView | None:
        """The furthest stage of the complaint's procedure (what an escalation follows)."""
        if self.case is None:
            return None
        staged = [s for s in self.case.stages if s.procedure in STAGED_PROCEDURES]
        return max(staged, key=lambda s: s.number) if staged else None

    def _blocked(self) -> str | None:
        """Why the next stage cannot be asked for, or None."""
        case, previous = self.case, self._previous()
        if case is None:
            return "The case is still loading."
        if previous is None:
            return (
                f"{with_article(PROCEDURES.get(case.procedure, case.procedure))} has no "
                "further stages. "
                "If the Ombudsman has opened an enquiry, o logs it."
            )
        if previous.decision in ("refused", "withdrawn"):
            return (
                f"{previous.label} was {previous.decision}: there is no further stage. "
                "The complainant may go to the Ombudsman (o logs the enquiry)."
            )
        if previous.number >= 3:
            return "Stage 3 is the last stage; the next step is the Ombudsman (o)."
        if previous.responded is None:
            return (
                f"{previous.label} has no response yet ({previous.status}): record the "
                "response on the case (r) before escalating."
            )
        return None

    def on_case_loaded(self, message: CaseLoaded) -> None:
        case = self.case = message.detail
        vocab = self.ctx.policy.vocabularies
        self.query_one("#detail-head", Static).update(
            f"[b]{case.reference}[/b]  {PROCEDURES.get(case.procedure, case.procedure)}  "
            f"{escape(f'[{case.status}]')}  {escape(case.complainant_name or '')}"
        )
        self.query_one("#chain", Static).update(chain_table(case, vocab))
        check = self.query_one("#window-check", Static)
        rules = self.query_one("#rules", Static)
        previous = self._previous()
        blocked = self._blocked()
        check.set_class(False, "out-of-time")
        if blocked or previous is None:
            check.update(blocked or "")
        else:
            assert previous.responded is not None
            window = escalation_window_closes(previous.responded, self.ctx.policy, self.ctx.cal)
            today = self.ctx.today()
            nxt = stage_label(previous.procedure, previous.number + 1)
            head = (
                f"{previous.label} responded [b]{fmt(previous.responded)}[/b]. The complainant "
                f"may ask for {nxt} until [b]{fmt(window)}[/b] "
                f"({self.ctx.policy.escalation_window} working days). "
            )
            if today <= window:
                left = self.ctx.cal.working_days_between(today, window)
                head += f"A request today is inside the window ({left} working day(s) to spare)."
            else:
                head += "A request today is OUT OF TIME: accepting it needs a reason."
                check.set_class(True, "out-of-time")
            if previous.procedure == "statutory" and today <= window:
                keys = "[b]a[/b] accept   [b]w[/b] withdraw   [b]o[/b] Ombudsman enquiry"
            elif previous.procedure == "statutory":
                keys = "[b]a[/b] accept   [b]f[/b] decline (reason)   [b]o[/b] Ombudsman enquiry"
            else:
                keys = "[b]a[/b] accept   [b]f[/b] refuse   [b]o[/b] Ombudsman enquiry"
            check.update(f"{head}\n{keys}")
        proc, number = (previous.procedure, previous.number + 1) if previous else ("", 0)
        if proc == "statutory" and number == 2:
            rules.update(
                "Statutory Stage 2 is the complainant's right: it cannot be refused (the "
                "council may offer a local-resolution meeting; the request may be withdrawn). "
                "Its clock starts on the request date or, by local policy, when the written "
                "statement of complaint is agreed: enter that as 'Clock starts'."
            )
        elif proc == "corporate":
            rules.update(
                f"Corporate Stage {number} may be accepted, or refused with a reason; a "
                "refusal signposts the complainant to the Ombudsman (LGSCO)."
            )
        elif proc == "statutory" and number == 3:
            rules.update(
                "Statutory Stage 3: the review panel meets within 30 working days of the "
                "request, reports within 5, and the director responds within 15 (p records "
                "the panel, then its report). It cannot be refused inside the window, nor "
                "extended."
            )
        else:
            rules.update("")
        self.sub_title = f"version {case.version}"

    # -- actions ------------------------------------------------------------------------------

    def _saved(self, result: Done | str | None) -> None:
        if isinstance(result, Done):
            report_done(self, result)
            self.load()
        elif result == RELOAD:
            self.load()

    def _escalate(self, decision: str) -> None:
        blocked = self._blocked()
        previous = self._previous()
        if blocked or previous is None or self.case is None:
            self.notify(blocked or "Nothing to escalate.", severity="warning", timeout=8)
            return
        if decision == "refused" and previous.procedure == "statutory":
            assert previous.responded is not None
            window = escalation_window_closes(previous.responded, self.ctx.policy, self.ctx.cal)
            if self.ctx.today() <= window:
                self.notify(
                    f"Statutory Stage {previous.number + 1} is the complainant's right inside "
                    f"the window (it closes {fmt(window)}): it cannot be refused (the request "
                    "may be withdrawn).",
                    severity="warning",
                    timeout=8,
                )
                return
        self.app.push_screen(
            forms.escalate_form(
                self.ctx, self.case.reference, self.case.version, previous, decision
            ),
            self._saved,
        )

    def action_accept(self) -> None:
        self._escalate("accepted")

    def action_refuse(self) -> None:
        self._escalate("refused")

    def action_withdraw(self) -> None:
        case = self.case
        if case is None:
            return
        open_stages = [s for s in case.stages if s.status in OPEN_STATUSES]
        if not open_stages:
            self.notify("No stage is in progress to withdraw.", severity="warning")
            return
        self.app.push_screen(
            forms.withdraw_form(self.ctx, case.reference, case.version, open_stages[-1]),
            self._saved,
        )

    def action_ombudsman(self) -> None:
        if self.case is not None:
            self.app.push_screen(
                forms.ombudsman_form(self.ctx, self.case.reference, self.case.version), self._saved
            )

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()

    # -- the panel, the people, the Ombudsman's side (forms in rule_forms) ------------------

    def _find(self, procedure: str, number: int | None = None) -> StageView | None:
        if self.case is None:
            return None
        found = [
            s
            for s in self.case.stages
            if s.procedure == procedure and (number is None or s.number == number)
        ]
        return found[-1] if found else None

    def _open(self, make: Any, stage: StageView | None, missing: str) -> None:
        if self.case is None or stage is None:
            self.notify(missing, severity="warning", timeout=8)
            return
        self.app.push_screen(make(self.ctx, self.case, stage), self._saved)

    def action_panel(self) -> None:
        from complaints_tui.tui.rule_forms import panel_form

        self._open(panel_form, self._find("statutory", 3), "There is no statutory Stage 3.")

    def action_people(self) -> None:
        from complaints_tui.tui.rule_forms import people_form

        stage = self._find("statutory", 3) or self._find("statutory", 2) or self._previous()
        self._open(people_form, stage, "No stage to name people for.")

    def action_reply(self) -> None:
        from complaints_tui.tui.rule_forms import reply_form

        self._open(reply_form, self._find("lgsco"), "No Ombudsman enquiry: o logs one.")

    def action_decision(self) -> None:
        from complaints_tui.tui.rule_forms import decision_form

        self._open(decision_form, self._find("lgsco"), "No Ombudsman enquiry: o logs one.")

    def action_deadline(self) -> None:
        from complaints_tui.tui.rule_forms import deadline_form

        self._open(deadline_form, self._find("lgsco"), "No Ombudsman enquiry: o logs one.")
