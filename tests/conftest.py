"""Shared fixtures: a real database (a SQLite file in tmp_path, and a real PostgreSQL when
``COMPLAINTS_TEST_PG`` names one) and a fixed 'today'.

The db, services and CLI tests take ``backend`` (through ``engine``, ``ctx``, ``db_target``
or ``new_db``) and run once per database: on SQLite always, on PostgreSQL when
``COMPLAINTS_TEST_PG`` is set, e.g. ``postgresql+psycopg://complaints@localhost/complaints``
(the user needs CREATE on that database). Each PostgreSQL test gets a fresh empty schema of
its own, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from complaints_tui.domain.calendar import WorkingCalendar
from complaints_tui.services.context import Context
from db.engine import make_engine

TODAY = date(2026, 11, 23)
"""A Monday; every test that depends on 'today' uses this."""

_CALENDAR = WorkingCalendar()

PG_URL = os.environ.get("COMPLAINTS_TEST_PG", "").strip()
PG_SKIP = (
    "COMPLAINTS_TEST_PG is not set "
    "(e.g. postgresql+psycopg://complaints@localhost/complaints; see README, Testing)"
)
BOTH_BACKENDS = ("tests/db", "tests/services", "tests/cli")
"""The folders whose tests run on both databases; the rest (domain rules, renderers,
screens) do not depend on which database holds the rows."""


def pytest_configure(config: pytest.Config) -> None:
    # The tests remember bank holidays in a folder of their own (one for the whole run,
    # which the commands they start inherit), never in the officer's cache folder.
    os.environ["COMPLAINTS_CACHE"] = tempfile.mkdtemp(prefix="complaints-tests-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("COMPLAINTS_CACHE", ""), ignore_errors=True)


def pytest_report_header(config: pytest.Config) -> str:
    if not PG_URL:
        return PG_SKIP
    from db.engine import shown_url

    return f"PostgreSQL runs on {shown_url(PG_URL)}"


_not_run: list[str] = []


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    where = Path(str(metafunc.definition.path)).as_posix()
    values = ["sqlite"]
    if metafunc.definition.get_closest_marker("postgresql"):
        values = ["postgresql"]
    elif any(f"/{folder}/" in where for folder in BOTH_BACKENDS):
        values = ["sqlite", "postgresql"]
    if not PG_URL and "postgresql" in values:
        # Not collected rather than skipped one by one: the run ends with one line.
        _not_run.append(metafunc.definition.nodeid)
        values.remove("postgresql")
    if values:
        metafunc.parametrize("backend", values, indirect=True, scope="module")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # a PostgreSQL-only test left without its parameter
    items[:] = [i for i in items if not (i.get_closest_marker("postgresql") and not PG_URL)]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _not_run:
        terminalreporter.write_line(f"{len(_not_run)} test(s) not run on PostgreSQL: {PG_SKIP}")


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


class PostgresSchemas:
    """Fresh schemas on the test server: one URL per database a test asks for."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine

        from db.engine import database_url

        self.base = database_url(url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.made: list[str] = []
        # Extensions belong to the database, not a schema: the search index's pg_trgm is
        # installed once in public (on every test schema's path), never inside a test
        # schema that is dropped afterwards.
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))

    def new(self) -> str:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {name}"))
        self.made.append(name)
        url = make_url(self.base).update_query_dict({"options": f"-csearch_path={name},public"})
        return url.render_as_string(hide_password=False)

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            for name in self.made:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        self.made.clear()
        self.admin.dispose()


def _factory(backend: str, folder: Path) -> tuple[Callable[..., str], Callable[[], None]]:
    """A maker of empty databases of ``backend`` and the clean-up for what it made."""
    if backend == "sqlite":

        def new_sqlite(name: str = "complaints") -> str:
            return str(folder / f"{name}.sqlite3")

        return new_sqlite, lambda: None
    schemas = PostgresSchemas(PG_URL)

    def new_postgres(name: str = "complaints") -> str:
        return schemas.new()

    return new_postgres, schemas.drop


@pytest.fixture
def new_db(backend: str, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """``new_db(name)``: the target (file path or URL) of a new empty database."""
    make, clean = _factory(backend, tmp_path)
    yield make
    clean()


@pytest.fixture(scope="module")
def new_module_db(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., str]]:
    """As ``new_db``, for a database a whole module shares (demo data read by many tests)."""
    make, clean = _factory(backend, tmp_path_factory.mktemp("module"))
    yield make
    clean()


