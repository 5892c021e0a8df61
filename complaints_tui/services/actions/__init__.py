"""What an officer does to a case. Each function is one transaction: it either does all
of its work or, raising a DomainError with a message for the officer, changes nothing.

Functions take ``expected_version`` (the case version the officer's screen shows); when
given, a save over someone else's change is refused with a ConflictError.
"""

from __future__ import annotations

from complaints_tui.domain.vocab import ESCALATION_DECISIONS

from ._base import Done, next_reference
from .clock import acknowledge, extend, resume, suspend
from .corrections import CORRECTABLE, correct
from .intake import log_case, log_contact, triage
from .ombudsman import record_ombudsman_decision, reply_to_ombudsman, set_ombudsman_deadline
from .outcome import close, escalate, refer_to_ombudsman, reopen, respond, withdraw
from .panel import record_panel, record_panel_report, set_people
from .record import (
    EDITABLE_FIELDS,
    add_learning_action,
    add_note,
    assign,
    link,
    set_learning_status,
    update_case,
)
from .void import restore, void

__all__ = [
    "CORRECTABLE",
    "correct",
    "record_ombudsman_decision",
    "record_panel",
    "record_panel_report",
    "reply_to_ombudsman",
    "restore",
    "set_ombudsman_deadline",
    "set_people",
    "void",
    "ESCALATION_DECISIONS",
    "EDITABLE_FIELDS",
    "Done",
    "acknowledge",
    "add_learning_action",
    "add_note",
    "assign",
    "close",
    "escalate",
    "extend",
    "link",
    "log_case",
    "log_contact",
    "next_reference",
    "refer_to_ombudsman",
    "reopen",
    "respond",
    "resume",
    "set_learning_status",
    "suspend",
    "triage",
    "update_case",
    "withdraw",
]
