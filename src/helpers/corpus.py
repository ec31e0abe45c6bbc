"""Reading a corpus: find article files, decode them, turn HTML into text, apply the manifest and
mark page debris -> `Article` records, or `Unreadable` ones, which never stop a run.

Streaming: the list of paths is gathered and sorted first (cheap), then articles are read one
file at a time, so memory stays flat however large the corpus is.

Patterns are data, in helpers/data: debris.toml (page furniture), outlets.csv (outlet names and
web domains) and article_cues.toml (how an article states its outlet and publication date).
"""

from __future__ import annotations

import bisect
import codecs
import csv
import errno
import io
import os
import re
import stat
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from helpers.paths import PACKAGE_DATA
from helpers.records import Article, Debris, Unreadable

ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id", "outlet", "outlet_source", "published_date", "date_source", "title",
    "characters", "encoding", "debris_lines", "path", "url",
)
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("id", "url", "outlet", "published_date")
# Far above any real article (a long one is 100 KB); keeps one stray dump from filling memory.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024

DEBRIS_FILE = PACKAGE_DATA / "debris.toml"
OUTLETS_FILE = PACKAGE_DATA / "outlets.csv"
CUES_FILE = PACKAGE_DATA / "article_cues.toml"

# Where outlet and date cues are looked for, in characters from the start or the end of the text.
HEAD_CHARACTERS = 1500
TAIL_CHARACTERS = 1500
DATE_HEAD_CHARACTERS = 2500
TAIL_LINES = 4  # debris marked `where = "tail"` is looked for among the last non-empty lines
MAX_DATE_LINE = 100
MAX_HEADLINE = 200


# ---------------------------------------------------------------------------------------------
# Decoding and normalising


class DecodeError(ValueError):
    """Bytes that are not text; the message says why."""


_BYTE_ORDER_MARKS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0e, 0x20), 0x7f])
_ASCII_MAPPED_BYTES = _CONTROL_BYTES + b"\x0b\x0c"
_WEB_LEGACY_ENCODING = "cp1252"


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name). A byte-order mark decides first (UTF-8, UTF-16, UTF-32);
    then strict UTF-8, the fast path almost every file takes; only when that fails does
    charset-normalizer choose a legacy encoding. Raises DecodeError for binary data (NUL bytes
    without a byte-order mark, or mostly control characters) and for undecodable bytes."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            body = raw if encoding == "utf-8-sig" else raw[len(mark):]
            try:
                return _text_only(body.decode(encoding)), encoding
            except UnicodeDecodeError as error:
                raise DecodeError(f"not valid {encoding} although it starts with its byte-order "
                                  f"mark ({error.reason} at byte {error.start})") from None
    if b"\x00" in raw:  # UTF-16 and UTF-32 are read only with their byte-order mark
        raise DecodeError("binary file (NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _detect_legacy(raw)
    # Control characters are single bytes in UTF-8: count them without a regex.
    has_controls = len(raw.translate(None, _CONTROL_BYTES)) != len(raw)
    return (_text_only(text) if has_controls else text), "utf-8"


def _detect_legacy(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 files pay for it

    matches = from_bytes(raw)
    best = matches.best()
    if best is None:
        raise DecodeError("cannot decode: not UTF-8, UTF-16 or a legacy text encoding")
    encoding = codecs.lookup(best.encoding).name
    # A short Western text fits several code pages equally well. Among equals, prefer
    # windows-1252, the web's legacy encoding (WHATWG reads even "latin-1" labels as it).
    equally_good = {
        codecs.lookup(name).name
        for match in matches
        if (match.chaos, match.coherence) == (best.chaos, best.coherence)
        for name in match.could_be_from_charset
    }
    if encoding != _WEB_LEGACY_ENCODING and _WEB_LEGACY_ENCODING in equally_good:
        try:
            return _text_only(raw.decode(_WEB_LEGACY_ENCODING)), _WEB_LEGACY_ENCODING
        except UnicodeDecodeError:
            pass
    return _text_only(str(best)), encoding


def _text_only(text: str) -> str:
    """Text that decoded but is mostly control characters is a binary file."""
    if _CONTROL_CHARACTERS.search(text):
        sample = text[:8192]
        if len(_CONTROL_CHARACTERS.findall(sample)) * 100 > len(sample):
            raise DecodeError("binary file (control characters)")
    return text


def _character_map() -> dict[int, str | None]:
    spaces = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
             "\u202f\u205f\u3000"
    invisible = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" \
                "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
    dashes = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
    line_breaks = "\x0b\x0c\x85\u2028\u2029"
    controls = "".join(chr(c) for c in [*range(0x09), *range(0x0e, 0x20), *range(0x7f, 0xa0)]
                       if chr(c) not in line_breaks)
    mapping = {
        **dict.fromkeys(spaces, " "),
        **dict.fromkeys(invisible + controls, None),
        **dict.fromkeys(dashes, "-"),
        **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),
        **dict.fromkeys(line_breaks, "\n"),
    }
    return str.maketrans(mapping)


_CHARACTER_MAP = _character_map()
_REPLACEMENTS = {chr(code): replacement or "" for code, replacement in _CHARACTER_MAP.items()}
# Every character the map changes lies in these ranges (with a few it keeps, like the ellipsis).
_MAYBE_MAPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xa0\xad\u1680\u180e"
                           "\u2000-\u206f\u2212\u3000\ufe58\ufe63\ufeff\uff0d]")


