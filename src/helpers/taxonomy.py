"""Load the figure taxonomy (data/taxonomy.toml) into compiled patterns and rules.

The taxonomy is data so that a user following another story edits a table, not the engine; see
the comments at the top of the TOML file for how the engine reads it.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers.paths import PACKAGE_DATA

DEFAULT_PATH = PACKAGE_DATA / "taxonomy.toml"
RULE_CONDITIONS = frozenset(
    {"category", "measure", "noun", "side", "parent", "clause_any", "clause_none",
     "near_any", "near_none", "min_value", "max_value"}
)


class TaxonomyError(ValueError):
    """The taxonomy file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Rule:
    category: str
    measure: frozenset[str] | None = None
    noun: frozenset[str] | None = None
    side: frozenset[str] | None = None
    parent: frozenset[str] | None = None
    clause_any: tuple[str, ...] = ()
    clause_none: tuple[str, ...] = ()
    near_any: tuple[str, ...] = ()
    near_none: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class SideRules:
    """What decides a number's side before the nearest side cue does."""

    places: tuple[str, ...]  # sides that, named in the clause, decide
    unless: str  # a cue group that, named in the clause too, stops them ("" for none)
    nouns: dict[str, str]  # noun class right after the number -> side


@dataclass(frozen=True)
class Carry:
    """Cues a clause may hold by reference: "the city" after a sentence naming Rafah."""

    cues: frozenset[str]
    anaphors: re.Pattern
    sentences: int  # how many sentences back the cue may stand


@dataclass(frozen=True)
class Taxonomy:
    path: Path
    digest: str
    categories: tuple[str, ...]
    strong_measures: dict[str, Words]
    weak_measures: dict[str, Words]
    head_noun: re.Pattern  # named groups, one per noun class
    sides: dict[str, Words]
    cues: dict[str, Words]
    rules: tuple[Rule, ...]
    side_rules: SideRules
    carry: Carry
    sources: dict[str, Words]  # attribution class -> entity pattern
    reporting: Words
    connector: str
    named: re.Pattern | None  # capitalised names that are sources when a cue is right beside them
    # Reporting cues around an entity, compiled once: "according to [a report by] X", "X ... said".
    cue_before: re.Pattern
    cue_after: re.Pattern
    beside_after: re.Pattern


def _alternation(patterns: list[str], where: str) -> str:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise TaxonomyError(f"{where}: bad pattern {pattern!r}: {error}") from None
    # Longest first so "death toll" wins over "toll" in one alternation.
    ordered = sorted(patterns, key=len, reverse=True)
    return "|".join(f"(?:{p})" for p in ordered)


_QUANTIFIER = re.compile(r"[?*+]|\{\d*,?\d*\}")


def _syntax(pattern: str, start: int = 0):
    """(index, character) of a pattern's characters outside escapes and character classes."""
    i = start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
        elif char == "[":
            i = pattern.index("]", i + 2 if pattern[i + 1:i + 2] == "]" else i + 1) + 1
        else:
            yield i, char
            i += 1


def _group_end(pattern: str, start: int) -> int:
    """Index just past the group that opens at pattern[start] == '('."""
    depth = 0
    for i, char in _syntax(pattern, start):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return i + 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, depth, start = [], 0, 0
    for i, char in _syntax(pattern):
        if char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        depth += (char == "(") - (char == ")")
    return [*parts, pattern[start:]]


