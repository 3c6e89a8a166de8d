"""Measure what the course ships: the wheel, the student edition, and its Binder build.

    .venv/bin/python benchmarks/distribution_sizes.py [--binder] [--site]

- the wheel (``pip wheel .``): size, number of files, data files carried;
- the student edition (``stalin-course student-edition``): files, size, git objects' size,
  and the size of the sealed answer key;
- with ``--binder``: the Binder environment built as repo2docker would from a clone of the
  student edition (fresh Python 3.11 venv, ``pip install -r binder/requirements.txt``,
  ``binder/postBuild``): the time of each step and the environment's size;
- with ``--site``: the static website's build time, page count and size.

Timings depend on the machine and its load; the last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.monotonic()
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def wheel(tmp: Path) -> dict[str, object]:
    seconds = _run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(tmp / "dist")],
        ROOT,
    )  # fmt: skip
    (built,) = (tmp / "dist").glob("stalin_course-*.whl")
    names = zipfile.ZipFile(built).namelist()
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    return {
        "wheel_kb": round(built.stat().st_size / 1024),
        "wheel_files": len(names),
        "wheel_data_files": sum("/course_data/" in n for n in names),
        "wheel_build_s": round(seconds, 1),
    }


def edition(tmp: Path) -> tuple[Path, dict[str, object]]:
    out = tmp / "stalin-course-student"
    seconds = _run([sys.executable, "-m", "stalin_course", "student-edition", str(out)], ROOT)
    files = [p for p in out.rglob("*") if p.is_file() and ".git" not in p.relative_to(out).parts]
    return out, {
        "edition_files": len(files),
        "edition_mb": round(sum(p.stat().st_size for p in files) / 1e6, 2),
        "edition_git_mb": round(_size(out / ".git") / 1e6, 2),
        "sealed_key_kb": round((out / "src/stalin_course/bank/key.dat").stat().st_size / 1024),
        "edition_build_s": round(seconds, 1),
    }


def binder(tmp: Path, folder: Path) -> dict[str, object]:
    repo, venv = tmp / "clone", tmp / "venv"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{folder}", str(repo)], check=True
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL_ENV"))}
    env.update(PATH=f"{venv / 'bin'}:{env['PATH']}", HOME=str(tmp / "home"),
               JUPYTER_CONFIG_DIR=str(tmp / "jconfig"), JUPYTER_DATA_DIR=str(tmp / "jdata"))  # fmt: skip
    python = shutil.which("python3.11") or sys.executable
    times = {
        "binder_venv_s": _run([python, "-m", "venv", str(venv)], repo, env),
        "binder_pip_s": _run(
            [
                str(venv / "bin/python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-cache-dir",
                "--disable-pip-version-check",
                "-r",
                "binder/requirements.txt",
            ],
            repo,
            env,
        ),  # fmt: skip
        "binder_postbuild_s": _run([str(repo / "binder/postBuild")], repo, env),
    }
    result: dict[str, object] = {k: round(v, 1) for k, v in times.items()}
    result["binder_total_s"] = round(sum(times.values()), 1)
    result["binder_env_mb"] = round(_size(venv) / 1e6)
    return result


def site(tmp: Path) -> dict[str, object]:
    out = tmp / "site"
    seconds = _run([sys.executable, "-m", "stalin_course", "site", str(out)], ROOT)
    pages = list(out.rglob("*.html"))
    return {"site_pages": len(pages), "site_mb": round(_size(out) / 1e6, 1),
            "site_build_s": round(seconds, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binder", action="store_true", help="also build the Binder environment")
    parser.add_argument("--site", action="store_true", help="also build the static website")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        results = wheel(tmp)
        folder, sizes = edition(tmp)
        results.update(sizes)
        if args.binder:
            results.update(binder(tmp, folder))
        if args.site:
            results.update(site(tmp))
    for key, value in results.items():
        print(f"{key:>20}: {value}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
