"""The HTML report opened in real headless Chromium (Debian package `chromium`).

Chromium loads the file, runs whatever the page would run, and dumps the resulting DOM: the
charts must be there, no script may have run (a hostile answer tries to change the title), the
hostile answers must show as text, and Chinese must be in the page. A screenshot is taken too.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_helpers import (
    CHINESE_ANSWER,
    HOSTILE,
    HOSTILE_IMG,
    make_library,
    new_store,
    record_history,
)

from mockint.export import write_report

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("needs Debian's chromium (make system-deps installs it)", allow_module_level=True)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class _Dom(HTMLParser):
    """Element counts, the title, and the text of each answer block of a dumped DOM."""

    def __init__(self):
        super().__init__()
        self.tags: dict[str, int] = {}
        self.svg_classes: list[str] = []
        self.title = ""
        self.answers: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        attributes = dict(attrs)
        if tag == "svg":
            self.svg_classes.append(attributes.get("class") or "")
        if tag == "title" and self._in is None and not self.title:
            self._in = "title"
        if tag == "blockquote" and "text" in (attributes.get("class") or ""):
            self._in = "answer"
            self.answers.append("")

    def handle_endtag(self, tag):
        if tag in ("title", "blockquote"):
            self._in = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in == "title":
            self.title += data
        elif self._in == "answer":
            self.answers[-1] += data


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    library = make_library()
    store = new_store(folder / "history.db")
    record_history(store, library)
    path = write_report(store, library, fmt="html", path=folder / "report.html")
    store.close()
    return path


def test_rendered_dom_has_charts_and_no_script_ran(report_file, tmp_path):
    result = _chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = _Dom()
    dom.feed(result.stdout)
    # The hostile answer sets the title if its script runs; the image's onerror would too.
    assert dom.title.startswith("Interview practice report")
    assert "pwned" not in dom.title
    assert dom.tags.get("script", 0) == 0 and dom.tags.get("img", 0) == 0
    # Overall chart, three topic charts, the mastery grid and the summary sparkline.
    assert dom.svg_classes.count("chart") == 4
    assert "chart mastery" in dom.svg_classes and "sparkline" in dom.svg_classes
    assert dom.tags.get("circle", 0) >= 2 + 3  # at least one dot per session and per topic
    # Hostile answers arrive as text, character for character.
    assert HOSTILE in dom.answers and HOSTILE_IMG in dom.answers
    text = "".join(dom.text)
    assert CHINESE_ANSWER in text and "推理时使用均值和方差的滑动平均。" in text


def test_screenshot(report_file, tmp_path):
    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", report_file.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2400)
    assert len(data) > 50_000  # a rendered page, not a blank canvas
