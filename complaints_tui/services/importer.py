"""Import the team's spreadsheet (CSV or an Excel workbook), all or nothing.

One row per stage; rows sharing a reference are the stages of one case, in any order.
Every problem is reported as ``line N, heading: reason`` (``row N`` in a workbook, as Excel
numbers it); if there is any, nothing is written. ``check_file`` reads and checks the whole
file and says what would be stored (the Import screen's preview, ``import --check``);
``store_plan`` stores a checked file in one transaction. The work is split by responsibility
under ``importing/``; this is the entry point the command and the app call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from complaints_tui.domain.records import CaseRecord
from complaints_tui.domain.vocab import STAGED_PROCEDURES, stage_label
from db import repo
from db.engine import transaction

from .context import Context
from .importing.cases import group_cases
from .importing.columns import COLUMNS, EXPORT_ONLY, REQUIRED
from .importing.layout import HEADER_SEARCH, Layout, header_score, resolve
from .importing.mapping import NO_MAPPING, Mapping
from .importing.problems import ImportRefused, Problem, Problems
from .importing.rows import Row, RowReader
from .importing.sources import Source, Unreadable, open_source
from .importing.words import Words
from .store import store_records

__all__ = [
    "COLUMNS",
    "EXPORT_ONLY",
    "REQUIRED",
    "ImportRefused",
    "Imported",
    "Plan",
    "Problem",
    "check_file",
    "import_csv",
    "import_file",
    "store_plan",
]

Progress = Callable[[str, int, int | None], None]
"""progress(step, done, total): step is "read", "checked" or "stored"; total may be None."""

PREVIEW_ROWS = 10
PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class Imported:
    stages: int
    cases: int
    after_today: int
    """Rows dated after today: imported (a file may plan ahead), and reported."""


@dataclass
class Plan:
    """A checked file: what would be stored, or why it cannot be."""

    path: Path
    unit: str = "line"
    sheet: str | None = None
    layout: Layout | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    records: list[CaseRecord] = field(default_factory=list)
    stages: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    """Stages to create by kind ('Statutory 1', 'MP enquiry'), in the order first met."""
    preview: list[Row] = field(default_factory=list)
    """The first rows as they would be stored."""
    after_today: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def cases(self) -> int:
        return len(self.records)

    def refusal(self) -> ImportRefused:
        return ImportRefused(self.problems, self.problem_count)


def check_file(
    ctx: Context,
    path: Path,
    *,
    mapping: Mapping = NO_MAPPING,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Read and check every row of ``path``; store nothing."""
    plan = Plan(Path(path))
    try:
        source = open_source(plan.path, sheet or mapping.sheet)
    except Unreadable as unreadable:
        plan.problems, plan.problem_count = [unreadable.problem], 1
        return plan
    plan.unit, plan.sheet = source.unit, source.sheet
    problems = Problems(source.unit)
    try:
        _check_rows(ctx, source, mapping, problems, plan, progress)
    except Unreadable as unreadable:  # a CSV that stops being readable part way
        problems.add(unreadable.problem.line, unreadable.problem.column, unreadable.problem.reason)
        plan.records = []
    plan.problems, plan.problem_count = problems.sorted(), problems.count
    if problems:
        plan.records, plan.by_stage, plan.stages = [], {}, 0
    return plan


def _check_rows(
    ctx: Context,
    source: Source,
    mapping: Mapping,
    problems: Problems,
    plan: Plan,
    progress: Progress | None,
) -> None:
    rows = source.rows
    peeked: list[tuple[int, list[object]]] = []
    for number, cells in rows:
        if any(c is not None and c != "" for c in cells):
            peeked.append((number, cells))
            if len(peeked) >= HEADER_SEARCH:
                break
    if not peeked:
        problems.add(1, "header", "the file is empty")
        return
    # The header is the row most like one; title rows above it are not data.
    best = max(range(len(peeked)), key=lambda i: (header_score(peeked[i][1], mapping), -i))
    if header_score(peeked[best][1], mapping) == 0:
        best = 0
    header_line, header = peeked[best]
    layout = resolve(header_line, header, mapping, problems)
    plan.layout = layout
    if problems:
        return
    with transaction(ctx.engine) as session:
        existing = repo.existing_references(session)
        existing_stages = repo.existing_stage_keys(session)
    reader = RowReader(
        ctx,
        layout,
        Words(ctx.policy.vocabularies, mapping.words),
        problems,
        existing,
        existing_stages,
    )
    kept: list[Row] = []
    total = source.total
    done = 0
    today = ctx.today()
    by_stage: Counter[str] = Counter()

    def all_rows():  # type: ignore[no-untyped-def]
        yield from peeked[best + 1 :]
        yield from rows

    for number, cells in all_rows():
        row = reader.read(number, cells)
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("read", done, total)
        if row is None or problems:
            continue  # once a file is refused, its rows are checked, not kept
        kept.append(row)
        stage = row.stage
        by_stage[
            stage_label(
                stage.procedure, stage.number if stage.procedure in STAGED_PROCEDURES else None
            )
        ] += 1
        if stage.received > today or (stage.responded or today) > today:
            plan.after_today += 1
    if progress is not None:
        progress("read", done, done)
    if problems:
        return
    plan.preview = kept[:PREVIEW_ROWS]
    plan.stages = len(kept)
    plan.by_stage = dict(by_stage)
    plan.records = list(group_cases(kept))
    if progress is not None:
        progress("checked", plan.stages, plan.stages)


def store_plan(ctx: Context, plan: Plan, progress: Progress | None = None) -> Imported:
    """Store a checked file in one transaction; ImportRefused (nothing written) if it had
    problems, or if one of its references was stored by someone else since it was checked."""
    if not plan.ok:
        raise plan.refusal()
    with transaction(ctx.engine) as session:
        existing = repo.existing_references(session)
        clashes = [r for r in plan.records if r.reference in existing]
        if clashes:
            raise ImportRefused(
                [
                    Problem(0, "reference", f"{r.reference} was stored since the file was checked")
                    for r in clashes[:100]
                ],
                len(clashes),
            )
        stored = 0

        def counted():  # type: ignore[no-untyped-def]
            nonlocal stored
            for record in plan.records:
                yield record
                stored += len(record.stages)
                if progress is not None and stored % PROGRESS_EVERY < len(record.stages):
                    progress("stored", stored, plan.stages)

        store_records(ctx, session, counted(), expected=len(plan.records))
    if progress is not None:
        progress("stored", plan.stages, plan.stages)
    return Imported(plan.stages, plan.cases, plan.after_today)


def import_file(
    ctx: Context,
    path: Path,
    *,
    mapping: Mapping = NO_MAPPING,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Import a file, or raise ImportRefused and write nothing."""
    plan = check_file(ctx, path, mapping=mapping, sheet=sheet, progress=progress)
    return store_plan(ctx, plan, progress)


def import_csv(ctx: Context, path: Path) -> Imported:
    """The first release's entry point, kept for scripts: any file import_file reads."""
    return import_file(ctx, path)
