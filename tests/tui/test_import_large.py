"""The Import screen storing a large file: its writer is a process of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_tui.services.context import Context
from complaints_tui.tui.app import ComplaintsApp
from tests.tui.conftest import settle
from tests.tui.test_import_screen import SIZE, cells, opened, stored


async def test_a_large_file_is_stored_by_a_writer_of_its_own_from_the_app(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the app (threaded: its writer comes from the fork server), a file of many chunks
    is stored whole; a case a colleague stored meanwhile is found by the writer's own read
    of what is there, and the file is refused, nothing of it kept."""
    from complaints_tui.services import demo, store_rows, store_writer
    from complaints_tui.services.exporter import export_file
    from complaints_tui.services.importer import import_file
    from db.engine import make_engine

    monkeypatch.setattr(store_rows, "CHUNK", 40)
    monkeypatch.setattr(store_writer, "APART_FROM", 2)
    source = Context(engine=make_engine(tmp_path / "source.sqlite3"), clock=ctx.clock)
    demo.fill(source, 150, seed=3)
    path = tmp_path / "team.csv"
    export_file(source, path)
    wanted = stored(source)
    colleague = tmp_path / "colleague.csv"
    first = path.read_text(encoding="utf-8").splitlines()[:2]
    colleague.write_text("\n".join(first) + "\n", encoding="utf-8")

    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, path)
        import_file(ctx, colleague)  # one case of the file, stored meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        problems = cells(screen.query_one("#import-problems"))
        assert problems and "is already in the database" in problems[0][2]
        assert stored(ctx) == 1  # the colleague's, and nothing of the file

    fresh = Context(engine=make_engine(tmp_path / "fresh.sqlite3"), clock=ctx.clock)
    app = ComplaintsApp(fresh)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert stored(fresh) == wanted
        assert f"Imported {wanted} stage(s) of" in str(screen.query_one("#import-status").render())
