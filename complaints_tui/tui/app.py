"""The Textual application: small; screens live in ``screens/``."""

from __future__ import annotations

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from complaints_tui.domain.clocks import fmt
from complaints_tui.services.context import Context
from complaints_tui.services.queries import StageRow, stage_page


class ComplaintsApp(App[None]):
    TITLE = "Complaints"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Reference", "Stage", "Received", "Due", "Left", "Status", "Service")
        self.load()

    @work(thread=True, exclusive=True, group="db")
    def load(self) -> None:
        rows = stage_page(self.ctx, limit=200)
        self.call_from_thread(self.show_rows, rows)

    def show_rows(self, rows: list[StageRow]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                r.reference,
                r.label,
                fmt(r.received),
                fmt(r.due),
                "" if r.days_left is None else str(r.days_left),
                r.status,
                r.service or "",
                key=str(r.stage_id),
            )
        self.sub_title = f"{len(rows)} open stages, soonest due first"


def run_app(ctx: Context) -> None:
    ComplaintsApp(ctx).run()
