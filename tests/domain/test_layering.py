"""The domain stays pure: importing it must not pull in the UI or the database.

Checked in a fresh interpreter, because in this test process other tests may already have
imported textual or sqlmodel.
"""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("textual", "rich", "sqlalchemy", "sqlmodel", "db")

PROBE = """
import importlib, json, pkgutil, sys
import complaints_tui.domain as domain
names = sorted(
    importlib.import_module(f"complaints_tui.domain.{m.name}").__name__
    for m in pkgutil.iter_modules(domain.__path__)
)
print(json.dumps({"imported": names, "modules": sorted(sys.modules)}))
"""


def test_domain_imports_no_ui_or_database() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    report = json.loads(result.stdout)
    # the probe really walked the package (calendar, clocks, errors, policy, vocab, ...)
    assert {
        "complaints_tui.domain.calendar",
        "complaints_tui.domain.clocks",
        "complaints_tui.domain.errors",
        "complaints_tui.domain.policy",
        "complaints_tui.domain.vocab",
    } <= set(report["imported"])
    leaked = sorted(
        name
        for name in report["modules"]
        if any(name == bad or name.startswith(f"{bad}.") for bad in FORBIDDEN)
    )
    assert leaked == [], f"complaints_tui.domain imports {leaked}"
