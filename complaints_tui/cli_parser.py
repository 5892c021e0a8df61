"""The ``complaints-tui`` command's arguments: every subcommand and its flags.

Only argument parsing: ``cli`` runs what was asked for.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class _NotJustOptions(Exception):
    pass


class _OptionsOnly(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise _NotJustOptions(message)


def launch_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """What ``build_parser().parse_args(argv)`` gives when ``argv`` holds only the options
    before a command (the app's launch: ``--db FILE``); None for anything else, which the
    whole parser then reads (its help, its errors).

    Building every subcommand's parser costs the launch 45-80 ms, a tenth of it. The options
    are the same ``_add_options`` in both parsers, so they parse alike (abbreviations too);
    this parser has no ``--help``, so anything that could be one goes to the whole parser.
    """
    if any(arg == "--" or arg.startswith(("-h", "--h")) for arg in argv):
        return None
    parser = _OptionsOnly(prog="complaints-tui", add_help=False)
    _add_options(parser)
    try:
        options, rest = parser.parse_known_args(argv)
    except _NotJustOptions:
        return None
    if rest:
        return None  # a command, or something the whole parser must refuse
    options.command = None
    return options


def _add_options(parser: argparse.ArgumentParser) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    from complaints_tui.cli_actions import add_rules_parsers, date_arg, remedy_arg
    from complaints_tui.cli_desk import add_desk_parsers, add_log_contact_flags
    from complaints_tui.cli_files import add_file_parsers
    from complaints_tui.domain.vocab import DUTY_CATEGORIES, PROCEDURES

    parser = argparse.ArgumentParser(
        prog="complaints-tui",
        description="Children's services complaints: the app, and officer actions from the shell.",
    )
    _add_options(parser)
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
