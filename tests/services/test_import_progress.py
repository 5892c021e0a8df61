"""The terminal's progress bar: rows read, checked and stored, once an import takes a while."""

from __future__ import annotations

import io
from pathlib import Path

from complaints_tui.services.context import Context
from complaints_tui.services.importer import check_file, store_plan
from complaints_tui.services.importing.progress import TerminalProgress


def test_the_bar_counts_rows_read_checked_and_stored(ctx: Context, tmp_path: Path) -> None:
    rows = "\n".join(f"P-{n},mp,,2024-01-10,,," for n in range(5000))
    path = tmp_path / "many.csv"
    path.write_text("reference,procedure,stage,received,responded,outcome,summary\n" + rows)
    screen = io.StringIO()
    bar = TerminalProgress(screen, after=0, force=True)
    plan = check_file(ctx, path, progress=bar)
    store_plan(ctx, plan, progress=bar)
    bar.close()
    drawn = screen.getvalue()
    assert "read 2,000" in drawn  # while reading, before the end
    assert drawn.rstrip().endswith("read 5,000  checked 5,000  stored 5,000 rows of 5,000\x1b[K")


def test_a_quick_import_draws_nothing(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("reference,procedure,received\nA,mp,2024-01-10\n")
    screen = io.StringIO()
    bar = TerminalProgress(screen, force=True)  # drawn only after the first second
    store_plan(ctx, check_file(ctx, path, progress=bar), progress=bar)
    bar.close()
    assert screen.getvalue() == ""