def normalise(text: str) -> str:
    """NFC; one kind of line break (\\n); unicode spaces -> ' '; typographic quotes -> ' and ";
    dashes, minus and non-breaking hyphens -> '-'; zero-width, bidi and control characters
    removed. Article.text is this text, and figure offsets refer to it."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # O(1); then only control characters can need work, counted as bytes
        ascii_bytes = text.encode("ascii")
        if len(ascii_bytes.translate(None, _ASCII_MAPPED_BYTES)) == len(ascii_bytes):
            return text
        return text.translate(_CHARACTER_MAP)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # str.translate walks a non-ASCII text character by character in Python objects; replacing
    # only the few distinct characters present is twenty times faster.
    for character in set(_MAYBE_MAPPED.findall(text)):
        replacement = _REPLACEMENTS.get(character)
        if replacement is not None:
            text = text.replace(character, replacement)
    return text


# ---------------------------------------------------------------------------------------------
# HTML


_HTML_START = re.compile(r"(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses str input that declares one
# Elements whose text is never the article: code, page chrome and interactive widgets.
_DROPPED_ELEMENTS = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form",
                     "button", "select", "svg", "iframe", "object", "embed", "canvas")
_PUBLISHED_META = ("article:published_time", "datepublished", "og:published_time",
                   "publish-date", "publishdate", "pubdate", "parsely-pub-date", "dc.date",
                   "dcterms.created", "date")
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')
_TITLE_SITE_SUFFIX = re.compile(r"^(?P<title>.*\S)\s+[|-]\s+(?P<site>[^|]{1,40})$")


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document (<!doctype html> or <html>)."""
    return _HTML_START.match(text, 0, 4096) is not None


@dataclass(frozen=True, slots=True)
class _HtmlPage:
    text: str
    title: str
    site_name: str
    published: str  # as the page writes it


def html_to_text(html: str) -> tuple[str, str]:
    """HTML -> (text laid out by blocks, title). Scripts, styles and page chrome never reach the
    text; entities are decoded. The title is the <title> (without a trailing "| Outlet") or
    else the first <h1>. Both are normalised."""
    page = _read_html(html)
    return page.text, page.title


def _read_html(html: str) -> _HtmlPage:
    # Imported here so that plain-text corpora never load the HTML stack.
    from inscriptis import Inscriptis
    from inscriptis.model.config import ParserConfig
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except ParserError:  # nothing but whitespace or comments
        return _HtmlPage("", "", "", "")
    meta = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "")
        meta.setdefault(key.strip().lower(), (element.get("content") or "").strip())
    published = next((meta[key] for key in _PUBLISHED_META if meta.get(key)), "")
    if not published:
        for script in tree.iter("script"):
            if (script.get("type") or "").lower() == "application/ld+json":
                found = _JSON_LD_PUBLISHED.search(script.text or "")
                if found:
                    published = found.group(1)
                    break
    site_name = _one_line(meta.get("og:site_name", ""))
    title = _one_line(next((e.text_content() for e in tree.iter("title")), ""))
    suffix = _TITLE_SITE_SUFFIX.match(title)
    if suffix and (suffix["site"] == site_name or suffix["site"] in _outlet_table().canonical):
        title, site_name = suffix["title"], site_name or suffix["site"]
    if not title:
        title = _one_line(next((e.text_content() for e in tree.iter("h1")), ""))
    for element in list(tree.iter(*_DROPPED_ELEMENTS)):
        element.drop_tree()
    text = Inscriptis(tree, ParserConfig(display_images=False, display_links=False)).get_text()
    return _HtmlPage(normalise(text), title, site_name, published)


def _one_line(text: str) -> str:
    return " ".join(normalise(text).split())


# ---------------------------------------------------------------------------------------------
# Debris


DEFAULT_DEBRIS_LINE = 120  # the longest line a debris entry matches unless it says otherwise


@dataclass(frozen=True, slots=True)
class _LineEndRule:
    """Debris at the end of a line, searched for in the whole text."""

    kind: str
    pattern: re.Pattern[str]
    whole_line: bool  # record the whole line (if no longer than max_length), not just the match
    max_length: int

    def find(self, text: str) -> Iterator[Debris]:
        for match in self.pattern.finditer(text):
            start, end = match.start(), match.start() + len(match.group().rstrip(" \t"))
            if self.whole_line:
                start = text.rfind("\n", 0, start) + 1
                while text[start] in " \t":
                    start += 1
                if end - start > self.max_length:
                    continue
            yield Debris(start, end, self.kind, text[start:end])


