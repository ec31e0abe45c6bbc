"""helpers.corpus: finding, decoding and reading articles, their debris, outlet and date.

Fixture articles are under tests/fixtures/corpus/ (written for these tests); broken inputs that
only a file system can make (links, loops, huge files) are made in tmp_path.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import corpus, paths
from helpers.records import Article, Debris, Unreadable

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
ARTICLES = FIXTURES / "articles"
BROKEN = FIXTURES / "broken"
WITH_MANIFEST = FIXTURES / "with-manifest"


def read(path: Path) -> Article:
    item = corpus.read_article(path)
    assert isinstance(item, Article), item
    return item


def from_text(text: str, **options) -> Article:
    return corpus.article_from_text(text, "test", **options)


def debris_texts(article: Article) -> list[str]:
    return [d.text for d in article.debris]


def problems_by_name(items) -> dict[str, str]:
    return {Path(i.path).name: i.reason for i in items if isinstance(i, Unreadable)}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ONE_ARTICLE = "Crossing reopens\n\nThe crossing reopened on Sunday and 120 trucks entered.\n"


# --- decode -------------------------------------------------------------------------------------

def test_decode_reads_utf8():
    assert corpus.decode("Gaza’s 1.4 million".encode()) == ("Gaza’s 1.4 million", "utf-8")


def test_decode_strips_a_utf8_byte_order_mark():
    assert corpus.decode(b"\xef\xbb\xbfRafah") == ("Rafah", "utf-8-sig")


@pytest.mark.parametrize("codec, mark", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_decode_reads_utf16_with_its_byte_order_mark(codec, mark):
    text = "Khan Younis – “quiet” for now"
    assert corpus.decode(mark + text.encode(codec)) == (text, codec)


def test_decode_reads_a_windows_1252_file():
    text = "Médecins Sans Frontières said “many” were hurt – 27 children’s wards closed."
    assert corpus.decode(text.encode("cp1252")) == (text, "cp1252")


def test_decode_never_asks_the_detector_about_valid_utf8(monkeypatch):
    monkeypatch.setitem(sys.modules, "charset_normalizer", None)  # importing it would fail
    assert corpus.decode("Deir al-Balah — 5 km".encode())[1] == "utf-8"


def test_decode_refuses_bytes_with_nul_as_binary():
    with pytest.raises(corpus.DecodeError, match="binary"):
        corpus.decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_decode_refuses_control_characters_as_binary():
    with pytest.raises(corpus.DecodeError, match="binary"):
        corpus.decode(bytes(range(1, 9)) * 50 + b"text")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
def test_decode_gives_back_any_utf8_or_utf16_text(text):
    assert corpus.decode(text.encode("utf-8"))[0] == text
    assert corpus.decode(b"\xff\xfe" + text.encode("utf-16-le"))[0] == text


# --- normalise ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("1.4\u00a0million", "1.4 million"),  # no-break space
    ("32\u202f000", "32 000"),  # narrow no-break space
    ("Rafah\u2009\u2003camp\u3000site", "Rafah  camp site"),  # thin, em and ideographic spaces
    ("\u2018safe zone\u2019 and \u201bthis\u201a", "'safe zone' and 'this'"),
    ("\u201cno choice\u201d, \u201enothing\u201f", '"no choice", "nothing"'),
    ("2023\u20132024 \u2014 a year", "2023-2024 - a year"),  # en and em dash
    ("\u22125 degrees, al\u2011Shifa, \u2012\u2015", "-5 degrees, al-Shifa, --"),
    ("zero\u200bwidth\u200c\u200d\u2060\ufeff joiners", "zerowidth joiners"),
    ("soft\u00adhyphen", "softhyphen"),
    ("e\u0301vacuation", "\u00e9vacuation"),  # NFC
    ("line one\r\nline two\rline three", "line one\nline two\nline three"),
    ("tab\tstays, bell\x07 goes", "tab\tstays, bell goes"),
    ("para\u2029graph", "para\ngraph"),
])
def test_normalise(raw, expected):
    assert corpus.normalise(raw) == expected


def test_normalise_leaves_plain_ascii_alone():
    text = "More than 32,000 people have been killed, the ministry said.\n"
    assert corpus.normalise(text) is text


@given(st.text(max_size=300))
def test_normalise_is_idempotent_and_leaves_no_carriage_return(text):
    once = corpus.normalise(text)
    assert corpus.normalise(once) == once
    assert "\r" not in once and "\u00a0" not in once and "\u2014" not in once


# --- HTML ---------------------------------------------------------------------------------------

def test_html_scripts_styles_and_page_chrome_never_reach_the_text():
    text, _ = corpus.html_to_text((ARTICLES / "guardian-rafah-page.html").read_text())
    for absent in ("888888", "77,777", "999,999", "tracker", "Home", "Most viewed",
                   "Guardian News"):
        assert absent not in text


def test_html_entities_are_decoded_and_text_laid_out_by_blocks():
    text, _ = corpus.html_to_text((ARTICLES / "guardian-rafah-page.html").read_text())
    assert "More than 1.4 million people are crowded into Rafah" in text
    assert '"We have nowhere else to go," said Umm Khaled' in text
    assert "33,091 people have been killed - a figure" in text
    assert "broadly reliable.\n\nReading" in text  # paragraphs stay apart


def test_html_markup_written_as_entities_stays_text():
    text, _ = corpus.html_to_text((ARTICLES / "guardian-rafah-page.html").read_text())
    assert "Reading <script>alert(1)</script> in an article must stay text." in text
    assert "pwned" not in text


def test_hostile_markup_in_title_outlet_and_text_stays_plain_text(tmp_path):
    page = write(tmp_path / "hostile.html", (
        '<html><head><title>&lt;script&gt;alert("t")&lt;/script&gt; Toll rises</title>'
        '<meta property="og:site_name" content="&lt;img src=x onerror=alert(2)&gt;">'
        '</head><body onload="alert(3)"><p>Ministry: 33,000 killed <b onclick="alert(4)">'
        "&lt;iframe src=javascript:alert(5)&gt;</b></p><script>alert(6)</script></body></html>"))
    article = read(page)
    assert article.title == '<script>alert("t")</script> Toll rises'
    assert article.outlet == "<img src=x onerror=alert(2)>"
    assert article.text == "Ministry: 33,000 killed <iframe src=javascript:alert(5)>\n"


def test_html_title_drops_the_outlet_suffix():
    _, title = corpus.html_to_text((ARTICLES / "guardian-rafah-page.html").read_text())
    assert title == "Rafah residents brace for ground offensive & aid shortages"


def test_html_title_falls_back_to_the_first_h1():
    html = ("<html><body><h1>Strikes hit &quot;safe zone&quot;</h1><h1>Other</h1><p>Text.</p>"
            "</body></html>")
    assert corpus.html_to_text(html) == ("Strikes hit \"safe zone\"\n\nOther\n\nText.\n",
                                         'Strikes hit "safe zone"')


def test_html_page_outlet_and_date_come_from_its_metadata():
    article = read(ARTICLES / "guardian-rafah-page.html")
    assert (article.outlet, article.outlet_source) == ("The Guardian", "stated")
    assert (article.published_date, article.date_source) == ("2024-04-05", "stated")


def test_a_txt_file_holding_an_html_document_is_read_as_html(tmp_path):
    path = write(tmp_path / "saved.txt", "<!DOCTYPE html><html><head><title>Aid talks</title>"
                 "<script>var x = 5;</script></head><body><p>Talks resumed.</p></body></html>")
    article = read(path)
    assert (article.title, article.text) == ("Aid talks", "Talks resumed.\n")


def test_an_html_page_without_text_is_unreadable(tmp_path):
    path = write(tmp_path / "blank.html",
                 "<html><head><script>1</script></head><body></body></html>")
    assert corpus.read_article(path) == Unreadable(str(path), "no text in this HTML page")


# --- debris -------------------------------------------------------------------------------------

DEBRIS_LINES = [
    ("Skip to main content", "navigation"),
    ("Sign in", "navigation"),
    ("Topics: Gaza, Israel-Hamas war", "navigation"),    ("Close Bitnami banner", "banner"),
    ("Close cookie consent banner", "banner"),
    ("We use cookies to improve your experience on our site.", "cookie notice"),
    ("0:00", "media player"),
    ("00:00 / 2:41", "media player"),
    ("Play Video", "media player"),
    ("Listen to this article 4 min", "media player"),
    ("Video Ad Feedback", "media player"),
    ("6 min read", "reading time"),
    ("twitter", "social"),
    ("Facebook, Twitter, Email", "social"),
    ("Share on WhatsApp", "social"),
    ("Share this article", "share"),
    ("Copy link", "social"),
    ("Print", "share"),
    ("Follow us on Instagram for the latest updates", "follow"),
    ("Follow @AJEnglish", "follow"),
    ("Sign up for our Middle East newsletter", "newsletter"),
    ("Download the BBC app for the latest news", "newsletter"),
    ("Advertisement", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("Read more: Inside the last hospital in northern Gaza", "related links"),
    ("Related", "related links"),
    ("© 2024 Thomson Reuters", "copyright"),
    ("Copyright 2024 NPR. All rights reserved.", "copyright"),
    ("Mohamed Abed/AFP/Getty Images", "photo credit"),
    ("Photo: Hatem Ali/AP", "photo credit"),
    ("(AP Photo/Fatima Shbair)", "photo credit"),
    ("Image source, Reuters", "photo credit"),
    ("Getty Images", "photo credit"),
    ("(Reporting by Nidal al-Mughrabi; Editing by Alex Richardson)", "credits"),
    ("Reporting by Maayan Lubell; writing by Dan Williams", "credits"),
    ("The Associated Press contributed to this report.", "credits"),
    ("This is a developing story and will be updated.", "editor's note"),
    ("This article has been updated with additional reporting.", "editor's note"),
    ("The views expressed in this article are the author's own.", "editor's note"),
]


@pytest.mark.parametrize("line, kind", DEBRIS_LINES)
def test_page_furniture_lines_are_debris(line, kind):
    text = f"Strike hits Rafah\n\nAt least 12 were killed, medics said.\n{line}\nMore later.\n"
    (found,) = corpus.find_debris(text)
    assert (found.kind, found.text) == (kind, line)
    assert text[found.start:found.end] == line


NEWS_LINES = [
    "Follow-up talks are expected in Cairo next week, two officials said.",
    "Share prices in Tel Aviv fell 2% after the announcement.",
    "Close to 1,000 people were sheltering in the school, the UN said.",
    "Reporting from Rafah, Al Jazeera's Hani Mahmoud said 20 people were killed overnight.",
    "Subscribers to the aid agency's alerts received warnings of 3 strikes.",
    "The ad campaign, which cost $2 million, urged the release of the hostages.",
    "Watch towers along the border were hit twice on Tuesday.",
    "Play areas in the camp have been turned into shelters for 400 families.",
    "Copyright lawyers for the broadcaster did not respond.",
    "Related research by the WHO found 1 in 6 children under two acutely malnourished.",
    "Photographers documented the aftermath at al-Shifa, where 21 bodies were found.",
    "Israel says 1,200 people were killed in the Oct. 7 attack, mostly civilians.",
    "Twitter users shared videos of the convoy, which carried 200 tonnes of flour.",
    "Print editions of the newspaper were halted for 2 days.",
    "Listen, the minister told parliament, 130 hostages are still in Gaza.",
    "Updates to the ministry's casualty figures are published every day.",
    "A Palestinian family walks past the rubble in Rafah on March 27, 2024.",
    "Hamza Dahdouh was a journalist for Al Jazeera who was killed in January.",
    "Search teams recovered 14 bodies from the rubble.",
    "Home to 1.4 million people, Rafah is the last refuge.",
    "Signing in to the aid portal took hours for 300 families.",
]


@pytest.mark.parametrize("line", NEWS_LINES)
def test_news_sentences_are_never_debris(line):
    text = f"Strike hits Rafah\n\nMedics said 12 people were killed.\n{line}\nMore later.\n"
    assert corpus.find_debris(text) == ()


def test_a_photo_credit_after_a_caption_marks_only_the_credit():
    caption = "Tents line the beach in Rafah on March 13, 2024. (Said Khatib/AFP via Getty Images)"
    text = f"Headline\n{caption}\nThe army said 40 targets were hit.\n"
    (found,) = corpus.find_debris(text)
    assert (found.kind, found.text) == ("photo credit", "(Said Khatib/AFP via Getty Images)")
    assert found.end == text.index("\nThe army")


def test_an_author_bio_at_the_end_is_debris():
    bio = ("Maya Lindqvist is a Middle East correspondent for The Nordic Ledger. "
           "She has covered the region for 11 years.")
    text = f"Headline\n\nAt least 30 trucks crossed on Sunday.\nOfficials expect more.\n{bio}\n"
    assert corpus.find_debris(text) == (Debris(text.index(bio), text.index(bio) + len(bio),
                                               "author bio", bio),)


def test_the_same_bio_sentence_in_the_body_is_not_debris():
    bio = "Maya Lindqvist is a Middle East correspondent for The Nordic Ledger."
    body = "\n".join(f"Paragraph {n} reports that {n * 10} trucks entered." for n in range(1, 7))
    assert corpus.find_debris(f"Headline\n{bio}\n{body}\n") == ()


def test_debris_is_recorded_but_never_removed():
    article = read(paths.SEEDS / "000_bd0af76679971a63.txt")
    assert article.text.endswith("Close Bitnami banner")
    assert all(article.text[d.start:d.end] == d.text for d in article.debris)


def test_every_debris_entry_is_well_formed():
    with open(corpus.DEBRIS_FILE, "rb") as handle:
        entries = tomllib.load(handle)["debris"]
    for entry in entries:
        assert r"\s" not in entry["pattern"], entry["kind"]  # would cross line breaks
        assert set(entry) <= {"kind", "pattern", "match", "span", "where", "case", "max_length"}
        pattern = entry["pattern"].replace("{photo_agencies}", "AFP")
        assert re.fullmatch(pattern, "") is None, entry["kind"]


# --- title --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, title", [
    ("Aid convoy reaches north Gaza\n\nThe convoy of 15 trucks arrived.",
     "Aid convoy reaches north Gaza"),
    ("\n\n  Is Rafah next?  \nBody text.", "Is Rafah next?"),
    ("The convoy of 15 trucks arrived on Sunday.\nMore text.", ""),  # a sentence, not a headline
    ("4/1/2024\nSenior officials met on Monday.", ""),  # a date line
    ("Monday, April 1, 2024\nSenior officials met.", ""),
    ("By Jane Doe\nOfficials met.", ""),  # a byline
    ("Mohamed Abed/AFP/Getty Images\nA man walks past rubble.", ""),  # debris, then a sentence
])
def test_title_of_a_text_file(text, title):
    assert from_text(text).title == title


def test_title_of_a_markdown_file_drops_the_heading_marks():
    title = read(ARTICLES / "explainer-numbers.md").title
    assert title == "How many people are sheltering in Rafah?"


# --- outlet -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, outlet", [
    ("Headline\n\nWASHINGTON (Reuters) -Senior officials met.", "Reuters"),
    ("Headline\nGAZA CITY, April 1 (AP) - Strikes hit the city.", "AP"),
    ("(CNN)The army said it struck 40 targets.", "CNN"),
    ("Headline\nTel Aviv, Israel\nCNN\n-\nThe army said ...", "CNN"),
    ("Headline\nJerusalem CNN - Talks resumed.", "CNN"),
    ("Headline\nBy Nadia Karim | Middle East Eye\nFamilies fled.", "Middle East Eye"),
    ("Headline\nBy Tom Ardley, BBC News, Jerusalem\nFamilies fled.", "BBC"),
    ("Headline\nBBC Middle East correspondent\nFamilies fled.", "BBC"),
    ("Headline\nBy Al Jazeera Staff\nFamilies fled.", "Al Jazeera"),
    ("Headline\nBY JERUSALEM POST STAFF\nFamilies fled.", "The Jerusalem Post"),
    ("Headline\nBy TOI staff | 2 April 2024\nFamilies fled.", "The Times of Israel"),
    ("Families fled.\n© 2024 Bloomberg L.P.", "Bloomberg"),
    ("Families fled, the ministry said. - AFP", "AFP"),
    ("Families fled.\nJackson Ortiz is a Washington correspondent for The Epoch Times. He ...",
     "The Epoch Times"),
    ("Families fled.\nDana Whitfield is a staff writer for The Lakeside Courier.",
     "The Lakeside Courier"),  # an outlet not in outlets.csv, named as written
])
def test_the_outlet_an_article_states(text, outlet):
    assert corpus.stated_outlet(corpus.normalise(text)) == outlet


@pytest.mark.parametrize("text", [
    "Families fled.\nThe Associated Press contributed to this report.",
    "Families fled.\nReuters contributed reporting.",
    "Tents in Rafah. (Mohammed Abed/AFP via Getty Images)\nFamilies fled.",
    "Mohamed Abed/AFP/Getty Images\nFamilies fled.",
    "Officials told CNN on Monday that 40 targets were hit.",  # only a hint: see inferred
    "A spokesman told the National Security Council staff.",
])
def test_contributors_and_photo_agencies_are_not_the_outlet(text):
    assert corpus.stated_outlet(corpus.normalise(text)) == ""


@pytest.mark.parametrize("text, outlet", [
    ("An Israeli official told CNN.", "CNN"),
    ("Speaking to Al Jazeera from Rafah, a father said ...", "Al Jazeera"),
    ("Reuters could not independently verify the figures.", "Reuters"),
    ("NBC News has reached out to the IDF for comment.", "NBC News"),
    ("He told CNN's State of the Union on Sunday.", ""),  # an interview on another outlet
    ("He told CNN. She told Reuters.", ""),  # a tie names none
    ("He told the National Security Council on Monday.", ""),
])
def test_the_outlet_weaker_hints_suggest(text, outlet):
    assert corpus.inferred_outlet(text) == outlet


@pytest.mark.parametrize("url, outlet", [
    ("https://edition.cnn.com/2024/04/01/politics/rafah/index.html", "CNN"),
    ("https://www.bbc.co.uk/news/world-middle-east-68712345", "BBC"),
    ("www.timesofisrael.com/liveblog-entry/hostages/", "The Times of Israel"),
    ("https://news.sky.com/story/gaza-13107845", "Sky News"),
    ("https://example.org/cnn.com/article", ""),
    ("", ""),
])
def test_the_outlet_of_a_url(url, outlet):
    assert corpus.outlet_from_url(url) == outlet


def test_outlets_table_covers_the_outlets_we_meet_most():
    with open(corpus.OUTLETS_FILE, newline="", encoding="utf-8") as handle:
        outlets = {row["outlet"] for row in csv.DictReader(handle)}
    assert outlets >= {
        "Reuters", "AP", "AFP", "CNN", "BBC", "Al Jazeera", "The Guardian", "The New York Times",
        "The Washington Post", "The Times of Israel", "Haaretz", "The Jerusalem Post", "NBC News",
        "CBS News", "ABC News", "Fox News", "Politico", "Axios", "NPR", "The Epoch Times",
        "Business Insider", "The Hill", "Bloomberg", "Middle East Eye", "France 24", "DW",
        "Sky News", "The Independent", "Anadolu", "Xinhua", "The National"}


STATED_AND_HINTED = "Headline\nRAFAH (Reuters) - Officials told CNN that 5 were hurt."
HINTED = "Headline\nOfficials told CNN that 5 were hurt."


def outlet_and_source(text: str, **row) -> tuple[str, str]:
    article = from_text(text, manifest_row=corpus.ManifestRow("x", **row) if row else None)
    return article.outlet, article.outlet_source


def test_the_manifest_outlet_comes_first():
    assert outlet_and_source(STATED_AND_HINTED, outlet="Gaza Daily") == ("Gaza Daily", "manifest")


def test_the_stated_outlet_comes_before_the_url():
    assert outlet_and_source(STATED_AND_HINTED, url="https://cnn.com/a") == ("Reuters", "stated")


def test_the_url_domain_comes_before_hints_in_the_text():
    assert outlet_and_source(HINTED, url="https://www.npr.org/a") == ("NPR", "inferred")


def test_hints_in_the_text_infer_the_outlet_last():
    assert outlet_and_source(HINTED) == ("CNN", "inferred")
    assert outlet_and_source("Headline\nFive were hurt.") == ("", "unknown")


# --- publication date ---------------------------------------------------------------------------

@pytest.mark.parametrize("line, iso", [
    ("4/1/2024", "2024-04-01"),  # month first, as US outlets write it
    ("18/04/2024", "2024-04-18"),  # day first when the first number cannot be a month
    ("April 1, 2024", "2024-04-01"),
    ("Apr. 1, 2024", "2024-04-01"),
    ("Published 18 April 2024", "2024-04-18"),
    ("Published On 12 Apr 2024 12:45 GMT", "2024-04-12"),
    ("Mon 1 Apr 2024 12.32 BST", "2024-04-01"),
    ("Monday, April 1st, 2024 at 3:15 p.m. EDT", "2024-04-01"),
    ("Updated 3:15 PM GMT+3, April 9, 2024", "2024-04-09"),
    ("April 1, 20245:00 AM ET", "2024-04-01"),  # a scraper glued the time to the year
    ("2024-04-01T09:30:00Z", "2024-04-01"),
    ("Posted: 01-Apr-2024 14:32", "2024-04-01"),  # an unusual layout: dateparser
    ("2/30/2024", ""),  # no such day
    ("Rafah, April 1, 2024", ""),  # a place is not a label word
    ("April 2024", ""),  # no day
])
def test_parse_date(line, iso):
    assert corpus.parse_date(line) == iso


def test_numeric_dates_are_day_first_for_outlets_that_write_them_so():
    text = "Headline\nBy Al Jazeera Staff\nPublished 01/04/2024\nFamilies fled."
    assert (from_text(text).outlet, from_text(text).published_date) == ("Al Jazeera", "2024-04-01")
    assert from_text(text.replace("Al Jazeera Staff", "Reuters")).published_date == "2024-01-04"


def test_the_publication_date_is_a_date_line_near_the_top():
    text = "Headline\nBy Jane Doe\nPublished 18 April 2024\nOfficials said 40 targets were hit."
    assert corpus.stated_date(text) == "2024-04-18"


def test_a_date_in_a_photo_caption_is_not_the_publication_date():
    text = ("Photo: Hatem Ali/AP\n"
            "A Palestinian inspects the rubble in Rafah, in the southern Gaza Strip, on "
            "March 27, 2024, as the conflict continues.\nWashington\nCNN\n-\nTalks went on.")
    assert corpus.stated_date(text) == ""


def test_a_published_date_wins_over_an_updated_one():
    text = "Headline\nUpdated 5 April 2024\nPublished 3 April 2024\nBody."
    assert corpus.stated_date(text) == "2024-04-03"


def test_an_updated_date_is_used_when_it_is_the_only_one():
    text = "Headline\nUpdated:\n4/3/2024\nThe convoy reached the hospital."
    assert corpus.stated_date(text) == "2024-04-03"


def test_a_date_in_a_wire_dateline_is_the_publication_date():
    text = "Headline\nGAZA, April 3, 2024 (AFP) - The convoy was blocked again on Wednesday."
    assert corpus.stated_date(text) == "2024-04-03"


def test_a_date_deep_in_the_body_is_not_the_publication_date():
    body = "Officials met again and said little. " * 80
    assert corpus.stated_date(f"Headline\n{body}\nApril 1, 2024\n") == ""


def test_no_dateparser_for_an_article_without_a_date_candidate(monkeypatch):
    monkeypatch.setitem(sys.modules, "dateparser", None)  # importing it would fail
    article = read(paths.SEEDS / "001_61d1ee31a07849de.txt")
    assert article.date_source == "unknown"


@pytest.mark.parametrize("url, iso", [
    ("https://www.aljazeera.com/news/2024/4/12/gaza-toll", "2024-04-12"),
    ("https://edition.cnn.com/2024/04/01/politics/rafah/index.html", "2024-04-01"),
    ("https://www.example.com/2024-04-02-talks", "2024-04-02"),
    ("https://www.example.com/2024/13/40/x", ""),
    ("https://www.example.com/news/rafah", ""),
])
def test_date_from_url(url, iso):
    assert corpus.date_from_url(url) == iso


# --- manifest -----------------------------------------------------------------------------------

def test_manifest_rows_by_id_and_a_file_column_naming_a_file():
    manifest = corpus.load_manifest(WITH_MANIFEST / "manifest.csv")
    assert manifest.rows["un-briefing"] == corpus.ManifestRow(
        "un-briefing", "", "UN News", "2024-04-11", 3)
    assert manifest.files == {
        os.path.realpath(WITH_MANIFEST / "statements" / "bbc_copy.txt"): "renamed-article"}


def test_manifest_duplicate_id_keeps_the_first_row_and_names_both_lines():
    manifest = corpus.load_manifest(WITH_MANIFEST / "manifest.csv")
    assert manifest.rows["un-briefing"].outlet == "UN News"
    assert Unreadable(str(WITH_MANIFEST / "manifest.csv"),
                      "line 4: id 'un-briefing' repeats line 3; row not used") in manifest.problems


def test_manifest_bad_date_drops_only_that_field():
    manifest = corpus.load_manifest(WITH_MANIFEST / "manifest.csv")
    assert manifest.rows["ngo-statement"] == corpus.ManifestRow(
        "ngo-statement", "", "Relief Coalition", "", 5)
    assert Unreadable(str(WITH_MANIFEST / "manifest.csv"),
                      "line 5: published_date '2024-13-45' is not a date (use yyyy-mm-dd); "
                      "field not used") in manifest.problems


def test_manifest_without_id_column_is_not_used_but_articles_still_go_through(tmp_path):
    write(tmp_path / "talks.txt", ONE_ARTICLE)
    manifest = write(tmp_path / "manifest.csv", "identifier,url,outlet,published_date\ntalks,,X,\n")
    items = list(corpus.iter_articles([tmp_path]))
    assert items[0] == Unreadable(str(manifest), "line 1: no 'id' column (columns: identifier, "
                                                 "url, outlet, published_date); manifest not used")
    assert [(i.article_id, i.outlet_source) for i in items[1:]] == [("talks", "unknown")]


def test_manifest_missing_columns_are_named(tmp_path):
    manifest = corpus.load_manifest(write(tmp_path / "m.csv", "id,outlet\ntalks,Gaza Daily\n"))
    assert manifest.problems == (
        Unreadable(str(tmp_path / "m.csv"),
                   "line 1: missing column url, published_date; those fields stay empty"),)
    assert manifest.rows["talks"].outlet == "Gaza Daily"


def test_manifest_in_legacy_encoding_with_blank_rows_and_messy_header(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(" ID , URL ,Outlet,published_date\r\n\r\nhébergement,,Le Réseau,4/1/2024\r\n"
                     .encode("cp1252"))
    manifest = corpus.load_manifest(path)
    assert manifest.problems == ()
    assert manifest.rows["hébergement"] == corpus.ManifestRow(
        "hébergement", "", "Le Réseau", "2024-04-01", 3)


def test_manifest_ids_match_file_names_with_dashes_and_accents(tmp_path):
    write(tmp_path / "Rafah Bericht – März.txt", ONE_ARTICLE)
    write(tmp_path / "manifest.csv", "id,url,outlet,published_date\n"
                                     "Rafah Bericht – März,,Tagesblatt,2024-04-04\n")
    (article,) = corpus.iter_articles([tmp_path])
    assert (article.article_id, article.outlet) == ("Rafah Bericht – März", "Tagesblatt")


def test_manifest_that_cannot_be_read_is_one_problem(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_bytes(b"\x00\x01binary")
    (problem,) = corpus.load_manifest(path).problems
    assert problem.path == str(path) and problem.reason.startswith("cannot read manifest: binary")


def test_a_folder_manifest_gives_outlet_date_url_and_ids():
    items = {i.article_id: i for i in corpus.iter_articles([WITH_MANIFEST])
             if isinstance(i, Article)}
    assert sorted(items) == ["extra-report", "ministry-update", "ngo-statement",
                             "renamed-article", "un-briefing"]
    summary = {k: (a.outlet, a.outlet_source, a.published_date, a.date_source)
               for k, a in items.items()}
    assert summary == {
        "extra-report": ("", "unknown", "", "unknown"),
        "ministry-update": ("Al Jazeera", "inferred", "2024-04-12", "inferred"),
        "ngo-statement": ("Relief Coalition", "manifest", "2024-04-11", "stated"),
        "renamed-article": ("BBC", "inferred", "2024-04-10", "manifest"),
        "un-briefing": ("UN News", "manifest", "2024-04-11", "manifest"),
    }
    assert items["ministry-update"].url == (
        "https://www.aljazeera.com/news/2024/4/12/gaza-toll-update")


def test_a_given_manifest_replaces_the_folder_one(tmp_path):
    manifest = write(tmp_path / "other.csv",
                     "id,url,outlet,published_date\nun-briefing,,OCHA,2024-04-09\n")
    items = [i for i in corpus.iter_articles([WITH_MANIFEST], manifest=manifest)]
    assert not any(isinstance(i, Unreadable) for i in items)
    assert {i.article_id: i.outlet for i in items}["un-briefing"] == "OCHA"


# --- reading a corpus ---------------------------------------------------------------------------

def test_fixture_articles_read_with_their_encoding_outlet_and_date():
    items = list(corpus.iter_articles([ARTICLES]))
    summary = [(i.article_id, i.encoding, i.outlet, i.outlet_source, i.published_date)
               for i in items]
    assert summary == [
        ("Rafah Bericht – März 2024", "utf-8", "", "unknown", ""),
        ("bio-unknown-outlet", "utf-8", "The Lakeside Courier", "stated", ""),
        ("explainer-numbers", "utf-8", "", "unknown", ""),
        ("guardian-rafah-page", "utf-8", "The Guardian", "stated", "2024-04-05"),
        ("legacy-cp1252", "cp1252", "", "unknown", ""),
        ("live-blog-day-186", "utf-8", "Al Jazeera", "inferred", "2024-04-10"),
        ("security-council-utf16", "utf-16-le", "Reuters", "stated", ""),
        ("translated-aid-convoy", "utf-8", "AFP", "stated", "2024-04-03"),
        ("who-convoy-bom", "utf-8-sig", "", "unknown", "2024-04-03"),
        ("wire-hostage-talks", "utf-8", "AP", "stated", "2024-04-09"),
    ]


def test_a_legacy_file_reads_as_normalised_text():
    article = read(ARTICLES / "legacy-cp1252.txt")
    assert article.text.startswith(
        "Aid agencies warn of famine in northern Gaza\n\nMédecins du Monde said on Friday "
        'that "children are dying of hunger" in the north - ')


def test_a_live_blog_keeps_its_entries_and_marks_its_furniture():
    article = read(ARTICLES / "live-blog-day-186.txt")
    assert "at least 33,482 Palestinians have been killed" in article.text
    assert debris_texts(article) == [
        "Listen to this article", "5 min read", "Share", "Facebook Twitter WhatsApp",
        "Follow Al Jazeera English:", "Subscribe to our newsletter for the day's top stories."]


def test_a_wire_story_marks_advertising_credits_and_copyright():
    assert [d.kind for d in read(ARTICLES / "wire-hostage-talks.txt").debris] == [
        "advertisement", "credits", "copyright"]


def test_unreadable_inputs_are_reported_and_good_articles_still_go_through():
    items = list(corpus.iter_articles([BROKEN]))
    assert [i.article_id for i in items if isinstance(i, Article)] == ["good-article"]
    assert problems_by_name(items) == {
        "empty.txt": "empty file",
        "only-whitespace.txt": "empty file (only whitespace)",
        "picture.txt": "binary file (NUL bytes)",
    }


def test_hidden_files_other_extensions_and_the_manifest_are_not_articles(tmp_path):
    write(tmp_path / "a.txt", ONE_ARTICLE)
    write(tmp_path / ".draft.txt", ONE_ARTICLE)
    write(tmp_path / ".cache" / "b.txt", ONE_ARTICLE)
    write(tmp_path / "notes.json", "{}")
    write(tmp_path / "manifest.csv", "id,url,outlet,published_date\n")
    write(tmp_path / "deeper" / "still" / "c.htm", "<p>Two trucks.</p>")
    assert [i.article_id for i in corpus.iter_articles([tmp_path])] == ["a", "c"]


def test_articles_come_in_id_order_across_folders_and_files(tmp_path):
    for name in ("zeta.txt", "one/beta.md", "two/alpha.html", "gamma.txt"):
        write(tmp_path / name, ONE_ARTICLE)
    given = [tmp_path / "zeta.txt", tmp_path / "two", tmp_path / "one", tmp_path / "gamma.txt"]
    assert [i.article_id for i in corpus.iter_articles(given)] == ["alpha", "beta", "gamma", "zeta"]


def test_a_file_given_twice_is_read_once(tmp_path):
    write(tmp_path / "talks.txt", ONE_ARTICLE)
    items = list(corpus.iter_articles([tmp_path, tmp_path / "talks.txt"]))
    assert [i.article_id for i in items] == ["talks"]


def test_a_duplicate_id_is_reported_naming_the_other_file(tmp_path):
    first = write(tmp_path / "a" / "talks.txt", ONE_ARTICLE)
    second = write(tmp_path / "b" / "talks.md", ONE_ARTICLE)
    items = list(corpus.iter_articles([tmp_path]))
    assert [type(i) for i in items] == [Article, Unreadable]
    assert items[1] == Unreadable(str(second),
                                  f"duplicate article id 'talks' (already read from {first})")


def test_a_name_with_spaces_and_non_ascii_keeps_it_as_the_id():
    article = read(ARTICLES / "Rafah Bericht – März 2024.txt")
    assert article.article_id == "Rafah Bericht – März 2024"
    assert article.path == str(ARTICLES / "Rafah Bericht – März 2024.txt")


def test_a_broken_link_is_reported(tmp_path):
    write(tmp_path / "good.txt", ONE_ARTICLE)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    items = list(corpus.iter_articles([tmp_path]))
    assert problems_by_name(items) == {
        "gone.txt": (f"broken symbolic link (points to '{tmp_path / 'deleted.txt'}', "
                     "which does not exist)")}
    assert [i.article_id for i in items if isinstance(i, Article)] == ["good"]


def test_a_link_to_a_folder_containing_it_is_a_loop(tmp_path):
    write(tmp_path / "corpus" / "good.txt", ONE_ARTICLE)
    (tmp_path / "corpus" / "again").symlink_to(tmp_path / "corpus")
    items = list(corpus.iter_articles([tmp_path / "corpus"]))
    assert problems_by_name(items) == {
        "again": "symbolic link loop (leads back to a folder containing it)"}
    assert [i.article_id for i in items if isinstance(i, Article)] == ["good"]


def test_links_pointing_at_each_other_are_a_loop(tmp_path):
    write(tmp_path / "good.txt", ONE_ARTICLE)
    (tmp_path / "ping.txt").symlink_to(tmp_path / "pong.txt")
    (tmp_path / "pong.txt").symlink_to(tmp_path / "ping.txt")
    items = list(corpus.iter_articles([tmp_path]))
    assert problems_by_name(items) == {"ping.txt": "symbolic link loop",
                                       "pong.txt": "symbolic link loop"}


def test_a_folder_that_cannot_be_entered_is_reported(tmp_path, monkeypatch):
    write(tmp_path / "good.txt", ONE_ARTICLE)
    locked = tmp_path / "locked"
    write(locked / "secret.txt", ONE_ARTICLE)
    real_scandir = os.scandir

    def scandir(path):  # what a folder without read permission does (tests may run as root)
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(corpus.iter_articles([tmp_path]))
    assert problems_by_name(items) == {"locked": "cannot enter folder: permission denied"}
    assert [i.article_id for i in items if isinstance(i, Article)] == ["good"]


def test_a_file_too_large_is_refused_before_reading(tmp_path):
    huge = tmp_path / "dump.txt"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    assert corpus.read_article(huge) == Unreadable(
        str(huge), f"file too large: 209.7 MB (limit {corpus.MAX_ARTICLE_BYTES / 1e6:.0f} MB)")


def test_a_given_file_of_another_kind_is_reported(tmp_path):
    path = write(tmp_path / "table.csv", "a,b\n")
    assert list(corpus.iter_articles([path])) == [
        Unreadable(str(path), "not an article file (expected .txt, .md, .html or .htm)")]


def test_a_missing_path_is_reported():
    assert list(corpus.iter_articles(["/no/such/corpus"])) == [
        Unreadable("/no/such/corpus", "no such file or folder")]


def test_articles_are_read_one_at_a_time(tmp_path, monkeypatch):
    for n in range(5):
        write(tmp_path / f"a{n}.txt", ONE_ARTICLE)
    opened = []
    real_read = corpus.read_article
    monkeypatch.setattr(corpus, "read_article", lambda *a: opened.append(a[0]) or real_read(*a))
    articles = corpus.iter_articles([tmp_path])
    next(articles)
    assert len(opened) == 1


def test_plan_lists_inputs_in_reading_order_without_reading_them(tmp_path):
    write(tmp_path / "b.txt", ONE_ARTICLE)
    write(tmp_path / "a.txt", ONE_ARTICLE)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    problems, plan = corpus.plan_articles(tmp_path)
    assert problems == []
    assert [(p.article_id, bool(p.reason)) for p in plan] == [("a", False), ("b", False),
                                                              ("gone", True)]


def test_article_row_holds_the_article_table_columns():
    article = read(ARTICLES / "wire-hostage-talks.txt")
    row = corpus.article_row(article)
    assert tuple(row) == corpus.ARTICLE_COLUMNS
    assert row["characters"] == len(article.text)
    assert row["debris_lines"] == 3
    assert row["path"] == str(ARTICLES / "wire-hostage-talks.txt")


# --- the seeds ----------------------------------------------------------------------------------

# What the reader finds in the seeds' own text, file by file (seeds/manifest.csv left aside).
SEEDS = {path.name[:3]: corpus.read_article(path) for path in sorted(paths.SEEDS.glob("*.txt"))}


def test_the_seeds_manifest_dates_the_two_undated_articles():
    read = {item.article_id[:3]: item for item in corpus.iter_articles([paths.SEEDS])}
    assert {k: (a.published_date, a.date_source) for k, a in read.items()} == {
        "000": ("2024-04-01", "manifest"), "001": ("2024-04-18", "manifest"),
        "002": ("2024-04-01", "stated"), "003": ("2024-04-01", "stated"), "004": ("", "unknown")}


@pytest.mark.parametrize("seed, outlet, source", [
    ("000", "Reuters", "stated"),  # WASHINGTON (Reuters) -
    ("001", "", "unknown"),  # says nothing about who published it
    ("002", "CNN", "inferred"),  # "an Israeli official told CNN"
    ("003", "The Epoch Times", "stated"),  # the author bio, not "The Associated Press contributed"
    ("004", "CNN", "stated"),  # its dateline: Washington / CNN / -
])
def test_seed_outlet(seed, outlet, source):
    assert (SEEDS[seed].outlet, SEEDS[seed].outlet_source) == (outlet, source)


@pytest.mark.parametrize("seed, date", [
    ("000", ""), ("001", ""),
    ("002", "2024-04-01"),  # "4/1/2024" on the first line
    ("003", "2024-04-01"),  # "4/1/2024", not the caption's March 13, 2024
    ("004", ""),  # only a photo caption's date: "on March 27, 2024"
])
def test_seed_publication_date(seed, date):
    assert SEEDS[seed].published_date == date
    assert SEEDS[seed].date_source == ("stated" if date else "unknown")


@pytest.mark.parametrize("seed, debris", [
    ("000", [("credits", ("(Reporting by Steve Holland and Doina Chiacu; additional reporting by "
                          "Matt Spetalnick; Editing by Doina Chiacu, Chizu Nomiyama, "
                          "Alexandra Hudson)")),
             ("banner", "Close Bitnami banner")]),
    ("001", [("editor's note", "This is a developing story and will be updated.")]),
    ("002", []),
    ("003", [("photo credit", "(Mohammed Med Abed/AFP via Getty Images)"),
             ("media player", "0:00"),
             ("credits", "The Associated Press contributed to this report."),
             ("author bio", SEEDS["003"].text.splitlines()[-2]),
             ("social", "twitter")]),
    ("004", [("photo credit", "Mohamed Abed/AFP/Getty Images"),
             ("editor's note", "This article has been updated with additional reporting."),
             ("credits", "CNN's Kevin Liptak and Donald Judd contributed to this report.")]),
])
def test_seed_debris_is_exactly_the_page_furniture(seed, debris):
    assert [(d.kind, d.text) for d in SEEDS[seed].debris] == debris


def test_seed_epoch_times_bio_is_debris():
    bio = SEEDS["003"].debris[3]
    assert bio.text.startswith("Jackson Richman is a Washington correspondent for The Epoch Times.")


@pytest.mark.parametrize("seed, title", [
    ("000", "US, Israeli officials meet virtually on Rafah"),
    ("001", "US, Israel hold second virtual meeting on Rafah"),
    ("002", ""),
    ("003", ("Biden Admin Officials Meet With Israeli Officials Virtually Ahead of Likely Rafah "
             "Invasion")),
    ("004", ""),
])
def test_seed_title(seed, title):
    assert SEEDS[seed].title == title
