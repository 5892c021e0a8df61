"""The state every table of the annual report is computed from."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from functools import cached_property
from itertools import compress
from typing import Any

from .calendar import WorkingCalendar
from .policy import Policy
from .report import (
    CONCLUDED,
    NO_DEADLINE,
    NOT_RECORDED,
    RECEIVED,
    ReportFacts,
    period_of,
)
from .report_stages import (
    THEMED,
    StageColumns,
    pick,
    present,
)


class TableBuilder:
    """What every table is computed from: the stages as columns, the year's positions
    among them, and the vocabularies that label them."""

    def __init__(
        self,
        facts: ReportFacts,
        year: int,
        as_at: date,
        policy: Policy,
        calendar: WorkingCalendar,
        basis: str = RECEIVED,
    ) -> None:
        self.facts, self.year, self.as_at, self.basis = facts, year, as_at, basis
        self.policy, self.vocab = policy, policy.vocabularies
        self.start, self.end = period_of(year)
        self.cutoff = min(self.end, as_at)
        self.calendar = calendar
        self.s = s = StageColumns(facts, as_at, policy, calendar)
        start, cutoff = self.start, self.cutoff
        # The year's stages; a refused request for a further stage is not a stage.
        self.year_ix = [
            i
            for i, (r, d) in enumerate(zip(s.received, s.decision, strict=True))
            if start <= r <= cutoff and d != "refused"
        ]
        self.ycol = pick(s.col, self.year_ix)
        self.present = present(self.ycol)
        self.timed_ix = _having(self.year_ix, self.ycol, lambda c: c not in NO_DEADLINE)
        self.complaint_ix = _having(self.year_ix, self.ycol, THEMED.__contains__)
        self.stage1_ix = _having(
            self.year_ix, self.ycol, lambda c: c in ("statutory_1", "corporate_1")
        )
        # The stages the outcome tables count (outcomes, timeliness, working days,
        # extensions, remedies, the Ombudsman's decisions): received in the year, or, on
        # the concluded basis, concluded in it whenever received (carried in included).
        if basis == CONCLUDED:
            in_year = [i for i in self.year_ix if s.concluded[i] and s.answered[i] is None]
            answered = [
                i
                for i in compress(range(len(s.answered)), s.answered)  # those answered, in C
                if start <= s.answered[i] <= cutoff and s.decision[i] != "refused"
            ]
            self.basis_ix = sorted(in_year + answered)
        else:
            self.basis_ix = self.year_ix
        bcol = self.ycol if self.basis_ix is self.year_ix else pick(s.col, self.basis_ix)
        self.basis_timed_ix = _having(self.basis_ix, bcol, lambda c: c not in NO_DEADLINE)
        self.basis_complaint_ix = _having(self.basis_ix, bcol, THEMED.__contains__)
        self._picked: dict[tuple[int, str], tuple[Any, ...]] = {}
        self._lasting = {
            id(ix)
            for ix in (
                self.year_ix,
                self.timed_ix,
                self.complaint_ix,
                self.stage1_ix,
                self.basis_ix,
                self.basis_timed_ix,
                self.basis_complaint_ix,
            )
        }
        # the themes of each case and how each was spelt, for both theme tables
        # Each case's themes as one sorted tuple: cases share a few hundred combinations,
        # so the theme tables count stages by combination (in C), then spread each count.
        # A combination is counted by its number (theme_code; theme_combos[0] is no theme):
        # a tuple inside the counted pairs would be hashed again on every stage.
        # (Gathered and sorted per case: sorting every row's pair as one list was a tenth
        # of this builder's time.)
        t_case, t_theme, t_key = zip(*facts.themes, strict=True) if facts.themes else ((),) * 3
        keys_of: dict[int, set[str]] = defaultdict(set)
        for case_id, key in zip(t_case, t_key, strict=True):
            keys_of[case_id].add(key)
        combos: dict[tuple[str, ...], int] = {(): 0}
        self.theme_code: dict[int, int] = {
            case_id: combos.setdefault(tuple(sorted(keys)), len(combos))
            for case_id, keys in keys_of.items()
        }
        self.theme_combos: list[tuple[str, ...]] = list(combos)
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for (key, theme), n in Counter(zip(t_key, t_theme, strict=True)).items():
            self.spellings[key][theme.strip()] += n

    def label(self, vocabulary: str, key: str) -> str:
        if key == NOT_RECORDED:
            return "Not recorded"
        return self.vocab.label(vocabulary, key)

    def cols(self, index: Sequence[int], *names: str) -> list[tuple[Any, ...]]:
        """The named columns for the stages at ``index`` (picked once, then reused)."""
        if id(index) not in self._lasting:  # a passing list: its id may be reused later
            return [pick(getattr(self.s, name), index) for name in names]
        out = []
        for name in names:
            key = (id(index), name)
            if key not in self._picked:
                self._picked[key] = pick(getattr(self.s, name), index)
            out.append(self._picked[key])
        return out

    def year_having(self, test: Callable[[str], bool]) -> list[int]:
        """The year's stages whose report column passes ``test``."""
        return _having(self.year_ix, self.ycol, test)

    def case_firsts(self, index: Sequence[int]) -> tuple[int, ...]:
        """Where each case occurs among the stages at ``index``, once (offsets into
        ``cols(index, ...)``): a case's own columns are the same on each of its stages,
        so counting them at these offsets counts each case once, without pairing every
        stage with its case to de-duplicate."""
        key = (id(index), "case_firsts")
        firsts = self._picked.get(key)
        if firsts is None:
            (case_id,) = self.cols(index, "case_id")
            firsts = tuple(dict(zip(case_id, range(len(case_id)), strict=True)).values())
            if id(index) in self._lasting:
                self._picked[key] = firsts
        return firsts

    @cached_property
    def year_stage(self) -> dict[int, int]:
        """Stage id -> position, for the year's stages (made once, for every table)."""
        return dict(zip(pick(self.s.id, self.year_ix), self.year_ix, strict=True))

    def _basis_stage(self) -> dict[int, int]:
        """Stage id -> position, for the stages the outcome tables count."""
        return dict(zip(pick(self.s.id, self.basis_ix), self.basis_ix, strict=True))

    @property
    def counted(self) -> str:
        """How the outcome tables' notes name the stages they count."""
        if self.basis == CONCLUDED:
            return "Stages concluded in the year (whenever received)"
        return "Stages received in the year"


def _having(index: Sequence[int], cols: Sequence[str], test: Callable[[str], bool]) -> list[int]:
    """The positions in ``index`` whose column passes ``test``, asked once per column."""
    keep = {c: test(c) for c in set(cols)}
    return list(compress(index, map(keep.__getitem__, cols)))
