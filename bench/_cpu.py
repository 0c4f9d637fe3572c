"""CPU seconds spent by a process, by PostgreSQL (postmaster and backends) and by our children."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def process_cpu(pid: int, reaped: bool = False) -> float:
    """User + system seconds of one process (and of its exited children when reaped)."""
    fields = _stat(pid)
    ticks = int(fields[11]) + int(fields[12])
    if reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def postgres_cpu(data_dir: Path) -> float:
    """The postmaster with every backend, living or exited."""
    master = int((data_dir / "postmaster.pid").read_text().split()[0])
    total = process_cpu(master, reaped=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == master:
                    total += process_cpu(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    return total


def children_cpu() -> float:
    """Seconds used by this process's exited children (wrk)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class CpuSplit:
    """CPU milliseconds per request: the server process, PostgreSQL, the load generator."""

    server: float
    postgres: float
    load: float

    @property
    def total(self) -> float:
        """Milliseconds of CPU all three spent on one request."""
        return self.server + self.postgres + self.load

    def line(self) -> str:
        """One printable line."""
        return (
            f"{self.server:.3f} server + {self.postgres:.3f} PostgreSQL + {self.load:.3f} wrk"
            f" = {self.total:.3f} CPU-ms per request"
        )


class CpuMeter:
    """Counts CPU between start and stop for one server process and PostgreSQL."""

    def __init__(self, server_pid: int, data_dir: Path) -> None:
        self.pid, self.data_dir = server_pid, data_dir
        self.start = self._now()

    def _now(self) -> tuple[float, float, float]:
        """Server, PostgreSQL and children seconds so far."""
        return process_cpu(self.pid), postgres_cpu(self.data_dir), children_cpu()

    def per_request(self, requests: float) -> CpuSplit:
        """Milliseconds per request since start."""
        end = self._now()
        spent = [(b - a) * 1000 / max(requests, 1) for a, b in zip(self.start, end, strict=True)]
        return CpuSplit(*spent)
