"""The Import screen, as an officer uses it: from the palette, a path, the proposed
mapping changed from the keyboard, the preview and its problems, then confirm."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from complaints_tui.services.context import Context
from complaints_tui.tui.app import ComplaintsApp
from complaints_tui.tui.screens.import_file import ImportScreen
from tests.cli.test_import_workbooks import workbook
from tests.tui.conftest import settle, type_text

SIZE = (120, 45)


def stored(ctx: Context) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM stages")).scalar_one()


def cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def from_the_palette(app: ComplaintsApp, pilot) -> ImportScreen:  # type: ignore[no-untyped-def]
    """The Import screen, opened as an officer opens it: ctrl+p, its name, Enter."""
    await settle(pilot)
    await pilot.press("ctrl+p")
    await type_text(pilot, "import a spreadsheet")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def opened(app: ComplaintsApp, pilot, path: Path) -> ImportScreen:  # type: ignore[no-untyped-def]
    """The Import screen opened on ``path``, its first check done."""
    await settle(pilot)
    app.push_screen(ImportScreen(str(path)))
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def test_import_a_workbook_from_the_palette(ctx: Context, tmp_path: Path) -> None:
    book = workbook(tmp_path / "team.xlsx")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await from_the_palette(app, pilot)
        await type_text(pilot, str(book))
        await pilot.press("enter")
        await settle(pilot)
        mapping = cells(screen.query_one("#import-mapping"))
        assert ["reference", "Ref No"] in mapping and ["stage", "Stage"] in mapping
        status = str(screen.query_one("#import-status").render())
        assert "4 case(s) and 5 stage(s) would be created" in status
        preview = cells(screen.query_one("#import-preview"))
        assert preview[0][:4] == ["3", "CSC/001", "Statutory 1", "03/04/2023"]
        assert stored(ctx) == 0  # nothing written before the officer confirms

        # Feed 'responded' from the next heading (Notes): every row's problem shows
        await pilot.press("tab", "down", "down", "down", "down", "right")
        await settle(pilot)
        assert ["responded", "Notes"] in cells(screen.query_one("#import-mapping"))
        problems = cells(screen.query_one("#import-problems"))
        assert problems == [["3", "Notes", "'x' is not a date (use 15/01/2024 or 2024-01-15)"]]
        await pilot.press("ctrl+s")  # refused while there are problems
        await settle(pilot)
        assert stored(ctx) == 0 and screen is app.screen

        await pilot.press("left")  # back to 'Date responded'
        await settle(pilot)
        assert cells(screen.query_one("#import-problems")) == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")  # not now: still nothing written
        await settle(pilot)
        assert stored(ctx) == 0
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert stored(ctx) == 5
        assert "Imported 5 stage(s) of 4 case(s)" in str(
            screen.query_one("#import-status").render()
        )


async def test_a_file_that_cannot_be_read_says_why(ctx: Context, tmp_path: Path) -> None:
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ImportScreen(str(bad)))
        await settle(pilot)
        problems = cells(app.screen.query_one("#import-problems"))
        assert problems == [["", "file", "not a workbook that can be read (is it really .xlsx?)"]]


async def test_a_case_stored_meanwhile_refuses_the_confirm(ctx: Context, tmp_path: Path) -> None:
    """Between the preview and the confirm a colleague imports one of the file's cases:
    the officer sees why nothing was imported, and nothing of the file is stored."""
    from complaints_tui.services.importer import import_file

    path = tmp_path / "team.csv"
    path.write_text(
        "reference,procedure,stage,received\nM-1,statutory,1,2024-01-10\nM-2,mp,,2024-01-11\n"
    )
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await from_the_palette(app, pilot)
        await type_text(pilot, str(path))
        await pilot.press("enter")
        await settle(pilot)
        assert "2 case(s) and 2 stage(s) would be created" in str(
            screen.query_one("#import-status").render()
        )
        colleague = tmp_path / "colleague.csv"
        colleague.write_text("reference,procedure,received\nM-2,mp,2024-01-11\n")
        import_file(ctx, colleague)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        problems = cells(screen.query_one("#import-problems"))
        assert problems == [["3", "stage", "M-2 mp stage 1 is already in the database"]]
        assert "1 problem(s)" in str(screen.query_one("#import-status").render())
        assert stored(ctx) == 1  # the colleague's, and nothing of the file


async def test_the_mapping_shown_is_saved_to_a_file_and_imports(
    ctx: Context, tmp_path: Path
) -> None:
    import tomllib

    from complaints_tui.cli import main

    book = workbook(tmp_path / "team.xlsx")
    saved = tmp_path / "team.mapping.toml"
    saved.write_text("# a colleague's corrected mapping\n")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, book)
        # no heading feeds 'summary': the officer feeds it from 'Notes' (left, from none)
        await pilot.press("tab")
        await settle(pilot)
        for _ in range(13):
            await pilot.press("down")
            await pilot.pause()
        await pilot.press("left")
        await settle(pilot)
        assert ["summary", "Notes"] in cells(screen.query_one("#import-mapping"))
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("enter")  # the suggested name, beside the workbook, exists
        await settle(pilot)
        assert "already exists" in str(app.screen.query_one("#dialog-note").render())
        assert saved.read_text() == "# a colleague's corrected mapping\n"  # not yet replaced
        await pilot.press("enter")  # a second Enter replaces it
        await settle(pilot)
        assert app.screen is screen
        assert "Mapping saved to" in str(screen.query_one("#import-status").render())
    written = tomllib.loads(saved.read_text())
    assert written["columns"]["reference"] == "Ref No"
    assert written["columns"]["summary"] == "Notes" and written["ignore"] == []
    assert (
        main(["--db", str(tmp_path / "b.sqlite3"), "import", str(book), "--mapping", str(saved)])
        == 0
    )
    with ctx.engine.connect() as conn:  # the screen itself stored nothing
        assert conn.execute(text("SELECT count(*) FROM stages")).scalar_one() == 0


async def test_the_rest_of_the_record_shows_in_the_mapping(ctx: Context, tmp_path: Path) -> None:
    from tests.cli.test_import_guesses import workbook as other_teams_workbook

    book = other_teams_workbook(tmp_path / "log.xlsx")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ImportScreen(str(book)))
        await settle(pilot)
        mapping = cells(app.screen.query_one("#import-mapping"))
        # after our fourteen columns, the detail the file has: and only that
        assert mapping[14:] == [["officer", "Investigating Officer"]]
        assert ["procedure", "Complaint Category"] in mapping


TEAM_WORDS = (
    "Ref No,Date Rec'd,Type of complaint,Stage,Outcome,Team,How received\n"
    "CSC/1,03/04/2024,Statutory,1,Partially Upheld,Front Door,Email\n"
    "CSC/2,05/04/2024,Statutory,1,Not upheld ,CiC North,Phone\n"
    "CSC/3,10/04/2024,Corporate,1,Uphel,SEND,Emial\n"
)


async def to_word(pilot, screen: ImportScreen, column: str, word: str) -> None:  # type: ignore[no-untyped-def]
    """The cursor onto the words table's row of ``word``, as an officer moves it."""
    await pilot.press("tab", "tab")  # path -> headings -> words
    await settle(pilot)
    assert screen.focused is screen.query_one("#import-words")
    for _ in range(screen.edits.word_rows.index((column, word))):
        await pilot.press("down")
    await pilot.pause()


