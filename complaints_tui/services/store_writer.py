"""A bulk store (import, demo) in one transaction, its rows written by a process of its own.

Storing 100,000 stages is about two parts SQLite's work to one part ours (reading the file,
checking every cell, working out each clock, building the rows). In one process the two
take turns; here a child process holds the transaction and writes each chunk of rows while
this process builds the next, so on a machine with a second core the officer waits for the
larger of the two rather than for both.

Nothing else changes: the rows are built by the same code (``store_rows``) from the same
ids (the child holds the write lock from before the highest ids are read until it
commits, as ``db.engine.transaction`` always does), and written by the same inserts, in
the same order, in one transaction: if anything fails on either side, or this process
stops, the child rolls back and nothing of the store is kept.

SQLite files only: PostgreSQL's ids come from its sequences, drawn as rows are built, and
an in-memory database cannot be opened by another process. A small store is written here
too: a child's start would cost more than it saves.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from itertools import count
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from complaints_tui.domain.records import CaseRecord
from db import repo, search
from db.engine import transaction
from db.errors import DatabaseError
from db.tables import Case, Stage

from . import apart, officers
from .bulk_gc import fewer_collections
from .context import Context
from .store import CHUNK, bulk_writing, store_records, write_chunk
from .store_rows import chunks

Existing = tuple[set[str], set[tuple[str, str, int]]]
"""The references and (reference, procedure, number) stages already stored."""

APART_FROM = CHUNK
"""Stores of at least this many cases (about) are written by a child process."""


def store_new(
    ctx: Context,
    make_records: Callable[[Existing], Iterable[CaseRecord]],
    *,
    event: str | None = "imported",
    expected: int | None = None,
    existing: bool = True,
    apart_if_large: int | None = None,
) -> int:
    """Store the records ``make_records`` gives in one transaction, and add the officers
    they name to the team's list; returns how many cases were stored.

    ``make_records`` is given what is already stored, read in the storing transaction
    (with ``existing``; nothing otherwise), and may raise to store nothing. ``event`` and
    ``expected`` are ``store_records``'s. ``apart_if_large``: about how many cases there
    will be (None: too few to say); at least APART_FROM, they are written by a child
    process when the database allows it."""
    if (
        apart_if_large is not None
        and apart_if_large >= APART_FROM
        and ctx.engine.dialect.name == "sqlite"
        and apart.separable(ctx.engine)
        and (os.cpu_count() or 1) > 1
    ):
        return _store_apart(ctx, make_records, event, expected, existing)
    with transaction(ctx.engine) as session:
        found = existing_in(session) if existing else (set(), set())
        written = store_records(ctx, session, make_records(found), event=event, expected=expected)
        officers.seed_from_cases(session)
        return written


def existing_in(session: Any) -> Existing:
    """What is already stored, as an import checks its rows against it."""
    return repo.existing_references(session), repo.existing_stage_keys(session)


class _Abandoned(Exception):
    """The parent stopped building rows (a refused file, an error): roll back."""


def _child(pipe: Connection, url: str, expected: int | None, existing: bool) -> None:
    """In the child: the transaction, the highest ids and what exists sent up, then each
    chunk written as it comes, until the end (commit) or anything else (roll back)."""
    from db.engine import make_engine

    apart.quiet()
    engine = None
    try:
        engine = make_engine(url, create=False)  # the parent has checked the database
        with transaction(engine) as session:
            found = existing_in(session) if existing else None
            pipe.send(("ready", (repo.max_id(session, Case), repo.max_id(session, Stage), found)))
            inbox = _Inbox(pipe)
            with bulk_writing(session, expected) as index_so_far:
                while True:
                    kind, value = inbox.get()
                    if kind == "end":
                        break
                    if kind != "rows":
                        raise _Abandoned
                    write_chunk(session, value)
                    if inbox.empty():
                        index_so_far()  # the next chunk is still being made
                search.index_new_cases(session)
            officers.seed_from_cases(session)
        pipe.send(("done", None))
    except (_Abandoned, EOFError, BrokenPipeError):
        pass  # rolled back; the parent knows why
    except Exception as exc:
        detail = getattr(exc, "orig", None) or exc
        pipe.send(("error", f"database or file error: {detail}"))
    finally:
        if engine is not None:
            engine.dispose()
        pipe.close()


class _Inbox:
    """The parent's messages, received by a thread of the child's own while it writes or
    indexes (SQLite lets go of the interpreter as it works): the parent never waits for
    the child to finish a chunk before it can send the next. One message waits at most,
    so two chunks (about) are held besides the one being written."""

    def __init__(self, pipe: Connection) -> None:
        self._waiting: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
        threading.Thread(target=self._receive, args=(pipe,), daemon=True).start()

    def _receive(self, pipe: Connection) -> None:
        kind = "rows"
        while kind == "rows":
            try:
                kind, value = pipe.recv()
            except (EOFError, OSError):
                kind, value = "gone", None  # the parent has stopped: roll back
            self._waiting.put((kind, value))

    def get(self) -> tuple[str, Any]:
        return self._waiting.get()

    def empty(self) -> bool:
        """Whether no message is waiting: the parent is still making the next."""
        return self._waiting.empty()


def _store_apart(
    ctx: Context,
    make_records: Callable[[Existing], Iterable[CaseRecord]],
    event: str | None,
    expected: int | None,
    existing: bool,
) -> int:
    context = apart.context(fork_if_alone=True)
    if context.get_start_method() == "fork":
        ctx.engine.dispose()  # no connection of ours may cross the fork (see apart)
    ours, theirs = context.Pipe()
    child = context.Process(
        target=_child,
        args=(theirs, apart.url_of(ctx.engine), expected, existing),
        name="store",
        daemon=True,  # never outlives us
    )
    apart.start(child)
    theirs.close()  # EOF on ours once the child has gone
    try:
        last_case, last_stage, found = _receive(ours, child, "ready")
        records = make_records(found or (set(), set()))
        written = 0
        with fewer_collections():  # the records are plain data: see bulk_gc
            for chunk in chunks(ctx, records, count(last_case + 1), count(last_stage + 1), event):
                _send(ours, child, ("rows", chunk))
                written += len(chunk[0])
        _send(ours, child, ("end", None))
        _receive(ours, child, "done")
        return written
    except BaseException:
        with suppress(OSError):  # unless the child has gone already
            ours.send(("abandon", None))
        raise
    finally:
        apart.stop(child)  # rolled back, or committed: it exits at once
        ours.close()


def _send(pipe: Connection, child: BaseProcess, message: tuple[str, Any]) -> None:
    """Send, unless the child has stopped (it says why, or has gone): then raise why now,
    not after the rest of the file."""
    if not pipe.poll():
        try:
            pipe.send(message)
            return
        except OSError:
            pass
    _receive(pipe, child, "")


def _receive(pipe: Connection, child: BaseProcess, wanted: str) -> Any:
    try:
        kind, value = pipe.recv()
    except (EOFError, OSError):
        child.join(5)
        raise DatabaseError(
            f"The process writing the cases stopped (exit {child.exitcode}); nothing was stored."
        ) from None
    if kind == "error":
        raise DatabaseError(value)
    if kind != wanted:
        raise DatabaseError(f"The process writing the cases said {kind!r}; nothing was stored.")
    return value