def _required_text(pattern: str) -> set[str] | None:
    """Lower-case texts one of which every match of `pattern` contains; None when unknown.

    Optional groups and look-behinds at the start are stepped over ("(?:the )?IDF" needs "idf"),
    a group of alternatives gives the texts of each ("(?:health ministry|ministry of health)")."""
    needed: set[str] = set()
    for branch in _branches(pattern):
        i = 0
        while branch.startswith("(", i):
            end = _group_end(branch, i)
            quantifier = _QUANTIFIER.match(branch, end)
            if branch.startswith(("(?<", "(?="), i) or quantifier:
                # A look-around or a repeated group: what follows it is still required.
                i = quantifier.end() if quantifier else end
                continue
            opening = next((o for o in ("(?:", "(?-i:", "(") if branch.startswith(o, i)), "")
            if opening and not branch.startswith("(?", i) or opening in ("(?:", "(?-i:"):
                inner = branch[i + len(opening):end - 1]
                found = _required_text(inner)
                if found is None:
                    return None
                needed |= found
                break
            return None
        else:
            prefix: list[str] = []
            while i < len(branch):
                char = branch[i]
                if char == "\\" and not branch[i + 1:i + 2].isalnum():  # an escaped "." or "'"
                    prefix.append(branch[i + 1:i + 2])
                    i += 2
                    continue
                if char in "?*{":  # the character before is optional
                    if prefix:
                        prefix.pop()
                    break
                if char in "()[]\\|.+^$":
                    break
                prefix.append(char)
                i += 1
            literal = "".join(prefix).strip().lower()
            if not literal:
                return None
            needed.add(literal)
    return needed


@dataclass(frozen=True)
class Words:
    """A cue group: whole-word alternatives, case-insensitive.

    Scanning a sentence with a long alternation is the engine's main cost, so each group keeps
    texts one of which every match contains: when none occurs in the lower-cased sentence, the
    regex cannot match and is not run."""

    regex: re.Pattern
    gate: tuple[str, ...] | None  # None: some alternative starts with regex syntax

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def finditer(self, text: str, low: str | None = None):
        if self.gate is not None and low is not None and not any(g in low for g in self.gate):
            return iter(())
        return self.regex.finditer(text)

    def search(self, text: str, *bounds: int) -> re.Match | None:
        return self.regex.search(text, *bounds)


def _words(patterns: list[str], where: str) -> Words:
    regex = re.compile(rf"(?<![\w-])(?:{_alternation(patterns, where)})(?![\w-])", re.IGNORECASE)
    needed = _required_text("|".join(f"(?:{p})" for p in patterns))
    return Words(regex, None if needed is None else tuple(sorted(needed)))


def _rule(entry: dict, index: int, path: Path, known: dict[str, set[str]]) -> Rule:
    where = f"{path.name}: rule {index + 1}"
    unknown = set(entry) - RULE_CONDITIONS
    if unknown:
        raise TaxonomyError(f"{where}: unknown field(s) {sorted(unknown)}")
    if "category" not in entry:
        raise TaxonomyError(f"{where}: missing field 'category'")
    for field, universe in known.items():
        for name in entry.get(field, []):
            if name and name not in universe:
                raise TaxonomyError(f"{where}: {field} names unknown {name!r}")

    def names(field: str) -> frozenset[str] | None:
        return frozenset(entry[field]) if field in entry else None

    return Rule(
        category=entry["category"],
        measure=names("measure"),
        noun=names("noun"),
        side=names("side"),
        parent=names("parent"),
        clause_any=tuple(entry.get("clause_any", ())),
        clause_none=tuple(entry.get("clause_none", ())),
        near_any=tuple(entry.get("near_any", ())),
        near_none=tuple(entry.get("near_none", ())),
        min_value=entry.get("min_value"),
        max_value=entry.get("max_value"),
    )


