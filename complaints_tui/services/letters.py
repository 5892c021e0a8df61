"""Letters: a case's fields into the team's template, written as a Word document.

``prepare`` reads the case and fills the template (nothing is written, so the screen can
preview it); ``write`` writes the .docx owner-only and renamed into place, then records
in the timeline that the letter was produced; ``confirm_sent`` records an
acknowledgement letter's sending as the acknowledgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session

from complaints_tui.domain.clocks import OPEN_STATUSES, escalation_window_closes, fmt
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.letters import LETTER_KINDS, OMBUDSMAN, FilledLetter, fill
from complaints_tui.domain.vocab import STAGED_PROCEDURES, stage_label
from db import repo
from db.engine import transaction
from db.tables import Case, Stage

from .actions import Done, acknowledge
from .actions._base import _begin, _log
from .context import Context
from .files import atomic_path

SHIPPED = Path(__file__).resolve().parent.parent / "letters" / "templates"
"""The templates that come with the program (plain, and correct for the 2006 procedure)."""

OPTIONAL = frozenset(
    {"complainant_address", "children", "summary", "service", "member_area", "decision_reason"}
)
"""Fields a letter reads well without: left blank rather than refusing the letter."""


@dataclass(frozen=True)
class LetterDraft:
    reference: str
    kind: str
    stage_id: int | None
    letter: FilledLetter
    template: Path

    @property
    def text(self) -> str:
        """The letter as the preview shows it."""
        return "\n\n".join(self.letter.paragraphs)


def template_path(ctx: Context, kind: str) -> Path:
    """The team's template for ``kind`` if their folder has one, else the shipped one."""
    if kind not in LETTER_KINDS:
        raise DomainError(f"Unknown letter {kind!r} (known: {', '.join(LETTER_KINDS)}).")
    folder = ctx.policy.letter_templates
    if folder is not None:
        own = folder / f"{kind}.txt"
        if own.is_file():
            return own
    return SHIPPED / f"{kind}.txt"


def _stage_for(kind: str, case: Case, stages: list[Stage], stage_id: int | None) -> Stage:
    def latest(test: object) -> Stage:
        found = [s for s in stages if test(s)]  # type: ignore[operator]
        if not found:
            raise DomainError(
                f"{case.reference} has no stage a {LETTER_KINDS[kind].lower()} letter is about."
            )
        return found[-1]

    chosen = next((s for s in stages if s.id == stage_id), None)
    if kind.endswith("_response") or kind.endswith("_accepted"):
        number = int(kind[5])
        return latest(lambda s: s.procedure in STAGED_PROCEDURES and s.number == number)
    if kind == "ombudsman_reply":
        return latest(lambda s: s.procedure == "lgsco")
    if kind.startswith("declined"):
        return latest(lambda s: s.request_date is not None)
    if kind == "member_reply":
        if case.procedure not in ("mp", "councillor"):
            raise DomainError(f"{case.reference} is not an MP or councillor enquiry.")
        return stages[-1]
    if chosen is not None:
        return chosen
    return latest(lambda s: s.status in OPEN_STATUSES)


def _salutation(name: str | None) -> str:
    return f"Dear {name.strip()}" if name and name.strip() else "Dear Sir or Madam"


