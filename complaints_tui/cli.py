"""The ``complaints-tui`` command: parses arguments, builds the context, calls a service.

No rules live here; every subcommand is one call into ``services``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from complaints_tui.cli_actions import action_calls, add_rules_parsers, date_arg, remedy_arg
from complaints_tui.cli_desk import add_desk_parsers, add_log_contact_flags, run_desk
from complaints_tui.cli_files import add_file_parsers, export_command, import_command
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import DUTY_CATEGORIES, PROCEDURES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="complaints-tui",
        description="Children's services complaints: the app, and officer actions from the shell.",
    )
    parser.add_argument(
        "--db",
        help="SQLite file or SQLAlchemy URL (default: $COMPLAINTS_DB or db/complaints.sqlite3)",
    )
    parser.add_argument("--policy", help="timescale policy TOML (default: $COMPLAINTS_POLICY)")
    parser.add_argument("--today", help="treat this date as today (training and tests)")
    parser.add_argument(
        "--demo-if-new",
        action="store_true",
        help="if the SQLite file does not exist yet, fill it with demo data first",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("run", help="open the app (the default)")
    add_file_parsers(sub)
    p = sub.add_parser("demo", help="fill an empty database with a realistic team's data")
    p.add_argument("--cases", type=int, default=1500)
    p.add_argument("--seed", type=int, default=1)
    sub.add_parser("recompute", help="recompute every open clock (after a policy change)")
    p = sub.add_parser(
        "backup", help="write a consistent copy of the database to FILE (while others work)"
    )
    p.add_argument("file", type=Path)
    p = sub.add_parser("restore", help="put a backup back as the database")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace a database that is not empty (kept as a backup first)",
    )
    p = sub.add_parser("copy", help="copy every record to another, empty, database")
    p.add_argument("--to", required=True, metavar="URL", help="SQLite file or PostgreSQL URL")
    p = sub.add_parser("show", help="print a case, its clocks explained and its timeline")
    p.add_argument("reference")
    p = sub.add_parser(
        "find",
        help="cases whose reference, names, case-management number or summary hold TEXT",
        description="Every word must occur (case and accents ignored: 'zoe' finds Zoë), "
        "in open or closed cases of any year; newest first.",
    )
    p.add_argument("text", nargs="+", help="words to look for (three letters or more)")
    p.add_argument("--limit", type=int, default=50, help="how many to list (default 50)")

    p = sub.add_parser("log", help="log a new case")
    p.add_argument("--procedure", required=True, choices=list(PROCEDURES))
    p.add_argument("--stage", type=int, default=1)
    p.add_argument("--received", type=date_arg)
    p.add_argument("--reference")
    p.add_argument("--complainant", help="complainant type, e.g. parent")
    p.add_argument("--name", help="the complainant's name")
    p.add_argument("--child-status", action="append", default=[])
    p.add_argument("--advocate")
    p.add_argument("--channel")
    p.add_argument("--division")
    p.add_argument("--service")
    p.add_argument("--theme", action="append", default=[])
    p.add_argument("--summary", default="")
    p.add_argument("--officer")
    p.add_argument("--matter-date", type=date_arg, help="when the matters complained of happened")
    p.add_argument("--deadline", type=date_arg, help="the Ombudsman's deadline (lgsco)")
    add_log_contact_flags(p)
    p.add_argument("--clock-start", type=date_arg, help="start the clock here, not by the policy")
    p = sub.add_parser("contact", help="log a duty contact to triage")
    p.add_argument("--who", required=True)
    p.add_argument("--channel")
    p.add_argument("--service")
    p.add_argument("--summary", required=True)
    p.add_argument("--received", type=date_arg)
    p = sub.add_parser("triage", help="triage a duty contact")
    p.add_argument("reference")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--as", dest="procedure", choices=[k for k in PROCEDURES if k != "duty"])
    group.add_argument("--duty", choices=list(DUTY_CATEGORIES))
    p = sub.add_parser("acknowledge", help="record the acknowledgement")
    p.add_argument("reference")
    p.add_argument("--on", type=date_arg)
    p = sub.add_parser("extend", help="extend the current stage's timescale")
    p.add_argument("reference")
    p.add_argument("--to", type=int, required=True, help="working days in all")
    p.add_argument("--reason", required=True)
    p.add_argument("--agreed", type=date_arg, help="when the complainant agreed")
    p.add_argument("--override", help="reason to go beyond the policy's maximum")
    p = sub.add_parser("suspend", help="stop the clock")
    p.add_argument("reference")
    p.add_argument("--reason", required=True)
    p.add_argument("--from", dest="start", type=date_arg)
    p = sub.add_parser("resume", help="restart the clock (the day given counts)")
    p.add_argument("reference")
    p.add_argument("--on", type=date_arg)
    p = sub.add_parser("respond", help="record the response and outcome")
    p.add_argument("reference")
    p.add_argument("--outcome", required=True)
    p.add_argument("--on", type=date_arg)
    p.add_argument(
        "--remedy",
        action="append",
        type=remedy_arg,
        default=[],
        help="KIND or KIND:POUNDS, e.g. payment:250",
    )
    p.add_argument("--learning", action="append", default=[], help="a learning action")
    p = sub.add_parser("escalate", help="the complainant asks for the next stage")
    p.add_argument("reference")
    p.add_argument("--on", type=date_arg, help="the request date")
    p.add_argument(
        "--refuse",
        action="store_true",
        help="refuse corporate Stage 2/3, or decline a statutory request made out of time",
    )
    p.add_argument("--reason")
    p.add_argument("--clock-start", type=date_arg)
    p = sub.add_parser("withdraw", help="the complainant withdraws the current stage")
    p.add_argument("reference")
    p.add_argument("--reason", required=True)
    p.add_argument("--on", type=date_arg)
    p = sub.add_parser("refer", help="log the Ombudsman's enquiry on a case")
    p.add_argument("reference")
    p.add_argument("--on", type=date_arg)
    p.add_argument("--lgsco-ref")
    p.add_argument("--deadline", type=date_arg)
    for name, text in (("close", "close the case"), ("reopen", "re-open a closed case")):
        p = sub.add_parser(name, help=text)
        p.add_argument("reference")
        p.add_argument("--reason", required=True)
        p.add_argument("--on", type=date_arg)
    p = sub.add_parser("note", help="add a note to the timeline")
    p.add_argument("reference")
    p.add_argument("text")
    p = sub.add_parser("assign", help="assign the case to an officer")
    p.add_argument("reference")
    p.add_argument("officer")
    p = sub.add_parser("link", help="link two cases")
    p.add_argument("reference")
    p.add_argument("other")
    add_rules_parsers(sub)
    _add_report(sub)
    add_desk_parsers(sub)
    return parser


def _add_report(sub: Any) -> None:
    # The report's own arguments, from a module that imports nothing heavy: building the
    # parser (every start, --help included) must not load SQLAlchemy or the report stack.
    from complaints_tui.report.args import add_report_parser

    add_report_parser(sub)


def _fixed(day: date) -> Callable[[], date]:
    return lambda: day


def _sqlite_file(target: str | Path) -> Path | None:
    """The file of a SQLite target (a path or a sqlite:/// URL); None for a server URL."""
    text = str(target)
    if text.startswith("sqlite:///"):
        return Path(text.removeprefix("sqlite:///")).expanduser()
    return None if "://" in text else Path(text).expanduser()


def _open_context(conf: Any, policy: Any, notice: Callable[[str], None]) -> Any:
    """The engine (the file checked, created or upgraded) and the officer's context, with
    stored clocks brought up to a changed policy."""
    from complaints_tui.services.context import Context, default_actor
    from complaints_tui.services.store import follow_policy
    from db.engine import make_engine

    engine = make_engine(conf.db, notice=notice)
    _OPENED.append(engine)  # closed by main() when the app ends
    ctx = Context(
        engine,
        policy=policy,
        actor=conf.officer or default_actor(),
        clock=_fixed(conf.today) if conf.today else date.today,
    )
    if (checked := follow_policy(ctx)) is not None:
        notice(f"The policy changed: {checked} open clock(s) recomputed.")
    return ctx


def _quick_launch(conf: Any, policy: Any) -> bool:
    """Open the app on a list read without the database layer, which loads behind it
    (launch in about the time Textual itself takes); False when that cannot be done."""
    from complaints_tui.services.context import default_actor
    from complaints_tui.services.first_page import first_listing

    path = _sqlite_file(conf.db)
    first = first_listing(path) if path is not None else None
    if first is None:
        return False
    from complaints_tui.tui.app import Opening, run_opening

    opening = Opening(
        actor=conf.officer or default_actor(),
        policy=policy,
        today=_fixed(conf.today) if conf.today else date.today,
        open=lambda notice: _open_context(conf, policy, notice),
    )
    run_opening(opening, first)
    return True


def _quick_export(conf: Any, policy: Any, options: argparse.Namespace) -> bool:
    """Export a SQLite file without loading the database layer (most of a second: more than
    the rest of a 100,000-stage export); False when the file needs the ordinary open."""
    from complaints_tui.services.context import Context, default_actor
    from complaints_tui.services.exporter import quick_export

    path = _sqlite_file(conf.db)
    if path is None:
        return False
    ctx = Context(
        None,  # type: ignore[arg-type]  # read through sqlite3: no engine
        policy=policy,
        actor=conf.officer or default_actor(),
        clock=_fixed(conf.today) if conf.today else date.today,
    )
    count = quick_export(ctx, path, options.file)
    if count is None:
        return False
    print(f"Exported {count} stage(s) to {options.file}.")
    return True


def _run(options: argparse.Namespace) -> int:
    from complaints_tui.config import settings
    from complaints_tui.domain.policy_file import load_policy

    conf = settings(options.db, options.policy, options.today)
    policy = load_policy(conf.policy)
    command = options.command or "run"
    if command == "run" and _quick_launch(conf, policy):
        return 0
    if command == "export" and _quick_export(conf, policy, options):
        return 0
    from complaints_tui.services.context import Context, default_actor
    from db.engine import is_new_sqlite, make_engine, shown_url

    new = is_new_sqlite(conf.db)
    engine = make_engine(conf.db, notice=lambda line: print(line, file=sys.stderr))
    _OPENED.append(engine)  # closed by main() whatever happens
    ctx = Context(
        engine,
        policy=policy,
        actor=conf.officer or default_actor(),
        clock=_fixed(conf.today) if conf.today else date.today,
    )

    if command != "recompute":
        from complaints_tui.services.store import follow_policy

        if (checked := follow_policy(ctx)) is not None:
            print(f"The policy changed: {checked} open clock(s) recomputed.", file=sys.stderr)
    if command == "run":
        if new and options.demo_if_new:
            from complaints_tui.services import demo

            count = demo.fill(ctx, 1500)
            print(f"New database {shown_url(conf.db)}: filled with {count} demo cases.")
        from complaints_tui.tui.app import run_app

        run_app(ctx)
        return 0
    if command == "import":
        return import_command(ctx, options)
    if command == "export":
        return export_command(ctx, options)
    if command == "demo":
        from complaints_tui.services import demo

        if options.cases < 1:
            raise DomainError("--cases must be at least 1.")
        existing = demo.case_count(ctx)
        if existing:
            raise DomainError(
                f"{shown_url(conf.db)} already holds {existing} case(s); demo data only goes "
                "into an empty database."
            )
        count = demo.fill(ctx, options.cases, options.seed)
        print(f"Filled {shown_url(conf.db)} with {count} demo cases (seed {options.seed}).")
        return 0
    if command == "recompute":
        from complaints_tui.services.store import recompute

        print(f"Recomputed {recompute(ctx)} open clock(s).")
        return 0
    if command in ("backup", "restore", "copy"):
        from complaints_tui.services import transfer

        if command == "backup":
            moved = transfer.backup(ctx, options.file)
        elif command == "restore":
            moved = transfer.restore(ctx, options.file, replace=options.replace)
        else:
            moved = transfer.copy_to(ctx, options.to)
        print(moved.message)
        return 0
    if command == "show":
        from complaints_tui.report.case_text import case_text
        from complaints_tui.services.queries import case_detail

        print(case_text(case_detail(ctx, options.reference), policy.vocabularies))
        return 0
    if command == "find":
        from complaints_tui.report.found_text import found_text
        from complaints_tui.services.lists import find_cases

        found = find_cases(ctx, " ".join(options.text), limit=max(1, options.limit))
        print(found_text(found, policy.vocabularies))
        return 0 if found.searched else 1
    if command == "report":
        from complaints_tui.report.cli import run_report

        return run_report(options, engine, policy, ctx.cal, ctx.today())
    if (code := run_desk(ctx, options)) is not None:
        return code
    done = action_calls()[command](ctx, options)
    print(done.message)
    for warning in done.warnings:
        print(f"warning: {warning}")
    return 0


_OPENED: list[Any] = []
"""Engines this command opened: main() closes them, so a PostgreSQL connection is given back
and SQLite folds its -wal file in (and the next command need not re-check the file)."""


def _close_opened() -> None:
    if not _OPENED:
        return  # a command that never opened the database layer does not load it now
    from db.engine import close_engine

    while _OPENED:
        close_engine(_OPENED.pop())


def main(argv: Sequence[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        return _run(options)
    except DomainError as exc:  # PolicyError among them
        print(f"complaints-tui: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `show REF | head`: the reader has what it wanted; no error line
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a command stopped by SIGPIPE
    except Exception as exc:  # an officer never sees a traceback
        # Imported only now: the app's quick launch never loads the database layer first.
        from sqlalchemy.exc import SQLAlchemyError

        from db.engine import DatabaseError

        if isinstance(exc, DatabaseError):
            print(f"complaints-tui: {exc}", file=sys.stderr)
            return 1

        if isinstance(exc, SQLAlchemyError | OSError):
            detail = getattr(exc, "orig", None) or exc
            print(f"complaints-tui: database or file error: {detail}", file=sys.stderr)
            return 1
        raise
    finally:
        _close_opened()


if __name__ == "__main__":
    raise SystemExit(main())
