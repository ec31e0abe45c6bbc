"""The officials each article names, with spelling variants merged, and the quotes it reports.

Names are found by a light regex, never a language model: a capitalised name right after a role
("national security adviser Jake Sullivan", "Secretary of State Antony Blinken"), after an
honorific ("Ms. Jean-Pierre", "Maj. Gen. Joseph McGee"), or a name the curated alias table lists
(data/people_aliases.csv: canonical,alias,role). A bare surname ("Netanyahu said") counts only
when the same article names exactly one person with that surname.

Merging: a wrong merge is worse than a missed one. A name merges into a canonical person only when
the table lists it, or when rapidfuzz scores both the whole name and the surname very high against
a listed alias ("Tsashi Hanegbi" -> Tzachi Hanegbi); a surname alone ("Mr. Netanyahu") merges
through a full name in the same article or a surname the table holds once. Names outside the table
are kept as written, never merged with each other.

The finders (`find_mentions`, `find_quotes`) are pure functions of an Article; the table builders
return pandas DataFrames.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process, utils

from helpers.paths import PACKAGE_DATA
from helpers.records import Article
from helpers.sentences import SentenceIndex

ALIASES_PATH = PACKAGE_DATA / "people_aliases.csv"

# A variant merges only when both the whole name and the surname score this much: rapidfuzz
# `fuzz.ratio` on `utils.default_process`ed text (0-100), so "the same surname" up to a letter or
# two. 85 allows about one changed letter in seven: two letters in a 14-letter name ("Tsashi
# Hanegbi" ~ "Tzachi Hanegbi" 85.7, "Brett McGuirk" ~ "Brett McGurk" 96), but not another first
# name ("Rick Scott" ~ "Tim Scott" 73.7, "Joe Biden" ~ "Jill Biden" 73.7) nor another surname
# ("Brett McGuire" ~ "Brett McGurk" 88, but surnames 76.9).
NAME_SCORE_CUTOFF = 85.0
SURNAME_SCORE_CUTOFF = 85.0

# Quotes align when rapidfuzz `token_set_ratio` (which scores a quote inside a longer rendering of
# it as 100) reaches this. Measured on the seeds: one quote re-worded by different outlets or a
# machine translation scored 73-100, different quotes on the same story at most 67; 75 keeps
# a margin above the unrelated ones, at the price of some heavily re-worded renderings.
QUOTE_SCORE_CUTOFF = 75.0
# token_set_ratio gives 100 whenever one side's words are a subset of the other's, so quotes of a
# few words ("no choice") align only when nearly identical as strings.
QUOTE_MIN_WORDS_FOR_TOKEN_SET = 5
SHORT_QUOTE_SCORE_CUTOFF = 90.0

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
# One name word: "Sullivan", "McGurk", "Jean-Pierre", "al-Qudra", "Ben-Gvir".
_WORD = rf"(?:(?:al|el|Al|El)-)?[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)?(?:-[{_UP}]?[{_LOW}]+)*"
_PARTICLE = r"(?:bin|ibn|abu|de|del|der|van|von|da|di|le|la)"
_NAME = rf"{_WORD}(?: (?:[A-Z]\. )?(?:{_PARTICLE} )?{_WORD}){{0,2}}(?: Jr\.)?"
_END = r"(?![\w-])"

# The word a role ends in; what comes before it ("vice", "prime", "national security") is read
# as the role's modifiers.
_ROLE_HEADS = frozenset(
    [
        "president", "minister", "secretary", "secretary-general", "adviser", "advisor",
        "spokesperson", "spokesman", "spokeswoman", "ambassador", "envoy", "chief", "director",
        "leader", "commander", "chairman", "chairwoman", "chair", "senator", "governor", "mayor",
        "general", "coordinator", "king", "queen", "prince", "emir", "speaker", "chancellor",
        "commissioner", "commissioner-general", "negotiator", "deputy", "aide", "counselor",
        "lawmaker", "congressman", "congresswoman", "premier", "diplomat", "administrator",
    ]
)
# Up to three words before the head, on one line: "White House press secretary", "U.S. national
# security adviser". A word ending in a full stop ("told CNN.") ends a sentence, not a role.
_HEAD_WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z-]+(?![\w-])")
_ROLE_MODIFIERS = re.compile(r"(?:(?:[\w'-]+|(?:[A-Z]\.){2,}) ){0,3}$")
# What the head governs: "Secretary of State", "ambassador to Israel", "advisor for Israel,".
_ROLE_OBJECT = re.compile(rf" (?:of|for|to) (?:the )?({_WORD}(?: {_WORD})*)")
# A military rank or a nationality between a role and a name belongs to the role: "Military
# spokesman Rear Admiral Daniel Hagari", "President American Joe Biden" (machine word order).
_RANK = (r"(?:(?:Rear|Vice|Major|Brigadier|Lieutenant) )?"
         r"(?:Admiral|General|Colonel|Captain|Commander|Major|Sergeant|Lieutenant)")
_DEMONYMS = frozenset(
    [
        "American", "Israeli", "Palestinian", "Egyptian", "Qatari", "Iranian", "British", "French",
        "German", "Jordanian", "Lebanese", "Saudi", "Turkish", "Emirati", "Syrian", "Russian",
    ]
)
_NAME_AFTER = re.compile(rf"(, | )((?:{_RANK}|{'|'.join(_DEMONYMS)}) )?({_NAME}){_END}")
_AND_NAME = re.compile(rf",? and ({_NAME}){_END}")
_NAME_WORD = re.compile(rf"(?<![\w-]){_WORD}{_END}")
_WORD_BEFORE = re.compile(rf"({_WORD}) $")
_HONORIFICS = ("Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Maj", "Adm",
               "Capt", "Sgt", "Prof", "Rev", "Amb")
_PERSONAL_TITLES = frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Rev."})
_HONORIFIC_CUE = re.compile(rf"\b((?:(?:{'|'.join(_HONORIFICS)})\. )+)({_NAME}){_END}")

# Transliteration writes one name several ways: "Halevi"/"Halevy", "Netanyahu"/"Netanyahou",
# "Gallant"/"Galant". These spelling pairs are folded before names are compared, so a variant that
# differs only by them is the same name, whatever the fuzzy scores of its letters.
_FOLDS = (("ou", "u"), ("ph", "f"), ("y", "i"))
_DOUBLED = re.compile(r"(.)\1")

# Words a role never starts with; a role keeps what follows the last of them.
_ROLE_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "by", "with", "to", "from", "at", "in", "on", "as",
        "of", "for", "that", "who", "which", "while", "when", "after", "before", "between", "said",
        "says", "told", "tells", "reporters", "included", "including", "includes", "led", "met",
        "was", "were", "is", "are", "has", "had", "have", "also", "both", "among", "its", "his",
        "her", "their",
    ]
)
# Capitalised words that are never part of a person's name; a name is cut where one starts.
_NOT_NAME = frozenset(
    [
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "In", "On", "At", "And", "But",
        "Or", "Of", "For", "To", "By", "With", "From", "This", "That", "These", "Those", "His",
        "Her", "Its", "Their", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December", "President", "Minister", "Secretary",
        "Prime", "Vice", "Ambassador", "General", "Senator", "Governor", "Mayor", "Chief",
        "Director", "Adviser", "Advisor", "Spokesperson", "Spokesman", "Spokeswoman", "Deputy",
        "Official", "Officials", "House", "White", "State", "Department", "United", "States",
        "Nations", "Council", "Security", "Defense", "Forces", "Army", "Ministry", "Office",
        "Administration", "Government", "US", "UN", "CNN", "Reuters", "AP", "AFP", "Admiral",
        "Colonel", "Captain", "Commander", "Major", "Sergeant", "Lieutenant", "Brigadier", "Rear",
        *_DEMONYMS,
    ]
)
# A line with no closing stop, most of whose long words are capitalised, is a headline ("Officials
# Meet With Israeli Officials"): its capitals say nothing about names.
_TITLE_CASE_SHARE = 0.8
# A surname used for an institution ("the Biden administration") names no one.
_INSTITUTION_AFTER = re.compile(
    r"(?:'s?)? (?:administration|admin|government|campaign|cabinet|team)\b", re.IGNORECASE)
_SPEECH_VERB = re.compile(
    r"\b(?:said|says|told|tells|added|adds|noted|stated|wrote|continued|explained|warned|"
    r"insisted|argued|asked|replied|declared|stressed|emphasized|acknowledged|confirmed|"
    r"reiterated|repeated|recalled|posted|tweeted)\b"
)
_PRONOUN_SPEAKER = re.compile(r"^\W*(?:(?:he|she) \w+|\w+ (?:he|she))\b", re.IGNORECASE)
_QUOTE = re.compile(r'"([^"\n]+)"')
# How far a speaker may sit from the verb that ties it to a quote ("Jean-Pierre said", "said Ms.
# Jean-Pierre", "White House press secretary Karine Jean-Pierre said Monday").
_SPEAKER_VERB_GAP = 40


@dataclass(frozen=True, slots=True)
class Mention:
    """One place an article names a person. `match` says how `person` was decided:
    `table` (listed alias), `fuzzy` (close variant of a listed alias), `article` (surname of a
    person the article names in full), or `as_written` (no merge)."""

    article_id: str
    person: str
    surface: str
    role: str
    start: int
    end: int
    match: str


@dataclass(frozen=True, slots=True)
class Quote:
    """Text between straight double quotes, and who said it ("" when the text does not say)."""

    article_id: str
    speaker: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class AliasTable:
    canonical_of: dict[str, str]  # processed alias -> canonical name
    aliases: tuple[str, ...]  # processed aliases, for fuzzy search
    surname_of: dict[str, str]  # processed alias -> its processed surname
    role_of: dict[str, str]  # canonical name -> role
    surname_owner: dict[str, str]  # processed surname -> canonical, only when one person has it
    pattern: re.Pattern  # every alias as written, longest first
    canonical_of_folded: dict[str, str]  # folded alias -> canonical, when only one person has it


def _process(name: str) -> str:
    return utils.default_process(name)


def _fold(key: str) -> str:
    """A processed name with transliteration's spelling pairs folded: "herzi halevy" and
    "herzi halevi" both give "herzi halevi"; doubled letters become one."""
    for written, folded in _FOLDS:
        key = key.replace(written, folded)
    return _DOUBLED.sub(r"\1", key)


def _surname_key(name: str) -> str:
    """The last word of a name as written, processed: "Karine Jean-Pierre" -> "jean pierre"."""
    words = name.split()
    if len(words) > 1 and words[-1] == "Jr.":
        words = words[:-1]
    return _process(words[-1]) if words else ""


def read_aliases(path: str | Path = ALIASES_PATH) -> AliasTable:
    """The curated alias table; an error names the file and line of a malformed row."""
    path = Path(path)
    canonical_of: dict[str, str] = {}
    surname_of: dict[str, str] = {}
    role_of: dict[str, str] = {}
    surname_people: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"canonical", "alias", "role"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        written = []
        for line, row in enumerate(reader, start=2):
            canonical, alias = (row["canonical"] or "").strip(), (row["alias"] or "").strip()
            if not canonical or len(alias.split()) < 2:
                raise ValueError(f"{path}:{line}: needs a canonical name and a full-name alias")
            key = _process(alias)
            if canonical_of.get(key, canonical) != canonical:
                raise ValueError(f"{path}:{line}: alias {alias!r} already belongs to "
                                 f"{canonical_of[key]!r}")
            canonical_of[key] = canonical
            surname_of[key] = _surname_key(alias)
            role_of.setdefault(canonical, (row["role"] or "").strip())
            surname_people[surname_of[key]].add(canonical)
            written.append(alias)
    owners = {s: next(iter(people)) for s, people in surname_people.items() if len(people) == 1}
    # Longest first, so "Joseph R. Biden Jr." wins over "Joseph R. Biden".
    alternatives = "|".join(re.escape(a) for a in sorted(set(written), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives}){_END}")
    folded_people: dict[str, set[str]] = defaultdict(set)
    for key, canonical in canonical_of.items():
        folded_people[_fold(key)].add(canonical)
    folded = {f: next(iter(people)) for f, people in folded_people.items() if len(people) == 1}
    return AliasTable(canonical_of, tuple(canonical_of), surname_of, role_of, owners, pattern,
                      folded)


@lru_cache(maxsize=1)
def default_aliases() -> AliasTable:
    return read_aliases(ALIASES_PATH)


def match_table(name: str, table: AliasTable) -> tuple[str, str] | None:
    """(canonical, "table" | "fuzzy") for a full name the alias table knows, else None."""
    key = _process(name)
    if key in table.canonical_of:
        return table.canonical_of[key], "table"
    if len(name.split()) < 2:
        return None
    if _fold(key) in table.canonical_of_folded:
        return table.canonical_of_folded[_fold(key)], "fuzzy"
    # processor=None: `key` and the aliases are already `utils.default_process`ed, once.
    best = process.extractOne(key, table.aliases, scorer=fuzz.ratio, processor=None,
                              score_cutoff=NAME_SCORE_CUTOFF)
    if best is None:
        return None
    alias = best[0]
    surname_score = fuzz.ratio(_fold(_surname_key(name)), _fold(table.surname_of[alias]),
                               processor=None)
    if surname_score < SURNAME_SCORE_CUTOFF:
        return None
    return table.canonical_of[alias], "fuzzy"


def _clean_name(name: str) -> str:
    """The name cut before the first word that is never part of a name; "" if nothing is left."""
    words = name.split(" ")
    for i, word in enumerate(words):
        if word in _NOT_NAME:
            return " ".join(words[:i])
    return name


def _clean_role(role: str) -> str:
    """The role from after its last stop word: "included strategic affairs minister" ->
    "strategic affairs minister"; a dash or other word without letters before it is dropped."""
    words = role.split(" ")
    while len(words) > 1 and not any(c.isalpha() for c in words[0]):
        words = words[1:]
    for i in range(len(words) - 2, -1, -1):
        if words[i].lower() in _ROLE_STOP:
            return " ".join(words[i + 1:])
    return " ".join(words)


def _is_role_head(word: str) -> bool:
    word = word.lower()
    return word in _ROLE_HEADS or (word.endswith("s") and word[:-1] in _ROLE_HEADS)


@dataclass(frozen=True, slots=True)
class _Raw:
    name: str
    role: str
    start: int
    end: int
    surface_start: int  # where the surface begins: the honorific, or the name itself


def _is_title_case(line: str) -> bool:
    if re.search(r"[.!?][\"')]*\s*$", line):
        return False
    words = re.findall(r"[A-Za-z]{4,}", line)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= _TITLE_CASE_SHARE * len(words)


def _role_heads(text: str) -> Iterator[re.Match]:
    """Role head words in text order. str.find on the lower-cased text first: a regex of all
    heads tried at every position costs several times more on a long article."""
    lowered = text.lower()
    starts = set()
    for head in _ROLE_HEADS:
        at = lowered.find(head)
        while at != -1:
            starts.add(at)
            at = lowered.find(head, at + 1)
    for start in sorted(starts):
        word = _HEAD_WORD.match(text, start)
        if word and _is_role_head(word.group()):
            yield word


def _role_cued(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    for head in _role_heads(text):
        at = head.end()
        obj = _ROLE_OBJECT.match(text, at)
        after = _NAME_AFTER.match(text, obj.end() if obj else at)
        if not obj and not after:
            continue
        line_start = text.rfind("\n", 0, head.start()) + 1
        line_end = text.find("\n", at) % (len(text) + 1)
        if _is_title_case(text[line_start:line_end]):
            continue
        modifiers = _ROLE_MODIFIERS.search(text, max(line_start, head.start() - 60), head.start())
        role = _clean_role(text[modifiers.start():at])
        if obj and not (after and after.group(1) == ", "):
            # "Secretary of State Antony Blinken": the name is the last two words of the run.
            words = list(re.finditer(r"\S+", obj.group(1)))
            if len(words) < 2:
                continue
            split = obj.start(1) + words[-2 if len(words) >= 3 else -1].start()
            role += text[at:split].rstrip()
            name_start, name = split, _clean_name(text[split:obj.end(1)])
        else:
            if obj:
                role += text[at:obj.end()]
            name_start, name = after.start(3), _clean_name(after.group(3))
            # One word after a comma ("leader, Hamas") is not a name we can trust.
            if " " not in name and after.group(1) == ", ":
                continue
            role = _with_prefix(role, after.group(2))
        if not name:
            continue
        found.append(_Raw(name, role, name_start, name_start + len(name), name_start))
        # "former presidents Barack Obama and Bill Clinton" share the role; "Defence Minister
        # Yoav Gallant and Benny Gantz" do not: a singular role is the first name's alone.
        plural = head.group().lower() not in _ROLE_HEADS
        found += _and_names(text, name_start + len(name), role if plural else "")
    return found


def _with_prefix(role: str, prefix: str | None) -> str:
    """The role with the rank or nationality written between it and the name: "spokesman" and
    "Rear Admiral" -> "spokesman Rear Admiral"; "President" and "American" -> "American
    President"."""
    if not prefix:
        return role
    prefix = prefix.strip()
    return f"{prefix} {role}" if prefix in _DEMONYMS else f"{role} {prefix}"


