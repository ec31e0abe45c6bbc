"""Numerals that count people or things in news text: where they are, their value, their bound.

`find_counts(text)` yields every numeral that can be a count ("more than 34,000", "1.4 million",
"two hundred and fifty-three") and skips the numbers that never are: years, dates, times, ages,
durations, percentages, money, ratios, scores, measures, decimals without a scale word, and
numbers that are part of a name ("Resolution 2728", "F-16", "Route 4"). Which kind of count a
numeral is (a toll, a population) is the figures engine's business, not this module's.

Speed matters (the extractor must read thousands of articles a second), so the text is scanned
once, with one regex anchored on a literal space, for the places where a numeral can start: a
digit, a number word, "a million", "half a million". Each such place is then parsed with one
anchored match and judged by two more anchored matches, on the words right after it and on the
words right before it (read backwards). Number words are valued by text2num, cached.

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


# --- Number words -------------------------------------------------------------------------------

_UNITS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9}
_NUMBER_WORDS = _UNITS + _TENS + list(_SCALES)
# Scale words and suffixes after digits: "1.4 million", "1.4m", "1.5bn", "34k".
_DIGIT_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SUFFIXES = {"k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9}
# Fractions of a scale: "half a million", "a quarter of a million".
_FRACTIONS = {"half": 2, "quarter": 4}


def _trie(words: Iterable[str], space: str = " ") -> str:
    """A regex alternation of `words` that branches one character at a time.

    The regex engine then rejects a position after one comparison per branch of the first
    letter instead of one per word, which is what keeps the scan fast. A space in a word
    stands for `space`.
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(tree, space)


