"""The PDF, checked as a reader sees it: page images (pdftoppm) and the text on them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from complaints_tui.domain.report import Report
from complaints_tui.report.pdf import to_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) is not installed: .ci/run installs it",
)


def pages_as_images(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"))


def text_of(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return done.stdout.split("\f")[:-1]


def test_the_pdf_is_a4_pages_with_every_heading(tmp_path: Path, report: Report) -> None:
    from dataclasses import replace

    report = replace(report, publisher={"council": "Anyshire County Council"})
    path = tmp_path / "report.pdf"
    path.write_bytes(to_pdf(report))
    images = pages_as_images(path, tmp_path)
    pages = text_of(path)
    assert len(images) == len(pages) >= 3
    # A4 portrait: 210 x 297 mm, at 40 dpi
    from struct import unpack

    with images[0].open("rb") as f:
        header = f.read(24)
    width, height = unpack(">II", header[16:24])
    assert (round(width * 25.4 / 40), round(height * 25.4 / 40)) == (210, 297)
    for n, page in enumerate(pages, 1):
        # the council's name heads every page; every page is numbered
        assert "Anyshire County Council" in page.splitlines()[0]
        assert f"Page {n} of {len(pages)}" in page
    whole = "\n".join(pages)
    for table in report.tables:
        assert table.title in whole, table.title
    # a table's title is never the last thing on a page: its header follows it there
    for page in pages:
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        titles = {t.title for t in report.tables}
        assert lines[-2] not in titles, lines[-2]
