"""An export of a SQLite file read with sqlite3 alone is the ordinary export, byte for byte,
and happens only when the ordinary open would do nothing but read the file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from complaints_tui.services import actions, demo
from complaints_tui.services.context import Context
from complaints_tui.services.exporter import export_file, quick_export
from complaints_tui.services.store import follow_policy
from db.engine import close_engine, make_engine

TODAY = date(2026, 11, 23)


def _team(path: Path) -> Context:
    engine = make_engine(path)
    ctx = Context(engine, actor="J. Bennett", clock=lambda: TODAY)
    follow_policy(ctx)  # as every command's open does: the policy in force is recorded
    demo.fill(ctx, 300, seed=5)
    stopped = actions.log_case(
        ctx, procedure="statutory", received=date(2026, 11, 2), summary="=HYPERLINK(x)"
    ).reference
    actions.suspend(ctx, stopped, reason="Awaiting consent", start=date(2026, 11, 5))
    return ctx


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


def test_the_quick_export_is_the_ordinary_export(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite3"
    ctx = _team(path)
    export_file(ctx, tmp_path / "want.csv")
    export_file(ctx, tmp_path / "want.xlsx")
    close_engine(ctx.engine)
    close_engine(make_engine(path))  # opened again and checked: now vouched for

    bare = replace(ctx, engine=None)  # type: ignore[arg-type]
    rows = quick_export(bare, path, tmp_path / "got.csv")
    assert rows is not None and rows > 300
    assert (tmp_path / "got.csv").read_bytes() == (tmp_path / "want.csv").read_bytes()
    assert "'=HYPERLINK(x)" in (tmp_path / "got.csv").read_text(encoding="utf-8")
    assert quick_export(bare, path, tmp_path / "got.xlsx") == rows
    assert _parts(tmp_path / "got.xlsx") == _parts(tmp_path / "want.xlsx")


def test_the_command_exports_a_checked_file_without_the_database_layer(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite3"
    ctx = _team(path)
    rows = export_file(ctx, tmp_path / "want.csv")
    close_engine(ctx.engine)
    close_engine(make_engine(path))
    code = (
        "import sys; from complaints_tui.cli import main; "
        f"code = main(['--db', {str(path)!r}, '--today', '2026-11-23', 'export', "
        f"{str(tmp_path / 'out.csv')!r}]); "
        "print(code, 'sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 False"
    assert done.stdout.startswith(f"Exported {rows} stage(s) to ")
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "want.csv").read_bytes()


def test_a_file_the_ordinary_open_would_change_is_not_read_early(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite3"
    ctx = _team(path)
    close_engine(ctx.engine)
    close_engine(make_engine(path))
    bare = replace(ctx, engine=None)  # type: ignore[arg-type]
    out = tmp_path / "out.csv"
    assert quick_export(bare, path, out) is not None
    # another policy: the ordinary open recomputes the stored clocks first
    longer = replace(ctx.policy, acknowledgement=ctx.policy.acknowledgement + 2)
    assert quick_export(replace(bare, policy=longer), path, out) is None
    # another schema (older or newer), though vouched for: the ordinary open upgrades it,
    # or says why it cannot
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0007_old'")
    connection.close()
    stat = path.stat()
    stamp = path.with_name(f".{path.name}.checked")
    stamp.write_text(json.dumps([stat.st_size, stat.st_mtime_ns, stat.st_ino]))
    assert quick_export(bare, path, out) is None
    # changed behind the program's back since its last check
    os.utime(path, ns=(1, 1))
    assert quick_export(bare, path, out) is None
    assert quick_export(bare, tmp_path / "missing.sqlite3", out) is None
