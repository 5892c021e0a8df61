"""The quick launch: the first list is painted from a plain sqlite3 read, and the database
layer opens behind it, only once that first frame is out (not while it is being made)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.services.first_page import first_listing
from complaints_tui.tui import app as app_module
from complaints_tui.tui.app import ComplaintsApp, Opening
from db.engine import close_engine, make_engine
from tests.conftest import with_team

from .conftest import TODAY, settle
from .test_case_list_paint import on_screen
from .test_screens import SIZE


async def test_the_database_opens_after_the_first_frame_and_the_list_stays(
    tmp_path: Path,
) -> None:
    path = tmp_path / "team.sqlite3"
    engine = make_engine(path)
    ctx = with_team(Context(engine, actor="J. Bennett", clock=lambda: TODAY))
    reference = actions.log_case(
        ctx, procedure="statutory", complainant_name="Zoë Wright"
    ).reference
    close_engine(engine)
    close_engine(make_engine(path))  # opened again and checked: vouched for the quick read
    first = first_listing(path)
    assert first is not None and first.total == 1
    events: list[str] = []

    def open_database(notice: Callable[[str], None]) -> Context:
        events.append("database opened")
        return Context(make_engine(path), actor="J. Bennett", clock=lambda: TODAY)

    class Watched(ComplaintsApp):
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

        def on_ready(self) -> None:
            events.append("first frame")
            super().on_ready()

    opening = Opening(actor="J. Bennett", policy=None, today=lambda: TODAY, open=open_database)
    app = Watched(first=first, opening=opening)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert events[:2] == ["first frame", "database opened"]
        assert on_screen(app, reference) and on_screen(app, "Zoë Wright")
        assert app.policy.single.duty == 2  # the defaults, built on first use
        close_engine(app.ctx.engine)
