"""The ``report`` subcommand's arguments, apart from the report itself.

``complaints-tui`` builds every subcommand's parser on each start, ``--help`` included, so
this module imports nothing but ``argparse``: the report stack (SQLAlchemy, the report
services, the renderers) is imported by ``report.cli`` only when a report is asked for.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_report_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``report`` subcommand to an ``argparse`` subparsers object."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="the statutory annual report for a financial year",
        description="Every table of the statutory annual report for one financial year "
        "(April to March), as text (A4 portrait), HTML or JSON.",
    )
    # Values are read as text and checked in run_report, so a mistake is one clear line.
    parser.add_argument(
        "--year",
        metavar="YEAR",
        help="the year starting in April: 2023 (or 2023-24) is 1 April 2023 to 31 March "
        "2024; default: the last complete year",
    )
    parser.add_argument(
        "--format",
        metavar="FORMAT",
        default="text",
        help="text (default, 88 columns for A4), html, json or pdf (needs --output)",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE instead of the screen"
    )
    parser.add_argument(
        "--as-at",
        metavar="DATE",
        help="count only what was recorded as happening by this date (YYYY-MM-DD or "
        "DD/MM/YYYY); default: today",
    )
    parser.add_argument(
        "--basis",
        metavar="BASIS",
        help="received (default): outcomes and timeliness over the stages received in the "
        "year; concluded: over those concluded in it, carried in included",
    )
    parser.add_argument(
        "--procedure",
        metavar="NAME",
        action="append",
        help="a report of these procedures alone: statutory, corporate, lgsco, enquiries, "
        "... (repeat, or separate with commas)",
    )
    parser.add_argument(
        "--lgsco-letter",
        metavar="FILE",
        help="the Ombudsman's annual letter as TOML (decisions by category, compliance, "
        "its cases): shown beside our records, naming the cases that disagree",
    )
    parser.add_argument(
        "--suppress-below",
        metavar="N",
        help="for publication: show counts from 1 to N-1 as '<N' and hide what would reveal them",
    )
    return parser


# -- checking the arguments ----------------------------------------------------------------