@dataclass(frozen=True, slots=True)
class _DebrisRules:
    # Whole-line patterns by line length: [n] combines every entry whose max_length is at
    # least n, so long lines (the article itself) meet few patterns or none.
    anywhere: tuple[re.Pattern[str] | None, ...]
    tail: tuple[re.Pattern[str] | None, ...]
    line_ends: tuple[_LineEndRule, ...]
    kinds: dict[str, str]  # regex group name -> debris kind


@cache
def _debris_rules() -> _DebrisRules:
    with open(DEBRIS_FILE, "rb") as handle:
        data = tomllib.load(handle)
    agencies = "|".join(re.escape(name) for name in
                        sorted(data["photo_agencies"]["names"], key=len, reverse=True))
    kinds: dict[str, str] = {}
    anywhere: list[tuple[int, str]] = []
    tail: list[tuple[int, str]] = []
    line_ends: list[_LineEndRule] = []
    for number, entry in enumerate(data["debris"]):
        pattern = entry["pattern"].replace("{photo_agencies}", agencies)
        sensitive = entry.get("case") == "sensitive"
        limit = entry.get("max_length", DEFAULT_DEBRIS_LINE)
        if entry.get("match", "line") == "end":
            # Compiled alone with a global flag, so the regex engine keeps its fast literal scan.
            flags = re.MULTILINE | (0 if sensitive else re.IGNORECASE)
            line_ends.append(_LineEndRule(
                entry["kind"], re.compile(rf"(?:{pattern})[ \t]*$", flags),
                entry.get("span", "match") == "line", limit))
            continue
        group = f"debris{number}"
        kinds[group] = entry["kind"]
        alternative = f"(?P<{group}>(?:{pattern}))" if sensitive else f"(?P<{group}>(?i:{pattern}))"
        where = tail if entry.get("where", "anywhere") == "tail" else anywhere
        where.append((limit, alternative))
    return _DebrisRules(_line_rules(anywhere), _line_rules(tail), tuple(line_ends), kinds)


def _line_rules(entries: list[tuple[int, str]]) -> tuple[re.Pattern[str] | None, ...]:
    by_limit = {
        limit: re.compile(r"[ \t]*(?:" + "|".join(a for lim, a in entries if lim >= limit)
                          + r")[ \t]*")
        for limit in {limit for limit, _ in entries}
    }
    longest = max(by_limit, default=0)
    return tuple(by_limit[min(limit for limit in by_limit if limit >= length)]
                 if length else None for length in range(longest + 1))


def find_debris(text: str) -> tuple[Debris, ...]:
    """Page furniture in normalised text, as Debris(start, end, kind, text) sorted by start.
    The patterns are in debris.toml; nothing is removed from the text."""
    rules = _debris_rules()
    anywhere, tail = rules.anywhere, rules.tail
    tail_start = _tail_start(text, TAIL_LINES)
    found: list[Debris] = []
    start = 0
    for line in text.split("\n"):
        length = len(line)
        pattern = anywhere[length] if length < len(anywhere) else None
        match = pattern.fullmatch(line) if pattern is not None else None
        if match is None and start >= tail_start and 0 < length < len(tail):
            match = tail[length].fullmatch(line)
        if match is not None:
            group = match.lastgroup
            found.append(Debris(start + match.start(group), start + match.end(group),
                                rules.kinds[group], match.group(group)))
        start += length + 1
    for rule in rules.line_ends:
        found.extend(rule.find(text))
    found.sort(key=lambda item: (item.start, -item.end))
    kept: list[Debris] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return tuple(kept)


def _tail_start(text: str, lines: int) -> int:
    """Offset where the last `lines` non-empty lines begin."""
    end = len(text)
    seen = 0
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip():
            seen += 1
            if seen == lines:
                return start
        end = start - 1
    return 0


def _inside(debris: tuple[Debris, ...], start: int, end: int) -> bool:
    """Whether [start, end) overlaps debris (sorted by start and not overlapping each other)."""
    before_end = bisect.bisect_left(debris, end, key=lambda item: item.start)
    return before_end > 0 and debris[before_end - 1].end > start


# ---------------------------------------------------------------------------------------------
# Title


_WORD = re.compile(r"[^\W\d_]{2,}")


