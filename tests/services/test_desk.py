"""The officer's desk: who the case is about, the officers' list, letters (real SQLite)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from complaints_tui.cli import main
from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.people import Child, NewThemes, parse_child
from complaints_tui.domain.policy_file import parse_policy
from complaints_tui.report.case_text import case_text
from complaints_tui.services import actions as a
from complaints_tui.services import letters, officers
from complaints_tui.services.context import Context
from complaints_tui.services.lists import UNASSIGNED, CaseFilter, deadline_groups, open_listing
from complaints_tui.services.queries import case_detail


def _log(ctx: Context, **kw: object) -> str:
    return a.log_case(
        ctx,
        procedure=kw.pop("procedure", "statutory"),  # type: ignore[arg-type]
        received=kw.pop("received", date(2026, 11, 16)),  # type: ignore[arg-type]
        complainant_name="Ms Jo Khan",
        service="Lichfield - Early Help",
        summary="Missed visits",
        **kw,  # type: ignore[arg-type]
    ).reference


def test_contact_details_and_children_are_shown_and_edited(ctx: Context) -> None:
    ref = _log(
        ctx,
        contact={"complainant_email": "jo@example.org", "preferred_contact": "email"},
        children=[Child("Zoë Khan", date(2015, 4, 3))],
    )
    a.update_case(
        ctx,
        ref,
        {"complainant_phone": "01543 123456", "cms_reference": "MOS-12345"},
        children=[Child("Zoë Khan", date(2015, 4, 4)), Child("Sam Khan")],
    )
    case = case_detail(ctx, ref)
    assert case.complainant_email == "jo@example.org"
    assert case.complainant_phone == "01543 123456"
    assert [(c.name, c.date_of_birth) for c in case.children] == [
        ("Zoë Khan", date(2015, 4, 4)),
        ("Sam Khan", None),
    ]
    shown = case_text(case, ctx.policy.vocabularies)
    assert "Email                jo@example.org" in shown
    assert "Child                Zoë Khan, born 04/04/2015" in shown
    assert "Case-management ref  MOS-12345" in shown
    assert "child: Zoë Khan 03/04/2015 -> Zoë Khan 04/04/2015" in shown
    # the search index follows the children and the case-management number
    assert [r.reference for r in open_listing(ctx, CaseFilter(search="zoe")).first] == [ref]
    assert [r.reference for r in open_listing(ctx, CaseFilter(search="MOS-123")).first] == [ref]
    a.update_case(ctx, ref, {}, children=[Child("Sam Khan")])
    assert open_listing(ctx, CaseFilter(search="zoe")).total == 0
    assert [c.name for c in case_detail(ctx, ref).children] == ["Sam Khan"]
    # never in the list's summary column
    (row,) = open_listing(ctx, CaseFilter()).first
    assert "Khan" not in row.summary and "MOS" not in row.summary


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"complainant_email": "jo at example"}, "not an email address"),
        ({"complainant_phone": "call me"}, "not a telephone number"),
        ({"preferred_contact": "pigeon"}, "Unknown preferred contact"),
    ],
)
def test_bad_contact_details_are_refused_whole(ctx: Context, changes: dict, message: str) -> None:
    ref = _log(ctx)
    with pytest.raises(DomainError, match=message):
        a.update_case(ctx, ref, {"cms_reference": "LCS-1", **changes})
    assert case_detail(ctx, ref).cms_reference is None


def test_a_child_born_in_the_future_is_refused(ctx: Context) -> None:
    ref = _log(ctx)
    with pytest.raises(DomainError, match="in the future"):
        a.update_case(ctx, ref, {}, children=[Child("Baby", date(2027, 1, 1))])
    assert parse_child("Zoë Khan (2015-04-03)") == Child("Zoë Khan", date(2015, 4, 3))
    with pytest.raises(DomainError, match="31/02/2015"):
        parse_child("Zoë 31/02/2015")


def test_a_new_theme_needs_confirming(ctx: Context) -> None:
    ref = _log(ctx, themes=["Delay"])
    a.update_case(ctx, ref, {}, themes=["Delay", "communication"])  # vocabulary, any case
    with pytest.raises(NewThemes, match="'Made-up theme' is not a theme in use"):
        a.update_case(ctx, ref, {}, themes=["Delay", "Made-up theme"])
    assert case_detail(ctx, ref).themes == ("Delay", "communication")
    a.update_case(ctx, ref, {}, themes=["Made-up theme"], confirmed_themes=["made-up theme"])
    assert case_detail(ctx, ref).themes == ("Made-up theme",)


def test_assignment_picks_from_the_officers_list(ctx: Context) -> None:
    ref = _log(ctx)
    with pytest.raises(DomainError, match="No officer named 'R Okafor'"):
        a.assign(ctx, ref, "R Okafor")
    assert a.assign(ctx, ref, "r. okafor").message.endswith("assigned to R. Okafor.")
    with pytest.raises(DomainError, match="No officer named"):
        _log(ctx, officer="Nobody Known")


def test_officers_rename_leave_and_hand_on_their_open_cases(ctx: Context) -> None:
    first = _log(ctx, officer="R. Okafor")
    second = _log(ctx, officer="R. Okafor")
    closed = _log(ctx, officer="R. Okafor")
    a.close(ctx, closed, reason="resolved")
    officers.add_officer(ctx, "M. Chen")
    with pytest.raises(DomainError, match="already on the team's list"):
        officers.add_officer(ctx, " m.  chen ")
    officers.rename_officer(ctx, "R. Okafor", "Rita Okafor")
    assert case_detail(ctx, first).officer == "Rita Okafor"
    done = officers.officer_leaves(ctx, "Rita Okafor", reassign_to="M. Chen")
    assert "2 open case(s) now assigned to M. Chen" in done.message
    assert {case_detail(ctx, r).officer for r in (first, second)} == {"M. Chen"}
    assert case_detail(ctx, closed).officer == "Rita Okafor"  # history is not rewritten
    with pytest.raises(DomainError, match="left on 23/11/2026"):
        a.assign(ctx, first, "Rita Okafor")
    officers.reassign_open_cases(ctx, "M. Chen", None)
    unassigned = open_listing(ctx, CaseFilter(officer=UNASSIGNED))
    assert {r.reference for r in unassigned.first} == {first, second}
    names = [(o.name, o.active, o.open_cases) for o in officers.list_officers(ctx)]
    assert ("Rita Okafor", False, 0) in names and ("M. Chen", True, 0) in names


def test_deadline_groups_count_mine_and_the_team(ctx: Context) -> None:
    _log(ctx, officer="Test Officer", received=date(2026, 11, 2))  # overdue
    _log(ctx, officer="R. Okafor", received=date(2026, 11, 2))  # overdue, not mine
    groups = {g.key: g for g in deadline_groups(ctx, officer="Test Officer")}
    assert (groups["overdue"].count, groups["overdue"].team) == (1, 2)
    assert (groups["acknowledgements"].count, groups["acknowledgements"].team) == (1, 2)


def test_acknowledgement_letter_is_written_recorded_and_sent(ctx: Context, tmp_path: Path) -> None:
    ref = _log(ctx, contact={"complainant_address": "12 High St\nLichfield WS13 6AA"})
    draft = letters.prepare(ctx, ref, "acknowledgement")
    assert "Dear Ms Jo Khan," in draft.text
    assert "received on 16 November 2026" in draft.text
    assert "by 30 November 2026" in draft.text
    out = tmp_path / "out" / "ack.docx"
    letters.write(ctx, draft, out)
    assert out.stat().st_mode & 0o777 == 0o600
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert paragraphs[0] == "Ms Jo Khan\n12 High St\nLichfield WS13 6AA"
    assert "{" not in "".join(paragraphs)
    case = case_detail(ctx, ref)
    assert case.events[-1].action == "letter"
    assert case.events[-1].new == "Acknowledgement, dated 23/11/2026"
    assert case.stages[0].acknowledged is None  # written is not sent
    letters.confirm_sent(ctx, draft)
    assert case_detail(ctx, ref).stages[0].acknowledged == date(2026, 11, 23)


def test_a_letter_needing_what_the_case_lacks_is_refused(ctx: Context, tmp_path: Path) -> None:
    ref = _log(ctx)
    with pytest.raises(DomainError, match="the reason for the extension"):
        letters.prepare(ctx, ref, "extension")
    a.extend(ctx, ref, to_days=20, reason="the social worker is on leave")
    draft = letters.prepare(ctx, ref, "extension")
    assert "The reason is: the social worker is on leave." in draft.text
    assert "now 20 working days" in draft.text
    with pytest.raises(DomainError, match="not an MP or councillor enquiry"):
        letters.prepare(ctx, ref, "member_reply")
    with pytest.raises(DomainError, match="name it .docx"):
        letters.write(ctx, draft, tmp_path / "letter.txt")
    assert not (tmp_path / "letter.txt").exists()


def test_the_teams_own_template_is_used_and_checked(ctx: Context, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "acknowledgement.txt").write_text("Hello {complainant_name}\n\n{nonsense}\n")
    policy_file = tmp_path / "policy.toml"
    policy = parse_policy({"letter_templates": "templates"}, str(policy_file))
    assert policy.letter_templates == folder
    team = Context(ctx.engine, policy=policy, calendar=ctx.cal, actor="T", clock=ctx.clock)
    ref = _log(ctx)
    with pytest.raises(DomainError, match=r"unknown field\(s\) \{nonsense\}"):
        letters.prepare(team, ref, "acknowledgement")
    (folder / "acknowledgement.txt").write_text("Hello {complainant_name}\n")
    assert letters.prepare(team, ref, "acknowledgement").text == "Hello Ms Jo Khan"
    assert letters.template_path(team, "stage1_response").parent == letters.SHIPPED


def test_every_shipped_template_fills(ctx: Context) -> None:
    """Each shipped letter, on a case that has what it needs, leaves no field unfilled."""
    from complaints_tui.domain.letters import LETTER_KINDS, template_fields

    for kind in LETTER_KINDS:
        text = letters.template_path(ctx, kind).read_text(encoding="utf-8")
        template_fields(text)  # well formed
    ref = _log(ctx, received=date(2026, 10, 1))
    a.respond(ctx, ref, outcome="not_upheld", on=date(2026, 10, 14))
    a.escalate(ctx, ref, request_date=date(2026, 10, 20), decision="accepted")
    for kind in ("stage1_response", "stage2_accepted"):
        assert "{" not in letters.prepare(ctx, ref, kind).text


def test_cli_log_with_contact_flags_and_letter(  # type: ignore[no-untyped-def]
    ctx: Context, db_target: str, tmp_path: Path, capsys
) -> None:
    # db_target, not the engine's url.database: on PostgreSQL that is only the database's
    # name, which the command would take for a new SQLite file in the working directory
    args = ["--db", db_target, "--today", "2026-11-23"]
    code = main(
        [*args, "log", "--procedure", "mp", "--name", "Mr A", "--member", "Jane Doe MP",
         "--member-area", "Lichfield", "--email", "a@example.org", "--child", "Zoë 03/04/2015"]
    )  # fmt: skip
    assert code == 0
    ref = capsys.readouterr().out.split()[-1].rstrip(".")
    assert main([*args, "log", "--procedure", "statutory", "--theme", "Made-up theme"]) == 1
    assert "not a theme in use" in capsys.readouterr().err
    out = tmp_path / "m.docx"
    assert main([*args, "letter", ref, "--kind", "member_reply", "--output", str(out)]) == 0
    assert "Dear Jane Doe MP," in [p.text for p in Document(str(out)).paragraphs]
    assert main([*args, "show", ref]) == 0
    shown = capsys.readouterr().out
    assert "Constituency         Lichfield" in shown and "Child                Zoë" in shown
    assert main([*args, "officer", "add", "M. Chen"]) == 0
    assert main([*args, "officer", "leave", "M. Chen"]) == 0
    assert main([*args, "assign", ref, "M. Chen"]) == 1
    assert "left on 23/11/2026" in capsys.readouterr().err
