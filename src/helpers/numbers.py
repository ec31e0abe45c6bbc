"""Numerals that count people or things in news text: where they are, their value, their bound.

`find_counts(text)` yields every numeral that can be a count ("more than 34,000", "1.4 million",
"two hundred and fifty-three") and skips the numbers that never are: years, dates, times, ages,
durations, percentages, money, ratios, scores, measures, decimals without a scale word, and
numbers that are part of a name ("Resolution 2728", "F-16", "Route 4"). Which kind of count a
numeral is (a toll, a population) is for the figures engine to say, not this module.

How, and why so: the extractor must read thousands of articles a second, so the text is read as
a lower-case ASCII copy with the same offsets (bytes regexes with no case folding run several
times faster than str regexes with IGNORECASE). One regex, anchored on a literal space, finds
each place where a numeral can start (a digit, a number word, "a million", "half a million"),
parses the numeral there and reads the words right after it; a second, anchored match reads the
words right before it, backwards, in a reversed copy. Word lists are compiled into tries, so a
regex rejects an ordinary word after a comparison or two. Number words are valued by text2num
(cached), and "1.4 million" by Decimal.

The phrases that put a bound on a count are data, in data/bounds.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from text_to_num import text2num

from helpers.paths import PACKAGE_DATA
from helpers.records import BOUNDS

BOUNDS_PATH = PACKAGE_DATA / "bounds.toml"


@dataclass(frozen=True, slots=True)
class Count:
    """A numeral that counts something, with the bound the words around it put on it."""

    start: int  # offset of the surface in the text, bound phrase included
    end: int  # end of the surface: the numeral's end ("million" included), or of "or more"
    number_start: int  # where the numeral itself starts, after any bound phrase
    value: int
    bound: str  # one of records.BOUNDS
    surface: str  # text[start:end]


class BoundsError(ValueError):
    """The bound phrase table is malformed; the message names the file and the key."""


def _trie(phrases: Iterable[str], leaf: str = "") -> str:
    """A regex alternation of `phrases` that branches one character at a time, so a failing
    position costs one comparison per first letter, not one per phrase. A space in a phrase
    matches any run of whitespace; `leaf` is appended where a phrase ends."""
    branches = _trie_branches(phrases, leaf)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _trie_branches(phrases: Iterable[str], leaf: str = "") -> list[str]:
    """The first-letter branches of _trie(phrases), for a caller to add alternatives to."""
    tree: dict[str, dict] = {}
    for phrase in phrases:
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_branches(tree, leaf)


def _node_branches(node: dict[str, dict], leaf: str) -> list[str]:
    branches = []
    for char, child in sorted(node.items()):
        if char:
            rest = _node_branches(child, leaf)
            body = rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")"
            branches.append((r"\s+" if char == " " else re.escape(char)) + body)
    if "" in node:  # a phrase ends here; an empty `leaf` makes the longer ones optional
        branches.append(leaf)
    return branches


def _bytes_pattern(pattern: str, flags: int = 0) -> re.Pattern[bytes]:
    return re.compile(pattern.encode("ascii"), flags)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _normalise(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _collapse(phrase: bytes) -> bytes:
    """A phrase read from the lower-case copy, its runs of whitespace made single spaces."""
    return b" ".join(phrase.split())


# --- The lower-case ASCII copy ------------------------------------------------------------------

# Characters given an ASCII stand-in before encoding, so that what they mean survives: thin and
# non-breaking spaces group digits, an en dash joins a range or a score, a currency sign is money.
_ASCII_STANDINS = (
    ("\u2009", " "), ("\u202f", " "), ("\u00a0", " "), ("\u2013", "-"), ("\u2019", "'"),
    ("€", "$"), ("£", "$"), ("¥", "$"), ("₪", "$"),
)
_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
# Where a numeral may start besides after a space: a new line, a bracket, a quote, and (since
# every other non-ASCII character became "?") an opening quote or an em dash.
_OPENERS = b'\n\t\r(["?'
_OPENERS_TO_SPACES = bytes.maketrans(_OPENERS, b" " * len(_OPENERS))


def _ascii_lower(text: str) -> bytes:
    """`text` in lower-case ASCII, one byte per character (others become "?"): same offsets."""
    if not text.isascii():
        for char, standin in _ASCII_STANDINS:
            if char in text:
                text = text.replace(char, standin)
    return text.encode("ascii", "replace").translate(_LOWER)


# --- Numerals -------------------------------------------------------------------------------------

_UNITS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = (
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
)
_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9}
# Scale words and suffixes after digits: "1.4 million", "1.4m", "1.5bn", "34k".
_DIGIT_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SUFFIXES = {"k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9}
# Fractions of a scale: "half a million", "a quarter of a million".
_FRACTIONS = {"half": 2, "quarter": 4}

# Where a numeral may start: a digit, a number word, or "a"/"half" before a scale word.
_STARTS = [*_UNITS, *_TENS, "half", "a half", "a quarter", *(f"a {scale}" for scale in _SCALES)]
# One flat alternation: the regex engine skips a branch whose first character differs cheaply,
# but enters a nested group to find out. (The escaped space is for a verbose pattern.)
_START = r"\ (?=" + "|".join(["[0-9]", *_trie_branches(_STARTS, leaf="(?![a-z])")]) + ")"

_WORD = _trie([*_UNITS, *_TENS, *_SCALES], leaf="(?![a-z])")
_SCALE_WORD = _trie(_SCALES, leaf="(?![a-z])")
_AFTER_SCALE = "|".join(f"(?<={scale})" for scale in _SCALES)
# More number words, joined by a space or a hyphen, or by "and" after a scale word.
_WORD_TAIL = rf"(?:(?:[ -]|(?:{_AFTER_SCALE})\ and\ ){_WORD})*"
_NUMERAL_PATTERN = rf"""
    (?P<digits>
        [0-9]{{1,3}}(?:,[0-9]{{3}})+(?![0-9])                      # 34,000
      | [0-9]{{1,3}}(?:\.[0-9]{{3}}){{2,}}(?![0-9])                  # 1.400.000 (translated)
      | [0-9]{{1,3}}(?:\ [0-9]{{3}})+(?![0-9])                     # 34 000 (thin spaces too)
      | [0-9]+,[0-9]{{1,2}}(?=[ -]?(?:{_alternation(_DIGIT_SCALES)})s?(?![a-z])
                            |(?:{_alternation(_SUFFIXES)})(?![a-z0-9]))  # 1,4 million (translated)
      | [0-9]+(?:\.[0-9]+)?                                        # 34000, 1.4, 30.000
    )
    (?:
        [ -]?(?P<scale>{_alternation(_DIGIT_SCALES)})s?(?![a-z])   # 1.4 million
      | (?P<suffix>{_alternation(_SUFFIXES)})(?![a-z0-9])          # 1.4m, 1.5bn, 34k
    )?
  | (?P<words>
        (?:a|one)\ {_SCALE_WORD}\ and\ an?\ half(?![a-z])          # a million and a half
      | {_WORD}\ and\ an?\ half\ {_SCALE_WORD}                     # two and a half million
      | (?:a\ )?(?:half|quarter)(?:\ of)?(?:\ a)?\ {_SCALE_WORD}   # half a million
      | a\ {_SCALE_WORD}{_WORD_TAIL}                              # a hundred and fifty
      | {_WORD}{_WORD_TAIL}                                        # two hundred and fifty-three
    )
