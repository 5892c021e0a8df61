"""The memory a command's whole process tree holds at its peak, sampled (Linux).

A large import runs as many as three processes at once (the command, its store's writer,
a workbook's reader: services/store_writer, services/importing/sheet_apart), forked from
the command, so most of their pages are shared at first. Each process's proportional set
size (PSS: a shared page counted in parts, one per process sharing it) is summed over the
tree every ``interval`` seconds; the largest sum is the peak. Summed RSS would count a
shared page once per process: at 100,000 stages about 80 MB more than the tree holds.

    .venv/bin/python benchmarks/tree_memory.py COMMAND ARGS...   # prints wall and peak
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            found.setdefault(parent, []).append(int(name))
    return found


def tree_pss(pid: int) -> int:
    """Bytes: the PSS of ``pid`` and every process under it."""
    children, total, todo = _children(), 0, [pid]
    while todo:
        process = todo.pop()
        try:
            with open(f"/proc/{process}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass  # gone meanwhile
        todo += children.get(process, [])
    return total


def peak_of(command: list[str], interval: float = 0.1) -> tuple[float, int]:
    """(wall seconds, peak MB of the tree) of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss(process.pid))
        time.sleep(interval)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return time.perf_counter() - start, peak // (1 << 20)


if __name__ == "__main__":
    seconds, megabytes = peak_of(sys.argv[1:])
    print(f"wall {seconds:.1f} s, the process tree's peak {megabytes} MB (PSS, sampled)")
