"""The annual report's breakdowns the published reports print and the basic tables lack:
by child's status (with advocacy), Stage 3 panels against their 30 days, and the learning
actions themselves, listed by service for the report's learning section."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from .clocks import fmt
from .report import DETAIL, MEMO, ONTIME, TOTAL, Cell, Column, Row, Table, column_label
from .report_base import TableBuilder
from .report_stages import Once, counts_row, name_key, name_label, name_order, present
from .vocab import CHILD_STATUSES, LEARNING_STATUSES

NO_STATUS = "none_recorded"

CODE_STARTS = date(2026, 4, 1)
"""The Ombudsman applies its Complaint Handling Code to corporate complaints from this day."""
CODE_ACK = 5
CODE_RESPONSE = {"corporate_1": (10, 20), "corporate_2": (20, 40)}
"""The Code's response times from the acknowledgement, and the most with an extension."""


class BreakdownTables(TableBuilder):
    def by_child_status(self) -> Table:
        """A case counts once under each status recorded for the child (a child may be in
        care and disabled), so the rows add up to more than the total."""
        col, statuses, adv = self.cols(self.complaint_ix, "col", "child_statuses", "with_advocate")
        keys = present(col)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        advocated: Counter[str] = Counter()
        # counted by distinct (column, statuses, advocate) in C, then spread once each
        for (c, st, a), n in Counter(zip(col, statuses, adv, strict=True)).items():
            for k in st or (NO_STATUS,):
                counts[k][c] += n
                if a:
                    advocated[k] += n
        order = [k for k in CHILD_STATUSES if k in counts]
        order += sorted(set(counts) - set(order) - {NO_STATUS})
        if NO_STATUS in counts:
            order.append(NO_STATUS)
        rows = []
        for k in order:
            label = "No status recorded" if k == NO_STATUS else self.label("child_status", k)
            row = counts_row(k, label, counts[k], keys)
            rows.append(Row(k, label, {**row.cells, "with_advocate": advocated[k]}))
        total = counts_row("total", "Complaints", Counter(col), keys, kind=TOTAL)
        rows.append(Row("total", "Complaints", {**total.cells, "with_advocate": sum(adv)}, TOTAL))
        columns = [Column(k, column_label(k), adds_down=False) for k in keys]
        columns.append(Column("total", "Total", in_row_total=False, adds_down=False))
        columns.append(
            Column("with_advocate", "With an advocate", in_row_total=False, adds_down=False)
        )
        return Table(
            "by_child_status",
            "By child's status, with advocacy",
            tuple(columns),
            tuple(rows),
            note="Complaint stages and Ombudsman enquiries received in the year, by the status "
            "recorded for the child (a child with two statuses counts in both rows). With an "
            "advocate: an advocate was involved or made the complaint.",
        )

    def panels(self) -> Table:
        """Statutory Stage 3: the panel should meet within 30 working days of the request."""
        s = self.s
        limit = self.policy.statutory.stage3_panel
        held = within = waiting = 0
        for i in self.year_ix:
            if s.col[i] != "statutory_3":
                continue
            request = s.request_date[i] or s.received[i]
            panel = s.panel_date[i]
            if panel is None or panel > self.as_at:
                waiting += 1
                continue
            held += 1
            if self.calendar.working_days_between(request, panel) <= limit:
                within += 1
        rows = (
            Row("within", f"Panel held within {limit} working days", {"count": within}),
            Row("later", f"Panel held after {limit} working days", {"count": held - within}),
            Row("waiting", "Panel not yet held", {"count": waiting}),
            Row("total", "Statutory Stage 3 requests", {"count": held + waiting}, TOTAL),
        )
        return Table(
            "panels",
            "Stage 3 review panels",
            (Column("count", "Number"),),
            rows,
            row_total=None,
            note=f"Statutory Stage 3 received in the year: the panel meets within {limit} "
            "working days of the request (regulation 19).",
        )

    def learning_list(self) -> Table:
        """Every learning action promised on the year's stages, by service: what the report's
        learning section tables, with the owner, due date and status."""
        s, pos = self.s, self.year_stage
        items = []
        for a in self.facts.learning:
            i = pos.get(a.stage_id)
            if i is None:
                continue
            status = a.status
            if status == "done" and a.completed_on and a.completed_on > self.as_at:
                status = "open"
            if status == "open" and a.due and a.due < self.as_at:
                shown = "Overdue"
            else:
                shown = LEARNING_STATUSES.get(status, status.capitalize())
            service = name_key(s.service[i])
            items.append((service, a.due or self.end, a.stage_id, a, shown, s.col[i]))
        items.sort(key=lambda t: (name_order(t[0]), t[1], t[2]))
        rows = []
        # a few dozen services, stages and due dates among thousands of actions: each
        # label and date written once
        service_label, stage_label = Once(name_label), Once(column_label)
        due_text = Once(fmt)
        for n, (service, _, _, a, shown, col) in enumerate(items, 1):
            cells: dict[str, Cell] = {
                "service": service_label[service],
                "stage": stage_label[col],
                "owner": a.owner or "",
                "due": due_text[a.due],
                "status": shown,
            }
            rows.append(Row(f"action:{n}", " ".join(a.text.split()) or "(no text)", cells, DETAIL))
        text = "text"
        return Table(
            "learning_list",
            "Learning and service improvements",
            (
                Column("service", "Service", text, in_row_total=False, adds_down=False),
                Column("stage", "Stage", text, in_row_total=False, adds_down=False),
                Column("owner", "Owner", text, in_row_total=False, adds_down=False),
                Column("due", "Due", text, in_row_total=False, adds_down=False),
                Column("status", "Status", text, in_row_total=False, adds_down=False),
            ),
            tuple(rows),
            row_total=None,
            note="Actions promised on stages received in the year, by service, with their "
            "owner, due date and status at the as-at date.",
        )

    def complaint_handling_code(self) -> Table:
        """The Ombudsman's Complaint Handling Code figures for corporate complaints received
        from 1 April 2026: acknowledged within 5 working days, Stage 1 answered within 10
        working days of the acknowledgement and Stage 2 within 20, and extensions beyond the
        Code's 10 (Stage 1) or 20 (Stage 2) more."""
        s, cal, as_at = self.s, self.calendar, self.as_at
        rows: dict[str, dict[str, int]] = {
            k: {"on_time": 0, "total": 0, "pending": 0, "closed": 0}
            for k in ("acknowledged", "stage1", "stage2", "extended1", "extended2")
        }
        for i in self.year_ix:
            col = s.col[i]
            if col not in ("corporate_1", "corporate_2") or s.received[i] < CODE_STARTS:
                continue
            ack = s.acknowledged[i]
            ack = ack if ack is not None and ack <= as_at else None
            cell = rows["acknowledged"]
            cell["total"] += 1
            if ack is not None:
                cell["on_time"] += cal.working_days_between(s.received[i], ack) <= CODE_ACK
            elif cal.working_days_between(s.received[i], as_at) <= CODE_ACK:
                cell["pending"] += 1
            limit, most = CODE_RESPONSE[col]
            key = "stage1" if col == "corporate_1" else "stage2"
            cell = rows[key]
            cell["total"] += 1
            responded = s.responded[i]
            start = ack or s.received[i]
            if responded is not None:
                taken = cal.working_days_between(start, responded)
                cell["on_time"] += taken <= limit
                if s.extended[i]:
                    ext = rows["extended" + key[-1]]
                    ext["total"] += 1
                    ext["on_time"] += taken > most
            elif s.answered[i] is not None:
                cell["closed"] += 1
            elif cal.working_days_between(start, as_at) <= limit:
                cell["pending"] += 1
        labels = {
            "acknowledged": f"Acknowledged within {CODE_ACK} working days",
            "stage1": "Stage 1 answered within 10 working days of acknowledgement",
            "stage2": "Stage 2 answered within 20 working days of acknowledgement",
            "extended1": "Stage 1 extended beyond 10 more working days (of those extended)",
            "extended2": "Stage 2 extended beyond 20 more working days (of those extended)",
        }
        out = [
            Row(k, labels[k], {"figure": dict(v)}, DETAIL if k[:-1] != "extended" else MEMO)
            for k, v in rows.items()
        ]
        return Table(
            "complaint_handling_code",
            "Complaint Handling Code: corporate complaints from April 2026",
            (Column("figure", "Within the Code", ONTIME, in_row_total=False, adds_down=False),),
            tuple(out),
            row_total=None,
            note="Corporate complaints received in the year from 1 April 2026, when the "
            "Ombudsman's Complaint Handling Code applies: percentages of those decided, with "
            "pending ones beside. The Code's clock for a response starts at the "
            "acknowledgement (at receipt when none is recorded).",
        )