def _and_names(text: str, at: int, role: str) -> list[_Raw]:
    """More names after "and": "Barack Obama and Bill Clinton", with `role` ("" if not shared)."""
    more = _AND_NAME.match(text, at)
    if not more or _clean_name(more.group(1)) != more.group(1) or " " not in more.group(1):
        return []
    following = text[more.end(1):more.end(1) + 30].split()
    if following and _is_role_head(following[0].strip(",.")):
        return []  # "and Strategic Affairs Minister Ron Dermer": a role, not a name
    return [_Raw(more.group(1), role, more.start(1), more.end(1), more.start(1))]


def _honorific_cued(text: str) -> list[_Raw]:
    found = []
    for m in _HONORIFIC_CUE.finditer(text):
        name = _clean_name(m.group(2))
        if name:
            titles = [t for t in m.group(1).split() if t not in _PERSONAL_TITLES]
            start = m.start(2)
            found.append(_Raw(name, " ".join(titles), start, start + len(name), m.start()))
    return found


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_mentions(article: Article, table: AliasTable | None = None) -> list[Mention]:
    """Every mention of a person in `article`, in text order, with the person it resolves to."""
    table = table or default_aliases()
    text = article.text
    raws: list[_Raw] = []
    for raw in _role_cued(text) + _honorific_cued(text) + [
        _Raw(m.group(), "", m.start(), m.end(), m.start()) for m in table.pattern.finditer(text)
    ] + [_Raw(text[start:end], "", start, end, start) for start, end, _ in _variants(text, table)]:
        if not _overlaps(raw.surface_start, raw.end, [(r.surface_start, r.end) for r in raws]):
            raws.append(raw)

    # Full names first: they decide whom a bare surname in this article means.
    people_by_surname: dict[str, set[str]] = defaultdict(set)
    resolved: dict[int, tuple[str, str]] = {}
    for i, raw in enumerate(raws):
        if " " in raw.name:
            person, how = match_table(raw.name, table) or (raw.name, "as_written")
            resolved[i] = (person, how)
            people_by_surname[_surname_key(raw.name)].add(person)
            people_by_surname[_surname_key(person)].add(person)
    for i, raw in enumerate(raws):
        if i in resolved:
            continue
        key = _process(raw.name)
        in_article = people_by_surname.get(key, set())
        if len(in_article) == 1:
            resolved[i] = (next(iter(in_article)), "article")
        elif not in_article and key in table.surname_owner:
            resolved[i] = (table.surname_owner[key], "table")
        elif not in_article:
            resolved[i] = (raw.name, "as_written")

    mentions = [
        Mention(article.article_id, person, text[raw.surface_start:raw.end],
                raw.role or table.role_of.get(person, ""), raw.surface_start, raw.end, how)
        for i, raw in enumerate(raws) if i in resolved for person, how in [resolved[i]]
    ]
    mentions += _bare_surnames(article, mentions, people_by_surname, table)
    return sorted(mentions, key=lambda m: m.start)