def _first_line_title(text: str, debris: tuple[Debris, ...], markdown: bool) -> str:
    """The first non-empty line that is not debris, when it reads like a headline: short, at
    least two words, no final full stop, not a byline or a date line."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        line = text[start:end].strip()
        if line and not _inside(debris, start, end):
            if markdown:
                line = line.lstrip("#").strip()
            headline = (len(line) <= MAX_HEADLINE and len(_WORD.findall(line)) >= 2
                        and not line.endswith((".", ",", ";", ":"))
                        and not line.lower().startswith("by ")
                        and _date_line(line) is None)
            return line if headline else ""
        start = end + 1
    return ""


# ---------------------------------------------------------------------------------------------
# Outlet


@dataclass(frozen=True, slots=True)
class _OutletCue:
    cue: str
    provenance: str
    region: str
    pattern: re.Pattern[str]  # searched in "\n" + text, so that ^ can be a literal "\n"
    name_first: bool  # the pattern began with {outlet}: the name is matched just before it


@dataclass(frozen=True, slots=True)
class _OutletTable:
    canonical: dict[str, str]  # every name as written, its "the ..." and upper-case forms -> outlet
    domains: dict[str, str]  # web domain -> outlet
    day_first: frozenset[str]  # outlets writing numeric dates day first (01/04/2024 = 1 April)
    name_before: re.Pattern[str]  # an outlet name ending where the search ends
    stated: tuple[_OutletCue, ...]
    inferred: tuple[_OutletCue, ...]


# Longer than any outlet name: how far before a match a {outlet}-first cue looks for the name.
_NAME_WINDOW = 60


@cache
def _outlet_table() -> _OutletTable:
    canonical: dict[str, str] = {}
    domains: dict[str, str] = {}
    day_first: set[str] = set()
    with open(OUTLETS_FILE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            outlet = row["outlet"].strip()
            for name in filter(None, (n.strip() for n in row["names"].split(";"))):
                canonical[name] = canonical[name.upper()] = outlet  # bylines: BY REUTERS STAFF
                if name.startswith("The "):
                    canonical["the " + name[4:]] = outlet
            for domain in filter(None, (d.strip().lower() for d in row["domains"].split(";"))):
                domains[domain] = outlet
            if row["day_first"].strip().lower() == "yes":
                day_first.add(outlet)
    names = "|".join(re.escape(n) for n in sorted(canonical, key=len, reverse=True))
    known = rf"(?<!\w)(?P<outlet>{names})(?!\w)"
    other = r"(?P<other>(?:The )?[A-Z][\w&'-]*(?: [A-Z][\w&'-]*){0,4})"
    with open(CUES_FILE, "rb") as handle:
        cues = tomllib.load(handle)["outlet_cue"]
    compiled = []
    for cue in cues:
        # The regex engine scans fast only for a literal first character, so a leading ^
        # becomes "\n" and a leading {outlet} is checked just before the rest's matches.
        pattern = cue["pattern"]
        name_first = pattern.startswith("{outlet}")
        pattern = pattern.removeprefix("{outlet}")
        if pattern.startswith("^"):
            pattern = "\n" + pattern[1:]
        pattern = pattern.replace("{outlet}", known).replace("{name}", other)
        compiled.append(_OutletCue(cue["cue"], cue["provenance"], cue["region"],
                                   re.compile(pattern, re.MULTILINE), name_first))
    return _OutletTable(canonical, domains, frozenset(day_first), re.compile(rf"{known}\Z"),
                        tuple(c for c in compiled if c.provenance == "stated"),
                        tuple(c for c in compiled if c.provenance == "inferred"))


def _cue_outlets(cue: _OutletCue, lines: str, table: _OutletTable) -> Iterator[str]:
    """The outlets a cue names in `lines` ("\n" + text), within the cue's region."""
    if cue.region == "head":
        found = cue.pattern.finditer(lines, 0, HEAD_CHARACTERS + 1)
    elif cue.region == "tail":
        found = cue.pattern.finditer(lines, max(0, len(lines) - TAIL_CHARACTERS))
    else:
        found = cue.pattern.finditer(lines)
    for match in found:
        if cue.name_first:
            named = table.name_before.search(lines, max(0, match.start() - _NAME_WINDOW),
                                             match.start())
            if named:
                yield table.canonical[named["outlet"]]
        elif match["outlet"]:
            yield table.canonical[match["outlet"]]
        elif match.groupdict().get("other"):
            yield match["other"]


def stated_outlet(text: str) -> str:
    """The outlet the text itself names as its publisher (dateline, byline, author bio,
    copyright line), or ""."""
    table = _outlet_table()
    lines = "\n" + text
    for cue in table.stated:
        outlet = next(_cue_outlets(cue, lines, table), "")
        if outlet:
            return outlet
    return ""


def inferred_outlet(text: str) -> str:
    """The outlet that weaker hints ("told CNN", "Reuters could not verify") name most often,
    or "" when none or a tie."""
    table = _outlet_table()
    lines = "\n" + text
    counts: Counter[str] = Counter()
    for cue in table.inferred:
        counts.update(_cue_outlets(cue, lines, table))
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return ""
    return ranked[0][0]


def outlet_from_url(url: str) -> str:
    """The outlet whose web domain the URL is on, or ""."""
    if not url:
        return ""
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    domains = _outlet_table().domains
    parts = host.split(".")
    for first in range(len(parts) - 1):
        outlet = domains.get(".".join(parts[first:]))
        if outlet:
            return outlet
    return ""


def _outlet(text: str, row: ManifestRow | None, site_name: str) -> tuple[str, str]:
    if row is not None and row.outlet:
        return row.outlet, "manifest"
    if site_name:
        return _outlet_table().canonical.get(site_name, site_name), "stated"
    outlet = stated_outlet(text)
    if outlet:
        return outlet, "stated"
    outlet = (outlet_from_url(row.url) if row is not None else "") or inferred_outlet(text)
    if outlet:
        return outlet, "inferred"
    return "", "unknown"


# ---------------------------------------------------------------------------------------------
# Publication date


