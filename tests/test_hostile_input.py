"""Hostile input through the whole pipeline: `python -m helpers extract` and `python -m helpers run`
on the hostile corpus of tests/conftest.py. Each bad input gets one line naming the file or the
manifest field, every good article still goes through, and the reports show the article's
markup as text. (How the reader treats each input on its own: tests/test_corpus.py.)
"""

from __future__ import annotations

import io

import lxml.html
import pandas as pd
import pytest

from conftest import MARKUP_NAME, PAYLOAD_OUTLET, SET_TITLE, helpers_cli
from helpers import report

REPORTS = [notebook.stem for notebook in report.collection()]

GOOD_IDS = ["<img src=x onerror=document.title='PW'+'NED'>", "Bericht über Rafah – März", "legacy",
            "payload", "wire"]
PAYLOAD_TITLE = f"Rafah & the toll <script>{SET_TITLE}</script>"
PAYLOAD_SENTENCE_PART = f'killed <img src=x onerror="{SET_TITLE}"> since October 7'


def problems(corpus) -> list[str]:
    """One line per bad input, as `extract` prints them: manifest first, then in file order."""
    return [
        f"{corpus}/manifest.csv: line 1: missing column url; those fields stay empty",
        f"{corpus}/manifest.csv: line 4: id 'wire' repeats line 3; row not used",
        (f"{corpus}/manifest.csv: line 5: published_date '20 janvier 2024 maybe' is not a date "
         "(use yyyy-mm-dd); field not used"),
        f"{corpus}/empty.txt: empty file",
        f"{corpus}/huge.txt: file too large: 209.7 MB (limit 21 MB)",
        f"{corpus}/loop: symbolic link loop (leads back to a folder containing it)",
        f"{corpus}/picture.txt: binary file (NUL bytes)",
        f"{corpus}/wire.txt: duplicate article id 'wire' (already read from {corpus}/later/wire.txt)",
    ]


@pytest.fixture(scope="module")
def extracted(hostile_corpus):
    return helpers_cli("extract", hostile_corpus, "--format", "csv")


@pytest.fixture(scope="module")
def build(hostile_build):
    assert hostile_build.done.returncode == 0, hostile_build.done.stderr
    return hostile_build.out


def page_tree(build, name: str):
    return lxml.html.document_fromstring((build / f"{name}.html").read_text(encoding="utf-8"))


# --- extract ----------------------------------------------------------------------------------

def test_extract_names_each_bad_file_and_manifest_field_on_a_line_of_its_own(extracted, hostile_corpus):
    assert extracted.returncode == 1
    assert extracted.stderr.splitlines() == problems(hostile_corpus)


def test_extract_gives_every_good_article_the_figures_it_has_alone(extracted, hostile_corpus):
    alone = helpers_cli("extract", *(hostile_corpus / name for name in (
        "payload.html", "Bericht über Rafah – März.txt", "legacy.txt", MARKUP_NAME, "later/wire.txt")),
        "--format", "csv")
    assert alone.returncode == 0, alone.stderr
    assert extracted.stdout == alone.stdout
    assert sorted(pd.read_csv(io.StringIO(extracted.stdout))["article_id"].unique()) == GOOD_IDS


# --- the collection run -----------------------------------------------------------------------

def test_the_run_publishes_its_reports_despite_the_bad_inputs(hostile_build):
    assert hostile_build.done.returncode == 0
    assert hostile_build.done.stderr == ""


def test_the_run_reads_every_good_article(build, extracted):
    written = pd.read_csv(build / "figures.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(written, pd.read_csv(io.StringIO(extracted.stdout), keep_default_na=False))


def test_the_articles_report_names_each_bad_input_and_why(build, hostile_corpus):
    text = page_tree(build, "01-articles").text_content()
    for line in problems(hostile_corpus):
        path, _, reason = line.partition(": ")
        assert path in text and reason in text, line


@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_no_page_carries_article_markup_as_markup(build, name):
    tree = page_tree(build, name)
    assert not [s.text for s in tree.iter("script") if SET_TITLE in (s.text or "")]
    assert not [e.tag for e in tree.iter() if isinstance(e.tag, str)
                and any(attribute.startswith("on") for attribute in e.attrib)]


def test_the_articles_report_shows_hostile_title_and_outlet_as_text(build):
    text = page_tree(build, "01-articles").text_content()
    assert PAYLOAD_TITLE in text
    assert PAYLOAD_OUTLET in text


def test_the_explore_report_shows_a_hostile_sentence_as_text(build):
    assert PAYLOAD_SENTENCE_PART in page_tree(build, "05-explore").text_content()


@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_entities_are_decoded_once_never_shown_escaped(build, name):
    text = page_tree(build, name).text_content()
    assert "&amp;" not in text and "&lt;" not in text and "&quot;" not in text
