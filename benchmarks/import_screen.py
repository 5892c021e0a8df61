"""The Import screen's reading of a file, as its workers do it, beside the floor of reading
the file's rows once and doing nothing with them (the same run, CPU seconds, medians).

Run: .venv/bin/python benchmarks/import_screen.py FILE [FILE ...] [--repeat 3]
     (e.g. the export of `complaints-tui demo --cases 100000`, as .csv and .xlsx)

Two ways are timed: the file read twice (the whole file proposed, every word listed, then
checked) and read once (the first rows proposed, the words gathered as the check reads:
what the screen does). Each prints when the mapping would show and when the preview would.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from complaints_tui.services.context import Context
from complaints_tui.services.importer import check_file
from complaints_tui.services.importing.propose import as_mapping, propose
from complaints_tui.services.importing.sources import open_source
from complaints_tui.services.importing.word_choices import WordCollector
from complaints_tui.services.importing.words import Words
from db.engine import make_engine


def floor(path: Path) -> float:
    start = time.process_time()
    for _ in open_source(path).rows:
        pass
    return time.process_time() - start


def screen(ctx: Context, path: Path, *, once: bool) -> tuple[float, float]:
    """(CPU seconds until the mapping shows, until the checked preview shows)."""
    vocab = ctx.policy.vocabularies
    start = time.process_time()
    proposal = propose(path, vocab, whole=not once)
    shown = time.process_time() - start
    at = {heading: cell for cell, heading in proposal.headings_at.items()}
    collector = WordCollector({c: at[h] for c, h in proposal.columns.items()}, Words(vocab, {}))
    check_file(ctx, path, mapping=as_mapping(proposal), watch=collector.add if once else None)
    if once:
        collector.found()
    return shown, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    ctx = Context(make_engine(Path(tempfile.mkdtemp()) / "screen.sqlite3"))
    for path in options.files:
        floors = [floor(path) for _ in range(options.repeat)]
        twice = [screen(ctx, path, once=False) for _ in range(options.repeat)]
        once = [screen(ctx, path, once=True) for _ in range(options.repeat)]
        base = statistics.median(floors)
        print(f"{path.name}: reading its rows once (floor) {base:.1f} s CPU")
        for label, runs in (("read twice (before)", twice), ("read once (the screen)", once)):
            mapping = statistics.median(r[0] for r in runs)
            preview = statistics.median(r[1] for r in runs)
            print(
                f"  {label:24} mapping shown after {mapping:5.1f} s, preview after "
                f"{preview:5.1f} s = {preview / base:.1f}x the floor"
            )


if __name__ == "__main__":
    main()