def _bare_surnames(article: Article, named: list[Mention],
                   people_by_surname: dict[str, set[str]], table: AliasTable) -> list[Mention]:
    """Surnames standing alone ("Kirby said", "Mr." aside): of the one person this article names
    in full with that surname, else of the one person the table has with it, unless the article
    also writes that surname after another first name ("Hunter Biden")."""
    owner_of = {key: next(iter(people)) for key, people in people_by_surname.items()
                if len(people) == 1}
    taken = [(m.start, m.end) for m in named]
    text = article.text
    found: list[Mention] = []
    contradicted: set[str] = set()
    for m in _NAME_WORD.finditer(text):
        key = _process(m.group())
        if key in owner_of:
            person, how = owner_of[key], "article"
        elif key in table.surname_owner and key not in people_by_surname:
            person, how = table.surname_owner[key], "table"
            before = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
            if before and before.group(1) not in _NOT_NAME:
                contradicted.add(key)
        else:
            continue
        if _overlaps(m.start(), m.end(), taken) or _INSTITUTION_AFTER.match(text, m.end()):
            continue
        found.append(Mention(article.article_id, person, m.group(), "", m.start(), m.end(), how))
    return [m for m in found if not (m.match == "table" and _process(m.surface) in contradicted)]


def _variants(text: str, table: AliasTable) -> Iterator[tuple[int, int, str]]:
    """(start, end, canonical) of every two-word name in `text` that is a close variant of a
    listed alias but not itself listed: "Tsashi Hanegbi" -> "Tzachi Hanegbi". Any two capitalised
    words in a row are tried (cheaper than the role cues, and the fuzzy rule is strict enough
    that "Gaza City" matches no one)."""
    words = list(_NAME_WORD.finditer(text))
    for a, b in itertools.pairwise(words):
        if b.start() == a.end() + 1:
            hit = match_table(text[a.start():b.end()], table)
            if hit and hit[1] == "fuzzy":
                yield a.start(), b.end(), hit[0]


