"""Count the words of each lesson's main text (what a student reads start to finish).

    .venv/bin/python benchmarks/lesson_words.py [--ref GIT_REF]

Counted by ``stalin_course.lessons.core_words``: the markdown cells of
notebooks/NN_<slug>.ipynb, without collapsed ``<details>`` sections ("More detail",
hidden answers), the static copy of the quiz, the reading list and the links to other
lessons. The course aims at under ~1,500 words of core reading per lesson. ``--ref`` counts the lessons as they were at a git commit.
Prints a table, then one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess

import nbformat

from stalin_course import lessons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ref", help="count the lessons as at this git commit")
    args = parser.parse_args()
    counts = {}
    for lesson in lessons.LESSONS:
        path = f"notebooks/{lesson.notebook}.ipynb"
        if args.ref:
            text = subprocess.run(
                ["git", "show", f"{args.ref}:{path}"], capture_output=True, text=True, check=True
            ).stdout
            notebook = nbformat.reads(text, as_version=4)
        else:
            notebook = nbformat.read(path, as_version=4)
        counts[lesson.notebook] = lessons.core_words(notebook)
        print(f"{lesson.notebook:<28} {counts[lesson.notebook]:>6}")
    print(json.dumps({"core_words": counts, "longest": max(counts.values())}))


if __name__ == "__main__":
    main()