_MONTH_NUMBERS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_YEAR = r"(?:19|20)\d\d"
# What may follow a year: not a digit, except the time of day a scraper glued on ("20245:00 AM").
_AFTER_YEAR = r"(?:(?!\d)|(?=\d{1,2}:\d\d))"
# The fixed formats: ISO (with an optional time), m/d/yyyy (d/m/yyyy when the first number
# cannot be a month), "April 1, 2024" and "1 April 2024".
_DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?P<iso_y>{_YEAR})-(?P<iso_m>[01]?\d)-(?P<iso_d>[0-3]?\d)(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?"
    rf"|(?P<num_a>[0-3]?\d)/(?P<num_b>[0-3]?\d)/(?P<num_y>{_YEAR})"
    rf"|(?P<mdy_m>{_MONTH})\.? (?P<mdy_d>[0-3]?\d)(?:st|nd|rd|th)?,? (?P<mdy_y>{_YEAR})"
    rf"|(?P<dmy_d>[0-3]?\d)(?:st|nd|rd|th)? (?:of )?(?P<dmy_m>{_MONTH})\.?,? (?P<dmy_y>{_YEAR})"
    rf")(?![^\W\d]|/){_AFTER_YEAR}",
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(rf"(?<!\d){_YEAR}{_AFTER_YEAR}")
# The same, as two searches with a literal start, which the regex engine runs ten times faster.
_YEARS_SCAN = (re.compile(rf"20\d\d{_AFTER_YEAR}"), re.compile(rf"19\d\d{_AFTER_YEAR}"))
_MONTH_WORD = re.compile(rf"(?<![^\W\d_]){_MONTH}(?![^\W\d_])", re.IGNORECASE)
# A time of day, or a zone offset after GMT/UTC ("3:15", "12.32", "GMT+3"), in a date line.
_TIME = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?!\d)"
                   r"|(?i:(?<=GMT|UTC))[+-]\d{1,2}(?::?\d\d)?\b")
_LEFTOVER = re.compile(r"[^\W_]")
_DATELINE_BEFORE = re.compile(r"[A-Z][^.!?\n]{0,50}, ?")
_DATELINE_AFTER = re.compile(r",? ?(?:\([^()\n]{1,40}\) ?)?-")
_URL_DATE = re.compile(rf"/({_YEAR})[/-]([01]?\d)[/-]([0-3]?\d)(?=[/-]|$)")


@dataclass(frozen=True, slots=True)
class _DateWords:
    label: re.Pattern[str]  # words a date line may hold besides the date
    updated: tuple[str, ...]


@cache
def _date_words() -> _DateWords:
    with open(CUES_FILE, "rb") as handle:
        words = tomllib.load(handle)["date_line"]
    alternatives = "|".join(re.escape(w) for w in sorted(words["words"], key=len, reverse=True))
    return _DateWords(re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])", re.IGNORECASE),
                      tuple(words["updated_words"]))


def _iso_from(match: re.Match[str], day_first: bool = False) -> str:
    if match["iso_y"]:
        year, month, day = int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])
    elif match["num_y"]:
        first, second = int(match["num_a"]), int(match["num_b"])
        if day_first and second <= 12 or first > 12:  # otherwise month first, as US outlets write
            first, second = second, first
        month, day, year = first, second, int(match["num_y"])
    elif match["mdy_y"]:
        month = _MONTH_NUMBERS[match["mdy_m"][:3].lower()]
        day, year = int(match["mdy_d"]), int(match["mdy_y"])
    else:
        month = _MONTH_NUMBERS[match["dmy_m"][:3].lower()]
        day, year = int(match["dmy_d"]), int(match["dmy_y"])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def parse_date(value: str, day_first: bool = False) -> str:
    """A date written on its own ("2024-04-01", "2024-04-01T09:30:00Z", "4/1/2024",
    "April 1, 2024", "Mon 1 Apr 2024 12.32 BST") -> "2024-04-01", or "" when it is not one.
    Numeric dates are month first unless `day_first` or the first number cannot be a month."""
    return _date_line(value.strip(), day_first) or ""


def _date_line(line: str, day_first: bool = False) -> str | None:
    """The ISO date when the line is a date line: a date plus only label words ("Published",
    weekdays, time zones), times and punctuation. None otherwise."""
    if len(line) > MAX_DATE_LINE or not _HAS_YEAR.search(line):
        return None
    words = _date_words()
    match = _DATE.search(line)
    if match:
        rest = line[:match.start()] + " " + line[match.end():]
        if _LEFTOVER.search(words.label.sub(" ", _TIME.sub(" ", rest))):
            return None
        return _iso_from(match, day_first) or None
    # An unusual layout ("01-Apr-2024"): dateparser, on this short line only.
    if not _MONTH_WORD.search(line):
        return None
    bare = words.label.sub(" ", line)
    if _LEFTOVER.search(_MONTH_WORD.sub(" ", re.sub(r"\d", " ", bare))):
        return None
    import dateparser  # imported here: costly, and needed only for unusual layouts

    parsed = dateparser.parse(bare.strip(" \t:,;|-"), languages=["en"],
                              settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                        "DATE_ORDER": "DMY" if day_first else "MDY"})
    return parsed.date().isoformat() if parsed else None