"""
_NUMERAL = _bytes_pattern(_NUMERAL_PATTERN, re.VERBOSE)
_DOT_THOUSANDS = re.compile(rb"[0-9]{1,3}(?:\.[0-9]{3})+")
_DECIMAL_COMMA = re.compile(rb"[0-9]+,[0-9]{1,2}")


@lru_cache(maxsize=4096)
def _words_value(words: str) -> int | None:
    """The value of a number written in words (lower case), or None if it is not one number."""
    tokens = words.replace("-", " ").split()
    if tokens[0] == "a" and tokens[1] in _FRACTIONS:  # "a half million" is "half a million"
        tokens = tokens[1:]
    if tokens[0] in _FRACTIONS:
        return _SCALES[tokens[-1]] // _FRACTIONS[tokens[0]]
    if tokens[0] == "a":  # "a million"
        tokens[0] = "one"
    if "half" in tokens:  # "a million and a half", "two and a half million"
        and_at = tokens.index("and")
        whole = _words_value(" ".join(tokens[:and_at]))
        if whole is None:
            return None
        if tokens[-1] == "half":
            return whole + _SCALES[tokens[and_at - 1]] // 2
        return (2 * whole + 1) * _SCALES[tokens[-1]] // 2
    try:
        return text2num(" ".join(tokens), "en")
    except ValueError:  # number words that make no one number: "twenty twelve"
        return None


def _value(numeral: re.Match[bytes]) -> int | None:
    """The value of a matched numeral, or None when it is no count ("2.5", "007")."""
    digits, scale, suffix, words = numeral.group("digits", "scale", "suffix", "words")
    if words is not None:
        return _words_value(words.decode())
    if digits.startswith(b"0") and digits[1:2].isdigit():
        return None  # "007", "02": codes, not counts
    digits = digits.replace(b" ", b"")
    if scale is None and suffix is None:
        if b"." in digits:
            if not _DOT_THOUSANDS.fullmatch(digits):
                return None  # "2.5" without a scale word is a measure, not a count
            digits = digits.replace(b".", b"")  # "30.000" in text translated from German
        return int(digits.replace(b",", b""))
    multiplier = _DIGIT_SCALES[scale.decode()] if scale is not None else _SUFFIXES[suffix.decode()]
    if _DECIMAL_COMMA.fullmatch(digits):
        digits = digits.replace(b",", b".")  # "1,4 million" in text translated from French
    value = Decimal(digits.replace(b",", b"").decode()) * multiplier
    return int(value) if value == value.to_integral_value() else None


def parse_count(surface: str) -> int | None:
    """The count a numeral states ("34,000", "1.4 million", "two hundred and fifty-three"),
    or None when the text is not a count ("dozens", "a dozen", "2.5", "30%")."""
    numeral = _NUMERAL.fullmatch(_ascii_lower(" ".join(surface.split())))
    return None if numeral is None else _value(numeral)


# --- What the words around a numeral make of it ---------------------------------------------------

_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
)
# After a number these are verbs unless capitalised: "12 may have died", "thousands march".
_VERB_MONTHS = frozenset({b"may", b"march", b"mar"})
_TIME_UNITS = (
    "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr",
    "hrs", "day", "days", "night", "nights", "week", "weeks", "wk", "wks", "month", "months",
    "year", "years", "yr", "yrs", "decade", "decades", "century", "centuries",
)
# Words between a number and its time unit: "two more days", "two and a half hours".
_TIME_UNIT_LEADS = (
    "", "more ", "additional ", "further ", "full ", "whole ", "straight ", "consecutive ",
    "successive ", "long ", "short ", "and a half ", "and a quarter ",
)
_NOT_A_COUNT_AFTER = {
    "percentage": (
        "%", "percent", "per cent", "pct", "percentage point", "percentage points",
    ),
    "money": (
        "dollar", "dollars", "us dollars", "u.s. dollars", "euro", "euros", "pound", "pounds",
        "shekel", "shekels", "nis", "usd", "eur", "gbp", "yuan", "yen", "rupee", "rupees", "dinar",
        "dinars", "riyal", "riyals", "dirham", "dirhams", "lira", "liras", "franc", "francs",
        "cent", "cents",
    ),
    "time": (
        "a.m.", "a.m", "am", "p.m.", "p.m", "pm", "o'clock", "gmt", "utc", "local time",
    ),
    "measure": (
        "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres", "mile", "miles", "meter",
        "meters", "metre", "metres", "cm", "mm", "sq", "square", "acre", "acres", "hectare",
        "hectares", "dunam", "dunams", "ton", "tons", "tonne", "tonnes", "kg", "kilo", "kilos",
        "kilogram", "kilograms", "gram", "grams", "liter", "liters", "litre", "litres", "gallon",
        "gallons", "feet", "foot", "ft", "inch", "inches", "yard", "yards", "degree", "degrees",
        "mph", "kph", "calorie", "calories", "kcal", "megawatt", "megawatts",
    ),
    # "two thirds" is a share; "two dozen" is vague.
    "fraction": (
        "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths",
        "dozen", "dozens", "score",
    ),
}
# The base of a ratio is small or round: "1 in 4", "nine out of 10", "one in every hundred".
# "13,000 out of 34,000" is two counts, and "12 in 24 hours" a count and a duration.
_RATIO_BASES = _trie(
    [str(n) for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 50, 100, 1000)] + ["1,000"]
    + [*_UNITS[1:10], "twenty", "fifty", "a hundred", "a thousand"],
    leaf="(?![0-9a-z]|,[0-9])",
)

_AGE_WORDS = ("aged", "age", "ages", "age of", "ages of", "aged between", "aged from")
# Words that make the number after them part of a name or an identifier: "Resolution 2728".
_IDENTIFIER_WORDS = (
    "resolution", "resolutions", "route", "highway", "road", "section", "article", "chapter",
    "clause", "paragraph", "page", "line", "channel", "unit", "division", "brigade", "battalion",
    "building", "block", "gate", "terminal", "platform", "room", "flight", "bus", "phase", "stage",
    "round", "level", "grade", "category", "class", "type", "model", "version", "number", "day",
    "week", "year", "zone", "sector", "district", "item", "verse", "no.", "nos.", "vol.", "p.",
    "pp.",
)
_CURRENCY_WORDS = ("usd", "eur", "gbp", "nis", "ils")
# Words after which four digits from 1900 to 2100 are a year even before a noun: "the 2014 war".
_YEAR_WORDS = (
    "in", "since", "of", "by", "until", "till", "from", "to", "through", "during", "before",
    "after", "between", "and", "or", "the", "a", "an", "this", "that", "its", "their", "his",
    "her", "our", "last", "next", "early", "late", "mid",
)


@dataclass(frozen=True)
class _Context:
    """The patterns, compiled once from the tables above and the bound table."""

    scan: re.Pattern[bytes]  # a numeral and the words right after it
    kind_after: dict[bytes, str]  # phrase as the lower-case copy spells it -> kind
    before: re.Pattern[bytes]
    kind_before: dict[bytes, str]  # phrase spelt backwards -> kind


def load_bound_table(path: Path = BOUNDS_PATH) -> dict[str, dict[str, list[str]]]:
    """The bound phrase table: {"before" | "after": {bound: [phrase, ...]}}, checked."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BoundsError(f"{path}: {error}") from error
    for side in ("before", "after"):
        for bound, phrases in table.get(side, {}).items():
            if bound not in BOUNDS or bound == "=":
                allowed = ", ".join(b for b in BOUNDS if b != "=")
                raise BoundsError(f"{path}: [{side}] key {bound!r} is not a bound; use {allowed}")
            if not isinstance(phrases, list) or not all(
                    isinstance(p, str) and p.strip() and p.isascii() for p in phrases):
                raise BoundsError(f"{path}: [{side}] {bound!r} must be a list of ASCII phrases")
    return table


