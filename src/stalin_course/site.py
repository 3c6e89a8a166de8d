"""A static website of the course, to read on a phone with no server and no kernel.

``python -m stalin_course site OUT`` runs every lesson (so its charts are drawn), keeps
each widget's static fallback instead of the live widget, and writes with nbconvert:

- ``index.html``: the course's contents;
- ``lessons/NN_slug.html``: every lesson, charts and quizzes (as lists, answers behind a
  click) included;
- ``assignments/NN_slug.html``: every released assignment in its student form (to read;
  answering needs Jupyter or Binder);
- ``data.html``: where every figure comes from (``data/README.md``).

Links between notebooks are rewritten to the pages, so the site has no broken link
(``tests/browser/test_site.py`` follows every one of them in Chromium).
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from .lessons import LESSONS
from .release import course_root

__all__ = ["Site", "build_site"]

#: Output types a page without a kernel cannot show (a live widget needs its kernel).
_LIVE = ("application/vnd.jupyter.widget-view+json", "application/javascript")
_NOTEBOOK_LINK = re.compile(r'href="(?:\.\./)*(?:notebooks/)?(\d\d_[a-z_]+)\.ipynb"')
_RELEASE_LINK = re.compile(r'href="(?:\.\./)*release/(\d\d_[a-z_]+)/\1\.ipynb"')
_DATA_LINK = re.compile(r'href="(?:\.\./)*data/README\.md"')
#: nbconvert's template loads require.js and MathJax from the web; the course needs neither.
_REMOTE_SCRIPT = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>')
_BANNER = (
    '<p style="background:#fff3cd;padding:0.6em;border-radius:4px">{text} '
    '<a href="{index}">All pages of the course</a></p>'
)


@dataclass(frozen=True)
class Site:
    """What was built: the folder and its pages (paths relative to it)."""

    folder: Path
    pages: tuple[str, ...]


def _static(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with every live-widget output reduced to its static fallback."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data:
                for mime in _LIVE:
                    data.pop(mime, None)
    nb.metadata.pop("widgets", None)
    return nb


def _links(page: str, depth: int) -> str:
    up = "../" * depth
    page = _RELEASE_LINK.sub(lambda m: f'href="{up}assignments/{m.group(1)}.html"', page)
    page = _NOTEBOOK_LINK.sub(lambda m: f'href="{up}lessons/{m.group(1)}.html"', page)
    return _DATA_LINK.sub(f'href="{up}data.html"', page)


def _page(
    nb: nbformat.NotebookNode, title: str, banner: str, depth: int, code: bool = False
) -> str:
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = not code  # a lesson's reader needs its results, not its calls
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    note = _BANNER.format(text=banner, index="../" * depth + "index.html")
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + note, body, count=1)
    return _links(_REMOTE_SCRIPT.sub("", body), depth)


def _run(path: Path, timeout: int) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return nb


def build_site(out: Path, timeout: int = 180) -> Site:
    """Build the site in ``out`` (emptied first when it holds an earlier site)."""
    root = course_root()
    out = out.resolve()
    if out.exists():
        if any(out.iterdir()) and not (out / ".stalin-course-site").is_file():
            raise FileExistsError(
                f"{out} is not empty and is not a course site: choose a new folder"
            )
        shutil.rmtree(out)
    (out / "lessons").mkdir(parents=True)
    (out / "assignments").mkdir()
    (out / ".stalin-course-site").write_text("Built by: python -m stalin_course site\n")
    pages: list[str] = []
    contents = ["<h2>Lessons</h2>", "<ol start='0'>"]
    for lesson in LESSONS:
        nb = _static(_run(root / "notebooks" / f"{lesson.notebook}.ipynb", timeout))
        name = f"lessons/{lesson.notebook}.html"
        banner = "A read-only copy of this lesson: the charts and quizzes are shown as text."
        (out / name).write_text(_page(nb, lesson.title, banner, 1), encoding="utf-8")
        pages.append(name)
        label = f"Lesson {lesson.number}: {lesson.title}" if lesson.number else lesson.title
        contents.append(f'<li><a href="{name}">{html.escape(label)}</a></li>')
    contents += ["</ol>", "<h2>Assignments (student versions, to read)</h2>", "<ul>"]
    for folder in sorted(p for p in (root / "release").iterdir() if p.is_dir()):
        nb = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4)
        name = f"assignments/{folder.name}.html"
        banner = "The assignment as students get it. To answer it, open it in Jupyter or on Binder."
        (out / name).write_text(_page(nb, folder.name, banner, 1, code=True), encoding="utf-8")
        pages.append(name)
        title = nb.cells[0].source.splitlines()[0].lstrip("# ") if nb.cells else folder.name
        contents.append(f'<li><a href="{name}">{html.escape(title)}</a></li>')
    contents += [
        "</ul>",
        '<h2>Sources</h2><p><a href="data.html">Where every figure comes from</a></p>',
    ]
    readme = (root / "data" / "README.md").read_text(encoding="utf-8")
    data_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(readme)])
    (out / "data.html").write_text(
        _page(data_nb, "Data sources", "The sources of the course's data.", 0), encoding="utf-8"
    )
    pages.append("data.html")
    index_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# Stalin's Consolidation of Power, 1924–1941\n\nAn interactive course for AQA GCSE "
        "History (8145). These pages are a read-only copy: every lesson with its charts and "
        "quizzes, and the assignments as students receive them. To answer questions and use "
        "the interactive charts, open the course in Jupyter or on Binder.\n\n"
        + "\n".join(contents)
    )])  # fmt: skip
    (out / "index.html").write_text(_page(index_nb, "Contents", "Start here.", 0), encoding="utf-8")
    pages.insert(0, "index.html")
    return Site(out, tuple(pages))
