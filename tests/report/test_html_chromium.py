"""The HTML report's charts as a browser draws them: headless Chromium lays the page out,
and a script measures every bar against the figure it stands for.

The charts are plain CSS boxes (no script, no images), so what can go wrong is layout: a
bar of the wrong height, one spilling out of its chart, a chart wider than A4. Chromium
comes from the system (``apt-get install chromium``; ``.ci/run`` installs it); without it
this test is skipped, saying so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.policy import Policy
from complaints_tui.domain.report import build_report
from complaints_tui.report.html import to_html

from . import scenario

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install -y chromium; .ci/run installs it)",
)

# Run after layout: each chart's bars, their drawn size and their figure, as JSON.
MEASURE = """
<script>
document.addEventListener("DOMContentLoaded", () => {
  const px = (e) => e.getBoundingClientRect();
  const out = {page: px(document.body).width, charts: []};
  for (const chart of document.querySelectorAll(".chart")) {
    const box = px(chart);
    const entry = {label: chart.getAttribute("aria-label"), width: box.width, bars: []};
    for (const fill of chart.querySelectorAll(".fill")) {
      const holder = fill.parentElement, f = px(fill), h = px(holder);
      const value = chart.classList.contains("rows")
        ? holder.nextElementSibling.textContent : holder.querySelector(".value").textContent;
      const style = getComputedStyle(holder);
      entry.bars.push({value, height: f.height, width: f.width,
                       holderHeight: h.height - parseFloat(style.paddingTop)
                                     - parseFloat(style.paddingBottom),
                       holderWidth: h.width,
                       inside: f.left >= box.left - 0.5 && f.right <= box.right + 0.5});
    }
    out.charts.push(entry);
  }
  const pre = document.createElement("pre");
  pre.id = "measured";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def laid_out(html: str, folder: Path) -> dict:  # type: ignore[type-arg]
    """The page as headless Chromium lays it out, measured by MEASURE."""
    page = folder / "report.html"
    page.write_text(html.replace("</head>", MEASURE + "</head>", 1), encoding="utf-8")
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={folder / 'profile'}",
            "--window-size=800,1200",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    start = done.stdout.index('<pre id="measured">') + len('<pre id="measured">')
    text = done.stdout[start : done.stdout.index("</pre>", start)]
    return json.loads(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def test_every_chart_draws_each_bar_to_scale_inside_an_a4_page(
    tmp_path: Path, calendar: WorkingCalendar, policy: Policy
) -> None:
    report = build_report(
        scenario.facts(calendar),
        year=scenario.YEAR,
        as_at=scenario.AS_AT,
        policy=policy,
        calendar=calendar,
    )
    html = to_html(report)
    measured = laid_out(html, tmp_path)
    charts = {c["label"]: c for c in measured["charts"]}
    assert set(charts) == {"Received by month", "Outcomes", "Answered on time by quarter"}
    a4_text_width = 186 / 25.4 * 96  # the stylesheet's 186 mm at the browser's 96 dpi
    assert measured["page"] <= a4_text_width + 1

    months = charts["Received by month"]
    table = report.table("received_by_month")
    figures = [r.cells["total"] for r in table.rows if r.kind == "detail"]
    assert [int(b["value"].replace(",", "")) for b in months["bars"]] == figures
    most = max(figures)
    for bar, figure in zip(months["bars"], figures, strict=True):
        # a column's height is its share of the busiest month's, to the pixel
        assert bar["height"] == pytest.approx(bar["holderHeight"] * figure / most, abs=1.5)
        assert bar["inside"]
    assert any(b["height"] > 50 for b in months["bars"])  # drawn, not collapsed

    for label in ("Outcomes", "Answered on time by quarter"):
        chart = charts[label]
        assert chart["bars"], label
        assert chart["width"] <= a4_text_width + 1
        for bar in chart["bars"]:
            assert bar["inside"] and bar["width"] <= bar["holderWidth"] + 0.5

    # the largest outcome fills its track; each on-time bar is its percentage of it
    outcomes = charts["Outcomes"]["bars"]
    assert max(b["width"] for b in outcomes) == pytest.approx(outcomes[0]["holderWidth"], abs=1)
    on_time = charts["Answered on time by quarter"]["bars"]
    for bar in on_time:
        share = float(bar["value"].split("%")[0]) / 100 if "%" in bar["value"] else 0.0
        assert bar["width"] == pytest.approx(bar["holderWidth"] * share, abs=2.5)
    assert any(b["width"] > 0 for b in on_time)
