"""The forms of a case's own record: its details (who it is about, how to reach them) and
its assignment. Split from forms.py by responsibility; forms.py re-exports them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from complaints_tui.domain.errors import DomainError
from complaints_tui.domain.people import (
    Child,
    NewThemes,
    check_email,
    check_phone,
    parse_children,
)
from complaints_tui.domain.vocab import normalise_free_text
from complaints_tui.services import actions
from complaints_tui.services.context import Context
from complaints_tui.services.queries import CaseDetail
from complaints_tui.tui.screens.form_dialog import Field, FormDialog, uk


def _options(ctx: Context, vocabulary: str) -> tuple:
    table = ctx.policy.vocabularies.tables[vocabulary]
    return tuple((label, key) for key, label in table.items())


NOBODY = ""
"""The assignment form's choice for "unassigned"."""


def assign_form(
    ctx: Context, reference: str, version: int, officer: str | None, officers: Sequence[str]
) -> FormDialog:
    """A choice from the team's list, so a typo cannot create an officer."""
    options: list[tuple[str, str]] = [("Nobody (unassigned)", NOBODY)]
    options += [(name, name) for name in officers]
    if officer and officer not in officers:
        options.append((f"{officer} (no longer on the list)", officer))
    return FormDialog(
        f"Assign {reference}",
        [
            Field(
                "officer",
                "Officer",
                "select",
                choice=officer or NOBODY,
                options=tuple(options),
            )
        ],
        lambda v: actions.assign(ctx, reference, v["officer"] or "", expected_version=version),
        intro=f"You are {ctx.actor}. Officers come from the team's list (ctrl+p: Add officer).",
    )


CONTACT_EDITS = (
    "complainant_address",
    "complainant_email",
    "complainant_phone",
    "preferred_contact",
    "cms_reference",
    "member_name",
    "member_area",
)


def edit_form(ctx: Context, case: CaseDetail, services: Sequence[str] = ()) -> FormDialog:
    vocab = ctx.policy.vocabularies
    child = vocab.tables["child_status"]
    member = case.procedure in ("mp", "councillor")
    confirmed: list[str] = []
    """New themes the officer was told about: saving again adds them."""

    def child_keys(text: str | None) -> list[str]:
        by_label = {normalise_free_text(label): key for key, label in child.items()}
        keys = []
        for part in (text or "").replace(",", ";").split(";"):
            word = normalise_free_text(part)
            if word:
                keys.append(by_label.get(word, word.replace(" ", "_")))
        return keys

    def check(values: dict[str, Any]) -> dict[str, str]:
        errors = {}
        unknown = [k for k in child_keys(values["child"]) if k not in child]
        if unknown:
            errors["child"] = f"Unknown: {', '.join(unknown)} (known: {', '.join(child.values())})."
        for name, test in (("complainant_email", check_email), ("complainant_phone", check_phone)):
            try:
                test(values[name])
            except DomainError as exc:
                errors[name] = str(exc)
        try:
            parse_children(values["children"])
        except DomainError as exc:
            errors["children"] = str(exc)
        return errors

    def save(values: dict[str, Any]) -> actions.Done:
        current = {
            "complainant_name": case.complainant_name,
            "complainant_type": case.complainant_type,
            "channel": case.channel,
            "division": case.division,
            "service": case.service,
            "summary": case.summary,
            "advocate": case.advocate,
            "matter_date": case.matter_date,
            "repeat_complainant": case.repeat_complainant,
            **{name: getattr(case, name) for name in CONTACT_EDITS if name in values},
        }
        changes = {k: values[k] for k in current if values[k] != current[k]}
        if "summary" in changes and changes["summary"] is None:
            changes["summary"] = ""
        themes = [t.strip() for t in (values["themes"] or "").split(";") if t.strip()]
        statuses = child_keys(values["child"])
        children = parse_children(values["children"])
        before = [Child(c.name, c.date_of_birth) for c in case.children]
        try:
            return actions.update_case(
                ctx,
                case.reference,
                changes,
                themes=themes if tuple(themes) != case.themes else None,
                child_statuses=statuses if tuple(statuses) != case.child_statuses else None,
                children=children if children != before else None,
                confirmed_themes=tuple(confirmed),
                expected_version=case.version,
            )
        except NewThemes as exc:
            confirmed[:] = exc.themes  # the officer has now been told: a second save adds them
            raise

    contact = [
        Field("complainant_address", "Address", value=case.complainant_address or ""),
        Field("complainant_email", "Email", value=case.complainant_email or ""),
        Field("complainant_phone", "Phone", value=case.complainant_phone or ""),
        Field(
            "preferred_contact",
            "Prefers",
            "select",
            choice=case.preferred_contact,
            options=_options(ctx, "preferred_contact"),
        ),
        Field(
            "children",
            "Children",
            value="; ".join(Child(c.name, c.date_of_birth).text() for c in case.children),
            placeholder="name and date of birth; another",
        ),
        Field("cms_reference", "Case-management ref", value=case.cms_reference or ""),
    ]
    if member:
        area = "Constituency" if case.procedure == "mp" else "Ward"
        contact += [
            Field("member_name", "Member", value=case.member_name or ""),
            Field("member_area", area, value=case.member_area or ""),
        ]
    return FormDialog(
        f"Edit {case.reference}",
        [
            Field("complainant_name", "Complainant", value=case.complainant_name or ""),
            *contact,
            Field(
                "complainant_type",
                "Complainant type",
                "select",
                choice=case.complainant_type,
                options=_options(ctx, "complainant"),
            ),
            Field(
                "channel",
                "Channel",
                "select",
                choice=case.channel,
                options=_options(ctx, "channel"),
            ),
            Field("division", "Division", value=case.division or ""),
            Field(
                "service", "Service / team", value=case.service or "", suggestions=tuple(services)
            ),
            Field("summary", "Summary", value=case.summary),
            Field("advocate", "Advocate", value=case.advocate or "", placeholder="e.g. NYAS"),
            Field("matter_date", "Matters happened", "date", value=uk(case.matter_date)),
            Field(
                "repeat_complainant", "Repeat complainant", "check", choice=case.repeat_complainant
            ),
            Field(
                "themes",
                "Themes",
                value="; ".join(case.themes),
                placeholder="e.g. Delay; Communication",
                suggestions=tuple(vocab.tables["theme"].values()),
            ),
            Field(
                "child",
                "Child's status",
                value="; ".join(vocab.label("child_status", s) for s in case.child_statuses),
                placeholder="none (e.g. Child in need)",
            ),
        ],
        save,
        intro="Themes, children and child's statuses are separated by ';'; a child as "
        "'Name 03/04/2015'.",
        check=check,
    )
