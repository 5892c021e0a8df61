"""The report as JSON: exactly the report's data, for a council's own dashboards."""

from __future__ import annotations

import json

from complaints_tui.domain.report import Report


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
