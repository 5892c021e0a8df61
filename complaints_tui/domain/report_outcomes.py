"""The annual report's tables of outcomes, escalation, services, remedies and the Ombudsman."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import compress

from .report import (
    CONCLUDED,
    DETAIL,
    MEMO,
    NOT_RECORDED,
    POUNDS,
    SUBTOTAL,
    TOTAL,
    UPHELD,
    Cell,
    Column,
    Row,
    Table,
    column_label,
)
from .report_base import TableBuilder
from .report_stages import (
    THEMED,
    counts_row,
    name_key,
    name_label,
    name_order,
    ordered,
    pick,
    present,
)
from .vocab import LGSCO_OUTCOMES

UPHELD_OR_FAULT = UPHELD | {"fault_injustice", "fault_no_injustice"}
"""Upheld by the council, or fault found by the Ombudsman."""

_NEXT = {f"{p}_{n}": f"{p}_{n + 1}" for p in ("statutory", "corporate") for n in (1, 2)}
"""The stage a complaint can go on to, by the report's column."""
_LATER = frozenset(_NEXT.values())
_NEXT_OR_LATER = frozenset({*_NEXT, *_LATER})


def _split(counts: Counter[str]) -> Counter[tuple[str, int]]:
    """Counts by column ('statutory_2') as counts by (procedure, number)."""
    out: Counter[tuple[str, int]] = Counter()
    for c, n in counts.items():
        procedure, _, number = c.rpartition("_")
        out[(procedure, int(number))] += n
    return out