@lru_cache(maxsize=4)
def _context(path: Path = BOUNDS_PATH) -> _Context:
    table = load_bound_table(path)

    kind_after = {phrase: kind for kind, phrases in _NOT_A_COUNT_AFTER.items()
                  for phrase in phrases}
    kind_after.update(
        {lead + unit: "duration" for lead in _TIME_UNIT_LEADS for unit in _TIME_UNITS})
    kind_after.update({month: "month" for month in _MONTHS})
    for bound, phrases in table.get("after", {}).items():
        kind_after.update({_normalise(phrase): bound for phrase in phrases})
    # One match finds a numeral where it may start (the guard keeps the failing positions
    # cheap), parses it and reads what follows it. Kinds after it are the last groups, so the
    # match's lastgroup names the kind, or "numeral" when nothing telling follows.
    scan = _bytes_pattern(rf"""
        {_START}(?P<numeral>{_NUMERAL_PATTERN})
      (?:
        (?P<separator>[-/:.,][0-9]+(?:[-/:.,][0-9]+)*)  # 4/1/2024, 2024-04-01, 10:30, 3-2
      | (?P<sequence>\ [0-9]+(?:\ [0-9]+)*)          # 555 1234: a run of numbers
      | [ \t]*+(?P<phrase>{_trie(kind_after, leaf="(?![a-z])")})
      | \s++(?P<ratio>(?:in|out\ of)\s+(?:every\s+)?{_RATIO_BASES})  # 1 in 4, nine out of 10
      | (?P<compound>-[a-z])                          # 12-year-old, two-state, six-week
      | (?P<attached>[a-z])                           # 7th, 1st, 1970s
      )?
    """, re.VERBOSE)

    kind_before: dict[str, str] = {}
    for bound, phrases in table.get("before", {}).items():
        for phrase in phrases:
            kind_before[_normalise(phrase)] = bound
            kind_before[_normalise(f"aged {phrase}")] = "age"  # "aged over 60" is an age
    kind_before.update({month: "date" for month in _MONTHS})
    kind_before.update({f"{month}.": "date" for month in _MONTHS})
    kind_before.update({word: "age" for word in _AGE_WORDS})
    kind_before.update({word: "identifier" for word in _IDENTIFIER_WORDS})
    kind_before.update({word: "money" for word in _CURRENCY_WORDS})
    kind_before.update({word: "year" for word in _YEAR_WORDS if word not in kind_before})
    # Read backwards from the numeral: whitespace, then a currency sign, or a phrase spelt
    # backwards and a word edge. (A numeral is found only after a space or an opener, so a
    # phrase never touches it.)
    backwards = _trie((phrase[::-1] for phrase in kind_before), leaf="(?![a-z0-9])")
    before = _bytes_pattern(rf"\s*+(?:(?P<symbol>\$)|(?P<phrase>{backwards}))")
    return _Context(
        scan=scan,
        kind_after={phrase.encode("ascii"): kind for phrase, kind in kind_after.items()},
        before=before,
        kind_before={phrase[::-1].encode("ascii"): kind for phrase, kind in kind_before.items()},
    )


