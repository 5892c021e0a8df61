"""The timescale policy: documented defaults, partial overrides, and strict refusals."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.domain.errors import PolicyError
from complaints_tui.domain.policy import (
    DEFAULT_POLICY_FILE,
    CorporatePolicy,
    Policy,
    SinglePolicy,
    StatutoryPolicy,
    Timescale,
)
from complaints_tui.domain.policy_file import load_policy, parse_policy
from complaints_tui.domain.vocab import OUTCOMES

D = date


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- defaults ------------------------------------------------------------------------------


def test_defaults_equal_the_documented_file() -> None:
    assert load_policy(DEFAULT_POLICY_FILE) == Policy()
    assert load_policy(None) == Policy()


@pytest.mark.parametrize(
    ("section", "cls"),
    [("statutory", StatutoryPolicy), ("corporate", CorporatePolicy), ("single", SinglePolicy)],
)
def test_documented_file_lists_every_key(section: str, cls: type) -> None:
    # A key missing from the documented file is a setting nobody knows they can change.
    data = tomllib.loads(DEFAULT_POLICY_FILE.read_text(encoding="utf-8"))
    assert set(data[section]) == {f.name for f in fields(cls)}
    assert {"acknowledgement", "escalation_window", "late_matter_months", "closure_days"} <= set(
        data
    )


@pytest.mark.parametrize(
    ("procedure", "stage", "expected"),
    [
        # the numbers in the issue, typed in by hand
        ("statutory", 1, Timescale(10, 20)),
        ("statutory", 2, Timescale(25, 65)),
        ("statutory", 3, Timescale(50, 50)),  # panel 30 + report 5 + response 15
        ("corporate", 1, Timescale(10, 20)),
        ("corporate", 2, Timescale(20, 40)),
        ("corporate", 3, Timescale(30, 30)),
        ("mp", None, Timescale(10, 10)),
        ("councillor", None, Timescale(10, 10)),
        ("mayor", None, Timescale(10, 10)),
        ("chief_executive", None, Timescale(10, 10)),
        ("general", None, Timescale(10, 10)),
        ("foi", None, Timescale(20, 20)),
        ("lgsco", None, Timescale(20, 20)),
        ("duty", None, Timescale(2, 2)),
        ("compliment", None, None),
    ],
)
def test_default_timescales(procedure: str, stage: int | None, expected: Timescale | None) -> None:
    assert Policy().timescale(procedure, stage) == expected


def test_default_scalars() -> None:
    policy = Policy()
    assert policy.acknowledgement == 3
    assert policy.escalation_window == 20
    assert policy.late_matter_months == 12
    assert policy.closure_days == ()
    s = policy.statutory
    assert (s.stage3_panel, s.stage3_report, s.stage3_response) == (30, 5, 15)


# -- overrides -----------------------------------------------------------------------------


def test_overriding_a_subset_keeps_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
acknowledgement = 5

[statutory]
stage1 = 20

[single]
foi = 15
""",
    )
    policy = load_policy(path)
    assert policy.acknowledgement == 5
    assert policy.statutory.stage1 == 20
    assert policy.single.foi == 15
    # everything else as documented
    assert policy.statutory == StatutoryPolicy(stage1=20)
    assert policy.single == SinglePolicy(foi=15)
    assert policy.corporate == CorporatePolicy()
    assert policy.escalation_window == 20
    assert policy.late_matter_months == 12
    assert policy.vocabularies == Policy().vocabularies


def test_zero_is_a_valid_timescale() -> None:
    assert parse_policy({"single": {"duty": 0}}).single.duty == 0


def test_closure_days_make_days_non_working(tmp_path: Path) -> None:
    # strings and TOML's own dates both accepted; kept sorted
    path = write(tmp_path, 'closure_days = ["2026-12-31", 2026-12-29, "2026-12-30"]\n')
    policy = load_policy(path)
    assert policy.closure_days == (D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31))
    cal = WorkingCalendar(policy.closure_days)
    for day in policy.closure_days:
        assert cal.is_working_day(day) is False
    assert cal.is_working_day(D(2026, 12, 24)) is True
    # Thu 24 Dec 2026: Fri 25 Christmas, weekend, Mon 28 Boxing Day substitute, 29-31 closed,
    # Fri 1 Jan 2027 New Year's Day, weekend, Mon 4 Jan (1)
    assert cal.add_working_days(D(2026, 12, 24), 1) == D(2027, 1, 4)
    # and without the closures: Tue 29 Dec (1)
    assert WorkingCalendar().add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)


