"""The year's stages as the service reads them: column by column, each stage's case beside it.

A year of a large database is tens of thousands of stages. The database gives them as
rows; the tables count columns (``report_stages.StageColumns``). Turning the rows into
named tuples, then back into columns, and joining each stage to its case again in Python
took a tenth of the report's time. :class:`StageTable` keeps the columns as read, stage and
case side by side as the query joined them, and is still a sequence of ``StageFact`` for
the code that wants one stage at a time (restricting the report to some procedures, the
few stages whose due date is worked out again).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any, overload

from .report import CaseFact, StageFact

_stage = partial(tuple.__new__, StageFact)
_case = partial(tuple.__new__, CaseFact)


class StageTable(Sequence[StageFact]):
    """Stages as columns: ``stages`` in ``StageFact``'s field order, ``cases`` in
    ``CaseFact``'s, row for row (a stage without a case has None throughout)."""

    def __init__(self, stages: Sequence[Sequence[Any]], cases: Sequence[Sequence[Any]]) -> None:
        if len(stages) != len(StageFact._fields) or len(cases) != len(CaseFact._fields):
            raise ValueError("a StageTable needs every StageFact and CaseFact column")
        self.stages, self.cases = stages, cases
        self._n = len(stages[0])

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> StageFact: ...
    @overload
    def __getitem__(self, i: slice) -> list[StageFact]: ...
    def __getitem__(self, i: int | slice) -> StageFact | list[StageFact]:
        if isinstance(i, slice):
            return list(self)[i]
        return _stage(c[i] for c in self.stages)

    def __iter__(self) -> Iterator[StageFact]:
        return map(_stage, zip(*self.stages, strict=True))

    def case_facts(self) -> CaseList:
        """Each stage's case once, as ``ReportFacts.cases`` wants them (made when asked:
        the tables read the case columns beside the stages instead)."""
        return CaseList(self.cases)


class CaseList(Sequence[CaseFact]):
    """The distinct cases of a StageTable's case columns, in the order first met, made
    the first time they are asked for."""

    def __init__(self, cases: Sequence[Sequence[Any]]) -> None:
        self._columns = cases
        self._made: list[CaseFact] | None = None

    def _facts(self) -> list[CaseFact]:
        if self._made is None:
            ids = self._columns[0]
            n = len(ids)
            first = dict(zip(reversed(ids), range(n - 1, -1, -1), strict=True))
            self._made = [
                _case(c[i] for c in self._columns)
                for case_id, i in sorted(first.items(), key=lambda kv: kv[1])
                if case_id is not None
            ]
        return self._made

    def __len__(self) -> int:
        return len(self._facts())

    @overload
    def __getitem__(self, i: int) -> CaseFact: ...
    @overload
    def __getitem__(self, i: slice) -> list[CaseFact]: ...
    def __getitem__(self, i: int | slice) -> CaseFact | list[CaseFact]:
        return self._facts()[i]

    def __iter__(self) -> Iterator[CaseFact]:
        return iter(self._facts())
