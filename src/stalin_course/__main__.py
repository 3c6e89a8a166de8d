"""Command line: ``python -m stalin_course`` (also installed as ``stalin-course``).

- ``check QUESTION_ID "ANSWER"``: print the result as one JSON object.
- ``build-key``: rebuild the scrambled answer key from the bank's TOML files.
- ``release``: rebuild the key, then regenerate release/ from source/ with nbgrader.
"""

from __future__ import annotations

import argparse
import json
import sys

from .checking import UnknownQuestion, check


def _check(args: argparse.Namespace) -> int:
    try:
        result = check(args.question_id, args.answer)
    except UnknownQuestion as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    data = result.to_dict()
    print(json.dumps({k: data[k] for k in ("question", "score", "feedback", "status")}))
    return 0


def _build_key(args: argparse.Namespace) -> int:
    from .bank import write_key

    print(f"wrote {write_key()}")
    return 0


def _release(args: argparse.Namespace) -> int:
    from .release import ROOT, generate

    _build_key(args)
    for path in generate(ROOT / "release"):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="stalin-course", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    checker = commands.add_parser("check", help="check one answer and print JSON")
    checker.add_argument("question_id")
    checker.add_argument("answer")
    checker.set_defaults(run=_check)
    key = commands.add_parser("build-key", help="rebuild the scrambled answer key from the bank")
    key.set_defaults(run=_build_key)
    release = commands.add_parser(
        "release", help="rebuild the answer key and regenerate release/ from source/"
    )
    release.set_defaults(run=_release)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
