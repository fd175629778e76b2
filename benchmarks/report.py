"""Printing figures (one line each, with how they were measured) and the small statistics they need."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def use_test_fakes() -> None:
    """Make the loopback fakes in tests/ (slack_fakes, discord_fakes, factories) importable."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))


def figure(name: str, value: str, how: str) -> None:
    """One figure: `name: value  [how it was measured]`, flushed at once so slow runs show progress."""
    print(f"{name}: {value}  [{how}]", flush=True)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    """Resident set size of a process in KiB, from /proc/PID/status (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def machine() -> str:
    """Cores and memory as /proc reports them."""
    total = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    memory = int(total) / 1024 / 1024
    return f"{os.cpu_count()} cores ({model}), {memory:.1f} GiB memory, Python {sys.version.split()[0]}"
