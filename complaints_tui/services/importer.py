"""Import the team's spreadsheet (CSV or an Excel workbook), all or nothing.

One row per stage; rows sharing a reference are the stages of one case, in any order.
Every problem is reported as ``line N, heading: reason`` (``row N`` in a workbook, as Excel
numbers it); if there is any, nothing is written. ``check_file`` reads and checks the whole
file and says what would be stored (the Import screen's preview, ``import --check``);
``store_plan`` stores a checked file in one transaction; ``import_file`` does both in one
read. The file is read as a stream: each case is stored as soon as its rows are read (see
``importing.grouping``), in one transaction that is rolled back if any row has a problem,
so memory does not grow with the file and nothing of a refused file is kept. The work is
split by responsibility under ``importing/``; this is the entry point the command and the
app call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

from complaints_tui.domain.records import CaseRecord
from complaints_tui.domain.vocab import STAGED_PROCEDURES, stage_label
from db.engine import transaction

from .bulk_gc import fewer_collections
from .context import Context
from .importing.cases import case_of, differences
from .importing.columns import COLUMNS, EXPORT_ONLY, REQUIRED
from .importing.grouping import Grouper, Scattered, counted_references, without_repeats
from .importing.layout import resolve
from .importing.mapping import NO_MAPPING, Mapping
from .importing.plan import DIFFERING_LISTED, Imported, Plan
from .importing.problems import ImportRefused, Problem, Problems
from .importing.rows import Row, RowReader
from .importing.sheets import find_header, several_sheets
from .importing.sources import Unreadable, open_source
from .importing.words import Words
from .store_writer import Existing, existing_in, store_new

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


def check_file(
    ctx: Context,
    path: Path,
    *,
    mapping: Mapping = NO_MAPPING,
    sheet: str | None = None,
    sheets: Sequence[str] = (),
    every_sheet: bool = False,
    progress: Progress | None = None,
    watch: Callable[[list[Any]], None] | None = None,
) -> Plan:
    """Read and check every row of ``path``; store nothing. ``sheets`` (several) or
    ``every_sheet`` read a workbook's sheets together, as one file; ``watch`` sees each
    row's cells as they are read."""
    plan = Plan(Path(path), mapping, sheet, tuple(sheets), every_sheet, watch)
    return _read(ctx, plan, progress, store=False)


def store_plan(ctx: Context, plan: Plan, progress: Progress | None = None) -> Imported:
    """Store a checked file in one transaction; ImportRefused (nothing written) if it had
    problems, or has them now (the file changed, or one of its references was stored by
    someone else since it was checked: every row is checked again as it is stored)."""
    if not plan.ok:
        raise plan.refusal()
    again = _read(ctx, plan.again(), progress, store=True)
    if not again.ok:
        raise again.refusal()
    return again.imported()


def import_file(
    ctx: Context,
    path: Path,
    *,
    mapping: Mapping = NO_MAPPING,
    sheet: str | None = None,
    sheets: Sequence[str] = (),
    every_sheet: bool = False,
    progress: Progress | None = None,
) -> Imported:
    """Import a file in one read, or raise ImportRefused and write nothing."""
    plan = Plan(Path(path), mapping, sheet, tuple(sheets), every_sheet)
    plan = _read(ctx, plan, progress, store=True)
    if not plan.ok:
        raise plan.refusal()
    return plan.imported()


def import_csv(ctx: Context, path: Path) -> Imported:
    """The first release's entry point, kept for scripts: any file import_file reads."""
    return import_file(ctx, path)


class _Refused(Exception):
    """Raised from inside the storing transaction, so that it is rolled back."""


def _read(ctx: Context, start: Plan, progress: Progress | None, *, store: bool) -> Plan:
    """One pass over the file (two if its stages lie far apart: see importing.grouping)."""
    with fewer_collections():  # a file's rows are plain data: see bulk_gc
        return _read_file(ctx, start, progress, store=store)