def stated_date(text: str, debris: tuple[Debris, ...] = (), day_first: bool = False) -> str:
    """The publication date a date line near the top states ("4/1/2024", "Published 18 April
    2024", "GAZA, April 1, 2024 (AP) -"), as ISO, or "". Dates inside sentences, such as a
    photo caption's, are never taken; an "Updated" date only when no other date line exists.
    `day_first`: the outlet writes numeric dates day first (see parse_date)."""
    head_end = min(len(text), DATE_HEAD_CHARACTERS)
    updated_words = _date_words().updated
    fallback = ""
    previous_line = -1
    years = sorted(found.start()
                   for scan in _YEARS_SCAN for found in scan.finditer(text, 0, head_end)
                   if not text[found.start() - 1:found.start()].isdigit())
    for year in years:
        start = text.rfind("\n", 0, year) + 1
        if start == previous_line:
            continue
        previous_line = start
        end = text.find("\n", year)
        end = len(text) if end == -1 else end
        line = text[start:end].strip()
        found = _date_line(line, day_first)
        if found is None and not _inside(debris, start, end):
            found = _dateline_date(line, day_first)
        if not found:
            continue
        label = line.lower()
        before = text[text.rfind("\n", 0, max(0, start - 1)) + 1:max(0, start - 1)]
        if label.startswith(updated_words) or before.strip().rstrip(":").lower() in updated_words:
            fallback = fallback or found
            continue
        return found
    return fallback


def _dateline_date(line: str, day_first: bool) -> str | None:
    """A date inside a wire dateline: "JERUSALEM, April 1, 2024 (AP) - ..."."""
    match = _DATE.search(line, 0, 80)
    if (match and _DATELINE_BEFORE.fullmatch(line, 0, match.start())
            and _DATELINE_AFTER.match(line, match.end())):
        return _iso_from(match, day_first) or None
    return None


def date_from_url(url: str) -> str:
    """A date written in a URL's path (/2024/04/01/ or /2024-04-01-...) as ISO, or ""."""
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    if not match:
        return ""
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""


def _published(text: str, debris: tuple[Debris, ...], row: ManifestRow | None,
               page_date: str, outlet: str) -> tuple[str, str]:
    if row is not None and row.published_date:
        return row.published_date, "manifest"
    day_first = outlet in _outlet_table().day_first
    found = parse_date(page_date, day_first) if page_date else ""
    found = found or stated_date(text, debris, day_first)
    if found:
        return found, "stated"
    found = date_from_url(row.url) if row is not None else ""
    if found:
        return found, "inferred"
    return "", "unknown"


# ---------------------------------------------------------------------------------------------
# Manifest


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """What a manifest says about one article. Empty strings where it says nothing."""

    article_id: str
    url: str = ""
    outlet: str = ""
    published_date: str = ""  # ISO
    line: int = 0


@dataclass(frozen=True)
class Manifest:
    """A manifest.csv: rows by article id, files it maps to an id, and the problems found."""

    path: str
    rows: dict[str, ManifestRow]
    files: dict[str, str]  # real path of a file named in the `file` column -> its article id
    problems: tuple[Unreadable, ...]


def load_manifest(path: str | Path) -> Manifest:
    """Read a manifest.csv (columns id, url, outlet, published_date; optional file, a path
    relative to the manifest). Never raises on bad content: every problem is an Unreadable
    naming the manifest, the line and the field. Without an `id` column nothing is used; a bad
    date drops that field only; a repeated id drops the later row."""
    path = str(path)
    problems: list[Unreadable] = []

    def problem(line: int, message: str) -> None:
        problems.append(Unreadable(path, f"line {line}: {message}"))

    def result(rows: dict[str, ManifestRow], files: dict[str, str]) -> Manifest:
        return Manifest(path, rows, files, tuple(problems))

    try:
        if os.stat(path).st_size > MAX_ARTICLE_BYTES:
            return Manifest(path, {}, {}, (Unreadable(path, "manifest too large"),))
        with open(path, "rb") as handle:
            text, _ = decode(handle.read())
    except (OSError, DecodeError) as error:
        reason = _os_reason(path, error) if isinstance(error, OSError) else str(error)
        return Manifest(path, {}, {}, (Unreadable(path, f"cannot read manifest: {reason}"),))

    # NFC only, as file names are: normalise() would turn an id's dash into "-" and miss its file.
    reader = csv.DictReader(io.StringIO(unicodedata.normalize("NFC", text), newline=""))
    columns = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = columns
    if "id" not in columns:
        problem(1, f"no 'id' column (columns: {', '.join(columns) or 'none'}); "
                   "manifest not used")
        return result({}, {})
    missing = [name for name in MANIFEST_COLUMNS if name not in columns]
    if missing:
        problem(1, f"missing column {', '.join(missing)}; those fields stay empty")

    folder = os.path.dirname(os.path.abspath(path))
    rows: dict[str, ManifestRow] = {}
    files: dict[str, str] = {}
    try:
        for record in reader:
            line = reader.line_num
            values = {key: (value or "").strip() for key, value in record.items()
                      if isinstance(key, str) and isinstance(value, str)}
            article_id = values.get("id", "")
            if not article_id:
                if any(values.values()):
                    problem(line, "empty id; row not used")
                continue
            if article_id in rows:
                problem(line, f"id {article_id!r} repeats line {rows[article_id].line}; "
                              "row not used")
                continue
            published = values.get("published_date", "")
            if published and not parse_date(published):
                problem(line, f"published_date {published!r} is not a date (use yyyy-mm-dd); "
                              "field not used")
            rows[article_id] = ManifestRow(article_id, values.get("url", ""),
                                           values.get("outlet", ""),
                                           parse_date(published) if published else "", line)
            if values.get("file"):
                target = os.path.realpath(os.path.join(folder, values["file"]))
                if not os.path.exists(target):
                    problem(line, f"file {values['file']!r} does not exist")
                files[target] = article_id
    except csv.Error as error:
        problem(reader.line_num, f"not valid CSV ({error}); rows from here on not used")
    return result(rows, files)