class OutcomeTables(TableBuilder):
    # -- outcomes and escalation ---------------------------------------------------------

    def outcomes_by_stage(self) -> Table:
        col, outcome, concluded = self.cols(self.basis_complaint_ix, "col", "outcome", "concluded")
        keys = present(col)
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (o, done, c), n in Counter(zip(outcome, concluded, col, strict=True)).items():
            counts[(o or NOT_RECORDED) if done else "open"][c] += n
        found = [k for k in counts if k not in ("open", NOT_RECORDED)]
        outcomes = ordered(found, self.vocab.tables["outcome"])
        if NOT_RECORDED in counts:
            outcomes.append(NOT_RECORDED)
        # The Ombudsman's decisions are its own, never the council's outcomes: its column
        # stays (scripts read it) but is not in the Total.
        council = [k for k in keys if k != "lgsco"]

        def row(key: str, label: str, c: Counter[str], kind: str = DETAIL) -> Row:
            return counts_row(key, label, c, keys, total=sum(c[k] for k in council), kind=kind)

        rows = [row(o, self.label("outcome", o), counts[o]) for o in outcomes]
        concluded_count: Counter[str] = Counter()
        for o in outcomes:
            concluded_count.update(counts[o])
        rows.append(row("total", "Concluded", concluded_count, TOTAL))
        rows.append(row("open", "Not yet concluded", counts["open"], MEMO))
        columns = [Column(k, column_label(k), in_row_total=k != "lgsco") for k in keys]
        columns.append(Column("total", "Council total", in_row_total=False))
        return Table(
            "outcomes_by_stage",
            "Outcomes by stage",
            tuple(columns),
            tuple(rows),
            note=f"{self.counted}, concluded by the as-at date. The Ombudsman's column holds "
            "its decisions, which are not the council's outcomes and are not in the council "
            "total. Percentages are of those concluded.",
        )

    def escalation(self) -> Table:
        s = self.s
        col, decision = s.col, s.decision
        every = range(len(col))
        kinds = set(col)
        is_later = {c: c in _LATER for c in kinds}
        is_staged = {c: c in _NEXT_OR_LATER for c in kinds}
        # who went on to each further stage (not refused) by the as-at date, whenever asked
        went_on: dict[str, set[int]] = defaultdict(set)
        for i in compress(every, map(is_later.__getitem__, col)):
            if decision[i] != "refused":
                went_on[col[i]].add(s.case_id[i])
        start, cutoff, received = self.start, self.cutoff, s.received
        year = [
            i
            for i in compress(every, map(is_staged.__getitem__, col))
            if start <= received[i] <= cutoff
        ]
        ycol, ydec, ycase = pick(col, year), pick(decision, year), pick(s.case_id, year)
        by_decision = Counter(zip(ycol, ydec, strict=True))
        decided: Counter[tuple[str, int, str]] = Counter()
        for (c, d), n in by_decision.items():
            if c in _LATER:
                procedure, _, number = c.rpartition("_")
                decided[(procedure, int(number), d or "accepted")] += n
        # the cases of the year's Stage 1 and 2 (not refused), by the stage they could go
        # on to (one pass; who went on is then counted in C)
        asked: dict[str, list[int]] = defaultdict(list)
        for cid, c, d in zip(ycase, ycol, ydec, strict=True):
            if c in _NEXT and d != "refused":
                asked[_NEXT[c]].append(cid)
        previous = _split(Counter({c: len(ids) for c, ids in asked.items()}))
        progressed = _split(
            Counter({c: sum(map(went_on[c].__contains__, ids)) for c, ids in asked.items()})
        )
        rows = []
        for procedure in ("statutory", "corporate"):
            for number in (2, 3):
                k = (procedure, number)
                cells: dict[str, Cell] = {
                    "previous": previous[k],
                    "progressed": progressed[k],
                    "accepted": decided[(*k, "accepted")],
                    "refused": decided[(*k, "refused")],
                    "withdrawn": decided[(*k, "withdrawn")],
                }
                cells["requests"] = cells["accepted"] + cells["refused"] + cells["withdrawn"]
                if any(cells.values()):
                    label = f"{procedure.capitalize()} {number - 1} to {number}"
                    rows.append(Row(f"{procedure}_{number}", label, cells))
        columns = (
            Column("previous", "Previous stage received", in_row_total=False, adds_down=False),
            Column("progressed", "Went on to next stage", in_row_total=False, adds_down=False),
            Column("accepted", "Requests accepted", adds_down=False),
            Column("refused", "Refused", adds_down=False),
            Column("withdrawn", "Withdrawn", adds_down=False),
            Column("requests", "Requests received", in_row_total=False, adds_down=False),
        )
        return Table(
            "escalation",
            "Escalation to Stages 2 and 3",
            columns,
            tuple(rows),
            row_total="requests",
            note="'Went on': of the previous stage received in the year, how many had a "
            "further stage accepted by the as-at date (whenever it was asked for). Requests: "
            "received in the year; 'withdrawn' includes stages withdrawn after acceptance.",
        )

    # -- who, what and where -------------------------------------------------------------

    def by_service(self) -> Table:
        return self._by_service(
            "by_service",
            "Stage 1 complaints by division and service",
            self.stage1_ix,
            "Stage 1 complaints received in the year. Upheld: upheld or partially upheld "
            "by the as-at date; % upheld is of those received.",
        )

    def later_stages_by_service(self) -> Table:
        later = self.year_having(lambda c: c in THEMED and c[-2:] != "_1")
        return self._by_service(
            "later_stages_by_service",
            "Stage 2, Stage 3 and Ombudsman by division and service",
            later,
            "Stage 2 and 3 complaints and Ombudsman enquiries received in the year. Upheld: "
            "upheld or partially upheld by the council, or found at fault by the Ombudsman, "
            "by the as-at date.",
        )

    def _by_service(self, table_id: str, title: str, index: list[int], note: str) -> Table:
        col, divisions, services_, outcome = self.cols(
            index, "col", "division", "service", "outcome"
        )
        keys = present(col)
        # counted as stored, in one pass in C; 'not recorded' named once per combination
        received: Counter[tuple[str, str, str]] = Counter()
        upheld: Counter[tuple[str, str]] = Counter()
        as_stored = Counter(zip(divisions, services_, col, outcome, strict=True))
        for (d, v, c, o), n in as_stored.items():
            d, v = name_key(d), name_key(v)
            received[(d, v, c)] += n
            if o in UPHELD_OR_FAULT:
                upheld[(d, v)] += n
        services: dict[str, set[str]] = defaultdict(set)
        for d, v, _ in received:
            services[d].add(v)

        def cells(pairs: Iterable[tuple[str, str]]) -> dict[str, Cell]:
            pairs = list(pairs)
            c: dict[str, Cell] = {k: sum(received[(d, v, k)] for d, v in pairs) for k in keys}
            c["total"] = sum(c[k] for k in keys)
            c["upheld"] = sum(upheld[p] for p in pairs)
            return c

        rows = []
        used: set[str] = set()
        for d in sorted(services, key=name_order):
            div_key = f"division:{d}"
            label = "Division not recorded" if d == NOT_RECORDED else d
            rows.append(Row(div_key, label, cells((d, v) for v in services[d]), SUBTOTAL))
            for v in sorted(services[d], key=name_order):
                key = v if v not in used and v != NOT_RECORDED else f"{v} ({d})"
                used.add(key)
                rows.append(Row(key, name_label(v), cells([(d, v)]), DETAIL, div_key))
        rows.append(
            Row("total", "Total", cells((d, v) for d in services for v in services[d]), TOTAL)
        )
        columns = [Column(k, column_label(k)) for k in keys]
        columns.append(Column("total", "Received", in_row_total=False))
        columns.append(Column("upheld", "Upheld or partly", in_row_total=False))
        return Table(table_id, title, tuple(columns), tuple(rows), note=note)

    def remedies(self) -> Table:
        s, pos = self.s, self._basis_stage()
        kinds: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        pence: dict[str, int] = {}
        any_remedy: dict[str, set[int]] = defaultdict(set)
        for r in self.facts.remedies:
            i = pos.get(r.stage_id)
            if i is None or not s.concluded[i]:
                continue
            kinds[r.kind][s.col[i]].add(r.stage_id)
            any_remedy[s.col[i]].add(r.stage_id)
            if r.amount_pence is not None:
                pence[r.kind] = pence.get(r.kind, 0) + r.amount_pence
        keys = present(c for k in kinds.values() for c in k)
        rows = []
        for kind in ordered(kinds, self.vocab.tables["remedy"]):
            cells: dict[str, Cell] = {k: len(kinds[kind][k]) for k in keys}
            cells["total"] = sum(cells.values())
            # no amount at all (an apology) is blank, not £0.00
            cells["amount"] = pence[kind] / 100 if kind in pence else None
            rows.append(Row(kind, self.label("remedy", kind), cells))
        cells = {k: len(any_remedy[k]) for k in keys}
        cells["total"] = sum(cells.values())
        cells["amount"] = sum(pence.values()) / 100 if pence else None
        rows.append(Row("total", "Stages with a remedy", cells, TOTAL))
        columns = [Column(k, column_label(k), adds_down=False) for k in keys]
        columns.append(Column("total", "Total", in_row_total=False, adds_down=False))
        columns.append(Column("amount", "Payments £", POUNDS, in_row_total=False))
        return Table(
            "remedies",
            "Remedies",
            tuple(columns),
            tuple(rows),
            note=f"{self.counted}, concluded by the as-at date, with each kind "
            "of remedy (a stage with two remedies counts in both rows, once in the last). "
            "Payments are the total in pounds.",
        )

    def lgsco_decisions(self) -> Table:
        s = self.s
        ombudsman = [i for i in self.basis_ix if s.col[i] == "lgsco"]
        outcome_of = {s.id[i]: s.outcome[i] for i in ombudsman}
        pence: dict[str, int] = {}
        for r in self.facts.remedies:
            o = outcome_of.get(r.stage_id)
            if o and r.kind == "payment" and r.amount_pence:
                pence[o] = pence.get(o, 0) + r.amount_pence
        counts = Counter(o or "awaiting" for o in outcome_of.values())
        order = [k for k in self.vocab.tables["outcome"] if k in LGSCO_OUTCOMES and k in counts]
        order += sorted(set(counts) - set(order) - {"awaiting"})
        if "awaiting" in counts:
            order.append("awaiting")
        rows = [
            Row(
                k,
                "Awaiting decision" if k == "awaiting" else self.label("outcome", k),
                {"count": counts[k], "payments": pence[k] / 100 if k in pence else None},
            )
            for k in order
        ]
        rows.append(
            Row(
                "total",
                "Total",
                {
                    "count": len(ombudsman),
                    "payments": sum(pence.values()) / 100 if pence else None,
                },
                TOTAL,
            )
        )
        return Table(
            "lgsco_decisions",
            "Ombudsman enquiries and decisions",
            (Column("count", "Enquiries"), Column("payments", "Payments £", POUNDS)),
            tuple(rows),
            row_total=None,
            note=(
                "Ombudsman enquiries received in the year, by the decision recorded by the "
                "as-at date"
                if self.basis != CONCLUDED
                else "Ombudsman decisions made in the year (whenever the enquiry came)"
            )
            + "; payments are those the council made on them.",
        )