def _trie_pattern(node: dict[str, dict], space: str) -> str:
    branches = [
        (space if char == " " else re.escape(char)) + _trie_pattern(child, space)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# Where a numeral may start: a digit, a number word, or "a"/"half" before a scale word. The scan
# reads a lower-cased ASCII copy of the text (see _scan_copy), so one lower-case trie serves
# "two", "Two" and "TWO"; the parser below then reads the real text, ignoring case.
_STARTS = _UNITS + _TENS + ["half", "a half", "a quarter"] + [f"a {scale}" for scale in _SCALES]
_START = re.compile((r" (?:[0-9]|" + _trie(_STARTS) + r"(?![a-z]))").encode("ascii"))

_WORD = rf"(?:{_alternation(_NUMBER_WORDS)})(?![a-z])"
_SCALE_WORD = rf"(?:{_alternation(_SCALES)})(?![a-z])"
_AFTER_SCALE = "|".join(f"(?<={scale})" for scale in _SCALES)
_NUMERAL_PATTERN = rf"""
    (?P<digits>
        [0-9]{{1,3}}(?:,[0-9]{{3}})+(?![0-9])                      # 34,000
      | [0-9]{{1,3}}(?:[ \u2009\u202f][0-9]{{3}})+(?![0-9])        # 34 000
      | [0-9]+(?:\.[0-9]+)?                                        # 34000, 1.4
    )
    (?:
        [ -]?(?P<scale>(?i:{_alternation(_DIGIT_SCALES)}))(?i:s)?(?![A-Za-z])  # 1.4 million
      | (?P<suffix>(?i:{_alternation(_SUFFIXES)}))(?![A-Za-z0-9])           # 1.4m, 1.5bn
    )?
  | (?P<words>(?i:
        (?:a|one)\ {_SCALE_WORD}\ and\ an?\ half(?![a-z])          # a million and a half
      | {_WORD}\ and\ an?\ half\ {_SCALE_WORD}                     # two and a half million
      | (?:a\ )?(?:half|quarter)(?:\ of)?(?:\ a)?\ {_SCALE_WORD}   # half a million
      | a\ {_SCALE_WORD}                                           # a million
      | {_WORD}(?:(?:[ -]|(?:{_AFTER_SCALE})\ and\ ){_WORD})*      # two hundred and fifty-three
    ))
"""
_NUMERAL = re.compile(_NUMERAL_PATTERN, re.VERBOSE)


@lru_cache(maxsize=4096)
def _words_value(words: str) -> int | None:
    """The value of a number written in words (lower case), or None if it is not a number."""
    tokens = words.replace("-", " ").split()
    if tokens[0] == "a" and tokens[1] in _FRACTIONS:  # "a half million" = "half a million"
        tokens = tokens[1:]
    if tokens[0] in _FRACTIONS:
        return _SCALES[tokens[-1]] // _FRACTIONS[tokens[0]]
    if tokens[0] == "a":  # "a million"
        tokens[0] = "one"
    if "half" in tokens:  # "a million and a half", "two and a half million"
        and_at = tokens.index("and")
        whole = _words_value(" ".join(tokens[:and_at]))
        if tokens[-1] == "half":
            return None if whole is None else whole + _SCALES[tokens[and_at - 1]] // 2
        return None if whole is None else (2 * whole + 1) * _SCALES[tokens[-1]] // 2
    try:
        return text2num(" ".join(tokens), "en")
    except ValueError:  # words that are numbers but not one number: "twenty twelve"
        return None


def _digits_value(digits: str, scale: str | None, suffix: str | None) -> int | None:
    if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
        return None  # "007", "02": codes, not counts
    if scale is not None:
        multiplier = _DIGIT_SCALES[scale.lower()]
    elif suffix is not None:
        multiplier = _SUFFIXES[suffix.lower()]
    else:
        multiplier = 1
    if "." in digits:
        if multiplier == 1:
            return None  # "2.5" without a scale word is a measure, not a count
        value = Decimal(digits) * multiplier
        return int(value) if value == value.to_integral_value() else None
    return int("".join(digits.replace(",", "").split())) * multiplier


def _value(numeral: re.Match[str]) -> int | None:
    words = numeral["words"]
    if words is not None:
        return _words_value(words.lower())
    return _digits_value(numeral["digits"], numeral["scale"], numeral["suffix"])


def parse_count(surface: str) -> int | None:
    """The count a numeral states ("34,000", "1.4 million", "two hundred and fifty-three"),
    or None when the text is not a count ("dozens", "a dozen", "2.5", "30%")."""
    numeral = _NUMERAL.fullmatch(" ".join(surface.split()))
    return None if numeral is None else _value(numeral)


# --- The words after a numeral --------------------------------------------------------------------

_BOUND_NAMES = {">": "over", ">=": "at_least", "~": "about", "<": "under", "<=": "at_most"}
_BOUND_OF_NAME = {name: bound for bound, name in _BOUND_NAMES.items()}

_TIME_UNITS = (
    r"(?:milli)?seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|wks?|months?"
    r"|years?|yrs?|decades?|century|centuries"
)
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
# After a number, "may" and "march" are verbs unless capitalised: "12 may have died".
_VERB_MONTHS = ("may", "march", "mar")
_MONTH_NAMES = "|".join(
    [_alternation(m for m in _MONTHS if m not in _VERB_MONTHS)]
    + [f"(?-i:{m.capitalize()}|{m.upper()})" for m in _VERB_MONTHS]
)
_RATIO_WORDS = _alternation(_UNITS + _TENS)
# Kinds of neighbour that make a numeral something other than a count.
_AFTER_PATTERN = rf"""
    (?P<separator>(?:[-–—/:.][0-9]+)+)        # 4/1/2024, 2024-04-01, 10:30, 3-2, 555-1234
  | (?P<sequence>(?:\ [0-9]+)+)               # 555 1234, a run of numbers
  | {{after_bounds}}
  | (?P<compound>-[a-z])                      # 12-year-old, two-state, six-week
  | (?P<attached>[a-z])                       # 7th, 1st, 3pm, 5km, 1970s
  | \s*(?P<percent>%|per\s?cent\b|pct\b|percentage\s+points?\b)
  | \s*(?P<money>(?:(?:us|u\.s\.|american)\s+)?(?:dollars?|euros?|pounds?|shekels?|nis|usd|eur
        |gbp|yuan|yen|rupees?|dinars?|riyals?|dirhams?|liras?|francs?|cents?)\b)
  | \s*(?P<time>[ap]\.?m\b\.?|o'clock\b|gmt\b|utc\b|local\s+time\b)
  | (?:[ -]and[ -]an?[ -](?:half|quarter))?
    [ -](?:(?:more|additional|further|full|whole|straight|consecutive|successive|long|short)\s+)?
    (?P<duration>{_TIME_UNITS})\b             # two hours, six months, two and a half hours
  | \s+(?P<month>{_MONTH_NAMES})\b            # 7 October
  | \s*(?P<measure>°|(?:km|kms|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|cm|mm|sq|square|acres?
        |hectares?|dunams?|tons?|tonnes?|kg|kilos?|kilograms?|grams?|lit(?:er|re)s?|gallons?
        |feet|foot|ft|inch(?:es)?|yards?|degrees?|mph|kph|calories|kcal|megawatts?)\b)
  | \s+(?P<ratio>(?:in|out\s+of)\s+(?:every\s+)?(?:[0-9][0-9,]*|(?:{_RATIO_WORDS})\b))
        (?!\s*(?:{_TIME_UNITS})\b)            # 1 in 4, nine out of 10 (not "12 in 24 hours")
  | \s+(?P<fraction>halves|thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?
        |dozens?|score)\b                    # two thirds; two dozen multiplies, it is vague
"""
# Next to a month, 1 to 31 is a day; "in March 1,200 people" still counts.
_DAY_OF_MONTH = 31
# After a skipped age or date, its other end is skipped too: "aged 18 to 60", "7-8 October".
_RANGE_TAIL = re.compile(r"\s*(?:-|–|to|and)\s*[0-9]+", re.IGNORECASE)

# --- The words before a numeral ---------------------------------------------------------------

_AGE_WORDS = ("aged", "age", "ages", "age of", "ages of")
# Words that make the number after them part of a name or an identifier: "Resolution 2728".
_IDENTIFIER_WORDS = (
    "resolution resolutions route highway road section article chapter clause paragraph page "
    "line channel unit division brigade battalion building block gate terminal platform room "
    "flight bus phase stage round level grade category class type model version number day "
    "week year zone sector district item verse no. nos. vol. p. pp."
).split()
_CURRENCY_WORDS = ("usd", "eur", "gbp", "nis", "ils")
_BEFORE_WINDOW = 64  # characters read backwards from a numeral; longer than any phrase


def _normalise(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@dataclass(frozen=True)
class _Context:
    """The compiled neighbour patterns, built once from the bound table."""

    after: re.Pattern[str]
    before: re.Pattern[str]
    kind_before: dict[str, str]


def _load_bounds(path: Path) -> dict[str, dict[str, list[str]]]:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BoundsError(f"{path}: {error}") from error
    for side in ("before", "after"):
        for bound, phrases in table.get(side, {}).items():
            if bound not in BOUNDS or bound == "=":
                raise BoundsError(f"{path}: [{side}] key {bound!r} is not a bound; use one of "
                                  f"{', '.join(b for b in BOUNDS if b != '=')}")
            if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip()
                                                       for p in phrases):
                raise BoundsError(f"{path}: [{side}] {bound!r} must be a list of phrases")
    return table


def _after_bound(name: str, phrases: list[str]) -> str:
    """One named alternative matching any of `phrases` written right after a numeral."""
    forms = []
    for phrase in sorted(phrases, key=len, reverse=True):
        words = r"\s+".join(re.escape(w) for w in phrase.split())
        lead = "" if phrase[0] in "-+" else r"\s+"
        tail = r"(?!\w)" if phrase[-1].isalnum() else ""
        forms.append(lead + words + tail)
    # "1,200 plus 300 soldiers" adds; it does not bound.
    return rf"(?P<{name}>(?:{'|'.join(forms)})(?!\s*[0-9]))"


@lru_cache(maxsize=4)
def _context(path: Path = BOUNDS_PATH) -> _Context:
    table = _load_bounds(path)
    after_bounds = "\n  | ".join(
        _after_bound(_BOUND_NAMES[bound], phrases) for bound, phrases in table.get("after", {}).items()
    )
    after = re.compile(_AFTER_PATTERN.format(after_bounds=after_bounds), re.VERBOSE | re.IGNORECASE)

    kind_before: dict[str, str] = {}
    for bound, phrases in table.get("before", {}).items():
        for phrase in phrases:
            kind_before[_normalise(phrase)] = bound
            kind_before[_normalise(f"aged {phrase}")] = "age"  # "aged over 60" is an age
    kind_before.update({month: "date" for month in _MONTHS})
    kind_before.update({f"{month}.": "date" for month in _MONTHS})
    kind_before.update({word: "age" for word in _AGE_WORDS + ("aged between", "aged from")})
    kind_before.update({word: "identifier" for word in _IDENTIFIER_WORDS})
    kind_before.update({word: "money" for word in _CURRENCY_WORDS})
    # Read backwards from the numeral: whitespace, then a phrase spelt backwards, then a word edge.
    backwards = _trie(sorted(phrase[::-1] for phrase in kind_before), space=r"\s+")
    before = re.compile(
        rf"\s*(?P<symbol>[$€£¥₪])|\s+(?P<phrase>{backwards})(?!\w)", re.IGNORECASE
    )
    return _Context(after=after, before=before, kind_before=kind_before)


# --- Finding counts -------------------------------------------------------------------------------

# The scan copy: lower case, every character after which a numeral may start (besides a space)
# made a space, and every non-ASCII character a "?" first, so offsets stay those of the text.
_SCAN_OPENERS = b'\n\t\r(["?'
_SCAN_TABLE = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ" + _SCAN_OPENERS,
    b"abcdefghijklmnopqrstuvwxyz" + b" " * len(_SCAN_OPENERS),
)
_SKIPPED_AFTER = frozenset({
    "separator", "sequence", "compound", "attached", "percent", "money", "time", "duration",
    "measure", "ratio", "fraction",
})
_SKIPPED_BEFORE = frozenset({"age", "identifier", "money", "symbol"})
_YEARS = range(1900, 2101)
_STRONG_BOUNDS = frozenset({">", ">=", "<", "<="})
_WORD_NEXT = re.compile(r" [A-Za-z]")


