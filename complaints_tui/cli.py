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

from complaints_tui.cli_parser import build_parser, launch_options
from complaints_tui.domain.errors import DomainError


def _fixed(day: date) -> Callable[[], date]:
    return lambda: day


def _sqlite_file(target: str | Path) -> Path | None:
    """The file of a SQLite target (a path or a sqlite:/// URL); None for a server URL."""
    text = str(target)
    if text.startswith("sqlite:///"):
        return Path(text.removeprefix("sqlite:///")).expanduser()
    return None if "://" in text else Path(text).expanduser()


def _load_policy(path: Path | None) -> Any:
    from complaints_tui.domain.policy_file import load_policy

    return load_policy(path)


def _open_context(conf: Any, policy: Any, notice: Callable[[str], None]) -> Any:
    """The engine (the file checked, created or upgraded) and the officer's context, with
    stored clocks brought up to a changed policy (``policy`` None: the defaults)."""
    from complaints_tui.services.context import Context, default_actor
    from complaints_tui.services.store import follow_policy
    from db.engine import make_engine

    if policy is None:
        policy = _load_policy(None)
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
    (launch in about the time Textual itself takes); False when that cannot be done.
    ``policy`` None: no policy file was named, and the app builds the defaults behind its
    first paint too."""
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

    conf = settings(options.db, options.policy, options.today)
    command = options.command or "run"
    if command == "run":
        # A named policy file is read now, so a mistake in it is refused before the app
        # starts; the defaults need no reading (and their import, 30-80 ms, no place
        # before the first paint).
        named = _load_policy(conf.policy) if conf.policy is not None else None
        if _quick_launch(conf, named):
            return 0
        policy = named if named is not None else _load_policy(None)
    else:
        policy = _load_policy(conf.policy)
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
        from complaints_tui.cli_files import import_command

        return import_command(ctx, options)
    if command == "export":
        from complaints_tui.cli_files import export_command

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
    from complaints_tui.cli_actions import action_calls
    from complaints_tui.cli_desk import run_desk

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
    args = sys.argv[1:] if argv is None else list(argv)
    options = launch_options(args) or build_parser().parse_args(args)
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
