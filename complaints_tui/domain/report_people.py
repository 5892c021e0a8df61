"""The annual report's tables of who complained, how, with whose help, and about what."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import compress, repeat
from operator import itemgetter

from .report import (
    DETAIL,
    MEMO,
    NOT_RECORDED,
    SUBTOTAL,
    TOTAL,
    UPHELD,
    Column,
    Row,
    Table,
    column_label,
)
from .report_base import TableBuilder
from .report_stages import (
    count_columns,
    counts_row,
    ordered,
    pick,
    present,
)


class PeopleTables(TableBuilder):
    _CASE_NOTE = (
        "Each stage received in the year counts in its column; Total counts each case once, "
        "however many of its stages fell in the year."
    )

    def _case_table(
        self, table_id: str, title: str, attribute: str, vocabulary: str, note: str
    ) -> Table:
        """Rows of a case attribute; a stage counts in its column, a case once in Total."""
        col, case_id, recorded = self.cols(self.complaint_ix, "col", "case_id", attribute)
        keys = present(col)
        # counted as stored, in C; blank and missing both become 'not recorded' after
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for (v, c), n in Counter(zip(recorded, col, strict=True)).items():
            counts[v or NOT_RECORDED][c] += n
        cases: Counter[str] = Counter()
        firsts = self.case_firsts(self.complaint_ix)
        for v, n in Counter(pick(recorded, firsts)).items():
            cases[v or NOT_RECORDED] += n
        order = ordered((k for k in counts if k != NOT_RECORDED), self.vocab.tables[vocabulary])
        if NOT_RECORDED in counts:
            order.append(NOT_RECORDED)
        rows = [
            counts_row(k, self.label(vocabulary, k), counts[k], keys, total=cases[k]) for k in order
        ]
        rows.append(counts_row("total", "Total", Counter(col), keys, total=len(firsts), kind=TOTAL))
        return Table(
            table_id, title, tuple(count_columns(keys, in_total=False)), tuple(rows), note=note
        )

    def complainant_types(self) -> Table:
        return self._case_table(
            "complainant_types", "Who complained", "complainant", "complainant", self._CASE_NOTE
        )

    def channels(self) -> Table:
        return self._case_table(
            "channels", "How complaints were made", "channel", "channel", self._CASE_NOTE
        )

    def advocacy(self) -> Table:
        col, case_id, adv, name, who = self.cols(
            self.complaint_ix, "col", "case_id", "with_advocate", "advocate_named", "complainant"
        )
        keys = present(col)

        def row(
            key: str, label: str, mask: Sequence[bool], kind: str = DETAIL, grp: str | None = None
        ) -> Row:
            return counts_row(
                key,
                label,
                Counter(compress(col, mask)),
                keys,
                total=len(set(compress(case_id, mask))),
                kind=kind,
                group=grp,
            )

        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for n, times in Counter(compress(name, adv)).items():
            spellings[n.casefold()][n] += times
        rows = [row("with_advocate", "With an advocate", adv, SUBTOTAL)]
        # each advocate's stages and cases, counted by name in C (not one pass per name)
        fold = {n: n.casefold() for n in set(name)}
        named = list(compress(map(fold.__getitem__, name), adv))
        by_stage = Counter(zip(named, compress(col, adv), strict=True))
        by_case = Counter(map(itemgetter(0), set(zip(named, compress(case_id, adv), strict=True))))
        for k in sorted(spellings, key=lambda k: (k == "", k)):
            label = "Advocate not named" if k == "" else spellings[k].most_common(1)[0][0]
            counts = {c: by_stage[(k, c)] for c in keys}
            rows.append(
                counts_row(
                    f"advocate:{k or NOT_RECORDED}",
                    label,
                    counts,
                    keys,
                    total=by_case[k],
                    group="with_advocate",
                )
            )
        rows.append(row("without_advocate", "Without an advocate", [not a for a in adv]))
        young = [w == "young_person" for w in who]
        rows.append(
            row(
                "young_person_with",
                "Young people with an advocate",
                [y and a for y, a in zip(young, adv, strict=True)],
                MEMO,
            )
        )
        rows.append(
            row(
                "young_person_without",
                "Young people without an advocate",
                [y and not a for y, a in zip(young, adv, strict=True)],
                MEMO,
            )
        )
        rows.append(row("total", "Total", [True] * len(col), TOTAL))
        return Table(
            "advocacy",
            "Advocacy",
            tuple(count_columns(keys, in_total=False)),
            tuple(rows),
            note=self._CASE_NOTE + " With an advocate: an advocate was involved or made the "
            "complaint.",
        )

    def _themes(self, table_id: str, title: str, index: Sequence[int], note: str) -> Table:
        col, case_id = self.cols(index, "col", "case_id")
        keys = present(col)
        spellings = self.spellings
        code, combos = self.theme_code.get, self.theme_combos
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        none = repeat(0)  # a case without themes
        for (c, combo), n in Counter(zip(col, map(code, case_id, none), strict=True)).items():
            for k in combos[combo]:
                counts[k][c] += n
        cases: Counter[str] = Counter()
        for combo, n in Counter(map(code, set(case_id), none)).items():
            for k in combos[combo]:
                cases[k] += n

        def label(k: str) -> str:
            best = spellings[k].most_common()
            top = best[0][1]
            return min(name for name, n in best if n == top)

        order = sorted(counts, key=lambda k: (-cases[k], label(k).casefold()))
        rows = [counts_row(k, label(k), counts[k], keys, total=cases[k]) for k in order]
        rows.append(
            counts_row(
                "total", "Complaints", Counter(col), keys, total=len(set(case_id)), kind=TOTAL
            )
        )
        columns = [Column(k, column_label(k), in_row_total=False, adds_down=False) for k in keys]
        columns.append(Column("total", "Total", in_row_total=False, adds_down=False))
        return Table(table_id, title, tuple(columns), tuple(rows), note=note)

    def themes(self) -> Table:
        return self._themes(
            "themes",
            "Themes of complaints",
            self.complaint_ix,
            self._CASE_NOTE + " A complaint may raise several themes, so rows add up to "
            "more than the total; % is of complaints.",
        )

    def themes_upheld(self) -> Table:
        outcome = self.s.outcome
        return self._themes(
            "themes_upheld",
            "Themes of upheld complaints",
            [i for i in self.complaint_ix if outcome[i] in UPHELD],
            "Stages upheld or partially upheld by the as-at date. A complaint may raise "
            "several themes; % is of upheld complaints.",
        )