def _merge_manifests(manifests: list[Manifest]) -> tuple[dict[str, ManifestRow], dict[str, str],
                                                         list[Unreadable]]:
    rows: dict[str, ManifestRow] = {}
    files: dict[str, str] = {}
    origin: dict[str, str] = {}
    problems: list[Unreadable] = []
    for manifest in manifests:
        problems.extend(manifest.problems)
        for article_id, row in manifest.rows.items():
            if article_id in rows:
                problems.append(Unreadable(manifest.path, f"line {row.line}: id {article_id!r} is "
                                           f"already in {origin[article_id]}; row not used"))
                continue
            rows[article_id], origin[article_id] = row, manifest.path
        files.update(manifest.files)
    return rows, files, problems


# ---------------------------------------------------------------------------------------------
# Finding and reading files


def _os_reason(path: str, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return f"broken symbolic link (points to {os.readlink(path)!r}, which does not exist)"
    if error.errno == errno.ENOENT:
        return "no such file or folder"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)


def _stem_id(path: str) -> str:
    """A file's name without its extension (NFC, so macOS's decomposed names match manifests)."""
    return unicodedata.normalize("NFC", os.path.splitext(os.path.basename(path))[0])


def _walk(top: str, files: list[str], problems: list[tuple[str, str]]) -> None:
    """Article files under a folder, recursively; hidden entries skipped. A link back to a folder
    that contains it is a loop, reported; a second link to a folder already read is skipped."""
    visited: set[tuple[int, int]] = set()
    stack: list[tuple[str, frozenset[tuple[int, int]]]] = [(top, frozenset())]
    while stack:
        folder, ancestors = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as error:
            problems.append((folder, _os_reason(folder, error)))
            continue
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            problems.append((folder, "symbolic link loop (leads back to a folder containing it)"))
            continue
        if key in visited:
            continue
        visited.add(key)
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as error:
            problems.append((folder, f"cannot enter folder: {_os_reason(folder, error)}"))
            continue
        inside = ancestors | {key}
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()  # follows links; False for a broken one
            except OSError:  # links pointing at each other
                is_folder = False
            if is_folder:
                stack.append((entry.path, inside))
            elif entry.is_symlink() and not os.path.exists(entry.path):
                if os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES | {""}:
                    try:
                        os.stat(entry.path)
                    except OSError as error:
                        problems.append((entry.path, _os_reason(entry.path, error)))
            elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES:
                files.append(entry.path)


def _gather(paths: list[str]) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """(article files, (path, problem) pairs, manifests found) for the given files and folders."""
    files: list[str] = []
    problems: list[tuple[str, str]] = []
    manifests: list[str] = []
    for path in paths:
        try:
            mode = os.stat(path).st_mode
        except OSError as error:
            problems.append((path, _os_reason(path, error)))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, files, problems)
            if os.path.isfile(os.path.join(path, MANIFEST_NAME)):
                manifests.append(os.path.join(path, MANIFEST_NAME))
        elif os.path.basename(path) == MANIFEST_NAME:
            manifests.append(path)
        elif os.path.splitext(path)[1].lower() not in ARTICLE_SUFFIXES:
            problems.append((path, "not an article file (expected .txt, .md, .html or .htm)"))
        else:
            files.append(path)
    unique: dict[str, str] = {}
    for file in files:  # a file given twice (by name and inside its folder) is read once
        unique.setdefault(os.path.abspath(file), file)
    return list(unique.values()), problems, list(dict.fromkeys(manifests))


@dataclass(frozen=True, slots=True)
class PlannedArticle:
    """One input in reading order: a file to read as `article_id`, or a problem found while
    listing (`reason`), which is reported as Unreadable in its place."""

    article_id: str
    path: str
    reason: str = ""
    manifest_row: ManifestRow | None = None


