"""The mapping file: which of the team's headings feeds each of our columns, and their words.

A TOML file the officer can read and correct (see ``docs/mapping-example.toml``):

    sheet = "Complaints"          # optional: the workbook's sheet
    all_sheets = true             # optional: every sheet with this header, read together
    ignore = ["Notes", "Initials"] # headings read but not imported
    [columns]
    reference = "Ref No"
    received = "Date Rec'd"
    [words.outcome]
    "NFA" = "no_finding"
    [words.procedure]
    "Stage 1 - Statutory" = "statutory 1"   # a procedure, and the stage when the word has one

Headings and words are matched ignoring case, spacing and punctuation. A heading the file
does not name is still matched to our column by name or synonym.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from pathlib import Path

from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.vocab import PROCEDURES, Vocabularies

from .columns import COLUMNS, DETAIL_COLUMNS, EXPORT_ONLY
from .synonyms import VOCABULARY_COLUMNS
from .words import norm, parse_procedure_value


class MappingError(DomainError):
    """The mapping file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Mapping:
    columns: MappingType[str, str] = field(default_factory=dict)
    """Our column -> the team's heading."""
    ignore: frozenset[str] = frozenset()
    """The team's headings (normalised) that are read but not imported."""
    words: MappingType[str, MappingType[str, str]] = field(default_factory=dict)
    """Our column -> {the team's word: our key}."""
    sheet: str | None = None
    every_sheet: bool = False
    """Every sheet of the workbook with a header of ours, read together as one log."""
    source: Path | None = None


NO_MAPPING = Mapping()


def load_mapping(path: Path, vocab: Vocabularies) -> Mapping:
    """Read and check a mapping file; MappingError naming the file and key otherwise."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise MappingError(f"cannot read the mapping {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: not a TOML mapping file ({exc})") from None

    def fail(message: str) -> MappingError:
        return MappingError(f"{path}: {message}")

    for top in data:
        if top not in ("sheet", "all_sheets", "ignore", "columns", "words"):
            raise fail(
                f"unknown key '{top}' (expected sheet, all_sheets, ignore, [columns], [words.*])"
            )
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        raise fail("'sheet' must be the sheet's name in quotes")
    every_sheet = data.get("all_sheets", False)
    if not isinstance(every_sheet, bool):
        raise fail("'all_sheets' must be true or false")
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
        raise fail("'ignore' must be a list of headings in quotes")
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise fail('[columns] must be a table of our column = "your heading"')
    ours = (*COLUMNS, *DETAIL_COLUMNS, *EXPORT_ONLY)
    for column, heading in columns.items():
        if column not in ours:
            raise fail(
                f"unknown key 'columns.{column}' "
                f"(our columns: {', '.join((*COLUMNS, *DETAIL_COLUMNS))})"
            )
        if not isinstance(heading, str) or not norm(heading):
            raise fail(f"'columns.{column}' must be one of your headings in quotes")
    seen: dict[str, str] = {}
    for column, heading in columns.items():
        if norm(heading) in seen:
            raise fail(
                f"'{heading}' is given for both columns.{seen[norm(heading)]} and columns.{column}"
            )
        seen[norm(heading)] = column
    words = data.get("words", {})
    if not isinstance(words, dict):
        raise fail('[words.COLUMN] tables must say "your word" = "our key"')
    allowed = {
        "procedure": set(PROCEDURES),
        "stage": set(PROCEDURES),
        "outcome": vocab.keys("outcome") | vocab.keys("duty_category"),
        "complainant": vocab.keys("complainant"),
        "channel": vocab.keys("channel"),
        "extended": {"yes", "no"},
    }
    for column, table in words.items():
        if column not in VOCABULARY_COLUMNS:
            raise fail(
                f"unknown key 'words.{column}' (words are for {', '.join(VOCABULARY_COLUMNS)})"
            )
        if not isinstance(table, dict):
            raise fail(f'[words.{column}] must be a table of "your word" = "our key"')
        for word, key in table.items():
            if not isinstance(key, str):
                raise fail(f"words.{column} '{word}' must be our key in quotes")
            if column in ("procedure", "stage"):
                procedure, number = parse_procedure_value(key)
                ok = (procedure is None and number is not None) or procedure in allowed[column]
                ok = ok and (number is None or 1 <= number <= 3)
            else:
                ok = key in allowed[column]
            if not ok:
                expected = ", ".join(sorted(allowed[column]))
                if column in ("procedure", "stage"):
                    expected += "; a stage may follow, e.g. 'statutory 1'"
                raise fail(f"words.{column} '{word}' = '{key}': not one of ours ({expected})")
    return Mapping(
        columns=dict(columns),
        ignore=frozenset(norm(i) for i in ignore),
        words={column: dict(table) for column, table in words.items()},
        sheet=sheet,
        every_sheet=every_sheet,
        source=path,
    )


def toml_string(text: str) -> str:
    """A TOML basic string of ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'