def _read_file(ctx: Context, start: Plan, progress: Progress | None, *, store: bool) -> Plan:
    counts: dict[str, int] | None = None
    while True:
        plan = start.again()
        try:
            if not store:
                with transaction(ctx.engine) as session:
                    existing = existing_in(session)
                for _ in _cases(ctx, plan, existing, counts, progress, build=False):
                    pass
            else:
                with suppress(_Refused):  # rolled back: nothing of the file is kept
                    store_new(  # officers named in the file join the team's list
                        ctx,
                        partial(_records, ctx, plan, counts, progress),
                        apart_if_large=_about_cases(plan.path),
                    )
            break
        except Scattered:
            counts = _counts(plan)
    if not plan.ok:
        plan.by_stage, plan.stages, plan.cases = {}, 0, 0
        plan.differing, plan.differing_count = [], 0
    elif store and progress is not None:
        progress("stored", plan.stages, plan.stages)
    return plan


def _records(
    ctx: Context,
    plan: Plan,
    counts: dict[str, int] | None,
    progress: Progress | None,
    existing: Existing,
) -> Iterator[CaseRecord]:
    return _cases(ctx, plan, existing, counts, progress, build=True)


BYTES_A_CASE = 300
"""About what a case takes in a team's file (a CSV row is 300 bytes, a workbook's 130)."""


def _about_cases(path: Path) -> int | None:
    """About how many cases a file holds, by its size (None: it cannot be read)."""
    try:
        return path.stat().st_size // BYTES_A_CASE
    except OSError:
        return None


def _rows(plan: Plan, problems: Problems) -> Iterator[tuple[int, list[Any]]] | None:
    """The file's rows after its header, with ``plan.layout`` set; None if it cannot be read
    (a problem says why)."""
    asked_one = plan.requested_sheet is not None or bool(plan.requested_sheets)
    if (
        len(plan.requested_sheets) > 1
        or plan.every_sheet
        or (plan.mapping.every_sheet and not asked_one)
    ):
        return _several_sheets(plan, problems)
    try:
        source = open_source(plan.path, plan.requested_sheet or plan.mapping.sheet)
    except Unreadable as unreadable:
        problems.add(unreadable.problem.line, unreadable.problem.column, unreadable.problem.reason)
        return None
    plan.unit, plan.sheet, plan.sheets = source.unit, source.sheet, source.sheets
    problems.unit = source.unit
    rows = source.rows
    peeked, best = find_header(rows, plan.mapping)
    if best < 0:
        problems.add(1, "header", "the file is empty")
        return None
    header_line, header = peeked[best]
    plan.layout = resolve(header_line, header, plan.mapping, problems)
    if problems:
        return None
    plan.total = source.total
    return chain(peeked[best + 1 :], rows)


def _several_sheets(plan: Plan, problems: Problems) -> Iterator[tuple[int, list[Any]]] | None:
    try:
        workbook = open_source(
            plan.path, plan.requested_sheets[0] if plan.requested_sheets else None
        )
        workbook.rows.close()  # type: ignore[attr-defined]  # only its sheets' names
        names = list(plan.requested_sheets) or workbook.sheets
        plan.unit, plan.sheets = workbook.unit, workbook.sheets
        problems.unit = workbook.unit
        if workbook.unit != "row":
            problems.add(0, "file", "several sheets are for workbooks (.xlsx); this is a CSV")
            return None
        every = not plan.requested_sheets  # asked for by name: each must have its header
        read = several_sheets(plan.path, names, plan.mapping, problems, every=every)
    except Unreadable as unreadable:
        problems.add(unreadable.problem.line, unreadable.problem.column, unreadable.problem.reason)
        return None
    if read is None:
        return None
    plan.layout, plan.total, plan.read_sheets = read.layout, read.total, read.read
    plan.sheet = read.read[0]
    return read.rows


def _watched(
    rows: Iterator[tuple[int, list[Any]]], watch: Callable[[list[Any]], None]
) -> Iterator[tuple[int, list[Any]]]:
    for number, cells in rows:
        watch(cells)
        yield number, cells


def _counts(plan: Plan) -> dict[str, int]:
    """How many rows each reference has: for a file whose stages lie far apart."""
    problems = Problems()
    rows = _rows(plan, problems)
    if rows is None or plan.layout is None:
        return {}
    at = plan.layout.index.get("reference", -1)
    try:
        return counted_references(rows, at, plan.unit == "line")
    except Unreadable:
        return {}


