"""The annual report's tables of compliments, duty matters, open work, repeats and learning."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import compress

from .clocks import fmt
from .report import (
    MEMO,
    TOTAL,
    Column,
    Row,
    Table,
    column_label,
)
from .report_base import TableBuilder
from .report_stages import (
    Once,
    count_columns,
    counts_row,
    name_key,
    name_label,
    name_order,
    ordered,
    pick,
    present,
)
from .vocab import LEARNING_STATUSES


class WorkTables(TableBuilder):
    def compliments_by_service(self) -> Table:
        s = self.s
        services = [name_key(s.service[i]) for i in self.year_ix if s.col[i] == "compliment"]
        counts = Counter(services)
        rows = [Row(k, name_label(k), {"count": counts[k]}) for k in sorted(counts, key=name_order)]
        rows.append(Row("total", "Total", {"count": len(services)}, TOTAL))
        return Table(
            "compliments_by_service",
            "Compliments by service",
            (Column("count", "Number"),),
            tuple(rows),
            row_total=None,
            note="Compliments received in the year.",
        )

    def _duty(self) -> tuple[list[str], list[str]]:
        s = self.s
        duty = [i for i in self.year_ix if s.col[i] == "duty"]
        category = [s.duty_category[i] or "untriaged" for i in duty]
        service = [name_key(s.service[i]) for i in duty]
        return category, service

    def _duty_order(self, categories: Iterable[str]) -> list[str]:
        found = set(categories)
        order = ordered(found - {"untriaged"}, self.vocab.tables["duty_category"])
        return [*order, "untriaged"] if "untriaged" in found else order

    def _duty_label(self, key: str) -> str:
        return "Not yet triaged" if key == "untriaged" else self.label("duty_category", key)

    def duty_by_category(self) -> Table:
        category, _ = self._duty()
        counts = Counter(category)
        rows = [Row(k, self._duty_label(k), {"count": counts[k]}) for k in self._duty_order(counts)]
        rows.append(Row("total", "Total", {"count": len(category)}, TOTAL))
        return Table(
            "duty_by_category",
            "Duty matters by category",
            (Column("count", "Number"),),
            tuple(rows),
            row_total=None,
            note="Contacts handled on duty, received in the year, that did not enter a procedure.",
        )

    def duty_by_service(self) -> Table:
        category, service = self._duty()
        keys = self._duty_order(category)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (v, c), n in Counter(zip(service, category, strict=True)).items():
            counts[v][c] = n
        rows = [
            counts_row(k, name_label(k), counts[k], keys) for k in sorted(counts, key=name_order)
        ]
        rows.append(counts_row("total", "Total", Counter(category), keys, kind=TOTAL))
        columns = [Column(k, self._duty_label(k)) for k in keys]
        columns.append(Column("total", "Total", in_row_total=False))
        return Table(
            "duty_by_service",
            "Duty matters by service",
            tuple(columns),
            tuple(rows),
            note="Pending further information is shown as its own column, since the service "
            "may not be certain until the information arrives.",
        )

    # -- open work, repeats, learning ----------------------------------------------------

    def carried_forward(self) -> Table:
        s = self.s
        day_before = self.start - timedelta(days=1)
        n = len(s.col)
        # Open on a day: received by then (not a compliment, not a refused request) and not
        # answered by then (nor closed undated). Only the stages not answered by the day can
        # be: found in C (once per distinct answer date), then looked at one by one.
        received, col, decision, answered, done = (
            s.received,
            s.col,
            s.decision,
            s.answered,
            s.concluded,
        )

        def open_on(day: date) -> list[int]:
            later = Once(lambda a: a is None or a > day)
            return [
                i
                for i in compress(range(n), map(later.__getitem__, answered))
                if received[i] <= day
                and col[i] != "compliment"
                and decision[i] != "refused"
                and (answered[i] is not None or not done[i])
            ]

        at_start, at_end = open_on(day_before), open_on(self.cutoff)
        still_open = set(at_end)
        counts = {
            "open_at_start": Counter(pick(col, at_start)),
            "closed_in_year": Counter(col[i] for i in at_start if i not in still_open),
            "open_at_end": Counter(pick(col, at_end)),
        }
        received = Counter(self.ycol)
        for uncounted in ("compliment", "duty"):
            received.pop(uncounted, None)
        counts["received_in_year"] = received
        # the caseload worked on: carried in, plus received in the year
        counts["worked_on"] = counts["open_at_start"] + received
        keys = present([*counts["open_at_start"], *counts["open_at_end"], *received])
        rows = [Row(k, column_label(k), {c: counts[c][k] for c in counts}) for k in keys]
        rows.append(Row("total", "Total", {c: sum(v.values()) for c, v in counts.items()}, TOTAL))
        return Table(
            "carried_forward",
            "Carried forward and still open",
            (
                Column("open_at_start", f"Open on {fmt(self.start)}"),
                Column("closed_in_year", "Of which closed in the year"),
                Column("open_at_end", f"Open on {fmt(self.cutoff)}"),
                Column("received_in_year", "Received in the year"),
                Column("worked_on", "Worked on"),
            ),
            tuple(rows),
            row_total=None,
            note="Stages open at the start of the year (received earlier), how many of those "
            "were answered in the year, and every stage still open at the year's end (or the "
            "as-at date if earlier). Worked on: carried in plus received in the year.",
        )

    def reopened_and_repeat(self) -> Table:
        col, reopened, repeat = self.cols(self.stage1_ix, "col", "reopened", "repeat")
        keys = present(col)

        def row(key: str, label: str, mask: Iterable[bool], kind: str = MEMO) -> Row:
            return counts_row(key, label, Counter(compress(col, mask)), keys, kind=kind)

        rows = [
            row("reopened", "Re-opened", [n > 0 for n in reopened]),
            row("reopened_more_than_once", "Re-opened more than once", [n > 1 for n in reopened]),
            row("repeat_complainant", "From someone who had complained before", repeat),
            counts_row("total", "Stage 1 complaints received", Counter(col), keys, kind=TOTAL),
        ]
        return Table(
            "reopened_and_repeat",
            "Re-opened complaints and repeat complainants",
            tuple(count_columns(keys)),
            tuple(rows),
            note="Of the Stage 1 complaints received in the year: how many were re-opened "
            "(to the as-at date), and how many came from someone who had complained before.",
        )

    def learning_actions(self) -> Table:
        s, pos = self.s, self.year_stage
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for a in self.facts.learning:
            i = pos.get(a.stage_id)
            if i is None:
                continue
            status = a.status
            if status == "done" and a.completed_on and a.completed_on > self.as_at:
                status = "open"  # completed after the as-at date
            counts[status][s.col[i]] += 1
            if status == "open" and a.due and a.due < self.as_at:
                counts["overdue"][s.col[i]] += 1
        keys = present(c for v in counts.values() for c in v)
        statuses = ordered((k for k in counts if k != "overdue"), LEARNING_STATUSES)
        rows = [
            counts_row(k, LEARNING_STATUSES.get(k, k.capitalize()), counts[k], keys)
            for k in statuses
        ]
        if "overdue" in counts:
            rows.append(
                counts_row(
                    "overdue", "Open and past its due date", counts["overdue"], keys, kind=MEMO
                )
            )
        total: Counter[str] = Counter()
        for k in statuses:
            total.update(counts[k])
        rows.append(counts_row("total", "Total", total, keys, kind=TOTAL))
        return Table(
            "learning_actions",
            "Learning actions by status",
            tuple(count_columns(keys)),
            tuple(rows),
            note="Actions promised on stages received in the year, by their status at the "
            "as-at date.",
        )