def plan_articles(paths: Iterable[str | Path] | str | Path, manifest: str | Path | None = None
                  ) -> tuple[list[Unreadable], list[PlannedArticle]]:
    """The manifest problems, and every input sorted by (article_id, path), without reading
    any article. Folders are walked recursively for .txt, .md, .html and .htm (hidden entries
    skipped). The manifest is `manifest`, or else a manifest.csv inside a given folder."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files, problems, found_manifests = _gather([os.fspath(p) for p in paths])
    manifest_paths = [os.fspath(manifest)] if manifest is not None else found_manifests
    rows, mapped, manifest_problems = _merge_manifests([load_manifest(m) for m in manifest_paths])
    ids = [(mapped.get(os.path.realpath(f)) if mapped else None) or _stem_id(f) for f in files]
    order = sorted([(article_id, path, "") for article_id, path in zip(ids, files)]
                   + [(_stem_id(path), path, reason) for path, reason in problems])
    return manifest_problems, [PlannedArticle(article_id, path, reason, rows.get(article_id))
                               for article_id, path, reason in order]


def read_planned(plan: Iterable[PlannedArticle]) -> Iterator[Article | Unreadable]:
    """Read planned inputs in order, one file at a time. An id already read is a duplicate:
    that input is reported, naming the file read first."""
    previous_id = previous_path = None
    for planned in plan:
        if planned.reason:
            yield Unreadable(planned.path, planned.reason)
            continue
        if planned.article_id == previous_id:
            yield Unreadable(planned.path, f"duplicate article id {planned.article_id!r} "
                                           f"(already read from {previous_path})")
            continue
        item = read_article(planned.path, planned.article_id, planned.manifest_row)
        if isinstance(item, Article):
            previous_id, previous_path = planned.article_id, planned.path
        yield item


def iter_articles(paths: Iterable[str | Path] | str | Path,
                  manifest: str | Path | None = None) -> Iterator[Article | Unreadable]:
    """Every article under the given files and folders, in article_id order, one file read at
    a time (see plan_articles). Each problem is yielded as an Unreadable(path, reason) and
    reading goes on: manifest problems first, then unreadable inputs in their place."""
    manifest_problems, plan = plan_articles(paths, manifest)
    yield from manifest_problems
    yield from read_planned(plan)


def read_article(path: str | Path, article_id: str | None = None,
                 manifest_row: ManifestRow | None = None) -> Article | Unreadable:
    """One file -> Article, or Unreadable with the reason (missing, a broken link or loop, not
    a regular file, too large, empty, binary, undecodable, no text)."""
    path = os.fspath(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return Unreadable(path, "not a regular file")
        if info.st_size > MAX_ARTICLE_BYTES:
            return Unreadable(path, f"file too large: {info.st_size / 1e6:.1f} MB "
                                    f"(limit {MAX_ARTICLE_BYTES / 1e6:.0f} MB)")
        if info.st_size == 0:
            return Unreadable(path, "empty file")
        with open(path, "rb") as handle:
            # The size from stat, not the limit: read(n) allocates n bytes before reading.
            raw = handle.read(info.st_size + 1)
    except OSError as error:
        return Unreadable(path, _os_reason(path, error))
    if len(raw) > info.st_size:
        return Unreadable(path, "file changed while being read")
    try:
        text, encoding = decode(raw)
    except DecodeError as error:
        return Unreadable(path, str(error))
    suffix = os.path.splitext(path)[1].lower()
    html = suffix in HTML_SUFFIXES or looks_like_html(text)
    article = article_from_text(text, article_id or _stem_id(path), path=path, encoding=encoding,
                                html=html, markdown=suffix == ".md", manifest_row=manifest_row)
    if not article.text.strip():
        return Unreadable(path, "no text in this HTML page" if html
                          else "empty file (only whitespace)")
    return article


def article_from_text(text: str, article_id: str, *, path: str = "", encoding: str = "utf-8",
                      html: bool = False, markdown: bool = False,
                      manifest_row: ManifestRow | None = None) -> Article:
    """Decoded text (or HTML) -> Article: normalised text, debris, title, and outlet and date
    with where each came from (manifest > stated > inferred > unknown)."""
    title = site_name = page_date = ""
    if html:
        page = _read_html(text)
        text, title, site_name, page_date = page.text, page.title, page.site_name, page.published
    else:
        text = normalise(text)
    debris = find_debris(text)
    if not html:
        title = _first_line_title(text, debris, markdown)
    outlet, outlet_source = _outlet(text, manifest_row, site_name)
    published_date, date_source = _published(text, debris, manifest_row, page_date, outlet)
    return Article(
        article_id=article_id, path=path, text=text, title=title,
        outlet=outlet, outlet_source=outlet_source,
        published_date=published_date, date_source=date_source,
        url=manifest_row.url if manifest_row is not None else "",
        encoding=encoding, debris=debris,
    )


def article_row(article: Article) -> dict:
    """The article table's row (ARTICLE_COLUMNS) for one article."""
    return {
        "article_id": article.article_id,
        "outlet": article.outlet,
        "outlet_source": article.outlet_source,
        "published_date": article.published_date,
        "date_source": article.date_source,
        "title": article.title,
        "characters": len(article.text),
        "encoding": article.encoding,
        "debris_lines": len(article.debris),
        "path": article.path,
        "url": article.url,
    }
