"""Duty triage: the queue of untriaged contacts, one key per outcome, and quick capture.

Triage converts the highlighted contact and starts the right clock; the cursor stays
where it is, so the next contact is already highlighted and a morning's inbox is cleared
without the mouse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Header, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.dates import parse_date
from complaints_tui.domain.errors import ConflictError, DomainError
from complaints_tui.domain.vocab import with_article
from complaints_tui.services import actions
from complaints_tui.services.lists import ContactRow, triage_count, triage_queue
from complaints_tui.tui.feedback import report_done, report_error
from complaints_tui.tui.keys import HELP
from complaints_tui.tui.messages import ActionDone, ContactCaptured, QueueLoaded
from complaints_tui.tui.screens.form_dialog import uk
from complaints_tui.tui.styles import SCREENS_CSS
from complaints_tui.tui.widgets.key_bar import KeyBar
from complaints_tui.tui.widgets.virtual_table import Column, RowView, VirtualTable

PROCEDURE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("s", "statutory", "Statutory complaint"),
    ("c", "corporate", "Corporate complaint"),
    ("o", "lgsco", "Ombudsman enquiry"),
    ("m", "mp", "MP enquiry"),
    ("l", "councillor", "Councillor enquiry"),
    ("y", "mayor", "Mayor enquiry"),
    ("x", "chief_executive", "Chief Executive enquiry"),
    ("g", "general", "General enquiry"),
    ("f", "foi", "FOI request"),
    ("p", "compliment", "Compliment"),
)
"""One key per procedure a contact can become."""

DUTY_KEYS: tuple[tuple[str, str, str], ...] = (
    ("a", "advice", "Duty: advice"),
    ("i", "signposted", "Duty: signposted"),
    ("r", "refused_legal_proceedings", "Duty: refused (legal proceedings)"),
    ("w", "pending_information", "Duty: pending information"),
    ("t", "passed_to_service", "Duty: passed to service"),
)
"""One key per duty matter category."""

COLUMNS = (
    Column("Reference", 13),
    Column("Received", 10),
    Column("Who", 18),
    Column("Channel", 9, drop=2),
    Column("Service", 18, drop=1),
    Column("Summary", 12, flex=True),
)


def render_contact(row: ContactRow, channels: dict[str, str] | None = None) -> RowView:
    return RowView(
        (
            row.reference,
            fmt(row.received),
            row.who or "",
            (channels or {}).get(row.channel or "", row.channel or ""),
            row.service or "",
            # A contact awaiting information is marked, with the day it went pending.
            f"PENDING since {fmt(row.pending_since)}: {row.summary}"
            if row.pending_since
            else row.summary,
        )
    )


def _triage_bindings() -> list[BindingType]:
    out: list[BindingType] = []
    for key, proc, label in PROCEDURE_KEYS:
        out.append(
            Binding(
                key,
                f"triage_as('{proc}')",
                label,
                tooltip=f"Triage the highlighted contact as {with_article(label).lower()}".replace(
                    " mp ", " MP "
                )
                .replace(" foi ", " FOI ")
                .replace(" ombudsman ", " Ombudsman "),
                id=f"triage.{proc}",
                show=False,
            )
        )
    for key, category, label in DUTY_KEYS:
        out.append(
            Binding(
                key,
                f"triage_duty('{category}')",
                label,
                tooltip="Triage the highlighted contact as a duty matter",
                id=f"triage.duty.{category}",
                show=False,
            )
        )
    return out


class TriageScreen(Screen[None]):
    CSS_PATH = SCREENS_CSS

    AUTO_FOCUS = "#queue"
    BINDINGS: ClassVar[list[BindingType]] = [
        HELP,
        Binding(
            "n",
            "capture",
            "New contact",
            tooltip="Type a new contact into the quick-capture form",
            id="triage.new",
        ),
        Binding("enter", "open", "Open", tooltip="Open the highlighted contact", id="triage.open"),
        Binding(
            "ctrl+s",
            "save_contact",
            "Save contact",
            tooltip="Save the contact typed in the form",
            id="triage.save",
            show=False,
        ),
        Binding(
            "escape",
            "to_queue",
            "Queue",
            tooltip="Back to the queue",
            id="triage.queue",
            show=False,
        ),
        Binding("ctrl+r", "reload", "Reload", id="triage.reload", show=False),
        *_triage_bindings(),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.total = 0
        self._triaging = False
        """A triage is being saved: until the queue is read again the highlighted row is
        the contact just triaged, so further triage keys wait."""

    @property
    def ctx(self) -> Any:
        return self.app.ctx  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="queue-status")
        channels = dict(self._channels())
        yield VirtualTable(
            COLUMNS,
            lambda row: render_contact(row, channels),
            empty="No contacts waiting. n captures a new one.",
            id="queue",
        )
        yield Static("", id="contact-preview")
        yield Static(self._legend(), id="triage-keys")
        with Vertical(id="capture"):
            yield Static(
                "New contact  [dim](n; Enter in Summary or ctrl+s saves, Esc back)[/]",
                id="capture-title",
            )
            with Horizontal(classes="field-row"):
                yield Label("Who ", classes="capture-label")
                yield Input(placeholder="name", id="who", compact=True)
                yield Label(" Channel ", classes="capture-label")
                yield Select(
                    [(label, key) for key, label in self._channels()],
                    prompt="channel",
                    id="channel",
                    compact=True,
                )
                yield Label(" Received ", classes="capture-label")
                yield Input(uk(self.app.ctx.today()), id="received", compact=True)  # type: ignore[attr-defined]
            with Horizontal(classes="field-row"):
                yield Label("Service ", classes="capture-label")
                yield Input(placeholder="team", id="service", compact=True)
                yield Label(" Summary ", classes="capture-label")
                yield Input(placeholder="what it is about", id="summary", compact=True)
            yield Static("", id="capture-error")
        yield KeyBar()

    def _channels(self) -> Sequence[tuple[str, str]]:
        return tuple(self.app.ctx.policy.vocabularies.tables["channel"].items())  # type: ignore[attr-defined]

    def _legend(self) -> str:
        procs = "  ".join(
            f"[b]{k}[/b] {label.replace(' complaint', '').replace(' enquiry', '')}"
            for k, _, label in PROCEDURE_KEYS
        )
        duty = "  ".join(
            f"[b]{k}[/b] {label.removeprefix('Duty: ').capitalize()}" for k, _, label in DUTY_KEYS
        )
        return f"[b]Triage as[/b]  {procs}\n[b]Duty matter[/b]  {duty}"

    @property
    def queue(self) -> VirtualTable:
        return self.query_one("#queue", VirtualTable)

    def on_mount(self) -> None:
        self.title = "Duty triage"
        choices = self.app.choices  # type: ignore[attr-defined]
        if choices:
            self.query_one("#service", Input).suggester = SuggestFromList(
                choices.services, case_sensitive=False
            )
        self.load()

    def follow_changes(self) -> None:
        """A colleague saved something: show the list as it is now, cursor kept."""
        self.load(keep_cursor=True)

    def on_screen_resume(self) -> None:
        self.load(keep_cursor=True)

    # -- the queue -------------------------------------------------------------------------------

    def load(self, *, keep_cursor: bool = False) -> None:
        self._load(keep_cursor)

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue")
    def _load(self, keep_cursor: bool) -> None:
        self.app.calendar_ready()  # type: ignore[attr-defined]
        total = triage_count(self.ctx)
        first = triage_queue(self.ctx, limit=100)
        self.post_message(QueueLoaded(total, first, keep_cursor=keep_cursor))

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        self.total = message.total
        self._triaging = False
        self.queue.show(
            message.total,
            message.first,
            lambda offset, limit, _a, _b: triage_queue(self.ctx, offset=offset, limit=limit),
            keep_cursor=message.keep_cursor,
        )
        self.query_one("#queue-status", Static).update(
            f"[b]{message.total}[/b] contact(s) waiting, oldest first · one key triages the "
            "highlighted contact and moves to the next"
        )
        self.sub_title = f"{message.total} waiting"
        if not message.total:
            self.query_one("#contact-preview", Static).update("")

    @on(VirtualTable.Highlighted, "#queue")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        row: ContactRow = event.row
        channel = self.ctx.policy.vocabularies.label("channel", row.channel)
        self.query_one("#contact-preview", Static).update(
            f"[b]{row.reference}[/b]  {escape(row.who or '')}  {escape(channel)}  "
            f"{escape(row.service or '')}\n{escape(row.summary)}"
        )

    @on(VirtualTable.Selected, "#queue")
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.app.open_case(event.row.reference)  # type: ignore[attr-defined]

    def action_open(self) -> None:
        self.queue.action_select()

    def action_reload(self) -> None:
        self.load(keep_cursor=True)

    # -- triage ------------------------------------------------------------------------------------

    def _contact(self) -> ContactRow | None:
        if self._triaging:
            self.notify("Saving the last triage: press the key again.", timeout=2)
            return None
        row = self.queue.row
        if row is None:
            self.notify("No contact highlighted.", severity="warning")
        return row

    def action_triage_as(self, procedure: str) -> None:
        if row := self._contact():
            self._triaging = True
            self._triage(row, procedure, None)

    def action_triage_duty(self, category: str) -> None:
        if row := self._contact():
            self._triaging = True
            self._triage(row, None, category)

    @work(thread=True, exit_on_error=False, group="save")
    def _triage(self, row: ContactRow, procedure: str | None, category: str | None) -> None:
        done = actions.triage(
            self.ctx,
            row.reference,
            procedure=procedure,
            duty_category=category,
            expected_version=row.version,
        )
        self.post_message(ActionDone(done))

    def on_action_done(self, message: ActionDone) -> None:
        report_done(self, message.done)
        self.load(keep_cursor=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.group == "save":
            self._triaging = False
        if event.worker.group == "capture" and isinstance(error, DomainError):
            self.query_one("#capture-error", Static).update(f"Not saved: {error}")
            return
        report_error(self, error)
        if isinstance(error, ConflictError):
            self.load(
                keep_cursor=True
            )  # someone else triaged or changed it: show the queue as it is

    # -- quick capture ---------------------------------------------------------------------

    def action_capture(self) -> None:
        self.query_one("#who", Input).focus()

    def action_to_queue(self) -> None:
        self.queue.focus()

    @on(Input.Submitted, "#capture Input")
    def _capture_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "summary":
            self.action_save_contact()
        else:
            self.focus_next()

    def action_save_contact(self) -> None:
        who = self.query_one("#who", Input).value.strip()
        summary = self.query_one("#summary", Input).value.strip()
        received_text = self.query_one("#received", Input).value
        channel = self.query_one("#channel", Select).value
        service = self.query_one("#service", Input).value.strip() or None
        problems = []
        if not who:
            problems.append("who made the contact is required")
        if not summary:
            problems.append("a summary is required")
        received = None
        try:
            received = parse_date(received_text) if received_text.strip() else self.ctx.today()
        except ValueError as exc:
            problems.append(str(exc))
        error = self.query_one("#capture-error", Static)
        if problems:
            error.update("Not saved: " + "; ".join(problems) + ".")
            return
        error.update("Saving…")
        self._capture(
            who, None if channel is Select.NULL else str(channel), service, summary, received
        )

    @work(thread=True, exit_on_error=False, group="capture")
    def _capture(
        self, who: str, channel: str | None, service: str | None, summary: str, received: Any
    ) -> None:
        done = actions.log_contact(
            self.ctx, who=who, channel=channel, service=service, summary=summary, received=received
        )
        self.post_message(ContactCaptured(done))

    def on_contact_captured(self, message: ContactCaptured) -> None:
        report_done(self, message.done)
        for name in ("who", "service", "summary"):
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#capture-error", Static).update("")
        # Back to the queue: the next key pressed is a triage key, not a letter in "Who".
        self.queue.focus()
        self.load(keep_cursor=True)
