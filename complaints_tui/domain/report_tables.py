"""The annual report's tables, computed column-wise from the facts.

A year of a large database is tens of thousands of stages, so the work per stage must be
small: the stages are turned once into columns (one list per attribute, as they stood at
the as-at date), and each table counts combinations of columns with ``Counter(zip(...))``,
which runs in C. Only the rare stages whose due date must be worked out again (withdrawn,
or with clock stops) go through the slower, stage-by-stage path.

The tables are computed by one class per family of tables (``report_received``,
``report_outcomes``, ``report_people``, ``report_work``), all sharing ``TableBuilder``'s
state; this module puts them together.
"""

from __future__ import annotations

from datetime import date

from .calendar import WorkingCalendar
from .clocks import fmt
from .policy import Policy
from .report import (
    CONCLUDED,
    RECEIVED,
    Report,
    ReportFacts,
    Table,
    year_label,
)
from .report_breakdowns import BreakdownTables
from .report_letter import Letter, reconcile
from .report_outcomes import OutcomeTables
from .report_people import PeopleTables
from .report_received import ReceivedTables
from .report_work import WorkTables


class _Builder(ReceivedTables, OutcomeTables, PeopleTables, WorkTables, BreakdownTables):
    # -- the whole report ----------------------------------------------------------------

    def build(self) -> Report:
        tables = (
            self.received_by_year(),
            self.received_by_quarter(),
            self.received_by_month(),
            self.on_time_by_quarter(),
            self.on_time_by_division(),
            self.timeliness_bands(),
            self.timescale_bands(),
            self.complaint_handling_code(),
            self.outcomes_by_stage(),
            self.escalation(),
            self.panels(),
            self.by_service(),
            self.later_stages_by_service(),
            self.complainant_types(),
            self.advocacy(),
            self.by_child_status(),
            self.channels(),
            self.themes(),
            self.themes_upheld(),
            self.remedies(),
            self.lgsco_decisions(),
            *self.letter_tables(),
            self.compliments_by_service(),
            self.duty_by_category(),
            self.duty_by_service(),
            self.carried_forward(),
            self.reopened_and_repeat(),
            self.learning_actions(),
            self.learning_list(),
        )
        return Report(
            title=f"Complaints and compliments: annual report {year_label(self.year)}",
            year=self.year,
            period_start=self.start,
            period_end=self.end,
            as_at=self.as_at,
            notes=self.notes(),
            tables=tables,
            basis=self.basis,
        )

    letter: Letter | None = None

    def letter_tables(self) -> tuple[Table, ...]:
        if self.letter is None:
            return ()
        return reconcile(
            self.s,
            self.letter,
            self.year,
            self.start,
            self.cutoff,
            lambda k: self.label("outcome", k),
        )

    def notes(self) -> tuple[str, ...]:
        received = (
            "Counting basis 'received' (this report): outcomes, timeliness, working days, "
            "extensions, remedies and the Ombudsman's decisions are counted over the stages "
            "received in the year, whenever they were concluded."
        )
        concluded = (
            "Counting basis 'concluded' (this report): outcomes, timeliness, working days, "
            "extensions, remedies and the Ombudsman's decisions are counted over the stages "
            "concluded (responded to or closed) in the year, including those carried in from "
            "the year before; what was received, who complained and how stay counted on receipt."
        )
        other = {
            RECEIVED: "The other basis, 'concluded' (report --basis concluded), counts them over "
            "the stages concluded in the year, including those carried in from the year before.",
            CONCLUDED: "The other basis, 'received' (the default), counts them over the stages "
            "received in the year, whenever concluded.",
        }
        notes = [
            f"The year runs from {fmt(self.start)} to {fmt(self.end)}. A stage belongs to the "
            "year in which it was received; a complaint that goes through several stages is "
            "counted at each stage.",
            (concluded if self.basis == CONCLUDED else received) + " " + other[self.basis],
            f"Figures are as at {fmt(self.as_at)}: anything recorded as happening later is not "
            "counted. Figures for cases still open may change.",
            "On time: responded to on or before the due date, which is the extended date when "
            "an extension was recorded - unless the extension was agreed, or a clock stop "
            "began, after the stage was already due: then the stage is judged against the date "
            "it had. The % on time is of the stages decided (responded to). A stage closed "
            "without a response is never on time: it is counted as 'closed without a response'. "
            "A stage still open at the as-at date and past its due date is late; one still open "
            "and not yet due, or with its clock stopped, is pending, shown beside the "
            "percentage and not counted in it. Compliments and duty contacts have no response "
            "timescale.",
            "Working days are Monday to Friday, less bank holidays in England and local closure "
            "days; the day a clock starts is not counted, nor days while it was stopped.",
            "A refused request for a further stage is not a stage: it appears only in the "
            "escalation table. A withdrawn stage is counted, with the outcome 'withdrawn'.",
        ]
        if self.as_at < self.end:
            notes.append(
                f"The year is not over at the as-at date: figures cover {fmt(self.start)} to "
                f"{fmt(self.cutoff)}."
            )
        return tuple(notes)


def build(
    facts: ReportFacts,
    year: int,
    as_at: date,
    policy: Policy,
    calendar: WorkingCalendar,
    basis: str = RECEIVED,
    letter: Letter | None = None,
) -> Report:
    builder = _Builder(facts, year, as_at, policy, calendar, basis)
    builder.letter = letter
    return builder.build()
