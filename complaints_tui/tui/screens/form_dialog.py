"""Every officer action's form: fields checked inline, the action saved in a worker.

Nothing is saved until every field is valid. A refusal from the rules is shown inside the
form (the officer fixes the field and saves again); a conflict with another officer's save
offers to reload the case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from complaints_tui.domain.dates import parse_date
from complaints_tui.domain.errors import ConflictError, DomainError
from complaints_tui.domain.policy import HARD_LIMIT
from complaints_tui.services.actions import Done
from complaints_tui.tui.feedback import error_text
from complaints_tui.tui.styles import SCREENS_CSS

RELOAD = "reload"
"""What a form returns when the officer chose to reload after a conflict."""

MAX_DAYS = HARD_LIMIT
"""The most working days a form accepts (the services refuse more too)."""

Kind = Literal["text", "date", "days", "count", "money", "select", "check"]


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind = "text"
    required: bool = False
    value: str = ""
    """The initial text (for a date, as the officer would type it)."""
    choice: Any = None
    """The initial choice of a select, or the initial state of a check box."""
    options: tuple[tuple[str, Any], ...] = ()
    placeholder: str = ""
    suggestions: tuple[str, ...] = ()


def parse_field(field: Field, raw: Any) -> Any:
    """The field's value from what was typed; ValueError with the inline message."""
    if field.kind == "check":
        return bool(raw)
    if field.kind == "select":
        if raw is Select.NULL or raw is None:
            if field.required:
                raise ValueError("Choose one.")
            return None
        return raw
    text = str(raw).strip()
    if not text:
        if field.required:
            raise ValueError("Required.")
        return None
    if field.kind == "date":
        return parse_date(text)
    if field.kind == "days":
        if not text.isdigit() or int(text) == 0:
            raise ValueError(f"'{text}' is not a number of working days (e.g. 20).")
        if int(text) > MAX_DAYS:
            # the due-date preview counts that many days on every key press
            raise ValueError(f"At most {MAX_DAYS} working days.")
        return int(text)
    if field.kind == "count":
        if not text.isdigit():
            raise ValueError(f"'{text}' is not a whole number (e.g. 3, or 0).")
        return int(text)
    if field.kind == "money":
        cleaned = text.lstrip("£").replace(",", "")
        try:
            pounds = float(cleaned)
        except ValueError:
            raise ValueError(f"'{text}' is not an amount in pounds (e.g. 250 or 250.00).") from None
        if pounds < 0:
            raise ValueError("An amount cannot be negative.")
        return pounds
    return text


Save = Callable[[dict[str, Any]], Done]
Check = Callable[[dict[str, Any]], dict[str, str]]
Note = Callable[[dict[str, Any]], str]