async def test_words_are_corrected_on_screen_then_saved_and_imported(
    ctx: Context, tmp_path: Path
) -> None:
    import tomllib

    path = tmp_path / "team.csv"
    path.write_text(TEAM_WORDS)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=(120, 35)) as pilot:  # the terminal the guide names
        screen = await opened(app, pilot, path)
        words = cells(screen.query_one("#import-words"))
        assert ["outcome", "Partially Upheld", "Partially upheld"] in words
        assert ["channel", "Phone", "Telephone"] in words
        assert ["outcome", "Uphel", "? not recognised (right: Upheld?)"] in words
        problems = cells(screen.query_one("#import-problems"))
        assert [p[:2] for p in problems] == [["4", "Outcome"], ["4", "How received"]]
        assert "[words.outcome]" in problems[0][2]  # a problem's text is shown, not markup

        await to_word(pilot, screen, "outcome", "Uphel")
        await pilot.press("right")  # the closest key first
        await settle(pilot)
        assert ["outcome", "Uphel", "Upheld"] in cells(screen.query_one("#import-words"))
        assert [p[:2] for p in cells(screen.query_one("#import-problems"))] == [
            ["4", "How received"]
        ]
        await pilot.press("down", "down", "down")  # onto 'Emial', the channel row after Phone
        await pilot.press("right")
        await settle(pilot)
        assert "3 case(s) and 3 stage(s) would be created" in str(
            screen.query_one("#import-status").render()
        )
        assert not screen.query_one("#import-problems").display  # room for the rest

        await pilot.press("ctrl+o", "enter")  # saved beside the file, with the words
        await settle(pilot)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert stored(ctx) == 3
    saved = tomllib.loads((tmp_path / "team.mapping.toml").read_text())
    assert saved["words"]["outcome"]["Uphel"] == "upheld"
    assert saved["words"]["channel"]["Emial"] == "email"
    with ctx.engine.connect() as conn:
        outcomes = conn.execute(
            text(
                "SELECT c.reference, s.outcome, c.channel FROM stages s "
                "JOIN cases c ON c.id = s.case_id ORDER BY c.reference"
            )
        ).all()
    assert [tuple(r) for r in outcomes][2] == ("CSC/3", "upheld", "email")


