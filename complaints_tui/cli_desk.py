"""The officer's desk on the command line: contact flags for ``log``, ``officer`` and ``letter``.

Argument parsing only, as in cli.py: every command is one call into ``services``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from complaints_tui.domain.dates import parse_date

LETTER_KINDS_HELP = (
    "acknowledgement, extension, clock_stopped, stage1_response, stage2_response, "
    "stage3_response, stage2_accepted, stage3_accepted, declined_out_of_time, "
    "declined_stage2, ombudsman_reply, member_reply"
)


def date_arg(text: str) -> date:
    """A date typed on the command line (ISO or UK style), or argparse's one-line refusal."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_log_contact_flags(p: argparse.ArgumentParser) -> None:
    """``log``'s flags for who the case is about and how to reach the complainant."""
    p.add_argument("--address", help="the complainant's postal address")
    p.add_argument("--email", help="the complainant's email address")
    p.add_argument("--phone", help="the complainant's telephone number")
    p.add_argument("--prefers", help="preferred contact: email, telephone, letter, text...")
    p.add_argument(
        "--child",
        action="append",
        default=[],
        help="a child the case is about, 'Name' or 'Name DD/MM/YYYY' (repeatable)",
    )
    p.add_argument("--cms-ref", help="the child's case-management number (Mosaic, LCS...)")
    p.add_argument("--member", help="the MP or councillor making the enquiry")
    p.add_argument("--member-area", help="the MP's constituency or the councillor's ward")
    p.add_argument(
        "--new-theme",
        action="store_true",
        help="confirm that a --theme nobody has used yet is a new theme",
    )


def log_extras(options: argparse.Namespace) -> dict[str, Any]:
    """log_case's keyword arguments from those flags."""
    from complaints_tui.domain.people import parse_child

    contact = {
        "complainant_address": options.address,
        "complainant_email": options.email,
        "complainant_phone": options.phone,
        "preferred_contact": options.prefers,
        "cms_reference": options.cms_ref,
        "member_name": options.member,
        "member_area": options.member_area,
    }
    return {
        "contact": {k: v for k, v in contact.items() if v is not None},
        "children": [parse_child(text) for text in options.child],
        "confirmed_themes": list(options.theme) if options.new_theme else (),
    }


def add_desk_parsers(sub: Any) -> None:
    p = sub.add_parser("officer", help="the team's list of officers: add, rename, leave")
    osub = p.add_subparsers(dest="officer_command", metavar="ACTION", required=True)
    osub.add_parser("list", help="every officer, with their open cases")
    q = osub.add_parser("add", help="add an officer to the list")
    q.add_argument("name")
    q = osub.add_parser("rename", help="correct an officer's name (their cases follow)")
    q.add_argument("old")
    q.add_argument("new")
    q = osub.add_parser("leave", help="the officer leaves the team")
    q.add_argument("name")
    q.add_argument("--on", type=date_arg)
    q.add_argument("--reassign-to", help="give their open cases to this officer")
    q = osub.add_parser("reassign", help="all of one officer's open cases to another")
    q.add_argument("name")
    q.add_argument("to", help="the officer who takes them ('' leaves them unassigned)")

    p = sub.add_parser("letter", help="write a letter for a case (.docx) from its template")
    p.add_argument("reference")
    p.add_argument("--kind", required=True, help=LETTER_KINDS_HELP)
    p.add_argument("--output", type=Path, help="the .docx to write (default: letters/...)")
    p.add_argument(
        "--sent",
        action="store_true",
        help="an acknowledgement letter: also record the acknowledgement as sent today",
    )


def run_desk(ctx: Any, options: argparse.Namespace) -> int | None:
    """Run ``officer`` or ``letter``; None for any other command."""
    if options.command == "officer":
        return _officer(ctx, options)
    if options.command == "letter":
        from complaints_tui.services import letters

        draft = letters.prepare(ctx, options.reference, options.kind)
        path = options.output or letters.default_path(ctx, draft)
        done = letters.write(ctx, draft, path)
        print(done.message)
        if options.sent and draft.kind == "acknowledgement":
            print(letters.confirm_sent(ctx, draft).message)
        return 0
    return None


def _officer(ctx: Any, options: argparse.Namespace) -> int:
    from complaints_tui.services import officers

    action = options.officer_command
    if action == "list":
        for o in officers.list_officers(ctx):
            left = f"  left {o.left_on:%d/%m/%Y}" if o.left_on else ""
            print(f"{o.name:<30} {o.open_cases:>5} open case(s){left}")
        return 0
    if action == "add":
        done = officers.add_officer(ctx, options.name)
    elif action == "rename":
        done = officers.rename_officer(ctx, options.old, options.new)
    elif action == "leave":
        done = officers.officer_leaves(
            ctx, options.name, on=options.on, reassign_to=options.reassign_to
        )
    else:
        done = officers.reassign_open_cases(ctx, options.name, options.to or None)
    print(done.message, file=sys.stdout)
    return 0
