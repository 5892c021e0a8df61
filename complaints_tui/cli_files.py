"""The team's spreadsheet on the command line: ``import`` and ``export``, CSV or workbook.

Argument parsing only, as in cli.py: the services check, store and write; this prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_file_parsers(sub: Any) -> None:
    p = sub.add_parser(
        "import", help="import the team's spreadsheet (CSV or .xlsx), all or nothing"
    )
    p.add_argument("file", type=Path)
    p.add_argument(
        "--sheet",
        action="append",
        metavar="NAME",
        help="the workbook's sheet (default: the first); several --sheet read those sheets "
        "together, as one log (a sheet a year, a case's stages across them)",
    )
    p.add_argument(
        "--all-sheets",
        action="store_true",
        help="read every sheet with a header together, as one log",
    )
    p.add_argument("--mapping", type=Path, help="a mapping file of your headings and words")
    p.add_argument(
        "--propose-mapping",
        type=Path,
        metavar="MAP.toml",
        help="write a proposed mapping file for this spreadsheet; import nothing",
    )
    p.add_argument(
        "--check", action="store_true", help="check the whole file and say what it would import"
    )
    p = sub.add_parser(
        "export", help="export every stage as CSV or .xlsx, with due dates and status"
    )
    p.add_argument("file", type=Path)


def import_command(ctx: Any, options: argparse.Namespace) -> int:
    """import FILE [--check] [--mapping MAP] [--propose-mapping MAP]: the service says
    what; this prints it (problems to standard error, one per line)."""
    from complaints_tui.services import importer
    from complaints_tui.services.importing import summary
    from complaints_tui.services.importing.mapping import NO_MAPPING, load_mapping
    from complaints_tui.services.importing.progress import TerminalProgress

    name = options.file
    asked = options.sheet or []
    sheet = asked[0] if len(asked) == 1 else None
    which: dict[str, Any] = {"sheet": sheet, "sheets": asked if len(asked) > 1 else ()}
    which["every_sheet"] = options.all_sheets
    if options.propose_mapping:
        first = asked[0] if asked else None  # several sheets share one mapping: the first's
        written = summary.write_proposal(ctx, name, options.propose_mapping, first)
        print("\n".join(written))
        return 0
    mapping = load_mapping(options.mapping, ctx.policy.vocabularies) if options.mapping else None
    bar = TerminalProgress()
    try:
        if options.check:
            plan = importer.check_file(
                ctx, name, mapping=mapping or NO_MAPPING, progress=bar, **which
            )
            bar.close()
            out = sys.stdout if plan.ok else sys.stderr
            for line in summary.plan_lines(plan, name, checked_only=True):
                print(line, file=out)
            return 0 if plan.ok else 1
        # Checked and stored in one read, in one transaction: a problem anywhere rolls back.
        result = importer.import_file(
            ctx, name, mapping=mapping or NO_MAPPING, progress=bar, **which
        )
    except importer.ImportRefused as refused:
        bar.close()
        for line in summary.refusal_lines(refused, name):
            print(line, file=sys.stderr)
        return 1
    bar.close()
    where = summary.sheets_read(result.read_sheets)
    print(f"Imported {result.stages} stage(s) of {result.cases} case(s) from {name}{where}.")
    if result.after_today:
        print(f"Note: {result.after_today} row(s) have dates after today ({ctx.today()}).")
    if result.unread_sheets:
        print(summary.unread_sheets_line(result.sheet, result.unread_sheets, result.read_sheets))
    for line in summary.differing_lines(result.differing, result.differing_count, name):
        print(line)
    return 0


def export_command(ctx: Any, options: argparse.Namespace) -> int:
    from complaints_tui.services.exporter import export_file

    count = export_file(ctx, options.file)
    print(f"Exported {count} stage(s) to {options.file}.")
    return 0
