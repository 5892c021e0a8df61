"""The layering rule of style.md, checked: a rule nobody checks erodes.

domain imports nothing of ours; db may import domain; services import domain and db;
report and tui sit on top; nothing below imports textual or rich.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

ALLOWED = {
    "complaints_tui/domain": {"complaints_tui.domain"},
    "db": {"complaints_tui.domain", "db"},
    "complaints_tui/services": {"complaints_tui.domain", "complaints_tui.services", "db"},
}
FORBIDDEN_THIRD_PARTY = {
    "complaints_tui/domain": {"textual", "rich", "sqlalchemy", "sqlmodel"},
    "db": {"textual", "rich"},
    "complaints_tui/services": {"textual", "rich"},
}


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(layer: str) -> None:
    ours = ("complaints_tui", "db")
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in imports_of(path):
            top = name.split(".")[0]
            if top in ours:
                assert any(name == a or name.startswith(a + ".") for a in ALLOWED[layer]), (
                    f"{path.relative_to(ROOT)} imports {name}"
                )
            assert top not in FORBIDDEN_THIRD_PARTY[layer], (
                f"{path.relative_to(ROOT)} imports {name}"
            )


def test_services_load_without_the_ui() -> None:
    code = (
        "import sys, complaints_tui.services.actions, complaints_tui.services.importer, "
        "complaints_tui.services.exporter, complaints_tui.services.demo, "
        "complaints_tui.services.queries, complaints_tui.cli; "
        "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