def test_vocabulary_extension_adds_a_key_with_its_label(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[vocabulary.outcome]
resolved_adr = "Resolved by alternative dispute resolution"
upheld = "Upheld in full"

[vocabulary.channel]
social_media = "Social media"
""",
    )
    vocab = load_policy(path).vocabularies
    assert "resolved_adr" in vocab.keys("outcome")
    assert vocab.label("outcome", "resolved_adr") == "Resolved by alternative dispute resolution"
    assert vocab.label("outcome", "upheld") == "Upheld in full"  # relabelled
    assert vocab.keys("outcome") == set(OUTCOMES) | {"resolved_adr"}  # defaults kept
    assert vocab.label("channel", "social_media") == "Social media"
    # the defaults themselves are untouched
    assert "resolved_adr" not in Policy().vocabularies.keys("outcome")
    assert Policy().vocabularies.label("outcome", "upheld") == "Upheld"


# -- refusals: the message names the key and the file ----------------------------------

REFUSALS = [
    pytest.param("acknowledgment = 3\n", "'acknowledgment'", id="unknown-top-level-key"),
    pytest.param("[statutory]\nstage4 = 10\n", "'statutory.stage4'", id="unknown-section-key"),
    pytest.param("[single]\ncomplaint = 10\n", "'single.complaint'", id="unknown-procedure"),
    pytest.param("[stage1]\ndays = 10\n", "'stage1'", id="unknown-section"),
    pytest.param(
        '[vocabulary.outcomes]\nresolved_adr = "ADR"\n', "'outcomes'", id="unknown-vocabulary"
    ),
    pytest.param(
        "[vocabulary.outcome]\nresolved_adr = 3\n",
        "vocabulary.outcome",
        id="vocabulary-label-not-text",
    ),
    pytest.param("[corporate]\nstage1 = -1\n", "corporate.stage1", id="negative"),
    pytest.param("acknowledgement = -3\n", "acknowledgement", id="negative-scalar"),
    pytest.param("[statutory]\nstage2 = 25.5\n", "statutory.stage2", id="fraction"),
    pytest.param('[statutory]\nstage2 = "25"\n', "statutory.stage2", id="text"),
    pytest.param("[single]\nfoi = true\n", "single.foi", id="boolean"),
    pytest.param("escalation_window = 2.0\n", "escalation_window", id="float-scalar"),
    pytest.param("statutory = 10\n", "statutory", id="section-not-a-table"),
    pytest.param('closure_days = "2026-12-29"\n', "closure_days", id="closures-not-a-list"),
    pytest.param('closure_days = ["2026-02-30"]\n', "2026-02-30", id="impossible-closure-day"),
    pytest.param('closure_days = ["next Tuesday"]\n', "next Tuesday", id="closure-not-a-date"),
    pytest.param("closure_days = [2026-12-29T09:00:00]\n", "closure_days", id="closure-date-time"),
    pytest.param("vocabulary = 1\n", "vocabulary", id="vocabulary-not-a-table"),
]


@pytest.mark.parametrize(("text", "named"), REFUSALS)
def test_refused_with_a_message_naming_key_and_file(tmp_path: Path, text: str, named: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert named in message
    assert str(path) in message


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[statutory]\nstage1 = \n")
    with pytest.raises(PolicyError, match="not valid TOML") as caught:
        load_policy(path)
    assert str(path) in str(caught.value)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "no-such-policy.toml"
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(path) in str(caught.value)


def test_parse_policy_names_its_source() -> None:
    with pytest.raises(PolicyError, match=r"team\.toml: unknown key 'stage1'"):
        parse_policy({"stage1": 10}, "team.toml")


def test_policy_error_is_a_domain_error() -> None:
    from complaints_tui.domain.errors import DomainError

    assert issubclass(PolicyError, DomainError)


def test_the_default_policys_fingerprint_is_the_one_databases_hold() -> None:
    # Every database stores this beside its clocks; a change to how the policy is written
    # out (its repr) would make every officer's program recompute them all on next open.
    from complaints_tui.domain.policy import fingerprint

    assert fingerprint(Policy()) == "401b7c1bbc08a662"
