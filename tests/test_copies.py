"""Copies and re-translations: which article pairs tell one story in nearly the same words, which
text is the original, and the text-quality signals that decide it."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from helpers import cli, copies, corpus, paths, records

FIXTURES = paths.ROOT / "tests" / "fixtures" / "copies"
SEED_IDS = {"000": "000_bd0af76679971a63", "001": "001_61d1ee31a07849de",
            "002": "002_3e43536d6c17f217", "003": "003_f12e7e2f4e6ab07a",
            "004": "004_a183fa05ace4f895"}
# Publication dates of the seeds (facts about them; three of the texts do not state one).
SEEDS_MANIFEST = "id,url,outlet,published_date\n" + "".join(
    f"{SEED_IDS[k]},,{outlet},{date}\n" for k, outlet, date in [
        ("000", "Reuters", "2024-04-01"), ("001", "", "2024-04-18"), ("002", "CNN", "2024-04-01"),
        ("003", "The Epoch Times", "2024-04-01"), ("004", "CNN", "2024-04-01")])


def fixture(name: str, published_date: str = "2024-03-03") -> records.Article:
    path = FIXTURES / f"{name}.txt"
    return records.Article(article_id=name, path=str(path), text=path.read_text(encoding="utf-8"),
                           published_date=published_date)


def article(article_id: str, text: str, published_date: str = "") -> records.Article:
    return records.Article(article_id=article_id, path=f"{article_id}.txt", text=text,
                           published_date=published_date)


@pytest.fixture(scope="module")
def seed_pairs(tmp_path_factory):
    manifest = tmp_path_factory.mktemp("seeds") / "manifest.csv"
    manifest.write_text(SEEDS_MANIFEST, encoding="utf-8")
    return copies.find_copies(a for a in corpus.iter_articles([paths.SEEDS], manifest=manifest)
                              if isinstance(a, records.Article))


# --- finding copies -----------------------------------------------------------------------------

def test_a_machine_reworded_article_is_a_derivative_of_the_one_it_came_from():
    pairs = copies.find_copies([fixture("original"), fixture("garbled"), fixture("independent")])
    assert [(p.original, p.derivative) for p in pairs] == [("original", "garbled")]
    assert pairs[0].similarity >= copies.COPY_MIN_SHARE


def test_an_independent_report_of_the_same_event_sharing_a_quote_is_not_a_copy():
    assert copies.find_copies([fixture("original"), fixture("independent")]) == []


def test_the_original_is_found_whichever_article_comes_first():
    pairs = copies.find_copies([fixture("garbled"), fixture("original")])
    assert [(p.original, p.derivative) for p in pairs] == [("original", "garbled")]


def test_paragraph_order_does_not_hide_a_copy():
    paragraphs = fixture("original").text.split("\n\n")
    shuffled = "\n\n".join(paragraphs[:1] + paragraphs[:0:-1])
    pairs = copies.find_copies([fixture("original"), article("reordered", shuffled, "2024-03-04")])
    assert [(p.original, p.derivative, p.similarity) for p in pairs] == [
        ("original", "reordered", 1.0)]


def test_of_two_equally_clean_copies_the_earlier_is_the_original():
    text = fixture("original").text
    pairs = copies.find_copies([article("later", text, "2024-03-05"),
                                article("earlier", text, "2024-03-04")])
    assert [(p.original, p.derivative) for p in pairs] == [("earlier", "later")]


def test_a_dated_copy_counts_as_earlier_than_an_undated_one():
    text = fixture("original").text
    pairs = copies.find_copies([article("undated", text), article("dated", text, "2024-03-05")])
    assert [(p.original, p.derivative) for p in pairs] == [("dated", "undated")]


def test_a_story_syndicated_many_times_gives_one_pair_per_copy_against_its_first_indexed_text():
    text = fixture("original").text
    syndicated = [article(f"outlet{i:02d}", text, "2024-03-03") for i in range(12)]
    pairs = copies.find_copies(syndicated)
    assert [(p.original, p.derivative) for p in pairs] == [
        ("outlet00", f"outlet{i:02d}") for i in range(1, 12)]


def test_a_brief_quoting_two_sentences_of_a_long_article_is_not_a_copy():
    paragraphs = fixture("original").text.split("\n\n")
    brief = "\n\n".join([
        "Talks on a truce in Gaza resumed in the Egyptian capital at the weekend.",
        paragraphs[3],  # the six-week proposal
        "Diplomats gave no timetable for an announcement and declined to name the sticking points.",
        paragraphs[9],  # Netanyahu's position
        "Protests are planned in several cities on Monday.",
    ])
    assert copies.find_copies([fixture("original"), article("brief", brief)]) == []


def test_empty_and_one_line_articles_pass_through_without_pairs():
    stubs = [article(f"stub{i}", text) for i, text in enumerate(["", "", "Photo: AFP", "Updated."])]
    pairs = copies.find_copies([*stubs, fixture("original"), fixture("garbled")])
    assert [(p.original, p.derivative) for p in pairs] == [("original", "garbled")]


def test_word_pairs_many_indexed_articles_hold_are_left_out_of_blocking():
    table = copies._PairCounts()
    common, rare = np.array([7, 8], dtype=np.uint64), np.arange(100, 130, dtype=np.uint64)
    for _ in range(copies.COMMON_PAIR_ARTICLES):
        table.add(common)
    assert sorted(table.distinctive(np.concatenate([common, rare]))) == list(rare)


def test_an_article_made_only_of_common_pairs_keeps_its_rarest_ones():
    table = copies._PairCounts()
    pairs = np.arange(1, 41, dtype=np.uint64)
    for _ in range(copies.COMMON_PAIR_ARTICLES):
        table.add(pairs[:30])
    kept = table.distinctive(pairs)
    assert len(kept) == copies.MIN_SIGNATURE_PAIRS and set(pairs[30:]) <= set(kept)


def test_a_copy_is_found_after_its_stock_paragraph_has_become_common():
    # Every article carries the same two stock sentences, so their word pairs are left out of
    # blocking by the time the original and its copy arrive; the rest still finds the copy.
    stock = ("The ministry in the coastal enclave publishes its casualty tally every morning. "
             "Officials in the region have disputed several earlier counts of the dead. ")
    words = ["convoy", "bakery", "clinic", "school", "market", "tower", "bridge", "harbour",
             "field", "depot", "crossing", "shelter", "tent", "well", "generator", "road", "camp",
             "warehouse", "border", "truck", "pump", "hall", "roof"]

    def brief(i: int) -> str:
        # Words of its own ("convoybd"), so that the briefs share nothing but the stock sentences.
        own = [word + chr(97 + i // 26) + chr(97 + i % 26) for word in words]
        return stock + " ".join(" ".join(own[k:k + 6]).capitalize() + "." for k in range(0, 24, 6))

    filler = [article(f"brief-{i:03d}", brief(i)) for i in range(copies.COMMON_PAIR_ARTICLES + 5)]
    original, garbled = fixture("original"), fixture("garbled")
    pairs = copies.find_copies([*filler, article("original", stock + original.text),
                                article("garbled", stock + garbled.text)])
    assert [(p.original, p.derivative) for p in pairs] == [("original", "garbled")]


def test_derived_ids_are_the_derivatives_only():
    pairs = [copies.CopyPair("a", "b", 0.9, 1.0, 0.5), copies.CopyPair("a", "c", 0.7, 1.0, 1.0)]
    assert copies.derived_ids(pairs) == {"b", "c"}


def test_seeds_the_garbled_article_is_a_derivative_of_the_cnn_report_it_was_translated_from(
        seed_pairs):
    assert [(p.original, p.derivative) for p in seed_pairs] == [(SEED_IDS["002"], SEED_IDS["004"])]
    assert seed_pairs[0].quality_original > seed_pairs[0].quality_derivative


def test_seeds_only_the_retranslation_is_derived(seed_pairs):
    assert copies.derived_ids(seed_pairs) == {SEED_IDS["004"]}


# --- text quality -------------------------------------------------------------------------------

@pytest.mark.parametrize(("signal", "text"), [
    ("orphan_punctuation", "Officials from both sides attended the meeting. , and others."),
    ("orphan_punctuation", "The envoy arrived late , the aides said."),
    ("empty_quotes", 'It was clear that the plan would exceed "." The talks went on.'),
    ("short_sentences", "The ministers met for two hours in the capital. Everything ended."),
    ("doubled_words", "The delegation met the the minister on Sunday."),
    ("lowercase_starts", "The convoy waited at the crossing. and the drivers slept."),
    ("misspelled_names", "CIA Director Wiliam Burns flew to Cairo for the talks."),
    ("misplaced_places", "Thousands rallied in Queensland to demand a deal for the hostages."),
])
def test_quality_report_counts_each_garbling_signal(signal, text):
    report = copies.quality_report(text)
    assert report[signal] == 1
    assert report["quality"] < 1.0


@pytest.mark.parametrize("text", [
    "U.S. officials said at 9 a.m. on Monday that the talks were very, very difficult.",
    "Sydney and Melbourne saw protests, Australian police said.",
    "They said he had had enough of the delays.",
])
def test_clean_text_gives_no_signal(text):
    assert copies.quality_report(text)["quality"] == 1.0


def test_a_garbled_rewording_scores_lower_than_its_original():
    garbled, original = fixture("garbled").text, fixture("original").text
    assert copies.text_quality(garbled) < copies.text_quality(original)


def test_seeds_the_retranslation_shows_its_misspelled_officials_and_mistranslated_place():
    report = copies.quality_report((paths.SEEDS / "004_a183fa05ace4f895.txt").read_text("utf-8"))
    assert report["misspelled_names"] == 3  # Tsashi Hanegbi, Brett McGuirk, John Finer
    assert report["misplaced_places"] == 1  # New South Wales, for New York
    assert report["orphan_punctuation"] >= 3


# --- command line -------------------------------------------------------------------------------

def test_command_line_writes_the_pair_table_as_csv(capsys):
    assert cli.main(["copies", str(FIXTURES)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == list(copies.COPY_FIELDS)
    assert [(r["original"], r["derivative"]) for r in rows] == [("original", "garbled")]


def test_command_line_reports_an_unreadable_file_and_still_writes_the_pairs(tmp_path, capsys):
    for name in ("original", "garbled"):
        (tmp_path / f"{name}.txt").write_text(fixture(name).text, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert cli.main(["copies", str(tmp_path), "--format", "jsonl"]) == 1
    out, err = capsys.readouterr()
    assert "empty.txt" in err
    assert [json.loads(line)["derivative"] for line in out.splitlines()] == ["garbled"]
