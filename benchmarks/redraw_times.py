"""Time every redraw of every lesson explorer in the registry; the course's limit is 150 ms.

    .venv/bin/python benchmarks/redraw_times.py [--values 6]

Each explorer named in ``src/stalin_course/lessons.toml`` is built as its lesson builds it;
once any drawing it does ahead in a background thread is finished (a student clicks seconds
after the chart appears), each of its controls is moved through up to ``--values`` values it
has not shown yet, and each redraw is timed (wall clock and CPU). Prints a table, then one
line of JSON; exits 1 if any redraw took longer than the limit in CPU time, so that a busy
machine (wall clock) cannot fail it alone. Tests check *what* is redrawn, never how fast.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time

from stalin_course import lessons, widgets
from stalin_course.widgets.kit import control_values, controls

LIMIT_MS = 150


def redraw_times(factory, per_control: int = 6) -> list[tuple[float, float]]:  # noqa: ANN001
    """(wall ms, CPU ms) of each redraw of one explorer, over values it has not shown."""
    widget = factory()
    preparing = getattr(widget, "preparing", None)
    if preparing is not None:
        preparing.join()
    found = controls(widget)
    shown = {tuple(repr(c.value) for c in found)}
    times = []
    for control in found:
        for value in control_values(control)[:per_control]:
            if value == control.value:
                continue
            gc.collect()  # a collection owed by earlier work must not land inside the timing
            wall, cpu = time.perf_counter(), time.process_time()
            control.value = value
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            state = tuple(repr(c.value) for c in found)
            if state not in shown:  # a new picture, not one taken from the cache
                shown.add(state)
                times.append((1000 * wall, 1000 * cpu))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", type=int, default=6)
    args = parser.parse_args()
    report = {}
    print(f"{'explorer':<32} {'redraws':>7} {'median ms':>10} {'max ms':>8} {'max CPU ms':>11}")
    for lesson in lessons.LESSONS:
        for name in lesson.explorers:
            times = redraw_times(getattr(widgets, name), args.values)
            walls, cpus = [t[0] for t in times], [t[1] for t in times]
            report[name] = {
                "lesson": lesson.slug,
                "redraws": len(times),
                "median_ms": round(statistics.median(walls), 1),
                "max_ms": round(max(walls), 1),
                "max_cpu_ms": round(max(cpus), 1),
            }
            row = report[name]
            print(
                f"{name:<32} {row['redraws']:>7} {row['median_ms']:>10} {row['max_ms']:>8} "
                f"{row['max_cpu_ms']:>11}"
            )
    slowest = max(row["max_cpu_ms"] for row in report.values())
    print(json.dumps({"explorers": report, "slowest_cpu_ms": slowest, "limit_ms": LIMIT_MS}))
    return 0 if slowest < LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
