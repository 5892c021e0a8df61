"""The export's floors, CSV and workbook, and reading a workbook's sheet by the plainest
means (used by imports.py, which prints each beside the command it is the floor of).

- ``floor_export``: the export's join (every stored column it writes, the stored rule
  columns of schema 15 among them) and the rows of its clock stops, remedies and learning,
  read by raw sqlite3 and written by csv.writer;
- ``floor_export_workbook``: the same reading, each row written as the sheet's XML by one
  fixed format, through zipfile's deflate at the export's level;
- ``floor_read_workbook``: the sheet's XML inflated out of the file and split into rows
  and cells by str.split (the workbook import's floor is this beside the same-schema one).
"""

from __future__ import annotations

import csv
import sqlite3
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

Figure = tuple[float, int, float]
"""Wall seconds, peak memory (MB, 0: not measured) and CPU seconds of one run."""


def timed(fn: Callable[[], object]) -> Figure:
    cpu = time.process_time()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start, 0, time.process_time() - cpu


EXPORT_JOIN = (
    # the columns the export reads, in the export's order
    "SELECT c.reference, s.procedure, s.number, s.received, s.responded, "
    "s.outcome, s.extended_to, c.division, c.service, c.complainant_type, "
    "c.channel, c.advocate, "
    "(SELECT group_concat(theme, ';') FROM case_themes t "
    "WHERE t.case_id = c.id), c.summary, s.due, s.status, s.clock_start, "
    "s.closed_on, c.complainant_name, c.officer, c.child_statuses, "
    "c.repeat_complainant, c.reopened_count, c.matter_date, "
    "s.acknowledged, s.extension_reason, s.extension_agreed, "
    "s.panel_date, s.panel_report_date, s.fixed_due, s.id, "
    # the rule columns the program stores with each stage's clock (schema 15), which the
    # export reads as it reads any column: so does its floor
    "s.days_taken, s.acknowledgement_due "
    "FROM cases c JOIN stages s ON s.case_id = c.id "
    "ORDER BY c.reference, s.received, s.id"
)
EXPORT_DETAILS = tuple(
    # each stage's clock stops, remedies and learning, which the export writes as cells
    f"SELECT x.stage_id, {columns} FROM {table} x JOIN stages s ON s.id = x.stage_id "
    "JOIN cases c ON c.id = s.case_id ORDER BY c.reference, s.received, s.id, x.id"
    for table, columns in (
        ("suspensions", 'x.start, x."end", x.reason'),
        ("remedies", "x.kind, x.amount_pence"),
        ("learning_actions", "x.text, x.owner, x.due, x.status"),
    )
)


def floor_export(db: Path, folder: Path) -> Callable[[], Figure]:
    """The export's join (every stored column it writes) and the rows of its three detail
    tables, read by raw sqlite3 and written by csv.writer: no rules, no formatting."""

    def run() -> Figure:
        def write() -> None:
            with (
                sqlite3.connect(db) as conn,
                (folder / "floor.csv").open("w", newline="") as handle,
            ):
                writer = csv.writer(handle)
                for sql in EXPORT_DETAILS:
                    writer.writerows(conn.execute(sql))
                writer.writerows(conn.execute(EXPORT_JOIN))

        return timed(write)

    return run


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_PARTS = {
    # the least package Excel and openpyxl open: its types, its relationships, one sheet
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<sheets><sheet name="Stages" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
}
_FLOOR_BLOCK = 2000  # rows of XML joined before each write, as the export's writer does


def _cells(width: int) -> str:
    """One fixed format for a row of ``width`` values: each an inline string, in order
    (a cell without a reference is the next column's), the values put in unchecked."""
    return "<row>" + '<c t="inlineStr"><is><t>%s</t></is></c>' * width + "</row>"


def floor_export_workbook(db: Path, folder: Path) -> Callable[[], Figure]:
    """The export floor's reading (the same query and detail rows, by raw sqlite3), each
    row written as the sheet's XML by one fixed format (every value an inline string: no
    check, no escape, a date its ISO text, NULL made empty by SQLite itself), blocks of
    rows through zipfile's deflate at the export's compression level, into a workbook
    Excel and openpyxl open. What any workbook export must pay, and no more: no cell
    references, no date serials, no styles. Having no check, it writes the empty cells
    the export leaves out: at 100,000 stages its sheet is 162 MB of XML to the export's
    126 MB, but alike cells deflate quickly (at zlib's level 6, 0.2 s of its 1.8 s, where
    the export's sheet took 0.9 s)."""
    from complaints_tui.services.export_sheet import COMPRESSION

    def blanked(sql: str, width: int) -> str:
        # the same query, each column's NULL an empty text (SQLite's C, not Python)
        columns = ", ".join(f"ifnull(c{i}, '')" for i in range(width))
        names = ", ".join(f"c{i}" for i in range(width))
        return f"WITH q({names}) AS ({sql}) SELECT {columns} FROM q"

    def run() -> Figure:
        def write() -> None:
            with (
                sqlite3.connect(db) as conn,
                zipfile.ZipFile(
                    folder / "floor.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION
                ) as book,
            ):
                for name, text in _PACKAGE_PARTS.items():
                    book.writestr(name, text)
                with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                    sheet.write(f'<worksheet xmlns="{_MAIN_NS}"><sheetData>'.encode())
                    for sql in (*EXPORT_DETAILS, EXPORT_JOIN):
                        width = len(conn.execute(f"SELECT * FROM ({sql}) LIMIT 0").description)
                        cells = _cells(width)
                        cursor = conn.execute(blanked(sql, width))
                        while block := cursor.fetchmany(_FLOOR_BLOCK):
                            sheet.write("".join([cells % row for row in block]).encode())
                    sheet.write(b"</sheetData></worksheet>")

        return timed(write)

    return run


def floor_read_workbook(path: Path) -> Callable[[], Figure]:
    """Reading the import's workbook's sheet by the plainest means: its XML inflated out
    of the zip a megabyte at a time, decoded, and split into rows and each row into its
    cells by str.split (the cells' text left as it is). What any reader of it must pay,
    beside the same-schema floor (whose rows come from memory)."""

    def run() -> Figure:
        def read() -> None:
            with zipfile.ZipFile(path) as book, book.open("xl/worksheets/sheet1.xml") as sheet:
                tail = b""
                while chunk := sheet.read(1 << 20):
                    data = tail + chunk
                    end = data.rfind(b"</row>")
                    tail = data[end:]
                    for row in data[:end].decode().split("</row>"):
                        row.split("</c>")

        return timed(read)

    return run
