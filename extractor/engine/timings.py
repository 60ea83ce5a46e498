"""A build's stage times, shown on stderr when EXTRACTOR_TIMINGS is set (the benchmark reads
them): wall seconds, then the CPU seconds this process and its waited-for children spent,
user and system, which tell a stage that waits from one that works on both cores."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

__all__ = ["TIMINGS_ENV", "Lap", "Timer", "format_laps", "timings_wanted"]

TIMINGS_ENV = "EXTRACTOR_TIMINGS"

#: A stage's name, its wall seconds, and the user and system CPU seconds it took.
Lap = tuple[str, float, float, float]


def timings_wanted() -> bool:
    return bool(os.environ.get(TIMINGS_ENV))


class Timer:
    """Laps of a build, each from the end of the one before."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.last_cpu = self._cpu()
        self.laps: list[Lap] = []

    @staticmethod
    def _cpu() -> tuple[float, float]:
        times = os.times()
        return times.user + times.children_user, times.system + times.children_system

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), self._cpu()
        user, system = (cpu[0] - self.last_cpu[0], cpu[1] - self.last_cpu[1])
        self.laps.append((name, now - self.last, user, system))
        self.last, self.last_cpu = now, cpu


def format_laps(laps: Sequence[Lap]) -> str:
    """The one line the build prints: ``timings: records 1.23s (2.0u+0.1s), ...``."""
    return "timings: " + ", ".join(
        f"{name} {seconds:.2f}s ({user:.1f}u+{system:.1f}s)" for name, seconds, user, system in laps
    )
