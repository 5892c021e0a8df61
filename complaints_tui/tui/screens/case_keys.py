"""The case screen's keys: one per officer action, with the words the key bar and help show."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from complaints_tui.tui.keys import HELP

CASE_BINDINGS: list[BindingType] = [
    HELP,
    Binding("escape", "back", "Back", tooltip="Back to the list", id="case.back"),
    Binding("n", "note", "Note", tooltip="Add a note to the timeline", id="case.note"),
    Binding("a", "acknowledge", "Acknowledge", tooltip="Record the acknowledgement", id="case.ack"),
    Binding("x", "extend", "Extend", tooltip="Extend the stage's timescale", id="case.extend"),
    Binding(
        "s",
        "suspend",
        "Stop/restart clock",
        tooltip="Stop the clock (e.g. awaiting an advocate), or restart it",
        id="case.suspend",
    ),
    Binding(
        "r", "respond", "Respond", tooltip="Record the response and outcome", id="case.respond"
    ),
    Binding(
        "e",
        "escalate",
        "Escalate",
        tooltip="The next stage; the Ombudsman's enquiry, reply and decision: that screen",
        id="case.escalate",
    ),
    Binding("o", "assign", "Assign", tooltip="Assign the case to an officer", id="case.assign"),
    Binding("l", "link", "Link", tooltip="Link another case to this one", id="case.link"),
    Binding("d", "edit", "Edit details", tooltip="Edit the case's details", id="case.edit"),
    Binding(
        "L",
        "letter",
        "Letter",
        tooltip="Write a letter from the team's templates (.docx), with a preview",
        id="case.letter",
    ),
    Binding(
        "i",
        "learning",
        "Learning action",
        tooltip="Add a learning action to the stage",
        id="case.learning",
    ),
    Binding(
        "w",
        "withdraw",
        "Withdraw stage",
        tooltip="The complainant withdraws the stage",
        id="case.withdraw",
    ),
    Binding(
        "c",
        "close",
        "Close/re-open",
        tooltip="Close the case, or re-open it",
        id="case.close",
    ),
    Binding(
        "k",
        "correct",
        "Correct",
        tooltip="Correct a mistake: procedure, received, outcome, remedies, response date",
        id="case.correct",
        show=False,
    ),
    Binding(
        "v",
        "void",
        "Void/restore",
        tooltip="Void a case or stage logged by mistake, or restore it",
        id="case.void",
        show=False,
    ),
    Binding(
        "p",
        "panel",
        "Panel",
        tooltip="Statutory Stage 3: the review panel's date and members, then its report",
        id="case.panel",
        show=False,
    ),
    Binding(
        "left_square_bracket,right_square_bracket",
        "next_stage",
        "Stage",
        tooltip="Choose which stage the keys act on (▶)",
        id="case.stage",
    ),
    Binding(
        "ctrl+r",
        "reload",
        "Reload",
        tooltip="Read the case again",
        id="case.reload",
        show=False,
    ),
]