def _scan_copy(text: str) -> bytes:
    """A space, then the text as lower-case ASCII with openers made spaces: scan[i + 1] stands
    for text[i]. Opening quotes and dashes are non-ASCII, so they become "?" and then spaces."""
    return b" " + text.encode("ascii", "replace").translate(_SCAN_TABLE)


def find_counts(text: str) -> Iterator[Count]:
    """Every numeral in `text` that can be a count, in text order."""
    context = _context()
    scan = _scan_copy(text)
    position = 0  # where the scan goes on, in `scan`
    while (start := _START.search(scan, position)) is not None:
        number_start = start.start()  # the space at scan[i] stands before text[i]
        position = number_start + 1
        numeral = _NUMERAL.match(text, number_start)
        if numeral is None:
            continue
        number_end = numeral.end()
        position = number_end + 1
        after = context.after.match(text, number_end)
        after_kind = after.lastgroup if after else None
        if after_kind in _SKIPPED_AFTER:
            position = after.end() + 1
            continue
        value = _value(numeral)
        if value is None:
            continue
        day = _day(numeral)
        if after_kind == "month" and day is not None:
            continue
        words = numeral["words"]
        if words is not None and words.lower() == "one":
            continue  # "one of the officials said": too often a pronoun to be a count
        backwards = text[max(0, number_start - _BEFORE_WINDOW):number_start][::-1]
        before = context.before.match(backwards)
        bound, bound_start = "=", number_start
        if before is not None:
            before_kind = "symbol" if before["symbol"] else context.kind_before[
                _normalise(before["phrase"][::-1])]
            if before_kind in _SKIPPED_BEFORE or (before_kind == "date" and day is not None):
                position = _resume_after_skipped(text, numeral) + 1
                continue
            if before_kind in BOUNDS:
                bound, bound_start = before_kind, number_start - before.end()
        if _is_year(text, numeral, value, bound):
            continue
        surface_end = number_end
        if bound == "=" and after_kind in _BOUND_OF_NAME:
            bound, surface_end = _BOUND_OF_NAME[after_kind], after.end()
            position = surface_end + 1
        yield Count(bound_start, surface_end, number_start, value, bound,
                    text[bound_start:surface_end])


