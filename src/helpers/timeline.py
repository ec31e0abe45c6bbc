"""The events an article dates, with relative dates resolved against its publication date.

A regex finds short date phrases ("on Monday", "last week", "March 25", "Two days later",
"earlier this month"); dateparser resolves each phrase alone (never the whole article) with
RELATIVE_BASE = the publication date and PREFER_DATES_FROM = "past", English only. A phrase
resolves to a day or a range (`resolved_date` .. `resolved_until`, inclusive): "last week" is the
Monday-to-Sunday week before publication, "earlier this month" the first of the month up to the
day before publication.

News conventions dateparser does not know, applied on top of it:
- "last night" is the day before publication, "this morning" (afternoon, evening) the day itself.
- A bare weekday is the latest such day on or before publication: "on Monday" in a Monday paper
  is that Monday (dateparser alone would go back a week).
- "Two days later" / "a week earlier" / "the next day" count from the last day the article dated
  before the phrase ("on March 25 ... Two days later" is March 27), not from publication.
- A month and day without a year that "past" puts almost a year back, when the same day this year
  is at most NEAR_FUTURE_DAYS after publication, is that coming day ("talks on April 20" in an
  April 18 paper).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from dateparser.date import DateDataParser

from helpers.records import Article
from helpers.sentences import SentenceIndex

if TYPE_CHECKING:
    import pandas as pd

NEAR_FUTURE_DAYS = 31

_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:,? \d{4})"
_COUNT = r"(?i:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_UNIT = r"(?i:days?|weeks?|months?|years?)"
_PHRASES = [
    rf"(?i:on |last |this |next )?{_WEEKDAY}(?i: morning| afternoon| evening| night)?",
    rf"(?i:on )?{_MONTH} {_DAY}{_YEAR}?",
    rf"(?i:on )?{_DAY} (?i:of )?{_MONTH}{_YEAR}?",
    rf"(?i:in ){_MONTH}(?: \d{{4}})?",
    r"(?i:(?:earlier|later) this (?:week|month|year))",
    r"(?i:(?:last|this|next) (?:weekend|week|month|year))",
    r"(?i:over the weekend)",
    rf"{_COUNT} {_UNIT} (?i:ago|later|earlier)",
    r"(?i:the (?:next|following|previous) day)",
    r"(?i:yesterday|today|tonight)",
    r"(?i:last night|this (?:morning|afternoon|evening))",
]
_CANDIDATE = re.compile(r"(?<![\w-])(?:" + "|".join(_PHRASES) + r")(?![\w-])")
_FROM_ANCHOR = re.compile(rf"^({_COUNT} {_UNIT}) (?i:(later)|earlier)$")
_ANCHOR_DAY = {"the next day": 1, "the following day": 1, "the previous day": -1}
# Parts of the publication day and the night before it, which dateparser does not read.
_PUBLICATION_DAY = {"last night": -1, "this morning": 0, "this afternoon": 0, "this evening": 0}
_WEEKEND = re.compile(r"(?i)weekend")
_WITHIN_PERIOD = re.compile(r"(?i)^(earlier|later) (this (?:week|month|year))$")
_BARE_WEEKDAY = re.compile(
    rf"(?i:on |this )?({_WEEKDAY})(?i: morning| afternoon| evening| night)?$")
_HAS_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class Event:
    """One dated phrase: `resolved_date`..`resolved_until` (inclusive; equal for a single day;
    None when the phrase cannot be dated, e.g. the article has no publication date)."""

    article_id: str
    phrase: str
    start: int
    end: int
    resolved_date: dt.date | None
    resolved_until: dt.date | None
    sentence: str


EVENT_FIELDS = tuple(Event.__dataclass_fields__)


@lru_cache(maxsize=4096)
def _parse(phrase: str, base: dt.date) -> tuple[dt.date, str] | None:
    """dateparser on one short phrase: (date, period) or None."""
    parser = DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
    })
    data = parser.get_date_data(phrase)
    if data["date_obj"] is None:
        return None
    return data["date_obj"].date(), data["period"]


def _period_range(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    if period == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if period == "month":
        first = day.replace(day=1)
        next_first = (first + dt.timedelta(days=32)).replace(day=1)
        return first, next_first - dt.timedelta(days=1)
    if period == "year":
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    return day, day


def _resolve(phrase: str, base: dt.date | None, anchor: dt.date | None,
             ) -> tuple[dt.date, dt.date] | None:
    """The date range a phrase means, given the publication date and the last dated day."""
    text = phrase.strip()
    lowered = text.lower()
    if base is None:
        # Without a publication date only a full date (with its year) can be placed.
        if not _HAS_YEAR.search(text):
            return None
        base = dt.date.today()
    if lowered in _PUBLICATION_DAY:
        day = base + dt.timedelta(days=_PUBLICATION_DAY[lowered])
        return day, day
    if lowered in _ANCHOR_DAY:
        start = (anchor or base) + dt.timedelta(days=_ANCHOR_DAY[lowered])
        return start, start
    relative = _FROM_ANCHOR.match(text)
    if relative:
        rewritten = f"in {relative.group(1)}" if relative.group(2) else f"{relative.group(1)} ago"
        parsed = _parse(rewritten, anchor or base)
        return (parsed[0], parsed[0]) if parsed else None
    if _WEEKEND.search(text):
        # The latest Saturday on or before publication, and the Sunday after it.
        parsed = _parse("Saturday", base + dt.timedelta(days=1))
        return (parsed[0], parsed[0] + dt.timedelta(days=1)) if parsed else None
    within = _WITHIN_PERIOD.match(text)
    if within:
        parsed = _parse(within.group(2), base)
        if parsed is None:
            return None
        first, last = _period_range(parsed[0], parsed[1])
        if within.group(1).lower() == "earlier":
            return (first, max(first, base - dt.timedelta(days=1)))
        return (min(last, base + dt.timedelta(days=1)), last)
    bare = _BARE_WEEKDAY.match(text)
    if bare:
        parsed = _parse(bare.group(1), base + dt.timedelta(days=1))
        return (parsed[0], parsed[0]) if parsed else None
    parsed = _parse(re.sub(r"(?i)^(on|in) ", "", text), base)
    if parsed is None:
        return None
    day, period = parsed
    if "ago" in lowered:
        return day, day
    if period in ("day", "part_of_day", "time"):
        return _near_future(day, base, text), _near_future(day, base, text)
    return _period_range(day, period)


def _near_future(day: dt.date, base: dt.date, text: str) -> dt.date:
    if _HAS_YEAR.search(text) or (base - day).days < 300:
        return day
    try:
        this_year = day.replace(year=base.year)
    except ValueError:  # 29 February
        return day
    return this_year if 0 < (this_year - base).days <= NEAR_FUTURE_DAYS else day


def _publication_date(article: Article) -> dt.date | None:
    if not article.published_date:
        return None
    try:
        return dt.date.fromisoformat(article.published_date)
    except ValueError:
        raise ValueError(f"{article.path or article.article_id}: published_date "
                         f"{article.published_date!r} is not an ISO date (yyyy-mm-dd)") from None


def timeline(article: Article) -> list[Event]:
    """Every date phrase in `article`, in text order, resolved to a day or a range."""
    base = _publication_date(article)
    text = article.text
    index = SentenceIndex(text)
    debris = [(d.start, d.end) for d in article.debris]
    events: list[Event] = []
    anchor: dt.date | None = None
    for m in _CANDIDATE.finditer(text):
        if any(s <= m.start() < e for s, e in debris):
            continue
        resolved = _resolve(m.group(), base, anchor)
        start, until = resolved if resolved else (None, None)
        if start is not None and start == until:
            anchor = start
        i = index.index_of(m.start())
        sentence = text[slice(*index.spans[i])] if i is not None else m.group()
        events.append(Event(article.article_id, m.group(), m.start(), m.end(), start, until,
                            sentence))
    return events


def timeline_table(articles: Iterable[Article]) -> pd.DataFrame:
    """Every article's events as one DataFrame (columns EVENT_FIELDS, dates as datetime64).
    pandas is imported here only: `timeline` itself stays light for scripts."""
    import pandas as pd

    frame = pd.DataFrame([[getattr(e, f) for f in EVENT_FIELDS]
                          for article in articles for e in timeline(article)],
                         columns=list(EVENT_FIELDS))
    for column in ("resolved_date", "resolved_until"):
        frame[column] = pd.to_datetime(frame[column])
    return frame.astype({"article_id": "string", "phrase": "string", "start": "int64",
                         "end": "int64", "sentence": "string"})