class FormDialog(ModalScreen[Done | str | None]):
    """A titled form; ``save`` runs in a thread with the parsed values."""

    CSS_PATH = SCREENS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Check every field and save; nothing is saved while one is invalid",
            id="form.save",
            priority=True,
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close without saving (asks first when something was typed)",
            id="form.cancel",
        ),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        save: Save,
        *,
        intro: str = "",
        check: Check | None = None,
        note: Note | None = None,
    ) -> None:
        super().__init__(classes="form-dialog")
        self.title_text = title
        self.fields = tuple(fields)
        self._save_action = save
        self.intro = intro
        self._check = check
        self._note = note
        self._saving = False

    # -- building ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            if self.intro:
                yield Static(self.intro, id="dialog-intro", markup=False)
            with VerticalScroll(id="dialog-fields", can_focus=False):
                for field in self.fields:
                    with Horizontal(classes="field-row"):
                        yield Label(
                            field.label + (" *" if field.required else ""), classes="field-label"
                        )
                        yield self._control(field)
                    yield Label("", id=f"error-{field.name}", classes="field-error", markup=False)
            yield Static("", id="dialog-note", classes="empty", markup=False)
            yield Static("", id="dialog-error", classes="empty", markup=False)
            yield Static(
                "[b]ctrl+s[/b] save   [b]esc[/b] cancel   [b]Enter[/b] next field   "
                "* required · dates 15/01/2026 or 2026-01-15",
                id="dialog-keys",
            )

    def _control(self, field: Field) -> Widget:
        wid = f"field-{field.name}"
        if field.kind == "select":
            return Select(
                field.options,
                value=field.choice if field.choice is not None else Select.NULL,
                allow_blank=not field.required or field.choice is None,
                prompt=field.placeholder or "Choose…",
                compact=True,
                id=wid,
            )
        if field.kind == "check":
            return Checkbox("", bool(field.choice), compact=True, id=wid)
        placeholder = field.placeholder or {"date": "DD/MM/YYYY", "money": "£"}.get(field.kind, "")
        return Input(
            field.value,
            placeholder=placeholder,
            suggester=(
                SuggestFromList(field.suggestions, case_sensitive=False)
                if field.suggestions
                else None
            ),
            compact=True,
            id=wid,
        )

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus()
        self._initial = {f.name: self._raw(f) for f in self.fields}
        self._update_note()

    @property
    def changed(self) -> bool:
        """Whether anything was typed or chosen since the form opened."""
        return any(self._raw(f) != self._initial.get(f.name) for f in self.fields)

    # -- values ------------------------------------------------------------------------------

    def _raw(self, field: Field) -> Any:
        widget = self.query_one(f"#field-{field.name}")
        return widget.value  # type: ignore[attr-defined]

    def _parse_all(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for field in self.fields:
            try:
                values[field.name] = parse_field(field, self._raw(field))
            except ValueError as exc:
                errors[field.name] = str(exc)
        return values, errors

    def _say(self, selector: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(text)
        widget.set_class(not text, "empty")

    def _show_error(self, name: str, message: str) -> None:
        label = self.query_one(f"#error-{name}", Label)
        label.update(message)
        label.set_class(bool(message), "shown")

    def _validate_one(self, name: str) -> None:
        field = next((f for f in self.fields if f.name == name), None)
        if field is None:
            return
        try:
            parse_field(field, self._raw(field))
        except ValueError as exc:
            self._show_error(name, str(exc))
        else:
            self._show_error(name, "")

    def _update_note(self) -> None:
        if self._note is None:
            return
        values, _ = self._parse_all()
        try:
            text = self._note(values)
        except Exception:  # a hint must never break the form
            text = ""
        self._say("#dialog-note", text)

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        if event.input.id and event.input.id.startswith("field-"):
            self._validate_one(event.input.id.removeprefix("field-"))

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        widget = event.control
        if widget is not None and widget.id and widget.id.startswith("field-"):
            name = widget.id.removeprefix("field-")
            if self.query_one(f"#error-{name}", Label).has_class("shown"):
                self._validate_one(name)
        self._update_note()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        controls = [self.query_one(f"#field-{f.name}") for f in self.fields]
        if event.input is controls[-1]:
            self.action_save()
        else:
            self.focus_next()

    # -- saving ------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return
        from complaints_tui.tui.screens.conflict import ConfirmDialog

        self.app.push_screen(
            ConfirmDialog(
                "Discard your changes?",
                "What you typed in this form has not been saved.",
                yes="discard them",
                no="keep editing",
            ),
            self._after_discard,
        )

    def _after_discard(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)

    def action_save(self) -> None:
        if self._saving:
            return
        values, errors = self._parse_all()
        if not errors and self._check is not None:
            errors = self._check(values)
        for field in self.fields:
            self._show_error(field.name, errors.get(field.name, ""))
        if errors:
            self._say("#dialog-error", errors.get("", "Nothing saved: correct the fields marked."))
            first = next((f for f in self.fields if f.name in errors), None)
            if first is not None:
                self.query_one(f"#field-{first.name}").focus()
            return
        self._say("#dialog-error", "Saving…")
        self._saving = True
        self._run_save(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _run_save(self, values: dict[str, Any]) -> Done:
        return self._save_action(values)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "save":
            return
        if event.state is WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
        elif event.state is WorkerState.ERROR:
            self._saving = False
            error = event.worker.error
            if isinstance(error, ConflictError):
                self._say("#dialog-error", f"Not saved: {error}")
                from complaints_tui.tui.screens.conflict import ConflictDialog

                self.app.push_screen(ConflictDialog(str(error)), self._after_conflict)
            else:
                if not isinstance(error, DomainError):
                    self.log.error(repr(error))
                self._say("#dialog-error", f"Not saved: {error_text(error)}")

    def _after_conflict(self, reload: bool | None) -> None:
        if reload:
            self.dismiss(RELOAD)


def uk(day: date | None) -> str:
    """A date as a form shows it for editing."""
    return day.strftime("%d/%m/%Y") if day else ""