async def test_a_column_fed_from_another_heading_lists_that_headings_words(
    ctx: Context, tmp_path: Path
) -> None:
    path = tmp_path / "team.csv"
    path.write_text(TEAM_WORDS)
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, path)
        await pilot.press("tab")
        for _ in range(screen.edits.rows.index("outcome")):
            await pilot.press("down")
        await pilot.press("right")  # outcome from 'Team', the heading after 'Outcome'
        await settle(pilot)
        assert ["outcome", "Team"] in cells(screen.query_one("#import-mapping"))
        words = [w[:2] for w in cells(screen.query_one("#import-words")) if w[0] == "outcome"]
        assert words == [["outcome", "Front Door"], ["outcome", "CiC North"], ["outcome", "SEND"]]
        problems = cells(screen.query_one("#import-problems"))
        assert [p[:2] for p in problems][:3] == [["2", "Team"], ["3", "Team"], ["4", "Team"]]
        await pilot.press("left")  # back to 'Outcome': its words again, corrected ones too
        await settle(pilot)
        words = [w[1] for w in cells(screen.query_one("#import-words")) if w[0] == "outcome"]
        assert words == ["Partially Upheld", "Not upheld", "Uphel"]


async def test_a_workbook_kept_a_sheet_a_year_is_read_whole_with_ctrl_b(
    ctx: Context, tmp_path: Path
) -> None:
    from tests.cli.test_import_sheets import yearly

    book = yearly(tmp_path / "log.xlsx")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, book)
        status = str(screen.query_one("#import-status").render())
        assert "1 case(s) and 1 stage(s) would be created" in status
        assert "Not read: the workbook's other sheets '2024-25', 'Notes' (ctrl+b" in status
        await pilot.press("ctrl+b")
        await settle(pilot)
        status = str(screen.query_one("#import-status").render())
        assert "log.xlsx (sheets '2023-24', '2024-25'): 2 case(s) and 3 stage(s)" in status
        assert "Not read, having no header row of ours: 'Notes'" in status
        words = [row[1] for row in cells(screen.query_one("#import-words"))]
        assert "Corporate" in words and "Not upheld" in words  # the second sheet's words too
        preview = cells(screen.query_one("#import-preview"))
        assert [row[:3] for row in preview] == [
            ["2023-24: 3", "E/23/1", "Statutory 1"],
            ["2024-25: 2", "E/23/1", "Statutory 2"],
            ["2024-25: 3", "E/24/2", "Corporate 1"],
        ]
        await pilot.press("ctrl+o", "enter")  # the mapping saved reads every sheet again
        await settle(pilot)
        assert "all_sheets = true" in (tmp_path / "log.mapping.toml").read_text()
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert stored(ctx) == 3


async def test_words_far_down_the_file_are_listed_once_it_is_checked(
    ctx: Context, tmp_path: Path
) -> None:
    """The first rows place the columns; the words of every row are gathered as the check
    reads the file, so a word met only on row 700 is listed and can be corrected."""
    lines = [TEAM_WORDS.splitlines()[0]]
    lines += [f"CSC/{n},03/04/2024,Statutory,1,Not upheld,SEND,Email" for n in range(1, 700)]
    lines.append("CSC/700,03/04/2024,Statutory,1,Uphel,SEND,Email")
    path = tmp_path / "team.csv"
    path.write_text("\n".join(lines) + "\n")
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, path)
        words = cells(screen.query_one("#import-words"))
        assert ["outcome", "Uphel", "? not recognised (right: Upheld?)"] in words
        await to_word(pilot, screen, "outcome", "Uphel")
        await pilot.press("right")
        await settle(pilot)
        assert "700 case(s) and 700 stage(s) would be created" in str(
            screen.query_one("#import-status").render()
        )


async def test_a_value_a_later_stage_gives_differently_is_noted_on_screen(
    ctx: Context, tmp_path: Path
) -> None:
    path = tmp_path / "team.csv"
    path.write_text(
        "reference,procedure,stage,received,officer\n"
        "C-1,statutory,1,2024-01-10,Test Officer\n"
        "C-1,statutory,2,2024-03-01,R. Okafor\n"
    )
    app = ComplaintsApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(app, pilot, path)
        status = str(screen.query_one("#import-status").render())
        assert "1 case(s) and 2 stage(s) would be created" in status
        assert "Note: 1 value(s) on a later stage's row differ" in status
        notes = cells(screen.query_one("#import-problems"))
        assert notes == [
            [
                "3",
                "officer",
                "Note: C-1: 'R. Okafor' here, but 'Test Officer' on line 2, which is kept",
            ]
        ]