@pytest.fixture
def db_target(new_db: Callable[..., str]) -> str:
    return new_db()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file, for tests about the file itself (permissions, backups, damage)."""
    return tmp_path / "complaints.sqlite3"


@pytest.fixture
def engine(db_target: str) -> Iterator[Engine]:
    engine = make_engine(db_target)
    yield engine
    engine.dispose()


TEAM = ("Test Officer", "R. Okafor")
"""The officers on the team's list in every test database (assignment picks from it)."""


def with_team(ctx: Context) -> Context:
    from complaints_tui.services.officers import add_officer

    for name in TEAM:
        add_officer(ctx, name)
    return ctx


@pytest.fixture
def ctx(engine: Engine) -> Context:
    return with_team(Context(engine, calendar=_CALENDAR, actor="Test Officer", clock=lambda: TODAY))


def order_weeks_agree(connection: Any) -> None:
    """PostgreSQL's due-order buckets (``db.search_weeks``): every case's ``order_weeks``
    are the buckets of its stages (and ``RUNNING`` when a clock runs, and the weeks they
    were received in), worked out here in
    Python, and the token index finds each case by one of its tokens; the stage counts
    (``db.stage_counts``) are the stages' own. ``connection``: a SQLAlchemy connection."""
    from collections import Counter

    from sqlalchemy import text

    from complaints_tui.domain.clocks import OPEN_STATUSES
    from db import search_weeks, stage_counts

    want: dict[int, set[int]] = {}
    counted: Counter[tuple[str, bool]] = Counter()
    rows = connection.execute(text("SELECT case_id, due, id, status, received FROM stages"))
    for case_id, due, stage_id, status, received in rows:
        bucket = search_weeks.undated(stage_id) if due is None else search_weeks.week(due)
        want.setdefault(case_id, set()).add(bucket)
        want[case_id].add(search_weeks.received_week(received))
        if status in OPEN_STATUSES:
            want[case_id].add(search_weeks.RUNNING)
        counted[(status, due is not None)] += 1
    kept = stage_counts.counts(connection)
    assert {k: n for k, n in kept.items() if n} == dict(counted)
    got = {
        case_id: set(weeks)
        for case_id, weeks in connection.execute(text("SELECT id, order_weeks FROM cases"))
    }
    assert got == {case_id: want.get(case_id, set()) for case_id in got}
    for case_id, weeks in got.items():
        for bucket in weeks:
            (gram,) = connection.execute(
                text("SELECT (show_trgm(search_text))[1] FROM cases WHERE id = :id"),
                {"id": case_id},
            ).one()
            found = connection.execute(
                text(
                    "SELECT id FROM cases WHERE order_tokens(order_weeks, search_text) "
                    "@> ARRAY[:token]"
                ),
                {"token": f"{bucket}:{gram}"},
            ).scalars()
            assert case_id in set(found)


def stage_order_agrees(connection: Any) -> None:
    """SQLite's stage indexes (``db.search_order``: due and received order) hold exactly
    what their content views say: for every trigram, the keys of the stages whose text
    holds it. (FTS5's own integrity-check does not compare an external-content index with
    its content in the SQLite this runs on.) ``connection``: a sqlite3 connection."""
    for name in ("stage_order", "stage_received"):
        want: dict[str, set[int]] = {}
        for key, text in connection.execute(f"SELECT sort_key, search_text FROM {name}_rows"):
            low = text.lower()
            for i in range(len(low) - 2):
                want.setdefault(low[i : i + 3], set()).add(key)
        connection.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name}_terms "
            f"USING fts5vocab(main, {name}, row)"
        )
        terms = {t for (t,) in connection.execute(f"SELECT term FROM temp.{name}_terms")}
        assert terms == set(want), name
        for term, keys in want.items():
            phrase = '"' + term.replace('"', '""') + '"'
            got = connection.execute(
                f"SELECT rowid FROM {name} WHERE {name} MATCH ?", (phrase,)
            ).fetchall()
            assert {k for (k,) in got} == keys, (name, term)
