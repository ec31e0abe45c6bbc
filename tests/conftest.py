"""A hostile corpus, and one run of the whole collection on it, shared by
tests/test_hostile_input.py and tests/test_browser.py (the run takes several seconds).

The corpus holds what a scraped folder may hold: good articles beside an article whose title,
outlet (from the manifest) and text carry markup and script (each payload, if it ever ran in a
browser, would set the page's title to PAYLOAD_MARK, a word the payload itself never spells out),
an empty file, a binary file, a 200 MB file (sparse: it takes no disk), a file in a legacy
encoding, a name with spaces and non-ASCII, a name that is markup, a symbolic link loop, a second file claiming an id,
and a manifest with a missing column, a repeated id and a bad date.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import notebook_params, paths

PAYLOAD_MARK = "PWNED"
SET_TITLE = "document.title='PW'+'NED'"  # evaluates to PAYLOAD_MARK
HUGE_BYTES = 200 * 1024 * 1024

PAYLOAD_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Rafah &amp; the toll &lt;script&gt;{SET_TITLE}&lt;/script&gt;</title>
<script>{SET_TITLE}</script>
</head>
<body onload="{SET_TITLE}">
<p>GAZA, March 12, 2024 &ndash; The health ministry in Gaza said at least 31,184 people had been
killed &lt;img src=x onerror="{SET_TITLE}"&gt; since October 7.</p>
<p>A spokesman said &quot;about 1,200&quot; people were killed in Israel on October 7 &amp; about
253 were taken hostage, according to Israeli tallies.</p>
</body></html>
"""
PAYLOAD_OUTLET = f"<script>{SET_TITLE}</script> Gazette & Co"
# A file name is an article's id, shown in reports too.
MARKUP_NAME = f"<img src=x onerror={SET_TITLE}>.txt"

GOOD_TEXTS = {
    "wire.txt": ("Gaza toll passes 11,000\n\nGAZA CITY, Nov 15 - The number of Palestinians killed "
                 "in the Gaza Strip has passed 11,000, the health ministry in the Hamas-run enclave "
                 "said on Wednesday.\n"),
    "Bericht über Rafah – März.txt": ("Rafah shelters swell\n\nRAFAH, March 3 - More than 1.4 million "
                                       "people are sheltering in Rafah, UN agencies said.\n"),
    MARKUP_NAME: ("Toll nears 35,000\n\nCAIRO, May 6 - Nearly 35,000 people have been killed in Gaza, "
                  "the health ministry said.\n"),
}
LEGACY_TEXT = ("Hostages still held\n\nJERUSALEM, Jan 20 - Israeli officials said 136 hostages "
               "remain in Gaza, the army\u2019s spokesman said at a briefing in Tel Aviv; "
               "the caf\u00e9 owners\u2019 families rallied.\n")

MANIFEST = f"""id,outlet,published_date
payload,"{PAYLOAD_OUTLET.replace('"', '""')}",2024-03-12
wire,Northern Wire,2023-11-15
wire,Repeated Row Wire,2023-11-16
legacy,Ledger,20 janvier 2024 maybe
"""


def write_hostile_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "payload.html").write_text(PAYLOAD_PAGE, encoding="utf-8")
    for name, text in GOOD_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "legacy.txt").write_bytes(LEGACY_TEXT.encode("cp1252"))
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with open(folder / "huge.txt", "wb") as huge:
        huge.truncate(HUGE_BYTES)
    (folder / "loop").symlink_to(folder)
    (folder / "later").mkdir()
    (folder / "later" / "wire.txt").write_text("A later copy claims 12,000 were killed.\n", encoding="utf-8")
    return folder


def helpers_cli(*args: object) -> subprocess.CompletedProcess:
    """`python -m helpers ...` as a user runs it, with no official series pinned."""
    environment = {k: v for k, v in os.environ.items() if k != notebook_params.REFERENCE_VARIABLE}
    return subprocess.run([sys.executable, "-m", "helpers", *map(str, args)], capture_output=True,
                          text=True, env=environment, cwd=paths.ROOT, check=False)


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory) -> Path:
    return write_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


@pytest.fixture(scope="session")
def hostile_build(hostile_corpus) -> SimpleNamespace:
    """`python -m helpers run` on the hostile corpus: its output folder and how the run ended."""
    out = hostile_corpus.parent / "build"
    return SimpleNamespace(out=out, done=helpers_cli("run", "--corpus", hostile_corpus, "--out", out))
