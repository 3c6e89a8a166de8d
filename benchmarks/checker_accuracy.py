"""How well the answer checker marks answers it was never tuned on.

benchmarks/answer_set/ holds student-style answers written from the questions as
students see them, by writers who had not read the question bank or the checker, each
with the mark a careful teacher gives (`expect`, a fraction of the question's marks)
fixed before anything was run:

- ``dev/`` and ``dev_a/``: used while improving the checker (their failures were read);
- ``held_out/``: run to measure; add to it only when new questions are added.

Sets, by writer (each wrote from release/ and the lessons only, with `expect` fixed
before anything ran): ``dev`` 605 answers, ``dev_a`` 937, ``held_out`` 835.

Measured (2026-12-02; the old checker first, then this one):

- old checker: dev 84.4 % of acceptable answers right, 31 of 297 wrong answers scored;
  dev_a 86.2 %, 57 of 531.
- dev_a, first run, unseen: 95.8 %, 5 of 531 wrong scored, 0.2 % review.
- held_out, first run, unseen: 98.0 % (352 of 359), 2 of 476 wrong scored, 0.4 % review,
  0 exceptions. Its nine misses were then read and their families fixed, so held_out
  is no longer unseen: after that, 100 %, 0, 0.0 %. A new set from a new writer is
  needed for the next unseen figure.

Prints, for the chosen set: acceptable answers given their expected score, wrong answers
that score more than 0, the share sent to the teacher for review, and exceptions; with
``--failures``, every case that missed. The last line is one JSON object.

    .venv/bin/python benchmarks/checker_accuracy.py --set held_out
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import tomllib

from stalin_course.bank import load_bank
from stalin_course.checking import check

HERE = Path(__file__).resolve().parent / "answer_set"


def cases(which: str) -> list[dict]:
    """Every case of one set, with the file it came from."""
    found = []
    for path in sorted((HERE / which).glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            found.append({**case, "file": path.name})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="held_out", choices=["dev", "dev_a", "held_out", "all"])
    parser.add_argument("--failures", action="store_true", help="print every miss")
    args = parser.parse_args()
    chosen = ["dev", "dev_a", "held_out"] if args.set == "all" else [args.set]
    bank = load_bank()
    rows = [case for which in chosen for case in cases(which)]
    acceptable = acceptable_right = wrong = wrong_scored = review = errors = 0
    misses: list[str] = []
    by_family: Counter[str] = Counter()
    start = time.perf_counter()
    for case in rows:
        question = bank.resolve(case["code"])
        try:
            result = check(case["code"], case["answer"])
        except Exception as error:  # noqa: BLE001 - counted and shown, never hidden
            errors += 1
            misses.append(f"ERROR {case['code']} {question}: {error!r} <- {case['answer']!r}")
            continue
        expect = float(case["expect"])
        review += result.status == "review"
        if expect > 0:
            acceptable += 1
            ok = abs(result.score - expect) < 1e-6
            acceptable_right += ok
        else:
            wrong += 1
            ok = result.score == 0
            wrong_scored += not ok
        if not ok or result.status == "review":
            by_family[case.get("family", "?")] += not ok
            tag = "REVIEW" if result.status == "review" else "MISS"
            misses.append(
                f"{tag} [{case.get('family')}] {question}: expect {expect}, got "
                f"{result.score} ({result.status}) <- {case['answer'][:300]!r}"
            )
    seconds = time.perf_counter() - start
    if args.failures:
        print("\n".join(misses))
        print("misses by family:", dict(by_family.most_common()))
    figures = {
        "set": args.set,
        "cases": len(rows),
        "acceptable": acceptable,
        "acceptable_given_expected_score": round(acceptable_right / max(acceptable, 1), 4),
        "wrong": wrong,
        "wrong_scoring_above_0": wrong_scored,
        "review_share": round(review / max(len(rows), 1), 4),
        "exceptions": errors,
        "ms_per_answer": round(1000 * seconds / max(len(rows), 1), 2),
    }
    print(
        f"{figures['acceptable_given_expected_score']:.1%} of {acceptable} acceptable answers "
        f"given their expected score; {wrong_scored} of {wrong} wrong answers scored > 0; "
        f"{figures['review_share']:.1%} sent for review; {errors} exceptions."
    )
    print(json.dumps(figures))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