def misspelled_names(text: str, table: AliasTable | None = None) -> list[tuple[str, str]]:
    """(as written, canonical) for each distinct variant name `_variants` finds, sorted."""
    table = table or default_aliases()
    return sorted({(text[start:end], canonical)
                   for start, end, canonical in _variants(text, table)})


PEOPLE_COLUMNS = ("article_id", "person", "surface", "role", "count")


def people_table(articles: Iterable[Article], table: AliasTable | None = None) -> pd.DataFrame:
    """One row per (article, person, surface as written), with the role the article first gives
    the person (else the table's) and how often that surface occurs."""
    table = table or default_aliases()
    rows = []
    for article in articles:
        mentions = find_mentions(article, table)
        role_of_person: dict[str, str] = {}
        for m in mentions:
            if m.role:
                role_of_person.setdefault(m.person, m.role)
        counts = Counter((m.person, m.surface) for m in mentions)
        for (person, surface), count in counts.items():
            role = role_of_person.get(person) or table.role_of.get(person, "")
            rows.append((article.article_id, person, surface, role, count))
    frame = pd.DataFrame(rows, columns=list(PEOPLE_COLUMNS))
    frame = frame.astype({c: "string" for c in PEOPLE_COLUMNS[:-1]} | {"count": "int64"})
    return frame.sort_values(["article_id", "person", "surface"], ignore_index=True)


