"""A large sheet's rows read out of its XML by a process of its own, while this one checks
them.

Reading a 100,000-row export's sheet (inflating 126 MB of XML, matching every row's
cells, making each value) is about as much work as checking and building its rows, and an
import's own process was the one the officer waited for: its store's writer (store_writer)
sat idle part of each chunk. Here a child reads the sheet by the same code (sheet_xml) and
sends its rows up a pipe in batches; this process only unpickles them. The pipe holds a
batch or so, so the child reads at most a batch or two ahead: memory does not grow with
the file.

The child opens the file by its name (a descriptor shared across a fork shares its offset
with openpyxl's reading here), reads nothing else and writes nowhere; it is forked when
this process has no other thread (a command; it inherits the imports, and exits with
``os._exit``, so a database connection it inherited is never used or closed by it), or
started by apart's fork server (the app). A small sheet is read here: a child's start would
cost more than it saves.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import suppress
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from .problems import Problem
from .sources import Unreadable

LARGE = 8 << 20
"""A sheet's XML from this size (a 100,000-row export's is 126 MB) is read by a child."""
BATCH = 1000
"""Rows a message: a few hundred kilobytes pickled."""


def rows_apart(
    path: str | None,
    member: str,
    strings: Any,
    dates: frozenset[int],
    epoch: datetime,
    size: int,
) -> Iterator[tuple[int, list[Any]]] | None:
    """The sheet's rows read by a child, or None (too small, one core, no file's name)."""
    if size < LARGE or path is None or (os.cpu_count() or 1) < 2:
        return None
    from .. import apart

    context = apart.context(fork_if_alone=True)
    ours, theirs = context.Pipe(duplex=False)
    child = context.Process(
        target=_reader,
        args=(theirs, path, member, list(strings), dates, epoch),
        name="sheet",
        daemon=True,  # never outlives us
    )
    apart.start(child)
    theirs.close()  # EOF on ours once the child has gone
    return _received(ours, child)


def _received(pipe: Connection, child: BaseProcess) -> Iterator[tuple[int, list[Any]]]:
    ended = False
    try:
        while not ended:
            try:
                kind, value = pipe.recv()
            except EOFError:
                child.join(5)
                raise Unreadable(
                    Problem(
                        0,
                        "file",
                        f"the process reading the sheet stopped (exit {child.exitcode}) "
                        "before its end: try again",
                    )
                ) from None
            if kind == "rows":
                yield from value
            elif kind == "end":
                ended = True
            else:
                raise value
    finally:
        pipe.close()
        if not ended:
            child.kill()  # rows no longer wanted (or an error): it holds nothing to keep
        child.join()


def _reader(
    pipe: Connection,
    path: str,
    member: str,
    strings: list[Any],
    dates: frozenset[int],
    epoch: datetime,
) -> None:
    """In the child: the sheet's rows, a batch a message, then "end" (or the error)."""
    from .. import apart
    from .sheet_xml import _Cells, _rows

    apart.quiet()
    try:
        with zipfile.ZipFile(path) as archive:
            batch: list[tuple[int, list[Any]]] = []
            for number, values in _rows(archive, member, _Cells(strings, dates, epoch)):
                batch.append((number, values))
                if len(batch) >= BATCH:
                    pipe.send(("rows", batch))
                    batch = []
            pipe.send(("rows", batch))
        pipe.send(("end", None))
    except (BrokenPipeError, EOFError):
        pass  # this process stopped reading: nothing more is wanted
    except Exception as exc:  # the same error the reading here would have raised
        with suppress(OSError):
            try:
                pipe.send(("error", exc))
            except Exception:  # an error that cannot be pickled
                pipe.send(("error", zipfile.BadZipFile(str(exc))))
    finally:
        pipe.close()