def _day(numeral: re.Match[str]) -> int | None:
    """The day of the month the numeral could be after or before a month name: a plain 1 to 31,
    or the first group of "7 100" (as in "March 7 100 people"), else None."""
    digits = numeral["digits"]
    if digits is None or numeral["scale"] or numeral["suffix"] or "," in digits or "." in digits:
        return None
    head = int(digits.split()[0])
    return head if 1 <= head <= _DAY_OF_MONTH else None


def _resume_after_skipped(text: str, numeral: re.Match[str]) -> int:
    """Where the scan goes on after a numeral skipped for the words before it."""
    digits = numeral["digits"]
    if digits is not None and len(digits.split()) > 1:  # "March 7 100": 100 may still count
        return numeral.start() + len(digits.split()[0])
    tail = _RANGE_TAIL.match(text, numeral.end())  # "aged 18 to 60": 60 is an age too
    return tail.end() if tail else numeral.end()


def _is_year(text: str, numeral: re.Match[str], value: int, bound: str) -> bool:
    """Four plain digits from 1900 to 2100 are a year, unless a bound and a noun make them a
    count: "more than 2000 people"."""
    digits = numeral["digits"]
    if digits is None or len(digits) != 4 or value not in _YEARS or numeral.end() != numeral.end("digits"):
        return False
    return not (bound in _STRONG_BOUNDS and _WORD_NEXT.match(text, numeral.end()))
