"""The app's launch parses its options without building every subcommand's parser, and
parses them exactly as the whole parser does; anything else goes to the whole parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_tui.cli import main
from complaints_tui.cli_parser import build_parser, launch_options


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "team.sqlite3"],
        ["--db=team.sqlite3", "--today", "2026-11-23"],
        ["--demo-if-new", "--policy", "policy.toml", "--db", "sqlite:///x.sqlite3"],
        ["--to", "23/11/2026", "--de"],  # abbreviations, as argparse allows them
        ["--db", "run"],  # a value that happens to be a command's name
        ["--db", "a.sqlite3", "--db", "b.sqlite3"],  # the last one wins, as before
    ],
)
def test_options_alone_parse_as_the_whole_parser_parses_them(argv: list[str]) -> None:
    quick = launch_options(argv)
    assert quick is not None
    assert vars(quick) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["--db", "team.sqlite3", "show", "CT-1"],
        ["-h"],
        ["--help"],
        ["--he"],  # --help abbreviated: the whole parser's help, never a shorter one
        ["--db", "x", "-h"],
        ["--d", "x"],  # ambiguous (--db, --demo-if-new): the whole parser's error
        ["--today"],  # no value: the whole parser's error
        ["--nonsense"],
        ["--", "x"],
        ["nonsense"],
    ],
)
def test_anything_else_is_left_to_the_whole_parser(argv: list[str]) -> None:
    assert launch_options(argv) is None


def test_an_abbreviated_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--he"])
    out = capsys.readouterr().out
    assert "COMMAND" in out and "recompute" in out and "report" in out


def test_a_named_policy_file_with_a_mistake_is_refused_before_the_app_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaints_tui.tui import app

    def never(*_: object) -> None:
        raise AssertionError("the app started")

    monkeypatch.setattr(app, "run_opening", never)
    monkeypatch.setattr(app, "run_app", never)
    database = tmp_path / "team.sqlite3"
    assert main(["--db", str(database), "--today", "2026-11-23", "recompute"]) == 0
    policy = tmp_path / "policy.toml"
    policy.write_text("[statutory]\nstage1 = 40\n", encoding="utf-8")
    assert main(["--db", str(database), "--policy", str(policy)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "statutory.stage1" in err[0], err
