"""`complaints-tui report`: the annual report from the command line.

``add_report_parser`` registers the subcommand; ``run_report`` runs it and returns the exit
code. Every argument is checked here, so a mistake gives one clear line on stderr and exit
status 2, never a traceback or argparse's usage dump.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from complaints_tui.domain.clocks import fmt
from complaints_tui.domain.report import BASES, Report, financial_year, period_of, year_label
from complaints_tui.domain.vocab import PROCEDURES

from .args import add_report_parser as add_report_parser  # where the CLI and tests find it

if TYPE_CHECKING:
    # Building the parser must stay cheap (every command builds it): the database, the
    # services and the renderers are imported only when a report is run.
    from sqlalchemy import Engine

    from complaints_tui.domain.calendar import WorkingCalendar
    from complaints_tui.domain.policy import Policy

FORMATS = ("text", "html", "json", "pdf")
PROCEDURE_GROUPS = {"enquiries": ("mp", "councillor", "mayor", "chief_executive", "general")}
"""Names for several procedures at once: --procedure enquiries."""
BAD_INPUT, FAILED, OK = 2, 1, 0


class ReportArgumentError(ValueError):
    """A report argument that cannot be used; the message is shown as it is."""


def parse_year(text: str | None, today: date) -> int:
    latest = financial_year(today)
    if text is None:
        return latest - 1
    match = re.fullmatch(r"\s*(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?\s*", text)
    if not match:
        raise ReportArgumentError(f"--year: {text!r} is not a year such as 2023 or 2023-24")
    year = int(match.group(1))
    if match.group(2) and int(match.group(2)) % 100 != (year + 1) % 100:
        raise ReportArgumentError(
            f"--year: {text!r} does not name one financial year (did you mean {year_label(year)}?)"
        )
    if year > latest:
        raise ReportArgumentError(
            f"--year: {year_label(year)} has not started yet (today is {fmt(today)})"
        )
    if year < 1990:
        raise ReportArgumentError(f"--year: {year} is too early for this register")
    return year


def parse_date(text: str, what: str) -> date:
    text = text.strip()
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(x) for x in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ReportArgumentError(
            f"{what}: {text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
        ) from None


def parse_as_at(text: str | None, year: int, today: date) -> date:
    if text is None:
        return today
    as_at = parse_date(text, "--as-at")
    start, _ = period_of(year)
    if as_at > today:
        raise ReportArgumentError(f"--as-at: {fmt(as_at)} is in the future (today is {fmt(today)})")
    if as_at < start:
        raise ReportArgumentError(
            f"--as-at: {fmt(as_at)} is before {year_label(year)} starts ({fmt(start)})"
        )
    return as_at


def parse_threshold(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        n = int(text)
    except ValueError:
        raise ReportArgumentError(f"--suppress-below: {text!r} is not a whole number") from None
    if n < 2:
        raise ReportArgumentError("--suppress-below: use 2 or more (5 is usual)")
    return n


def parse_format(text: str | None) -> str:
    value = (text or "text").strip().lower()
    if value not in FORMATS:
        raise ReportArgumentError(f"--format: {text!r} is not one of {', '.join(FORMATS)}")
    return value


def parse_basis(text: str | None) -> str:
    value = (text or "received").strip().lower()
    if value not in BASES:
        raise ReportArgumentError(f"--basis: {text!r} is not one of {', '.join(BASES)}")
    return value


def parse_procedures(texts: list[str] | None) -> tuple[str, ...] | None:
    if not texts:
        return None
    out: list[str] = []
    for text in texts:
        for name in (n.strip().lower().replace("-", "_") for n in text.split(",")):
            if not name:
                continue
            if name in PROCEDURE_GROUPS:
                out.extend(PROCEDURE_GROUPS[name])
            elif name in PROCEDURES:
                out.append(name)
            else:
                known = ", ".join([*PROCEDURES, *PROCEDURE_GROUPS])
                raise ReportArgumentError(f"--procedure: {name!r} is not one of {known}")
    return tuple(dict.fromkeys(out))


def parse_letter_file(text: str | None) -> Any:
    """The Ombudsman's letter from a TOML file, or None; one clear line if it cannot be used."""
    if not text:
        return None
    import tomllib

    from complaints_tui.domain.report_letter import LetterError, parse_letter

    path = Path(text).expanduser()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportArgumentError(f"--lgsco-letter: cannot read {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReportArgumentError(f"--lgsco-letter: {path} is not valid TOML: {exc}") from None
    try:
        return parse_letter(data, str(path))
    except LetterError as exc:
        raise ReportArgumentError(f"--lgsco-letter: {exc}") from None


def render(report: Report, fmt_: str) -> str:
    if fmt_ == "html":
        from .html import to_html

        return to_html(report)
    if fmt_ == "json":
        from .json import to_json

        return to_json(report)
    # Rich is imported only when text is asked for: the CLI loads without the UI stack.
    from .text import to_text

    return to_text(report)


# -- running -----------------------------------------------------------------------------------


def run_report(
    args: argparse.Namespace,
    engine: Engine,
    policy: Policy,
    calendar: WorkingCalendar,
    today: date,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Build, render and write the report; returns the exit status."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        year = parse_year(getattr(args, "year", None), today)
        as_at = parse_as_at(getattr(args, "as_at", None), year, today)
        threshold = parse_threshold(getattr(args, "suppress_below", None))
        fmt_ = parse_format(getattr(args, "format", None))
        basis = parse_basis(getattr(args, "basis", None))
        procedures = parse_procedures(getattr(args, "procedure", None))
        letter = parse_letter_file(getattr(args, "lgsco_letter", None))
        output = getattr(args, "output", None)
        if fmt_ == "pdf" and (not output or output == "-"):
            raise ReportArgumentError("--format pdf: name the file to write with --output FILE")
    except ReportArgumentError as exc:
        print(f"complaints-tui report: {exc}", file=err)
        return BAD_INPUT
    from sqlalchemy.exc import SQLAlchemyError

    from complaints_tui.services.report import year_report

    from .suppress import suppress

    try:
        report = year_report(
            engine,
            year=year,
            as_at=as_at,
            policy=policy,
            calendar=calendar,
            basis=basis,
            procedures=procedures,
            letter=letter,
        )
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(f"complaints-tui report: cannot read the database: {reason}", file=err)
        return FAILED
    if threshold is not None:
        report = suppress(report, threshold)
    if not output or output == "-":
        out.write(render(report, fmt_))
        return OK
    path = Path(output).expanduser()
    from complaints_tui.services.files import atomic_write

    if not path.parent.is_dir():
        print(f"complaints-tui report: cannot write {path}: there is no such folder", file=err)
        return BAD_INPUT
    try:
        if fmt_ == "pdf":
            from .pdf import to_pdf

            data = to_pdf(report)
        else:
            data = render(report, fmt_).encode("utf-8")
        with atomic_write(path, "wb") as f:
            f.write(data)
    except OSError as exc:
        print(f"complaints-tui report: cannot write {path}: {exc.strerror}", file=err)
        return BAD_INPUT
    print(f"Report for {year_label(year)} written to {path}", file=out)
    return OK
