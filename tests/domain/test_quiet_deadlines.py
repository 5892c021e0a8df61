"""A deadline asked for without its reasons (as the report asks for hundreds) is the same
deadline: generated clocks of every kind, under the default policy and the 2026 Code."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.clocks import ClockInput, stage_deadline
from complaints_tui.domain.policy import DEFAULT_POLICY_FILE, Policy
from complaints_tui.domain.policy_file import load_policy

D = date
POLICY = Policy()
CAL = WorkingCalendar()
CODE = load_policy(DEFAULT_POLICY_FILE.with_name("complaint_handling_code_2026.toml"))
days = st.dates(D(2025, 1, 1), D(2027, 6, 30))


@st.composite
def clocks(draw: st.DrawFn) -> ClockInput:
    procedure = draw(st.sampled_from(["statutory", "corporate", "lgsco", "mp", "duty"]))
    number = draw(st.integers(1, 3)) if procedure in ("statutory", "corporate") else 1
    start = draw(days)
    stops = tuple(
        (a, draw(st.one_of(st.none(), st.dates(a, a + timedelta(days=60)))))
        for a in sorted(draw(st.lists(st.dates(start, start + timedelta(days=90)), max_size=3)))
    )
    panel = draw(st.one_of(st.none(), st.dates(start, start + timedelta(days=60))))
    return ClockInput(
        procedure,
        number,
        start,
        extended_to=draw(st.sampled_from([None, 10, 20, 65])),
        fixed_due=draw(st.one_of(st.none(), days)) if procedure == "lgsco" else None,
        suspensions=stops,
        panel_date=panel,
        panel_report_date=draw(st.one_of(st.none(), st.dates(panel, panel + timedelta(days=30))))
        if panel
        else None,
        received=start,
        acknowledged=draw(st.one_of(st.none(), st.dates(start, start + timedelta(days=8)))),
        manual_start=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(clock=clocks(), code=st.booleans())
def test_a_deadline_asked_for_without_its_reasons_is_the_same_deadline(
    clock: ClockInput, code: bool
) -> None:
    # The report asks for hundreds of due dates without their explanations: only the
    # words may differ (Deadline's equality leaves the explanation out).
    policy, cal = (CODE, WorkingCalendar(CODE.closure_days)) if code else (POLICY, CAL)
    quiet = stage_deadline(clock, policy, cal, explain=False)
    explained = stage_deadline(clock, policy, cal)
    assert quiet == explained
    assert explained.explanation