def outlet_by_person(people: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """How many articles of each outlet (columns) name each person (rows), most named first.
    `people` is a `people_table`; `articles` has article_id and outlet (an articles table)."""
    named = people[["article_id", "person"]].drop_duplicates()
    joined = named.merge(articles[["article_id", "outlet"]], on="article_id", how="left")
    joined["outlet"] = joined["outlet"].fillna("").replace("", "(unknown outlet)")
    counts = pd.crosstab(joined["person"], joined["outlet"])
    counts.columns.name = None
    order = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return counts.loc[order]


def find_quotes(article: Article, table: AliasTable | None = None) -> list[Quote]:
    """Every double-quoted passage in `article`, with its speaker where the text ties one to it:
    "..., X said" / "said X" after the quote, "X said ..." / "X said:" before it; "he said" goes to
    the person the previous sentence has speaking; an unattributed quote continues the speaker of
    the quote before it in the same paragraph."""
    text = article.text
    mentions = find_mentions(article, table)
    index = SentenceIndex(text)
    quotes: list[Quote] = []
    for m in _QUOTE.finditer(text):
        body = m.group(1).strip().rstrip(",").strip()
        if not re.search(r"\w", body):
            continue
        sentence = index.index_of(m.start(1))
        sentence_start = index.spans[sentence][0] if sentence is not None else m.start()
        closing = index.index_of(m.end() - 1)
        after_end = index.spans[closing][1] if closing is not None else m.end()
        next_quote = text.find('"', m.end())
        if next_quote != -1:
            after_end = min(after_end, next_quote)
        speaker = _speaker_in(text, mentions, m.end(), after_end, first=True)
        if speaker is None:
            speaker = _speaker_in(text, mentions, sentence_start, m.start(), first=False)
        if speaker is None and _PRONOUN_SPEAKER.match(text[m.end():after_end]) and sentence:
            previous_start = index.spans[sentence - 1][0]
            speaker = _speaker_in(text, mentions, previous_start, m.start(), first=False)
        if speaker is None and quotes and "\n" not in text[quotes[-1].end:m.start()]:
            speaker = quotes[-1].speaker
        quotes.append(Quote(article.article_id, speaker or "", body, m.start(1), m.end(1)))
    return quotes


def _speaker_in(text: str, mentions: list[Mention], lo: int, hi: int, first: bool) -> str | None:
    """The first (or last) person mentioned in text[lo:hi] with a speech verb within reach."""
    tied = [
        m.person for m in mentions
        if lo <= m.start and m.end <= hi and _SPEECH_VERB.search(
            text, max(lo, m.start - _SPEAKER_VERB_GAP), min(hi, m.end + _SPEAKER_VERB_GAP))
    ]
    if not tied:
        return None
    return tied[0] if first else tied[-1]


ALIGNED_COLUMNS = ("group", "article_id", "speaker", "text", "score")


def _quote_score(a: str, b: str, **_: object) -> float:
    if min(len(a.split()), len(b.split())) < QUOTE_MIN_WORDS_FOR_TOKEN_SET:
        score = fuzz.ratio(a, b, processor=utils.default_process)
        return score if score >= SHORT_QUOTE_SCORE_CUTOFF else 0.0
    return fuzz.token_set_ratio(a, b, processor=utils.default_process)


def align_quotes(quotes: Iterable[Quote]) -> pd.DataFrame:
    """The same quote as reported by several articles, side by side: one row per quote in a group
    of quotes from at least two articles. A group is led by the first quote of it (in article
    order); `score` is each quote's match to that one (100 for itself). A quote that joins two
    passages one outlet quoted apart sits in both groups. Pivot `group` x `article_id` to get one
    column per article."""
    quotes = sorted(quotes, key=lambda q: (q.article_id, q.start))
    leaders: list[str] = []
    members: list[list[tuple[Quote, float]]] = []
    for quote in quotes:
        matches = process.extract(quote.text, leaders, scorer=_quote_score, processor=None,
                                  score_cutoff=QUOTE_SCORE_CUTOFF, limit=None)
        for _, score, group in matches:
            members[group].append((quote, score))
        if not matches:
            leaders.append(quote.text)
            members.append([(quote, 100.0)])
    rows = []
    for group_members in (g for g in members if len({q.article_id for q, _ in g}) > 1):
        group = rows[-1][0] + 1 if rows else 0
        rows += [(group, q.article_id, q.speaker, q.text, float(score))
                 for q, score in group_members]
    frame = pd.DataFrame(rows, columns=list(ALIGNED_COLUMNS))
    return frame.astype({"group": "int64", "article_id": "string", "speaker": "string",
                         "text": "string", "score": "float64"})
