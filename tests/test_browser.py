"""The reports in a real browser: headless Chromium (Debian's package) opens build/index.html and
every report it links, from disk and with no network, after a run on the hostile corpus of
tests/conftest.py. Charts and tables render, no script from an article runs, and a screenshot of
each page is saved under the run's output folder (screenshots/NAME.png).
"""

from __future__ import annotations

import base64
import struct
import subprocess
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import matplotlib.image
import pytest

from conftest import PAYLOAD_MARK, PAYLOAD_OUTLET, SET_TITLE
from helpers import report

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: .ci/run "
                                "installs it (apt-get install chromium)")
# No network at all: no host name resolves, and Chromium's own background traffic is off.
OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"]
WINDOW = (1280, 2000)
REPORTS = [notebook.stem for notebook in report.collection()]
CHARTED = ["01-articles", "02-figures", "03-death-toll", "04-hostages-and-oct7", "06-reconcile"]


@pytest.fixture(scope="module")
def rendered(hostile_build, tmp_path_factory) -> dict[str, SimpleNamespace]:
    """Each page opened by Chromium: its DOM once loaded (scripts, if any, have run) and its
    screenshot; the index first, then every report it links."""
    assert hostile_build.done.returncode == 0, hostile_build.done.stderr
    out = hostile_build.out
    index = lxml.html.document_fromstring((out / "index.html").read_text(encoding="utf-8"))
    linked = [href.removesuffix(".html") for href in index.xpath("//ol/li/a/@href")]
    shots = out / "screenshots"
    shots.mkdir()
    profile = tmp_path_factory.mktemp("chromium-profile")
    pages = {}
    for name in ["index", *linked]:
        shot = shots / f"{name}.png"
        done = subprocess.run(
            [CHROMIUM, *OFFLINE, f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
             "--dump-dom", f"--screenshot={shot}", (out / f"{name}.html").as_uri()],
            capture_output=True, text=True, timeout=120, check=False)
        pages[name] = SimpleNamespace(code=done.returncode, dom=done.stdout, shot=shot,
                                      tree=lxml.html.document_fromstring(done.stdout or "<html></html>"))
    return pages


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_chromium_opens_the_index_and_every_report_it_links(rendered):
    assert list(rendered) == ["index", *REPORTS]
    assert all(page.code == 0 and page.dom.strip() for page in rendered.values())


@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_no_script_from_an_article_runs(rendered, name):
    page = rendered[name]
    assert PAYLOAD_MARK not in page.dom
    assert page.tree.findtext(".//title") != PAYLOAD_MARK


def test_payloads_are_on_the_rendered_page_as_text(rendered):
    assert PAYLOAD_OUTLET in rendered["01-articles"].tree.text_content()
    assert f'<img src=x onerror="{SET_TITLE}">' in rendered["05-explore"].tree.text_content()


@pytest.mark.parametrize("name", CHARTED)
def test_charts_render_as_images_of_a_real_size(rendered, name):
    charts = [src for src in rendered[name].tree.xpath("//img/@src") if src.startswith("data:image/png;base64,")]
    assert charts
    for chart in charts:
        width, height = png_size(base64.b64decode(chart.partition(",")[2]))
        assert width > 100 and height > 100


@pytest.mark.parametrize("name", REPORTS)
def test_tables_render_with_their_rows(rendered, name):
    rows = rendered[name].tree.xpath("//table//tr[td]")
    assert rows and all(row.text_content().strip() for row in rows)


@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_a_screenshot_of_each_page_is_saved_under_the_build_folder(rendered, name):
    image = matplotlib.image.imread(rendered[name].shot)
    assert image.shape[:2] == (WINDOW[1], WINDOW[0])
    drawn = (image[..., :3] < 0.9).any(axis=-1).mean()  # share of pixels that are not near white
    assert drawn > 0.01