def _cases(
    ctx: Context,
    plan: Plan,
    existing: tuple[set[str], set[tuple[str, str, int]]],
    counts: dict[str, int] | None,
    progress: Progress | None,
    *,
    build: bool,
) -> Iterator[CaseRecord]:
    """Check every row, filling ``plan``; yield each case as its rows are complete (when
    ``build``), none once any problem is found. Raises _Refused at the end of a file with
    problems."""
    problems = Problems()
    try:
        rows = _rows(plan, problems)
        if rows is not None and plan.watch is not None:
            rows = _watched(rows, plan.watch)
        if rows is not None:
            assert plan.layout is not None
            yield from _checked(ctx, plan, rows, existing, counts, problems, progress, build)
    except Unreadable as unreadable:  # a CSV that stops being readable part way
        problems.add(unreadable.problem.line, unreadable.problem.column, unreadable.problem.reason)
    plan.problems, plan.problem_count = problems.sorted(), problems.count
    if problems and build:
        raise _Refused


def _checked(
    ctx: Context,
    plan: Plan,
    rows: Iterator[tuple[int, list[Any]]],
    existing: tuple[set[str], set[tuple[str, str, int]]],
    counts: dict[str, int] | None,
    problems: Problems,
    progress: Progress | None,
    build: bool,
) -> Iterator[CaseRecord]:
    layout = plan.layout
    assert layout is not None
    reader = RowReader(
        ctx, layout, Words(ctx.policy.vocabularies, plan.mapping.words), problems, *existing
    )
    grouper = Grouper(counts)
    repeat_heading = layout.heading("stage")
    total = plan.total
    today = ctx.today()
    by_stage: Counter[str] = Counter()
    labels: dict[tuple[str, int], str] = {}
    preview = plan.preview
    done = stages = after_today = cases = 0
    read = reader.read
    add = grouper.add

    stored = 0

    differing = plan.differing

    def note_differences(kept: list[Row]) -> None:
        """Said, not refused: a team's file often repeats the case's columns on each
        stage's row, and one that differs is a choice the officer should see made."""
        for row, column, value, first_value, first in differences(kept):
            plan.differing_count += 1
            if len(differing) < DIFFERING_LISTED:
                differing.append(
                    problems.problem(
                        row.line,
                        layout.heading(column),
                        f"{row.reference}: '{value}' here, but '{first_value}' on "
                        f"{problems.where(first.line)}, which is kept",
                    )
                )

    def complete(group: list[Row]) -> CaseRecord | None:
        """The case of a complete group of rows (None: not built, or the file refused)."""
        nonlocal cases
        kept = without_repeats(group, problems, repeat_heading) if len(group) > 1 else group
        if problems.count:
            return None  # once a file is refused, its rows are checked, not kept
        if len(kept) > 1:
            note_differences(kept)
        cases += 1
        return case_of(kept[0].reference, kept) if build else None

    def taken(case: CaseRecord) -> None:
        """Count a case the store has taken."""
        nonlocal stored
        stored += len(case.stages)
        if progress is not None and stored % PROGRESS_EVERY < len(case.stages):
            progress("stored", stored, total)

    for number, cells in rows:
        row = read(number, cells)
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("read", done, total)
            if build:
                progress("checked", done, total)
        if row is None:
            continue
        stage = row.stage
        kind = (stage.procedure, stage.number)
        label = labels.get(kind)
        if label is None:
            label = labels[kind] = stage_label(
                stage.procedure, stage.number if stage.procedure in STAGED_PROCEDURES else None
            )
        by_stage[label] += 1
        stages += 1
        if stage.received > today or (stage.responded or today) > today:
            after_today += 1
        if len(preview) < PREVIEW_ROWS:
            preview.append(row)
        groups = add(row)
        if groups:
            for group in groups:  # a function, not a generator, for each case: a row's cost
                case = complete(group)
                if case is not None:
                    yield case
                    taken(case)
    for group in grouper.finish():
        case = complete(group)
        if case is not None:
            yield case
            taken(case)
    if progress is not None:
        progress("read", done, done)
    if not problems:
        plan.stages, plan.cases, plan.after_today = stages, cases, after_today
        plan.by_stage = dict(by_stage)
        if progress is not None:
            progress("checked", stages, stages)
