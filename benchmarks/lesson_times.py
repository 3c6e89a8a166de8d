"""Time every lesson run headless, and one redraw of each lesson's interactive widgets.

    .venv/bin/python benchmarks/lesson_times.py [--repeat 3]

Each lesson in notebooks/ is executed top to bottom with a real kernel (nbclient),
`--repeat` times; the best and median times are reported. Then each widget factory
listed below is built and its first control moved to a value it has not shown yet,
timing the redraw callback. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import ipywidgets as w
import nbformat
from nbclient import NotebookClient

from stalin_course import lessons, widgets
from stalin_course.widgets.kit import controls

ROOT = Path(__file__).resolve().parents[1]

#: The interactive widgets of each lesson, from the lesson registry, as the lesson builds them.
WIDGETS = {
    lesson.notebook: [getattr(widgets, name) for name in lesson.explorers]
    for lesson in lessons.LESSONS
}


def run_lesson(path: Path) -> float:
    """Seconds to execute one lesson top to bottom, kernel start included."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return time.perf_counter() - start


def _new_value(control: w.ValueWidget) -> object:
    if isinstance(control, w.IntRangeSlider):
        low, high = control.value
        return (low, high - 1) if high - 1 > low else (low, high + 1)
    if isinstance(control, w.IntSlider):
        return control.value + 1 if control.value < control.max else control.value - 1
    labels = [o[1] if isinstance(o, tuple) else o for o in control.options]
    return next(v for v in reversed(labels) if v != control.value)


def redraw_ms(factory) -> float:  # noqa: ANN001
    """Milliseconds for one redraw after the widget's first control moves."""
    widget = factory()
    preparing = getattr(widget, "preparing", None)  # a widget that draws ahead in the background
    if preparing is not None:
        preparing.join()  # a student clicks seconds after the chart appears, not at once
    control = controls(widget)[0]
    value = _new_value(control)
    start = time.perf_counter()
    control.value = value
    return 1000 * (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lessons = {}
    print(f"{'lesson':<28} {'best s':>7} {'median s':>9}   widget redraws (ms)")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        times = [run_lesson(path) for _ in range(args.repeat)]
        redraws = [round(redraw_ms(f), 1) for f in WIDGETS.get(path.stem, [])]
        lessons[path.stem] = {
            "best_seconds": round(min(times), 2),
            "median_seconds": round(statistics.median(times), 2),
            "redraw_ms": redraws,
        }
        print(f"{path.stem:<28} {min(times):>7.2f} {statistics.median(times):>9.2f}   {redraws}")
    worst = max(v["median_seconds"] for v in lessons.values())
    slowest_redraw = max((r for v in lessons.values() for r in v["redraw_ms"]), default=0)
    print(
        json.dumps(
            {"lessons": lessons, "worst_median_seconds": worst, "slowest_redraw_ms": slowest_redraw}
        )
    )


if __name__ == "__main__":
    main()
