"""The officer's desk in the app: who "I" am, the opening line, the officers' palette actions.

The officer is COMPLAINTS_OFFICER as the team's list spells it (never the operating-system
user unless that is on the list); officers are managed from the command palette.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from complaints_tui.services.context import Context
    from complaints_tui.tui.screens.form_dialog import FormDialog

# The app imports this module before its first paint: services and forms load on first use.


def me(ctx: Context) -> str | None:
    """The officer using the app, as the team's list spells the name; None if not on it."""
    from complaints_tui.services import officers

    wanted = ctx.actor.strip().casefold()
    return next((n for n in officers.officer_names(ctx) if n.casefold() == wanted), None)


def opening_line(ctx: Context) -> str:
    """One line for the start of the day: the officer's overdue and due-today work."""
    from complaints_tui.services.lists import deadline_groups

    name = me(ctx)
    if name is None:
        return (
            f"{ctx.actor} is not on the team's officer list: set COMPLAINTS_OFFICER to your "
            "name as the list has it (ctrl+p: Add officer)."
        )
    counts = {g.key: g for g in deadline_groups(ctx, officer=name)}
    overdue, today = counts["overdue"], counts["today"]
    acks = counts["acknowledgements"]
    return (
        f"{name}: {overdue.count} overdue and {today.count} due today "
        f"(team: {overdue.team} and {today.team}); {acks.count} to acknowledge."
    )


def _officer_form(title: str, fields: Sequence[Any], save: Any, intro: str) -> FormDialog:
    from complaints_tui.tui.screens.form_dialog import FormDialog

    return FormDialog(title, fields, save, intro=intro)


def add_officer_form(ctx: Context) -> FormDialog:
    from complaints_tui.services import officers
    from complaints_tui.tui.screens.form_dialog import Field

    return _officer_form(
        "Add an officer",
        [Field("name", "Name", required=True, placeholder="as it should appear on cases")],
        lambda v: officers.add_officer(ctx, v["name"]),
        "Assignment picks from the team's list.",
    )


def rename_officer_form(ctx: Context, names: Sequence[str]) -> FormDialog:
    from complaints_tui.services import officers
    from complaints_tui.tui.screens.form_dialog import Field

    return _officer_form(
        "Rename an officer",
        [
            Field("old", "Officer", "select", required=True, options=tuple((n, n) for n in names)),
            Field("new", "New name", required=True),
        ],
        lambda v: officers.rename_officer(ctx, v["old"], v["new"]),
        "Every case assigned to them follows the new name (each case's timeline says so).",
    )


def leave_form(ctx: Context, names: Sequence[str]) -> FormDialog:
    from complaints_tui.services import officers
    from complaints_tui.tui.screens.form_dialog import Field

    choices = tuple((n, n) for n in names)
    return _officer_form(
        "An officer leaves",
        [
            Field("name", "Officer", "select", required=True, options=choices),
            Field("on", "Left on", "date", value=f"{ctx.today():%d/%m/%Y}"),
            Field("to", "Their open cases to", "select", options=choices),
        ],
        lambda v: officers.officer_leaves(ctx, v["name"], on=v["on"], reassign_to=v["to"]),
        "They come off the list for new assignments; choose who takes their open cases.",
    )


def reassign_form(ctx: Context, names: Sequence[str]) -> FormDialog:
    from complaints_tui.services import officers
    from complaints_tui.tui.screens.form_dialog import Field

    choices = tuple((n, n) for n in names)
    return _officer_form(
        "Reassign all of one officer's open cases",
        [
            Field("name", "From", "select", required=True, options=choices),
            Field("to", "To", "select", options=(("Nobody (unassigned)", ""), *choices)),
        ],
        lambda v: officers.reassign_open_cases(ctx, v["name"], v["to"] or None),
        "One action: every open case of the first officer, each case's timeline updated.",
    )


class DeskCommands(Provider):
    """The officers' list in the palette: add, rename, leave, reassign."""

    COMMANDS = (
        ("Add officer", "Put a new officer on the team's list", "add"),
        ("Rename officer", "Correct an officer's name on the list and their cases", "rename"),
        ("Officer leaves", "Take an officer off the list and hand on their cases", "leave"),
        ("Reassign open cases", "Every open case of one officer to another", "reassign"),
    )

    def _open(self, which: str) -> None:
        app: Any = self.app
        app.run_worker(partial(self._names_then_open, which), thread=True, group="officers")

    def _names_then_open(self, which: str) -> None:
        from complaints_tui.services import officers

        app: Any = self.app
        names = officers.officer_names(app.ctx)
        app.call_from_thread(self._push, which, names)

    def _push(self, which: str, names: tuple[str, ...]) -> None:
        app: Any = self.app
        ctx = app.ctx
        forms = {
            "add": lambda: add_officer_form(ctx),
            "rename": lambda: rename_officer_form(ctx, names),
            "leave": lambda: leave_form(ctx, names),
            "reassign": lambda: reassign_form(ctx, names),
        }
        from complaints_tui.tui.feedback import report_done

        def after(result: Any) -> None:
            from complaints_tui.services.actions import Done

            if isinstance(result, Done):
                report_done(app.screen, result)

        app.push_screen(forms[which](), after)

    async def discover(self) -> Hits:
        for name, help_text, which in self.COMMANDS:
            yield DiscoveryHit(name, partial(self._open, which), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, which in self.COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self._open, which), help=help_text
                )
