"""Each command imports what it uses and nothing else: a start-up cost nobody checks grows.

Every command is run in a fresh interpreter (the real ``main``, real arguments, a real
SQLite file) and the modules it loaded are compared with what it has no use for.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from complaints_tui.cli import main

DATABASE = ("sqlalchemy", "sqlmodel", "db")
STANDARD_LIBRARY_DB = frozenset({"db", "db.read_only", "db.schema_head"})
"""The parts of db/ written with the standard library alone, to read a checked file before
the database layer loads (the first page, a quick export): allowed where db/ is not."""
CALENDAR = ("holidays",)
UI = ("textual", "rich")
REPORT = (
    "complaints_tui.report.cli",
    "complaints_tui.report.html",
    "complaints_tui.report.json",
    "complaints_tui.services.report",
    "complaints_tui.domain.report_tables",
)
BULK = (
    "complaints_tui.services.importer",
    "complaints_tui.services.exporter",
    "complaints_tui.services.demo",
)

PROBE = """
import json, sys
from complaints_tui.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded(*argv: str) -> set[str]:
    """The modules a command leaves in ``sys.modules``, run as an officer runs it."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def among(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (packages or modules) were imported."""
    return sorted(m for m in modules for n in names if m == n or m.startswith(n + "."))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "cases.sqlite3"
    args = ["--db", str(path), "--today", "2026-11-23"]
    assert main([*args, "log", "--procedure", "corporate", "--reference", "CT-1"]) == 0
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ("--help",),
        ("report", "--help"),
        ("note",),  # missing arguments: argparse's one-line error
        ("extend", "CT-1", "--to", "ten", "--reason", "x"),
        ("nonsense",),
    ],
)
def test_help_and_argument_errors_load_no_database_calendar_or_report(argv: tuple[str]) -> None:
    modules = loaded(*argv)
    assert among(modules, DATABASE + CALENDAR + UI + REPORT + BULK) == []
    # nor dataclasses (and the inspect module it loads): a fifth of --help's own time
    assert "dataclasses" not in modules


def test_show_loads_neither_the_ui_nor_the_report(database: Path) -> None:
    modules = loaded("--db", str(database), "--today", "2026-11-23", "show", "CT-1")
    assert "complaints_tui.services.queries" in modules  # the probe ran the command
    assert among(modules, UI + REPORT + BULK) == []


def test_an_action_loads_neither_the_ui_nor_the_report_nor_the_bulk_paths(database: Path) -> None:
    modules = loaded("--db", str(database), "--today", "2026-11-23", "note", "CT-1", "Rang")
    assert "complaints_tui.services.actions" in modules
    assert among(modules, UI + REPORT + BULK) == []


def test_export_loads_neither_the_ui_nor_the_report(database: Path, tmp_path: Path) -> None:
    modules = loaded(
        "--db", str(database), "--today", "2026-11-23", "export", str(tmp_path / "out.csv")
    )
    assert "complaints_tui.services.exporter" in modules
    assert among(modules, UI + REPORT) == []


def test_the_report_as_json_loads_no_ui(database: Path) -> None:
    modules = loaded("--db", str(database), "--today", "2026-11-23", "report", "--format", "json")
    assert "complaints_tui.services.report" in modules
    assert among(modules, UI) == []


def test_find_loads_neither_the_ui_nor_the_report(database: Path) -> None:
    modules = loaded("--db", str(database), "--today", "2026-11-23", "find", "CT-1")
    assert "complaints_tui.services.lists" in modules
    assert among(modules, UI + REPORT + BULK) == []


def test_the_app_paints_its_first_list_before_the_database_layer_loads() -> None:
    code = (
        "import json, sys, complaints_tui.cli, complaints_tui.services.first_page, "
        "complaints_tui.tui.app, complaints_tui.tui.screens.case_list; "
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "textual" in modules
    assert among(modules - STANDARD_LIBRARY_DB, DATABASE + CALENDAR + REPORT + BULK) == []


LAUNCH_PROBE = """
import json, sys
from complaints_tui.tui import app

def stop(*_):  # where Textual would start: what was loaded to get here, and the screen
    import complaints_tui.tui.screens.case_list
    print(json.dumps([stop.path, sorted(sys.modules)]), file=sys.stderr)

def quick(*_):
    stop.path = "quick"
    stop()

stop.path = "ordinary"
app.run_app = stop
app.run_opening = quick
from complaints_tui.cli import main
main(sys.argv[1:])
"""

NOT_FOR_THE_FIRST_SCREEN = (
    "complaints_tui.cli_actions",  # the subcommands' parsers and actions
    "complaints_tui.cli_desk",
    "complaints_tui.cli_files",
    "complaints_tui.report",
    "complaints_tui.domain.policy",  # the default policy: built behind the first paint
    "complaints_tui.domain.policy_file",
    "tomllib",
    "complaints_tui.domain.clocks",
    "complaints_tui.domain.calendar",
)


def test_the_launch_loads_only_what_its_first_screen_needs(database: Path) -> None:
    main(["--db", str(database), "--today", "2026-11-23", "recompute"])  # checked: vouched
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH_PROBE, "--db", str(database), "--today", "2026-11-23"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    path, names = json.loads(done.stderr.strip().splitlines()[-1])
    modules = set(names)
    assert path == "quick"
    assert "complaints_tui.tui.screens.case_list" in modules
    assert among(modules - STANDARD_LIBRARY_DB, DATABASE + CALENDAR + REPORT + BULK) == []
    assert among(modules, NOT_FOR_THE_FIRST_SCREEN) == []
