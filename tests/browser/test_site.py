"""The static website (`stalin-course site`): built for real, served on loopback and read
in Chromium as a student on a phone would: every page loads, every chart is drawn, every
quiz is there as a list, every link leads somewhere, and nothing needs the internet."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from stalin_course.lessons import LESSONS
from stalin_course.site import build_site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[str]:
    built = build_site(tmp_path_factory.mktemp("site") / "site")
    assert len(built.pages) == 1 + len(LESSONS) + len(list((ROOT / "release").iterdir())) + 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built.folder))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()


def test_every_page_loads_and_every_link_leads_somewhere(browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(site) and not r.url.startswith("data:")
            else None
        ),
    )  # noqa: E501
    seen: set[str] = set()
    queue = [site + "index.html"]
    charts = quizzes = 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if "/lessons/" in url:
            images = page.locator("img")
            assert images.count() >= 1, url
            for i in range(images.count()):
                width = images.nth(i).evaluate("img => img.complete && img.naturalWidth")
                assert width and width > 100, (url, i)  # a chart, drawn
            charts += images.count()
            quizzes += page.locator("summary", has_text="Show the answers").count()
        for href in page.locator("a[href]").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        ):
            target = urljoin(url, href).split("#")[0]
            if urlparse(target).scheme in ("http", "https") and target.startswith(site):
                queue.append(target)
    context.close()
    pages = {u.removeprefix(site) for u in seen}
    assert {f"lessons/{lesson.notebook}.html" for lesson in LESSONS} <= pages
    assert "data.html" in pages and any(p.startswith("assignments/") for p in pages)
    assert charts >= 2 * len(LESSONS) and quizzes >= len(LESSONS) - 1
    assert outside == []  # no script, font or image from the internet


def test_a_lesson_reads_as_text_where_widgets_cannot_run(browser, site: str) -> None:
    page = browser.new_page()
    page.goto(site + "lessons/06_gulag.html")
    text = page.inner_text("body")
    assert "Lesson 6" in text and "Show the answers" in text
    assert "Traceback" not in text and "Error" not in text.split("Show the answers")[0][-200:]
    assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0  # calls hidden, results shown
    page.close()
