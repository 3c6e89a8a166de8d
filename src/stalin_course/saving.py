"""Download your work: every notebook of the course in one zip file, in one click.

A Binder session is temporary: when it closes, everything in it is gone. Running
``download_my_work()`` in a notebook zips the course's notebooks (``notebooks/``,
the assignments in ``release/`` and any notebook in the current folder), as last
saved, into ``my_work_<date>.zip`` next to the notebook (or, from an assignment's
folder, in the folder above, so it is never handed in with the work) and shows a link
that downloads it to your computer.

>>> import tempfile, zipfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "notebooks").mkdir()
>>> _ = (root / "notebooks" / "00_start_here.ipynb").write_text("{}")
>>> (root / "release" / "01_power_struggle").mkdir(parents=True)
>>> _ = (root / "release" / "01_power_struggle" / "01_power_struggle.ipynb").write_text("{}")
>>> path = zip_my_work(root / "notebooks", today=date(2025, 3, 1))
>>> path.name
'my_work_2025-03-01.zip'
>>> zipfile.ZipFile(path).namelist()
['notebooks/00_start_here.ipynb', 'release/01_power_struggle/01_power_struggle.ipynb']
"""

from __future__ import annotations

import html
import os
import zipfile
from datetime import date
from pathlib import Path

__all__ = [
    "course_root",
    "download_my_work",
    "is_assignment_folder",
    "work_files",
    "zip_folder",
    "zip_my_work",
]

#: A notebook kernel started by a Jupyter server (JupyterLab, Notebook, Binder) has this
#: set; kernels run by tests or by nbgrader do not, and make no zip file.
_SERVER_KERNEL = "JPY_SESSION_NAME"

TEMPORARY = (
    "A Binder session is temporary: it closes when you close the tab or leave it idle, "
    "and then your work is gone. Download it before you stop."
)


def course_root(start: Path) -> Path | None:
    """The course's top folder (holding ``notebooks/`` or ``release/``) at or above ``start``."""
    for folder in (start, *start.parents):
        if (folder / "notebooks").is_dir() or (folder / "release").is_dir():
            return folder
    return None


def work_files(folder: Path) -> tuple[Path, list[Path]]:
    """The folder the zip's paths are relative to, and the notebooks to save.

    Inside the course: ``notebooks/*.ipynb``, ``release/**/*.ipynb`` and the notebooks
    in ``folder`` and in the top folder. Elsewhere: the notebooks in ``folder``.
    """
    folder = folder.resolve()
    root = course_root(folder)
    if root is None:
        return folder, sorted(folder.glob("*.ipynb"))
    found = [
        *root.glob("*.ipynb"),
        *(root / "notebooks").glob("*.ipynb"),
        *(root / "release").rglob("*.ipynb"),
        *folder.glob("*.ipynb"),
    ]
    keep = {
        path
        for path in found
        if path.is_file() and ".ipynb_checkpoints" not in path.relative_to(root).parts
    }
    return root, sorted(keep, key=lambda p: p.relative_to(root).as_posix())


def is_assignment_folder(folder: Path) -> bool:
    """Whether ``folder`` holds an assignment as nbgrader hands it out (its notebook has
    the folder's name): whatever is in it is handed in with the work."""
    return (folder / f"{folder.name}.ipynb").is_file()


def zip_folder(folder: Path) -> Path:
    """Where the zip of ``folder``'s work is made: beside the notebook, but never inside
    an assignment's folder (it would be submitted with the work); there, the course's
    top folder, or the folder above."""
    if not is_assignment_folder(folder):
        return folder
    return course_root(folder) or folder.parent


def zip_my_work(folder: Path | None = None, today: date | None = None) -> Path:
    """Zip the student's notebooks into ``my_work_<date>.zip`` in :func:`zip_folder`;
    return its path."""
    folder = Path(folder or Path.cwd()).resolve()
    root, files = work_files(folder)
    target = zip_folder(folder) / f"my_work_{(today or date.today()).isoformat()}.zip"
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.relative_to(root).as_posix())
    partial.replace(target)
    return target


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1024:.0f} KB" if n_bytes < 1024 * 1024 else f"{n_bytes / 2**20:.1f} MB"


def download_my_work() -> None:
    """Zip your notebooks and show a link that downloads them (run it in a notebook)."""
    from IPython.display import display

    if os.environ.get("NBGRADER_EXECUTION") or not os.environ.get(_SERVER_KERNEL):
        # Marking, validating or a test run: nobody to download anything, so no file.
        print("Run this in JupyterLab to download your work as a zip file.")
        return
    try:
        path = zip_my_work()
    except OSError as error:
        print(
            f"Could not make the zip file ({error.strerror or error}). Download each "
            "notebook instead: right-click it in the file browser, then Download."
        )
        return
    with zipfile.ZipFile(path) as archive:
        count = len(archive.namelist())
    name = html.escape(path.name)
    link = html.escape(Path(os.path.relpath(path, Path.cwd().resolve())).as_posix())
    notebooks = "notebook" if count == 1 else "notebooks"
    page = (
        f"<p>✔ <b>Your work is ready:</b> <a href='{link}' download='{name}'>"
        f"⬇ Download {name}</a> ({count} {notebooks}, {_size(path.stat().st_size)}).</p>"
        "<p>Click the link to save the file on your computer. It holds your notebooks "
        "as last saved, so press <b>Ctrl + S</b> (<b>Cmd + S</b> on a Mac) first and "
        "run this cell again if you have just made changes.</p>"
        f"<p>{html.escape(TEMPORARY)} To carry on later, open a new session, unzip the "
        "file and drag the notebooks into the file browser (or use its <b>Upload</b> "
        "button).</p>"
    )
    display({"text/html": page, "text/plain": f"Download your work: {path}"}, raw=True)