# --- Finding counts -------------------------------------------------------------------------------

_QUALIFIERS = frozenset(BOUNDS) - {"="}  # the bounds a phrase can put on a count
_SKIPPED_BEFORE = frozenset({"age", "identifier", "money", "symbol"})
_DAY_OF_MONTH = 31  # next to a month, 1 to 31 is a day; "in March 1,200 people" still counts
_YEARS = range(1900, 2101)
_WORD_NEXT = re.compile(rb" [a-z]")
_WORD_BEFORE = re.compile(rb"\s+(?!s')[a-z]")  # read backwards: a word, not a possessive
_NUMBER_NEXT = re.compile(rb"\s*[0-9]")
# After a skipped age or date, its other end is skipped too: "aged 18 to 60", "7-8 October".
_RANGE_TAIL = re.compile(rb"\s*(?:-|to|and)\s*[0-9]+")


def find_counts(text: str) -> Iterator[Count]:
    """Every numeral in `text` that can be a count, in text order."""
    context = _context()
    low = _ascii_lower(text)
    # The scan reads a space, then low[i]: a numeral found at scan[i + 1] starts at text[i].
    scan = b" " + low.translate(_OPENERS_TO_SPACES)
    backwards = low[::-1]  # the words before text[i] start at backwards[len(low) - i]
    search, match_before = context.scan.search, context.before.match
    position = 0
    while (found := search(scan, position)) is not None:
        position = found.end()
        after_kind = found.lastgroup  # "numeral" when nothing telling follows it
        if after_kind != "numeral":
            after_kind = _after_kind(context, text, low, found)
            if after_kind is None:  # what followed is no part of it: read it again
                position = found.end("numeral")
            elif after_kind not in _QUALIFIERS and after_kind != "month":
                continue
        if found["words"] == b"one":
            continue  # "one of the officials said": too often a pronoun to be a count
        if after_kind == "month" and _day(found):
            continue
        number_start, number_end = found.start(), found.end("numeral") - 1
        bound, bound_start = "=", number_start
        before_at = len(low) - number_start
        before = match_before(backwards, before_at)
        before_kind = None
        if before is not None:
            before_kind = _before_kind(context, before)
            if before_kind in _SKIPPED_BEFORE or (before_kind == "date" and _day(found)):
                position = _resume_after_skipped(low, found, number_end) + 1
                continue
            if before_kind in _QUALIFIERS:
                bound, bound_start = before_kind, number_start - (before.end() - before_at)
        value = _value(found)
        if value is None or (value in _YEARS and _is_year(
                low, found, number_start, number_end, backwards, before_kind)):
            continue
        surface_end = number_end
        if bound == "=" and after_kind in _QUALIFIERS and not _NUMBER_NEXT.match(scan, position):
            surface_end = position - 1  # "1,200-plus"; not "1,200 plus 300"
            bound = after_kind
        yield Count(bound_start, surface_end, number_start, value, bound,
                    text[bound_start:surface_end])