def load(path: str | Path | None = None) -> Taxonomy:
    """Read and compile a taxonomy file; errors name the file and the offending field."""
    path = Path(path) if path else DEFAULT_PATH
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise TaxonomyError(f"{path.name}: {error}") from None
    for section in ("measures", "nouns", "sides", "cues", "rule", "sources"):
        if section not in data:
            raise TaxonomyError(f"{path.name}: missing section [{section}]")

    strong, weak = {}, {}
    for name, spec in data["measures"].items():
        target = strong if spec.get("strength", "strong") == "strong" else weak
        target[name] = _words(spec["patterns"], f"{path.name}: measures.{name}")
    noun_groups = "|".join(
        f"(?P<{name}>{_alternation(words, f'{path.name}: nouns.{name}')})"
        for name, words in data["nouns"].items()
    )
    # Up to three modifiers may stand between the number and its noun
    # ("1 million displaced Palestinian civilians"), but no verb or conjunction; a copula may
    # ("more than 760 were civilians").
    head_noun = re.compile(
        r"[\s\"']*(?:(?:were|are|was|is)\s+)?(?:(?!(?:and|or|but|were|was|are|is|have|has|had|who|which|that|been|in|on|at|from|to|by)\b)[\w'-]+\s+){0,3}?"
        rf"(?:{noun_groups})(?![\w-])",
        re.IGNORECASE,
    )
    sides = {n: _words(p, f"{path.name}: sides.{n}") for n, p in data["sides"].items()}
    cues = {n: _words(p, f"{path.name}: cues.{n}") for n, p in data["cues"].items()}
    source_spec = data["sources"]
    sources = {
        cls: _words(p, f"{path.name}: sources.classes.{cls}")
        for cls, p in source_spec["classes"].items()
    }
    known = {
        "measure": set(strong) | set(weak),
        "noun": set(data["nouns"]),
        "side": set(sides),
        "clause_any": set(cues) | set(sides),
        "clause_none": set(cues) | set(sides),
        "near_any": set(cues) | set(sides),
        "near_none": set(cues) | set(sides),
    }
    rules = tuple(_rule(entry, i, path, known) for i, entry in enumerate(data["rule"]))
    reporting = _words(source_spec["reporting"], f"{path.name}: sources.reporting")
    side_spec = data.get("side_rules", {})
    side_rules = SideRules(
        places=tuple(side_spec.get("places", [])),
        unless=side_spec.get("unless", ""),
        nouns=dict(side_spec.get("nouns", {})),
    )
    for name in (*side_rules.places, *side_rules.nouns.values()):
        if name not in sides:
            raise TaxonomyError(f"{path.name}: side_rules names unknown side {name!r}")
    for name in side_rules.nouns:
        if name not in data["nouns"]:
            raise TaxonomyError(f"{path.name}: side_rules.nouns names unknown noun class {name!r}")
    if side_rules.unless and side_rules.unless not in cues and side_rules.unless not in sides:
        raise TaxonomyError(f"{path.name}: side_rules.unless names unknown {side_rules.unless!r}")
    carry_spec = data.get("carry", {})
    for name in carry_spec.get("cues", []):
        if name not in cues and name not in sides:
            raise TaxonomyError(f"{path.name}: carry.cues names unknown {name!r}")
    carry = Carry(
        cues=frozenset(carry_spec.get("cues", [])),
        anaphors=_words(carry_spec.get("anaphors", ["(?!)"]), f"{path.name}: carry.anaphors").regex,
        sentences=int(carry_spec.get("sentences", 2)),
    )
    connector = source_spec.get("connector", "")
    categories = tuple(dict.fromkeys(r.category for r in rules if r.category != "skip"))
    return Taxonomy(
        path=path,
        digest=hashlib.sha256(raw).hexdigest()[:12],
        categories=categories,
        strong_measures=strong,
        weak_measures=weak,
        head_noun=head_noun,
        sides=sides,
        cues=cues,
        rules=rules,
        side_rules=side_rules,
        carry=carry,
        sources=sources,
        reporting=reporting,
        connector=connector,
        named=_named(source_spec.get("not_names", [])) if source_spec.get("named") else None,
        cue_before=re.compile(rf"(?:{reporting.pattern})\s+{connector}\Z", re.IGNORECASE),
        cue_after=re.compile(rf"(?:\s+[\w'-]+){{0,5}}?\s+(?:{reporting.pattern})", re.IGNORECASE),
        beside_after=re.compile(rf"\s+(?:{reporting.pattern})(?![\w-])", re.IGNORECASE),
    )


def _named(not_names: list[str]) -> re.Pattern:
    """One to four capitalised words, optionally after "the", none of them in `not_names`."""
    stop = "|".join(re.escape(w) for w in sorted(not_names, key=len, reverse=True))
    not_stop = rf"(?!(?:{stop})(?![\w'&-]))" if stop else ""
    # Inner words may hold dots ("U.S. Army"); the last one may not end the sentence with one.
    return re.compile(
        rf"(?<![\w'&-])(?:(?:The|the) )?(?:{not_stop}[A-Z][\w'.&-]*\s){{0,3}}{not_stop}[A-Z][\w'&-]*"
    )


@lru_cache(maxsize=1)
def default() -> Taxonomy:
    return load(DEFAULT_PATH)
