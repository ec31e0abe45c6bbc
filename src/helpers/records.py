"""The records that flow between stages. Plain, picklable dataclasses: no pandas here.

`Figure` is the public contract of docs/figures.md; its field order is the column order of every
figures table and export.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Where an article's outlet or publication date came from.
PROVENANCE = ("manifest", "stated", "inferred", "unknown")


@dataclass(frozen=True, slots=True)
class Debris:
    """A line of page furniture (banner, player timestamp, share trailer, author bio)."""

    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """One decoded article. Character offsets of figures refer to `text`."""

    article_id: str
    path: str
    text: str
    title: str = ""
    outlet: str = ""
    outlet_source: str = "unknown"
    published_date: str = ""  # ISO yyyy-mm-dd, or "" when unknown
    date_source: str = "unknown"
    url: str = ""
    encoding: str = "utf-8"
    debris: tuple[Debris, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An input that could not be read, and why: reported, never fatal to the rest of a run."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Figure:
    """One mention of a reported figure (see docs/figures.md)."""

    article_id: str
    category: str
    value: int
    bound: str
    attribution_class: str
    attribution_text: str
    sentence: str
    char_start: int
    char_end: int
    surface: str


FIGURE_FIELDS = tuple(Figure.__dataclass_fields__)
BOUNDS = ("=", ">", ">=", "~", "<", "<=")
ATTRIBUTION_CLASSES = ("gaza_moh", "israeli_official", "afp_tally", "un", "other", "none")
