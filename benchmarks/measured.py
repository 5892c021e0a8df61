"""A command run as an officer runs it, measured (Linux): its wall time, its CPU and its
children's, its own peak memory and its largest child's (``command_figure``), and the
memory its whole process tree holds at its peak, sampled (``peak_of``).

A large import runs as many as three processes at once (the command, its store's writer,
a workbook's reader: services/store_writer, services/importing/sheet_apart), forked from
the command, so most of their pages are shared at first. Each process's proportional set
size (PSS: a shared page counted in parts, one per process sharing it) is summed over the
tree every ``interval`` seconds; the largest sum is the peak. Summed RSS would count a
shared page once per process: at 100,000 stages about 80 MB more than the tree holds.

    .venv/bin/python benchmarks/measured.py COMMAND ARGS...   # the tree's peak, and wall
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import time

# The command's own peak (VmHWM, reset by exec), printed as it exits: a child's ru_maxrss
# would count this script's memory at the fork, not the command's. A bulk store writes in
# a child process of the command's own (services/store_writer): that child's peak is
# printed too (the largest of the command's children), and the two are added, since they
# run at once.
_PEAK = (
    "import atexit, resource, runpy, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM'):\n"
    "            print('PEAK', line.split()[1], file=sys.stderr)\n"
    "    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "    print('CHILDREN', children, file=sys.stderr)\n"
    "atexit.register(peak)\n"
    "sys.argv = ['complaints-tui', *sys.argv[1:]]\n"
    "runpy.run_module('complaints_tui', run_name='__main__', alter_sys=True)\n"
)


def adopt_descendants() -> None:
    """This script becomes the reaper of its commands' orphaned descendants (Linux), so
    that their CPU is counted in RUSAGE_CHILDREN: a child forked by the app's fork server
    is reaped by that server, which exits after the command has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _reap_descendants(limit: float = 10.0) -> None:
    """Wait (at most ``limit`` seconds) for every descendant left after a command."""
    ends = time.monotonic() + limit
    while time.monotonic() < ends:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command_figure(*args: str) -> tuple[float, int, float]:
    """Seconds, peak memory (MB) and CPU seconds of one run of ``complaints-tui ARGS``, its
    child processes' CPU and peak memory included."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    _reap_descendants()
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr}")
    lines = done.stderr.splitlines()
    peaks = [int(line.split()[1]) for line in lines if line.startswith("PEAK")]
    children = [int(line.split()[1]) for line in lines if line.startswith("CHILDREN")]
    peak = (peaks[-1] if peaks else 0) + (children[-1] if children else 0)
    return seconds, peak // 1024, cpu


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
