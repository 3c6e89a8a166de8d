"""Time the answer checker on 1,000 answers drawn from the answer tables.

    .venv/bin/python benchmarks/check_speed.py [--answers 1000] [--repeat 5]

The answers cycle through every accepted, partial and rejected answer in
tests/answer_tables/*.toml. Prints the best wall-clock and CPU time; the last
line is JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from stalin_course import check

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pairs = [
        (qid, answer)
        for table in sorted((ROOT / "tests" / "answer_tables").glob("*.toml"))
        for qid, kinds in tomllib.loads(table.read_text(encoding="utf-8")).items()
        for answers in kinds.values()
        for answer in answers
    ]
    batch = (pairs * (args.answers // len(pairs) + 1))[: args.answers]
    check(batch[0][0], "warm up")
    wall, cpu = [], []
    for _ in range(args.repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        for qid, answer in batch:
            check(qid, answer)
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
    print(
        f"{len(batch)} answers ({len(pairs)} distinct): best {min(wall):.3f} s wall, {min(cpu):.3f} s CPU"
    )
    print(
        json.dumps(
            {
                "answers": len(batch),
                "best_seconds": round(min(wall), 3),
                "best_cpu_seconds": round(min(cpu), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
