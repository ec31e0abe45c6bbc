"""The engine: Article -> Figure records (docs/figures.md). Pure and picklable; no pandas.

For every count in a sentence the engine reads what it measures, its noun, which side of the story
it belongs to and whether it is a subgroup of the figure before it; the taxonomy's rules turn those
features into a category (see data/taxonomy.toml). The source is the reported-by phrase in the same
clause, or in an adjacent sentence that speaks of the same figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from helpers import numbers, taxonomy
from helpers.records import Article, Figure
from helpers.sentences import SentenceIndex, collapse_whitespace

ENGINE_VERSION = "1"
# Changes whenever the engine or its taxonomy changes: the incremental store keys on it.
EXTRACTOR_VERSION = f"{ENGINE_VERSION}+{taxonomy.default().digest}"

ATTRIBUTION_MAX_WORDS = 8
# How far the words before a number are read for what it measures ("the death toll ... rose to").
LEAD_CHARS = 120
OWN_CHARS = 120

# Clauses: a source stays within its clause ("..., while the ministry says ...").
_CLAUSE_BREAK = re.compile(r";|\s-\s|,?\s(?:while|whereas|but|although|though)\s")
# Categories read finer clauses: a running total after ", bringing the toll to" is not the
# period's count before it, though both share the sentence's source.
_CATEGORY_BREAK = re.compile(rf"{_CLAUSE_BREAK.pattern}|,\s(?:bringing|raising|pushing|taking|and)\s")
_PUNCTUATION = re.compile(r"[,:;()\[\]]|\s-\s")
# A number's own words end at punctuation or at "and" ("100 hostages and the remains of 30").
_OWN_STOP = re.compile(rf"{_PUNCTUATION.pattern}|\sand\s")
# Asides that carry a side cue for another part of the sentence:
# "Israel's war, which began after the Oct. 7 attack, has killed ...".
_ASIDE = re.compile(
    r",\s*(?:which|who|that|launched|sparked|triggered|began|started|prompted|since|after)\b[^,]*,|\([^)]*\)"
)
_REFERENCE_NOUN = re.compile(
    r"\b(?:figures?|toll|tally|tallies|numbers?|count|data|statistics|estimates?)\b", re.IGNORECASE
)
_DASH = re.compile(r"\s-\s")
# "Dr X, director of a hospital, said", "The ministry, which Hamas runs, reports".
_CLOSING_CUE = re.compile(
    r"(?:\s+[\w'-]+){0,3}?,\s+(?:(?:(?:which|who|reporting|speaking|writing)\b[^,]{0,60}"
    r"|(?-i:(?:Dr\.?\s+)?[A-Z][\w'.-]+(?:\s+(?:[A-Z][\w'.-]+|(?:al|el|abu|bin|ibn|de|van|von)\b[\w'-]*)){0,3})"
    r"),\s+)?",
    re.IGNORECASE,
)
# "The ministry, which is controlled by Hamas, reports": the aside's name is not the speaker.
_WHICH_ASIDE = re.compile(r",\s*(?:which|who|that)\b[^,]*\Z", re.IGNORECASE)
_LABEL = re.compile(r"^[\s\-\u2022*]*[A-Za-z][^:,;]{0,60}:\s*\Z")
_LEADING_CREDIT = re.compile(r"\s*(?:\([^)]{0,40}\)\s*)?:\s")
_DIGIT = re.compile(r"\d")
# "the health ministry's toll": an institution's (a lower-case word in its name), never a
# country's or a place's ("Israel's toll", "Gaza's toll").
_INSTITUTION = re.compile(r"\b[a-z]{3,}\b")
_OWN_TOLL = re.compile(r"(?:'s|\u2019s)\s+(?:latest\s+|daily\s+)?(?:death\s+)?(?:toll|figure)\b", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^)]*\)")  # "@GazaNowEN (7:42 am): Health ministry: ..."
# A source's own count right after its name: "Israel's count", "UNRWA's figures", "AP tally".
_OWN_COUNT = re.compile(
    r"(?:'s|\u2019s)?\s+(?:own\s+|latest\s+|daily\s+|official\s+|updated\s+)?"
    r"(?:count|tally|figures|data|statistics|calculations|estimates?|records|numbers|(?:daily )?(?:report|update|bulletin))\b",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"[\w' -]{0,30}?(?:,|\sand)\s+")
# "... and 522 since the war began": the words before a number end with "and".
_JOINED = re.compile(r"(?:,\s*|\s)and\s+\Z")
# What a speaker said goes on after the source: "39 the military says are dead".
_PREDICATE = re.compile(r"\s+(?:that\s+)?(?:are|is|were|was|have|has|had|remain|remained|died|been)\b", re.IGNORECASE)
# "It said 97 people ...": a pronoun or a bare noun for a source named in an earlier sentence.
_ANAPHOR = re.compile(
    r"\b(?:it|they|the (?:agency|office|organi[sz]ation|group|charity|statement|report|update|body))"
    r"\s+(?:also\s+|later\s+|further\s+)?"
    r"(?:said|says|say|added|reported|estimates|estimated|counted|counts|recorded|announced|noted)\b"
    r"|\baccording to (?:the (?:agency|office|organi[sz]ation|group|charity|statement|report|update"
    r"|channel|broadcaster|newspaper|paper|network|station|website)|it|them)\b"
    r"|\b(?:its|their) (?:count|tally|figures|data|statement|report|update)\b",
    re.IGNORECASE,
)
# "Ahmed, 42, said ...": a small number set off by commas after a word is an age.
_AGE_BEFORE = re.compile(r"[A-Za-z)]\s*,\s*\Z")
_AGE_AFTER = re.compile(r"\s*,")
_AGE_OF = re.compile(r"\b(?:children|minors|kids|boys|girls|teenagers|teens|adults|people|those|anyone)\s+\Z",
                     re.IGNORECASE)
_AGE_GAP = re.compile(r",\s*\d{1,3},")
# A headline or live-blog line that ends by crediting its source: "... 34,012 - Gaza health ministry".
_CREDIT = re.compile(r"(?:\s-|:)\s+\Z")
_OPEN_PAREN = re.compile(r"\(\s*(?:the\s+)?\Z", re.IGNORECASE)
_CLOSE_PAREN = re.compile(r"\s*\)")
# Cues that introduce their source whatever follows it ("according to X, who ...").
_PREPOSITIONAL_CUE = re.compile(r"(?:according|per|citing|cited|quoting|provided|comes?|came)\b", re.IGNORECASE)
# After "said X", a speaker's name ends the clause or is followed by when or where it spoke.
_SPEAKER_END = re.compile(
    r"\s*(?:[,.;:!?)\"'\u201d]|\Z|(?:on|in|at|late|earlier|this|last|told|and|during)\b)"
    # a title before the name: "said UN Secretary-General Antonio Guterres."
    r"|\s+(?-i:[A-Z][\w'-]+)(?:\s+(?-i:[A-Z][\w'-]+)){0,3}\s*(?:[,.;:!?)]|\Z)",
    re.IGNORECASE,
)
# A figure set off as a description of a place is the writer's background, not part of what the
# speaker before it said: "X said ... Rafah, where more than 1 million people shelter".
_DESCRIPTION = re.compile(
    r"(?-i:[A-Z][\w'-]*),\s+(?:where|home to|which (?:is|was|has been) home to"
    r"|which (?:houses|hosts|shelters))\b"
    r"|(?-i:[A-Z][\w'-]*),\s+(?:the|a|an)\s+(?:[\w'-]+\s+){0,5}(?:for|of|to|with)\s+\Z",
    re.IGNORECASE,
)
# Up to two plain words between a measure and its number still make them adjacent
# ("killed at least 34,000", "Gaza's estimated 2.3 million").
_ADJACENT_GAP = re.compile(r"\s*(?:[\w'-]+\s+){0,2}")


@dataclass(frozen=True, slots=True)
class _Source:
    start: int  # the phrase, cue included, in sentence coordinates
    end: int
    entity_start: int
    cls: str
    # A headline's trailing credit ("Toll tops 33,000 - ministry") covers the whole line.
    whole_sentence: bool = False


class _Sentence:
    """One sentence with its counts; cue matches are computed once, on demand."""

    def __init__(self, text: str, start: int, end: int, tax: taxonomy.Taxonomy) -> None:
        self.text = text[start:end]
        self.low = self.text.lower()  # for the cue groups' gates only; offsets come from text
        self.offset = start
        self.tax = tax
        self.clauses = self._clause_spans(_CLAUSE_BREAK)
        self.category_clauses = self._clause_spans(_CATEGORY_BREAK)
        self._cache: dict[tuple[str, str], list[tuple[int, int]]] = {}

    def _clause_spans(self, breaks: re.Pattern) -> list[tuple[int, int]]:
        spans, start = [], 0
        # Dashes in pairs set off an aside ("1.4 million people - half of Gaza - are ..."):
        # they break nothing; a lone dash still does.
        dashes = [m.start() for m in _DASH.finditer(self.text)]
        paired = set(dashes[:len(dashes) - len(dashes) % 2])
        for brk in breaks.finditer(self.text):
            if brk.start() in paired or brk.start() + 1 in paired:
                continue
            spans.append((start, brk.start()))
            start = brk.end()
        spans.append((start, len(self.text)))
        return spans

    def clause_of(self, pos: int, clauses: list[tuple[int, int]] | None = None) -> tuple[int, int]:
        clauses = self.clauses if clauses is None else clauses
        for start, end in clauses:
            if pos < end or end == len(self.text):
                return start, end
        return clauses[-1]

    def matches(self, kind: str, name: str) -> list[tuple[int, int]]:
        key = (kind, name)
        if key not in self._cache:
            group = {"strong": self.tax.strong_measures, "weak": self.tax.weak_measures,
                     "side": self.tax.sides, "cue": self.tax.cues}[kind]
            self._cache[key] = [m.span() for m in group[name].finditer(self.text, self.low)]
        return self._cache[key]

    def has(self, name: str, start: int, end: int) -> bool:
        kind = "cue" if name in self.tax.cues else "side"
        return any(s >= start and e <= end for s, e in self.matches(kind, name))

    @cached_property
    def measure_spans(self) -> dict[str, list[tuple[int, int, str]]]:
        """Every measure cue of the sentence, by strength, as (start, end, measure name)."""
        return {strength: [(s, e, name) for name in group for s, e in self.matches(strength, name)]
                for strength, group in (("strong", self.tax.strong_measures),
                                        ("weak", self.tax.weak_measures))}

    @cached_property
    def asides(self) -> list[tuple[int, int]]:
        return [m.span() for m in _ASIDE.finditer(self.text)]

    @cached_property
    def entities(self) -> list[tuple[int, int, str]]:
        return _find_entities(self.text, self.low, self.tax)

    @cached_property
    def sources(self) -> list[_Source]:
        return _find_sources(self.text, self.low, self.tax, self.entities)


def _nearest_measure(sentence: _Sentence, strength: str, start: int, end: int, backwards: bool) -> str:
    """The measure whose cue lies in [start, end) nearest the number ('' when none)."""
    best, best_distance = "", None
    for s, e, name in sentence.measure_spans[strength]:
        if s >= start and e <= end:
            distance = end - e if backwards else s - start
            if best_distance is None or distance < best_distance:
                best, best_distance = name, distance
    return best


def _adjacent_measure(sentence: _Sentence, lead: tuple[int, int]) -> str:
    """A measure of any strength right before the number ("killed 34,097", "Gaza's 2.3 million")."""
    best, best_end = "", -1
    for strength in ("strong", "weak"):
        for s, e, name in sentence.measure_spans[strength]:
            if lead[0] <= s and e <= lead[1] and e > best_end:
                best, best_end = name, e
    if best and _ADJACENT_GAP.fullmatch(sentence.text, best_end, lead[1]):
        return best
    return ""


def _measure(sentence: _Sentence, lead: tuple[int, int], own_near: tuple[int, int],
             own_far: tuple[int, int], inherited: str = "",
             beyond: tuple[int, int] | None = None) -> str:
    # The number's own strong words, then a measure right before it, then the number's own weak
    # words; then the wider words before and after, strong cues before weak ones.
    found = _nearest_measure(sentence, "strong", *own_near, backwards=False)
    if found:
        return found
    found = _adjacent_measure(sentence, lead)
    if found:
        return found
    for strength, (start, end), backwards in (
        ("weak", own_near, False), ("strong", lead, True), ("strong", own_far, False),
        *((("strong", beyond, False),) if beyond else ()),
    ):
        found = _nearest_measure(sentence, strength, start, end, backwards)
        if found:
            return found
    # A number linked to the one before it counts the same thing before any faint cue says else.
    if inherited:
        return inherited
    for strength, (start, end), backwards in (("weak", lead, True), ("weak", own_far, False)):
        found = _nearest_measure(sentence, strength, start, end, backwards)
        if found:
            return found
    return ""


def _nearest_side(sentence: _Sentence, start: int, end: int, count_start: int, count_end: int) -> str:
    best, best_distance = "", None
    for name in sentence.tax.sides:
        for s, e in sentence.matches("side", name):
            if s < start or e > end:
                continue
            if any(a <= s and e <= b and not (a <= count_start < b) for a, b in sentence.asides):
                continue
            distance = count_start - e if e <= count_start else s - count_end
            if best_distance is None or distance < best_distance:
                best, best_distance = name, distance
    return best


def _side(sentence: _Sentence, clause: tuple[int, int], count_start: int, count_end: int,
          noun: str) -> str:
    """The side of a number (the taxonomy's [side_rules]): a place named in its clause decides
    ("500 Palestinians killed in the West Bank since the war in Gaza began"); without a noun of
    its own that places it, only when the clause names no place of the `unless` group. Else the
    side of its noun ("Palestinians"); else the side cue nearest the number, in its clause first,
    then in the whole sentence."""
    rules = sentence.tax.side_rules
    if noun in rules.nouns or not (rules.unless and sentence.has(rules.unless, *clause)):
        for place in rules.places:
            if sentence.has(place, *clause):
                return place
    if noun in rules.nouns:
        return rules.nouns[noun]
    return (_nearest_side(sentence, *clause, count_start, count_end)
            or _nearest_side(sentence, 0, len(sentence.text), count_start, count_end))


def _find_entities(text: str, low: str, tax: taxonomy.Taxonomy) -> list[tuple[int, int, str]]:
    """The source names of the taxonomy in a sentence, as (start, end, class) in text order."""
    entities: list[tuple[int, int, str]] = []
    for cls, pattern in tax.sources.items():
        entities.extend((m.start(), m.end(), cls) for m in pattern.finditer(text, low))
    # Overlapping entities: the longest wins ("Israeli health ministry" over "health ministry").
    entities.sort(key=lambda e: (-(e[1] - e[0]), e[0]))
    kept: list[tuple[int, int, str]] = []
    for entity in entities:
        if all(entity[1] <= k[0] or entity[0] >= k[1] for k in kept):
            kept.append(entity)
    return sorted(kept)


def _find_sources(text: str, low: str, tax: taxonomy.Taxonomy,
                  entities: list[tuple[int, int, str]]) -> list[_Source]:
    kept = list(entities)
    # Every cue-based test below needs a reporting cue nearby: find them once.
    cues = [m.span() for m in tax.reporting.finditer(text, low)]

    def cue_ends_within(start: int, reach: int) -> bool:
        return any(start - reach <= e <= start for _, e in cues)

    def cue_starts_within(end: int, reach: int) -> bool:
        return any(end <= s <= end + reach for s, _ in cues)

    def closing_verb(start: int, end: int) -> re.Match | None:
        """"Dr X, director of al-Shifa hospital, said": an apposition closed by a speech verb
        (", according to" starts another source)."""
        if not cue_starts_within(end, 80) or _WHICH_ASIDE.search(text, 0, start):
            return None
        closing = _CLOSING_CUE.match(text, end)
        verb = tax.reporting.regex.match(text, closing.end()) if closing else None
        return verb if verb and not _PREPOSITIONAL_CUE.match(verb.group(0)) else None

    if tax.named is not None:
        # Named sources outside the lexicon need a cue right beside them, or a count of their
        # own ("By Reuters calculations").
        for m in tax.named.finditer(text):
            if any(m.start() < k[1] and k[0] < m.end() for k in kept):
                continue
            if _OWN_COUNT.match(text, m.end()) or (cue_ends_within(m.start(), 40)
                    and tax.cue_before.search(text[max(0, m.start() - 40):m.start()])) or (
                    cue_starts_within(_past_age(text, m.end()), 30)
                    and tax.beside_after.match(text, _past_age(text, m.end()), min(len(text), m.end() + 40))) or (
                    closing_verb(m.start(), m.end())):
                kept.append((m.start(), m.end(), "other"))
    sources = []
    for start, end, cls in sorted(kept):
        before = (tax.cue_before.search(text[max(0, start - 60):start])
                  if cue_ends_within(start, 60) else None)
        if _LEADING_CREDIT.match(text, end) and not _DIGIT.search(_BRACKETED.sub("", text[:start])):
            # "Health ministry: 112 killed ...": a line that opens with its source.
            sources.append(_Source(start, end, start, cls, whole_sentence=True))
            continue
        own_count = _OWN_COUNT.match(text, end) or (
            _OWN_TOLL.match(text, end) if cls != "other" and _INSTITUTION.search(text, start, end) else None)
        if own_count:
            # "by Israel's count", "UNRWA's figures show", "Reuters calculations".
            sources.append(_Source(start - len(before.group(0)) if before else start,
                                   own_count.end(), start, cls))
            continue
        if (_CREDIT.search(text, 0, start) and not text[end:].strip(" .!?\"'")) or (
                _OPEN_PAREN.search(text, 0, start) and _CLOSE_PAREN.match(text, end)):
            # "(health ministry)" after a number in a fact box credits the whole line.
            sources.append(_Source(start, end, start, cls, whole_sentence=True))
            continue
        if _REFERENCE_NOUN.search(text, start, end):
            # "Israeli tallies", "an AFP tally": the entity reports by itself.
            phrase_start = start - len(before.group(0)) if before else start
            sources.append(_Source(phrase_start, end, start, cls))
            continue
        # "X said the United States has ...": a name after a speech verb that goes on with a
        # verb of its own is the subject of what was said, not the speaker.
        if before and (_PREPOSITIONAL_CUE.match(before.group(0)) or _SPEAKER_END.match(text, end)):
            sources.append(_Source(start - len(before.group(0)), end, start, cls))
            continue
        after_from = _past_age(text, end)
        after = (tax.cue_after.match(text, after_from, min(len(text), after_from + 60))
                 if cue_starts_within(after_from, 60) else None)
        if after and not _PUNCTUATION.search(after.group(0)):
            sources.append(_Source(start, after.end(), start, cls))
            continue
        verb = closing_verb(start, end)
        if verb:
            sources.append(_Source(start, verb.end(), start, cls))
    return sources


def _past_age(text: str, end: int) -> int:
    """Where a name's words go on, past an age set off by commas ("Samir, 38, said")."""
    age = _AGE_GAP.match(text, end)
    return age.end() if age else end


def _is_age(text: str, start: int, end: int, count: numbers.Count) -> bool:
    """An age ("Ahmed, 42,", "children under 18") or a footnote mark ("[3]"), not a count."""
    if count.value > 120:
        return False
    if count.surface.isdigit():
        return (_AGE_BEFORE.search(text, 0, start) is not None and _AGE_AFTER.match(text, end) is not None
                or text[start - 1:start] == "[" and text[end:end + 1] == "]")
    return count.bound in ("<", ">") and _AGE_OF.search(text, 0, start) is not None


def _clip_words(text: str, limit: int) -> str:
    return " ".join(collapse_whitespace(text).split()[:limit])


class _Extraction:
    """Extract the figures of one article."""

    def __init__(self, article: Article, tax: taxonomy.Taxonomy) -> None:
        self.article = article
        self.tax = tax
        self.text = article.text
        self.index = SentenceIndex(self.text)
        self.counts = [c for c in numbers.find_counts(self.text) if not self._in_debris(c)]
        self.counts_by_sentence: dict[int, list[numbers.Count]] = {}
        for count in self.counts:
            i = self.index.index_of(count.number_start)
            if i is not None:
                self.counts_by_sentence.setdefault(i, []).append(count)
        self._sentences: dict[int, _Sentence] = {}
        self._categories: dict[int, list[tuple[numbers.Count, str, str]]] = {}

    def _in_debris(self, count: numbers.Count) -> bool:
        return any(d.start <= count.start < d.end for d in self.article.debris)

    def sentence(self, i: int) -> _Sentence:
        if i not in self._sentences:
            start, end = self.index.spans[i]
            self._sentences[i] = _Sentence(self.text, start, end, self.tax)
        return self._sentences[i]

    def figures(self) -> list[Figure]:
        found: list[Figure] = []
        for i in sorted(self.counts_by_sentence):
            sentence = self.sentence(i)
            for count, category, measure in self._classified(i):
                cls, phrase = self._attribution(i, sentence, count, category, measure)
                found.append(Figure(
                    article_id=self.article.article_id,
                    category=category,
                    value=count.value,
                    bound=count.bound,
                    attribution_class=cls,
                    attribution_text=phrase,
                    sentence=collapse_whitespace(sentence.text),
                    char_start=count.start,
                    char_end=count.end,
                    surface=count.surface,
                ))
        found.sort(key=lambda f: f.char_start)
        return found

    def _classified(self, i: int) -> list[tuple[numbers.Count, str, str]]:
        """The figures of sentence i as (count, category, measure); sources come after, since a
        neighbour's source counts only for a figure of the same category."""
        if i not in self._categories:
            self._categories[i] = self._classify_sentence(i, self.counts_by_sentence.get(i, []))
        return self._categories[i]

    def _classify_sentence(self, i: int, counts: list[numbers.Count]) -> list[tuple[numbers.Count, str, str]]:
        sentence = self.sentence(i)
        base = sentence.offset
        found: list[tuple[numbers.Count, str, str]] = []
        previous_category, previous_measure, previous_linked = "", "", False
        for k, count in enumerate(counts):
            start, end = count.start - base, count.end - base
            if _is_age(sentence.text, start, end, count):
                continue
            clause = sentence.clause_of(start, sentence.category_clauses)
            prev_end = counts[k - 1].end - base if k else 0
            next_start = counts[k + 1].start - base if k + 1 < len(counts) else len(sentence.text)
            lead = (max(clause[0], prev_end, start - LEAD_CHARS), start)
            own_end = min(clause[1], next_start, end + OWN_CHARS)
            stop = _OWN_STOP.search(sentence.text, end, own_end)
            own_near = (end, stop.start() if stop else own_end)
            own_far = (own_near[1], own_end)
            # "including 7,797 children, 4,959 women and 1,924 elderly": a list goes on linking.
            linked = bool(previous_category) and (
                sentence.has("link", lead[0], lead[1])
                or previous_linked and _LIST_ITEM.fullmatch(sentence.text, lead[0], lead[1]) is not None)
            # "188 soldiers ... and 522 since the war began": a number joined by "and" to the
            # figure before it, with nothing of its own to say, counts the same thing.
            joined = (bool(previous_category) and k > 0
                      and _JOINED.search(sentence.text, prev_end, start) is not None
                      and sentence.clause_of(prev_end) == sentence.clause_of(start))
            # A subgroup linked to the figure before it counts what that figure counts
            # ("killed 1,139 people, including 695 civilians").
            # "313 Palestinians, including 20 children, have been killed": the verb comes after a
            # subgroup set off by "including"; it measures the number before it too.
            beyond = ((own_end, clause[1]) if own_end < clause[1]
                      and sentence.has("link", own_near[1], own_end + 1) else None)
            measure = _measure(sentence, lead, own_near, own_far,
                               inherited=previous_measure if linked or joined else "", beyond=beyond)
            if not measure:
                continue
            noun_match = self.tax.head_noun.match(sentence.text, end, own_end)
            noun = noun_match.lastgroup if noun_match else ""
            if joined and not linked and measure == previous_measure and noun not in ("subgroup", "civilians"):
                found.append((count, previous_category, measure))
                continue
            features = {
                "measure": measure,
                "noun": noun,
                "side": _side(sentence, clause, start, end, noun),
                "parent": previous_category if linked else "",
            }
            # Near words: from the last stop before the number to the first after it.
            near_start = lead[0]
            # A fact box's label is the number's near words: "- Population of Gaza: 2.2 million".
            if not _LABEL.search(sentence.text, lead[0], lead[1]):
                for stop_found in _OWN_STOP.finditer(sentence.text, lead[0], lead[1]):
                    near_start = stop_found.end()
            category = self._classify(i, features, count.value, clause, (near_start, own_near[1]))
            if not category or category == "skip":
                continue
            found.append((count, category, measure))
            previous_category, previous_measure, previous_linked = category, measure, linked
        return found

    def _in_clause(self, i: int, cue: str, clause: tuple[int, int]) -> bool:
        """Whether the clause holds the cue, or a word that refers back to it: "sheltering in
        the city" after a sentence about Rafah (the taxonomy's [carry] table)."""
        sentence = self.sentence(i)
        if sentence.has(cue, *clause):
            return True
        carry = self.tax.carry
        if cue not in carry.cues or not carry.anaphors.search(sentence.text, *clause):
            return False
        return any(self.index.span(j) is not None and self.sentence(j).has(cue, 0, len(self.sentence(j).text))
                   for j in range(i - 1, max(-1, i - 1 - carry.sentences), -1))

    def _classify(self, i: int, features: dict[str, str], value: int,
                  clause: tuple[int, int], near: tuple[int, int]) -> str:
        sentence = self.sentence(i)
        for rule in self.tax.rules:
            if rule.measure is not None and features["measure"] not in rule.measure:
                continue
            if rule.noun is not None and features["noun"] not in rule.noun:
                continue
            if rule.side is not None and features["side"] not in rule.side:
                continue
            if rule.parent is not None and features["parent"] not in rule.parent:
                continue
            if rule.min_value is not None and value < rule.min_value:
                continue
            if rule.max_value is not None and value > rule.max_value:
                continue
            if rule.clause_any and not any(self._in_clause(i, c, clause) for c in rule.clause_any):
                continue
            if any(sentence.has(c, *clause) for c in rule.clause_none):
                continue
            if rule.near_any and not any(sentence.has(c, *near) for c in rule.near_any):
                continue
            if any(sentence.has(c, *near) for c in rule.near_none):
                continue
            return rule.category
        return ""

    def _attribution(self, i: int, sentence: _Sentence, count: numbers.Count, category: str,
                     measure: str) -> tuple[str, str]:
        pos = count.start - sentence.offset
        clause = sentence.clause_of(pos)
        description = None
        for found in _DESCRIPTION.finditer(sentence.text, clause[0], pos):
            description = found
        starts = [c.start - sentence.offset for c in self.counts_by_sentence.get(i, [])]
        # A figure inside the description ("Rafah, where up to 1.5 million once sheltered,") is
        # not what a source after it speaks of, when that source has a figure of its own
        # ("..., roughly 65,000 remain, according to UNRWA").
        described_until = _description_end(sentence.text, description, pos) if description else None
        in_clause = [
            s for s in sentence.sources
            if (s.whole_sentence or s.start >= clause[0] and s.end <= clause[1])
            and not (description and s.end <= description.start())
            and not (described_until is not None and s.start >= described_until
                     and any(described_until <= other < s.start for other in starts))
            and _covers(sentence.text, s, pos, count.end - sentence.offset, starts, clause)
        ]
        if in_clause:
            # Nearest phrase first; of two sharing a cue ("Officials in Gaza's health ministry
            # said"), a named class before a catch-all "other".
            source = min(in_clause, key=lambda s: (min(abs(s.start - pos), abs(s.end - pos)),
                                                   s.cls == "other"))
            return source.cls, _clip_words(sentence.text[source.start:source.end], ATTRIBUTION_MAX_WORDS)
        anaphor = _ANAPHOR.search(sentence.text, clause[0], clause[1])
        if anaphor:
            # "The ministry published the names of 6,747 people it said had been killed": the
            # name before the pronoun in the sentence, else in the sentences before.
            named_before = [e for e in sentence.entities if e[1] <= anaphor.start()]
            if named_before:
                start, end, cls = named_before[-1]
                return cls, _clip_words(sentence.text[start:end], ATTRIBUTION_MAX_WORDS)
            earlier = self._earlier_source(i)
            if earlier:
                return earlier
        for j in (i - 1, i + 1):
            neighbour = self._neighbour_source(j, category, count.value)
            if neighbour:
                return neighbour
        return "none", ""

    def _earlier_source(self, i: int) -> tuple[str, str] | None:
        """The last source named in the few sentences before: what "it said" refers to."""
        for j in range(i - 1, max(-1, i - 4), -1):
            if self.index.span(j) is None:
                continue
            other = self.sentence(j)
            if other.entities:
                start, end, cls = other.entities[-1]
                return cls, _clip_words(other.text[start:end], ATTRIBUTION_MAX_WORDS)
        return None

    def _neighbour_source(self, j: int, category: str, value: int) -> tuple[str, str] | None:
        """A source in an adjacent sentence counts only when it speaks of the same figure: the
        same value, a figure of the same category, or no number and a word for "the figure"."""
        if self.index.span(j) is None:
            return None
        other = self.sentence(j)
        own = self._classified(j)
        same_figure = any(c.value == value or cat == category for c, cat, _ in own)
        refers = not self.counts_by_sentence.get(j) and _REFERENCE_NOUN.search(other.text) is not None
        if not (same_figure or refers):
            return None
        # A credit in brackets or after a headline's dash belongs to its own line only.
        sources = [s for s in other.sources if not s.whole_sentence]
        if not sources:
            return None
        return sources[0].cls, _clip_words(other.text[sources[0].start:sources[0].end], ATTRIBUTION_MAX_WORDS)


def _description_end(text: str, description: re.Match, pos: int) -> int | None:
    """Where a ", where ..." description that holds the number ends (its closing comma)."""
    if not description.group(0).rstrip().lower().endswith(("where", "home to", "houses", "hosts", "shelters")):
        return None
    closing = text.find(",", pos)
    return closing if closing != -1 else None


def _covers(text: str, source: _Source, start: int, end: int, starts: list[int],
            clause: tuple[int, int]) -> bool:
    """Whether a source in the number's clause speaks for it.

    A source before the number introduces what follows it ("the ministry says 34,000 ...").
    After the number, a source that closes the clause speaks for every figure before it
    ("..., Israeli officials said"), but one followed by another figure introduces only that
    ("250 hostages, and Israel says 129 remain"), and one followed by a predicate
    ("39 the military says are dead") speaks only for the number right before it."""
    if source.whole_sentence or source.end <= start:
        return True
    if any(source.end <= s < clause[1] and not _PUNCTUATION.search(text, source.end, s) for s in starts):
        return False
    if _PREDICATE.match(text, source.end):
        return _ADJACENT_GAP.fullmatch(text, end, source.start) is not None
    return True


def extract_figures(article: Article, tax: taxonomy.Taxonomy | None = None) -> list[Figure]:
    """Every figure mention in the article, sorted by char_start."""
    if not article.text:
        return []
    return _Extraction(article, tax or taxonomy.default()).figures()