def _values(ctx: Context, session: Session, case: Case, stage: Stage) -> dict[str, str]:
    stages = repo.case_stages(session, case)
    spans = repo.stage_suspensions(session, stage)
    stopped = next((s for s in reversed(spans) if s.end is None), spans[-1] if spans else None)
    previous = next(
        (
            s
            for s in stages
            if s.procedure == stage.procedure and s.number == stage.number - 1 and s.responded
        ),
        None,
    )
    label = stage_label(stage.procedure, stage.number)
    if stage.procedure in STAGED_PROCEDURES:
        label = f"Stage {stage.number} {stage.procedure}"
    escalate_by = (
        escalation_window_closes(stage.responded, ctx.policy, ctx.cal) if stage.responded else None
    )
    window_closed = (
        escalation_window_closes(previous.responded, ctx.policy, ctx.cal)
        if previous and previous.responded
        else None
    )
    ack_due = ctx.cal.add_working_days(stage.received, ctx.policy.acknowledgement)
    children = [c.name for c in repo.case_children(session, case)]

    def day(value: date | None) -> str:
        return f"{value:%-d %B %Y}" if value else ""

    values = {
        "today": day(ctx.today()),
        "reference": case.reference,
        "complainant_name": case.complainant_name or "",
        "complainant_address": case.complainant_address or "",
        "salutation": _salutation(case.complainant_name),
        "children": ", ".join(children),
        "stage": label,
        "received": day(stage.received),
        "due": day(stage.due),
        "acknowledgement_due": day(ack_due),
        "summary": case.summary,
        "service": case.service or "",
        "officer": case.officer or ctx.actor,
        "extended_to": str(stage.extended_to or ""),
        "extension_reason": stage.extension_reason or "",
        "stopped_from": day(stopped.start if stopped else None),
        "stopped_reason": stopped.reason if stopped else "",
        "responded": day(previous.responded if previous else stage.responded),
        "escalate_by": day(escalate_by),
        "requested": day(stage.request_date),
        "decision_reason": stage.decision_reason or "",
        "window_closed": day(window_closed),
        "ombudsman_reference": stage.ombudsman_reference or "",
        "ombudsman_deadline": day(stage.fixed_due or stage.due),
        "member_name": case.member_name or "",
        "member_area": case.member_area or "",
        "ombudsman": OMBUDSMAN,
    }
    return values


def prepare(ctx: Context, reference: str, kind: str, *, stage_id: int | None = None) -> LetterDraft:
    """The letter filled in from the case, for a preview; nothing is written or recorded."""
    kind = kind.strip().lower().replace("-", "_")
    path = template_path(ctx, kind)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DomainError(f"Cannot read the letter template {path}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise DomainError(f"{path} is not UTF-8 text: save it as plain text (UTF-8).") from None
    with Session(ctx.engine) as session:
        case = repo.get_case(session, reference)
        stage = _stage_for(kind, case, repo.case_stages(session, case), stage_id)
        values = _values(ctx, session, case, stage)
    present = {n: (v or (" " if n in OPTIONAL else "")) for n, v in values.items()}
    letter = fill(kind, text, present, source=str(path))
    paragraphs = tuple(
        "\n".join(line for line in p.splitlines() if line.strip())
        for p in letter.paragraphs
        if p.strip()
    )
    letter = FilledLetter(letter.kind, letter.title, paragraphs)
    return LetterDraft(case.reference, kind, stage.id, letter, path)


def default_path(ctx: Context, draft: LetterDraft, folder: Path = Path("letters")) -> Path:
    """letters/CT-2026-00042-acknowledgement-2026-11-23.docx"""
    return folder / f"{draft.reference}-{draft.kind}-{ctx.today().isoformat()}.docx"


def write_docx(draft: LetterDraft, path: Path) -> None:
    """The letter as a Word document, through a temporary file renamed into place."""
    from docx import Document

    document = Document()
    for paragraph in draft.letter.paragraphs:
        lines = paragraph.split("\n")
        para = document.add_paragraph()
        for i, line in enumerate(lines):
            run = para.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
    document.core_properties.title = f"{draft.reference} {draft.letter.title}"
    with atomic_path(path) as temporary:
        document.save(str(temporary))


def write(ctx: Context, draft: LetterDraft, path: Path | str) -> Done:
    """Write the .docx, then record in the timeline that the letter was produced."""
    target = Path(path)
    if target.suffix.lower() != ".docx":
        raise DomainError(f"{target}: a letter is written as a Word document, name it .docx.")
    if target.is_dir():
        raise DomainError(f"{target} is a folder: give the letter's file name.")
    write_docx(draft, target)
    with transaction(ctx.engine) as session:
        case = _begin(session, draft.reference, None)
        stage = session.get(Stage, draft.stage_id) if draft.stage_id else None
        _log(
            session,
            ctx,
            case,
            "letter",
            stage=stage,
            new=f"{draft.letter.title}, dated {fmt(ctx.today())}",
            note=target.name,
        )
    return Done(draft.reference, f"{draft.letter.title} letter written to {target}.")


def confirm_sent(ctx: Context, draft: LetterDraft, on: date | None = None) -> Done:
    """The acknowledgement letter was sent: record the acknowledgement (on ``on``, or today)."""
    if draft.kind != "acknowledgement":
        raise DomainError("Only an acknowledgement letter records an acknowledgement.")
    return acknowledge(ctx, draft.reference, on=on or ctx.today(), stage_id=draft.stage_id)