def _after_kind(context: _Context, text: str, low: bytes, found: re.Match[bytes]) -> str | None:
    """What the words matched right after a numeral make of it: a bound, a month, a reason to
    skip it, or None."""
    kind = found.lastgroup
    if kind == "phrase":
        phrase = found["phrase"]
        kind = context.kind_after.get(phrase) or context.kind_after[_collapse(phrase)]
        if kind == "month" and phrase in _VERB_MONTHS and text[found.start("phrase") - 1].islower():
            return None
        return kind
    if kind == "sequence" and low[found.end("numeral") - 1] != 32:
        return None  # a number on the next line, or after a bracket, is not the same run
    return kind


def _before_kind(context: _Context, before: re.Match[bytes]) -> str:
    """What the words right before a numeral make of it: a bound, a date, a reason to skip it."""
    if before["symbol"] is not None:
        return "symbol"
    phrase = before["phrase"]
    return context.kind_before.get(phrase) or context.kind_before[_collapse(phrase)]


def _day(numeral: re.Match[bytes]) -> int | None:
    """The day of the month a numeral could be next to a month name: a plain 1 to 31, or the
    first group of "7 100" (as in "March 7 100 people were..."); else None."""
    digits = numeral["digits"]
    if digits is None or numeral["scale"] or numeral["suffix"] or b"," in digits or b"." in digits:
        return None
    head = int(digits.split()[0])
    return head if 1 <= head <= _DAY_OF_MONTH else None


def _resume_after_skipped(low: bytes, found: re.Match[bytes], number_end: int) -> int:
    """Where the scan goes on (in `low`) after a numeral skipped for the words before it."""
    digits = found["digits"]
    if digits is not None and b" " in digits:  # "March 7 100": the 100 may still count
        return found.start() + digits.index(b" ")
    tail = _RANGE_TAIL.match(low, number_end)  # "aged 18 to 60": the 60 is an age too
    return tail.end() if tail else number_end


def _is_year(low: bytes, found: re.Match[bytes], number_start: int, number_end: int,
             backwards: bytes, before_kind: str | None) -> bool:
    """Four plain digits from 1900 to 2100 are a year ("in 2023", "the 2014 war", "2023 was"),
    unless an ordinary word or a bound stands before them and a word follows: "killed 2023
    people", "more than 2000 people"."""
    if number_end - number_start != 4 or found["digits"] != low[number_start:number_end]:
        return False  # "2,023", "2023 million", a number in words
    word_before = _WORD_BEFORE.match(backwards, len(low) - number_start)
    counted = (before_kind is None or before_kind in _QUALIFIERS) and word_before
    return not (counted and _WORD_NEXT.match(low, number_end))
