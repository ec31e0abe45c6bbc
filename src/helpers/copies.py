"""Copies and re-translations: article pairs that tell the same story in nearly the same words.

Method (costs grow near-linearly with the corpus, never all pairs):
1. Each article becomes a fingerprint, not kept text: the hashed content words of each sentence
   (lower-cased, function words dropped, plural/-ed/-ing stripped, digits ignored so a re-drawn
   toll does not hide a copy) and a datasketch MinHash of its pairs of neighbouring words.
2. Blocking: datasketch MinHashLSH, queried before each insert, proposes earlier articles whose
   word-pair sets are alike (Jaccard around LSH_THRESHOLD or more); their kept signatures drop
   those whose estimated Jaccard is below MIN_ESTIMATED_JACCARD. Signatures leave out the word
   pairs that COMMON_PAIR_ARTICLES indexed articles already hold (stock phrases), so that the
   candidates per article stay about constant as the corpus grows.
3. Precise score for each proposed pair: the share of the shorter article's sentences that have a
   counterpart in the other (sentence word-set Jaccard >= SENTENCE_MATCH), wherever it stands.
   Matching sentence by sentence is what survives paragraph reordering and machine rewording,
   while two independent reports of one event share only a few quotes and stock phrases.
4. Which is the original: the higher text quality (in steps of QUALITY_STEP, so the order is
   transitive), then the earlier publication date (a known date before an unknown one), then the
   longer text (a derivative trims more often than it adds), then the smaller article id, so the
   answer never depends on input order.

Text quality (`quality_report`, `text_quality`) counts explainable garbling signals per sentence:
orphan punctuation (". ," / " , "), quotes with nothing inside ("."), very short sentences,
doubled words, lower-case sentence starts, misspelled names of officials (helpers.people's fuzzy
match against its alias table) and places out of context (data/places.csv).
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from helpers import people
from helpers.paths import PACKAGE_DATA
from helpers.records import Article
from helpers.sentences import abbreviations, split_sentences

# --- thresholds, measured on the seeds (002 and its machine re-translation 004; the other nine
# pairs are independent reports of the same meeting or of the next one), on our own fixtures and
# on synthetic corpora with planted rewordings ---

# Blocking works on the set of unordered pairs of neighbouring content words ("full-scale
# invasion", "powerful ally"), which re-translation keeps more often than independent reports
# share: on the seeds 002/004 have a pair-set Jaccard of 0.18, the nine independent pairs
# 0.03-0.08 (word sets separate worse: 0.41 against 0.16-0.24).
NUM_PERM = 128
# The pair-set Jaccard the LSH bands are tuned for (datasketch picks 51 bands of 2 rows): a pair
# at 0.18 becomes a candidate with probability 0.8, at 0.07 with 0.2, at 0.02 with 0.02.
LSH_THRESHOLD = 0.15
# Candidates whose signatures estimate a pair-set Jaccard below this are dropped before the
# sentence alignment (128 permutations: a true 0.18 is estimated below 0.08 once in 1,200).
MIN_ESTIMATED_JACCARD = 0.08
# Two sentences correspond when their content-word sets overlap this much (Jaccard). A machine
# re-translation keeps 0.4-0.9 of a sentence's words; two outlets paraphrasing one fact rarely
# reach 0.4 (on the seeds, 13 of 20 sentences of 002 reach it in 004; at most 4 of 17 between
# independent reports, all of them shared quotes).
SENTENCE_MATCH = 0.4
# A pair is a copy when at least this share of the shorter article's sentences correspond: most
# of its text is found again. Seeds: 0.65 for 002/004, at most 0.24 for the others.
COPY_MIN_SHARE = 0.5
# ...and at least this many sentences correspond, so two three-line briefs sharing a quote are not
# called copies.
MIN_ALIGNED_SENTENCES = 3
# An article whose sentences and those of an indexed one correspond at least this much both ways
# is a near duplicate (a syndicated copy): compared, reported, but not indexed itself.
NEAR_DUPLICATE_SHARE = 0.9
# Blocking ignores the word pairs that COMMON_PAIR_ARTICLES indexed articles already hold ("Gaza
# Strip", "health ministry"): they say nothing about copying, and left in they make every article a
# candidate for a fixed share of all the others, so the comparisons grow with the square of the
# corpus. A fixed count, not a share: the larger the corpus, the more pairs count as common, and
# candidates per article stay about constant. A story reworded more than this many times loses
# its own pairs to the count (near duplicates are not indexed, so they do not add to it).
COMMON_PAIR_ARTICLES = 100
# ...but a signature keeps at least this many of the article's rarest pairs.
MIN_SIGNATURE_PAIRS = 20
# Slots of the pair count table (2^23 x 4 bytes = 32 MB).
PAIR_TABLE_BITS = 23
# Sentences with fewer content words (datelines, "CNN", "Washington") are left out of matching.
MIN_SENTENCE_WORDS = 4
# Quality: each garbling signal per sentence costs this much on an exponential scale, so one
# signal every five sentences gives exp(-0.8) = 0.45 and a clean text 1.0. Short texts count as
# QUALITY_MIN_SENTENCES long, so one stray signal in a brief does not sink it.
QUALITY_PER_SIGNAL = 4.0
QUALITY_MIN_SENTENCES = 10
# Qualities in the same step (0.9-1.0, 0.8-0.9, ...) do not decide which text is the original;
# then the date does. Steps, not a margin, so that "ranks before" stays transitive.
QUALITY_STEP = 0.1

COPY_FIELDS = ("original", "derivative", "similarity", "quality_original", "quality_derivative")

_STOP_WORDS = frozenset(
    [
        "a", "about", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as",
        "at", "be", "been", "before", "being", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "during", "each", "few", "for", "from", "further", "had",
        "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
        "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not",
        "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over",
        "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
        "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too",
        "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
        "while", "who", "whom", "why", "will", "with", "would", "you", "your", "said", "says",
        "say", "told", "tells",
    ]
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_ORPHAN_PUNCTUATION = re.compile(r"[.!?,;:][ \t]+[,;:]|[ \t][,;:.](?=\s|$)")
_QUOTED = re.compile(r'"([^"\n]*)"')
_TRAILING_PUNCTUATION = ".,;:!?\"')"
_DOUBLES_ALLOWED = frozenset({"had", "that", "is", "do", "bye", "no", "very", "many"})
_STOP_THEN_LOWERCASE = re.compile(r"[.!?][ \t]+[a-z]")
_WORD_ENDING = re.compile(r"([A-Za-z]+)$")
_SHORT_SENTENCE_WORDS = 4
_TERMINAL = re.compile(r"[.!?][\"')\]]*$")


@dataclass(frozen=True, slots=True)
class CopyPair:
    """`derivative` tells `original`'s story in nearly the same words. `similarity` is the share of
    the shorter text's sentences found again in the other (0-1)."""

    original: str
    derivative: str
    similarity: float
    quality_original: float
    quality_derivative: float


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


@lru_cache(maxsize=1 << 17)
def _word_hash(word: str) -> int:
    """crc32 of the stem of a lower-cased word; 0 for a function word (dropped)."""
    if word in _STOP_WORDS or len(word) < 2:
        return 0
    return zlib.crc32(_stem(word).encode()) or 1


def _word_hashes(text: str) -> list[int]:
    """The content words of `text` (lower-cased, stemmed, without function words or digits) as
    32-bit hashes, the form fingerprints keep."""
    return [h for h in map(_word_hash, _WORD.findall(text.lower())) if h]


# --- text quality ---

@lru_cache(maxsize=1)
def _places() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    path = PACKAGE_DATA / "places.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    if not rows or set(rows[0]) != {"name", "country", "kind"}:
        raise ValueError(f"{path}: needs the columns name,country,kind")
    places = {row["name"]: (row["country"], row["kind"]) for row in rows}
    names = sorted(places, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])"), places


def _misplaced_places(text: str) -> list[str]:
    """Regions whose country the text names nowhere else."""
    pattern, places = _places()
    if not any(name in text for name in places):  # most texts: no regex pass at all
        return []
    found = [m.group() for m in pattern.finditer(text)]
    by_country: dict[str, set[str]] = {}
    for name in found:
        by_country.setdefault(places[name][0], set()).add(name)
    return [name for name in found
            if places[name][1] == "region" and by_country[places[name][0]] == {name}]


def _doubled_words(text: str) -> int:
    """Words written twice in a row ("the the"), apart from ones English doubles ("had had");
    "very, very" has a comma between and is not counted."""
    tokens = text.lower().split()
    return sum(1 for a, b in itertools.pairwise(tokens)
               if a == b.rstrip(_TRAILING_PUNCTUATION) and a.isalpha()
               and a not in _DOUBLES_ALLOWED)


def _lowercase_starts(text: str) -> int:
    """Sentences that start in lower case after a full stop, question or exclamation mark that
    does not end an abbreviation ("U.S. officials", "a.m. on", "approx. 30")."""
    count = 0
    for stop in _STOP_THEN_LOWERCASE.finditer(text):
        word = _WORD_ENDING.search(text, max(0, stop.start() - 30), stop.start())
        if (word and len(word.group(1)) > 1 and not word.group(1)[-1].isupper()
                and text[word.start() - 1:word.start()] != "."
                and word.group(1).lower() not in abbreviations()):
            count += 1
    return count


def quality_report(text: str) -> dict[str, int | float]:
    """Counts of each garbling signal in `text`, its sentences, and the resulting quality."""
    return _quality_report(text, split_sentences(text))


def _quality_report(text: str, spans: list[tuple[int, int]]) -> dict[str, int | float]:
    sentences = [text[s:e] for s, e in spans]
    counts: dict[str, int | float] = {
        "sentences": len(sentences),
        "orphan_punctuation": len(_ORPHAN_PUNCTUATION.findall(text)),
        "empty_quotes": sum(1 for body in _QUOTED.findall(text) if not re.search(r"\w", body)),
        "short_sentences": sum(1 for s in sentences
                               if len(s.split()) < _SHORT_SENTENCE_WORDS and _TERMINAL.search(s)),
        "doubled_words": _doubled_words(text),
        "lowercase_starts": _lowercase_starts(text),
        "misspelled_names": len(people.misspelled_names(text)),
        "misplaced_places": len(_misplaced_places(text)),
    }
    signals = sum(v for k, v in counts.items() if k != "sentences")
    rate = signals / max(len(sentences), QUALITY_MIN_SENTENCES)
    counts["quality"] = round(math.exp(-QUALITY_PER_SIGNAL * rate), 3)
    return counts


def text_quality(text: str) -> float:
    """1.0 for clean text, falling toward 0 as garbling signals per sentence grow."""
    return float(quality_report(text)["quality"])


# --- fingerprints and matching ---

@dataclass(frozen=True, slots=True)
class _Fingerprint:
    article_id: str
    published_date: str
    quality: float
    words: int  # distinct content words, summed over sentences
    tokens: np.ndarray  # uint32 word hashes of every matched sentence, sorted
    owners: np.ndarray  # the sentence each of `tokens` comes from
    sizes: np.ndarray  # distinct words per sentence (sentences of MIN_SENTENCE_WORDS or more)


def _neighbour_pairs(hashes: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """One 32-bit hash per unordered pair of neighbouring words within a sentence."""
    same = sentence[1:] == sentence[:-1]
    first, second = hashes[:-1][same], hashes[1:][same]
    low, high = np.minimum(first, second), np.maximum(first, second)
    return np.unique((low * np.uint64(0x9E3779B1) + high) & np.uint64(0xFFFFFFFF))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """One set of MinHash permutations for every signature (datasketch would draw it each time)."""
    return MinHash(num_perm=NUM_PERM).permutations


def _fingerprint(article: Article) -> tuple[_Fingerprint, np.ndarray]:
    """The article's fingerprint and its neighbouring-word pairs (hashed, distinct)."""
    text = article.text
    spans = split_sentences(text)
    debris = [(d.start, d.end) for d in article.debris]
    sentence_sets: list[set[int]] = []
    every_hash: list[int] = []
    sentence_of: list[int] = []
    words = 0
    for number, (start, end) in enumerate(spans):
        if any(s < end and start < e for s, e in debris):
            continue
        hashes = _word_hashes(text[start:end])
        every_hash += hashes
        sentence_of += [number] * len(hashes)
        distinct = set(hashes)
        words += len(distinct)
        if len(distinct) >= MIN_SENTENCE_WORDS:
            sentence_sets.append(distinct)
    sizes = np.fromiter(map(len, sentence_sets), dtype=np.int32, count=len(sentence_sets))
    tokens = np.fromiter((h for s in sentence_sets for h in s), dtype=np.uint32,
                         count=int(sizes.sum()))
    owners = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    order = np.argsort(tokens, kind="stable")
    pairs = _neighbour_pairs(np.array(every_hash, dtype=np.uint64), np.array(sentence_of))
    quality = float(_quality_report(text, spans)["quality"])
    fingerprint = _Fingerprint(article.article_id, article.published_date, quality, words,
                               tokens[order], owners[order], sizes)
    return fingerprint, pairs


class _PairCounts:
    """In how many indexed articles each neighbouring-word pair occurs (a hashed count table:
    two pairs may share a slot, which can only make a pair look more common)."""

    def __init__(self) -> None:
        self.counts = np.zeros(1 << PAIR_TABLE_BITS, dtype=np.uint32)
        self.mask = np.uint64((1 << PAIR_TABLE_BITS) - 1)

    def distinctive(self, pairs: np.ndarray) -> np.ndarray:
        """The pairs fewer than COMMON_PAIR_ARTICLES indexed articles hold; at least the
        MIN_SIGNATURE_PAIRS rarest, so that no signature is drawn from nothing."""
        counts = self.counts[pairs & self.mask]
        rare = pairs[counts < COMMON_PAIR_ARTICLES]
        if len(rare) >= min(MIN_SIGNATURE_PAIRS, len(pairs)):
            return rare
        return pairs[np.argsort(counts, kind="stable")[:MIN_SIGNATURE_PAIRS]]

    def add(self, pairs: np.ndarray) -> None:
        self.counts[pairs & self.mask] += 1


def _signature(pairs: np.ndarray) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=_permutations(),
                        scheme="affine32")
    signature.update_batch(pairs.tolist())
    return signature


@dataclass(frozen=True, slots=True)
class Alignment:
    """How many sentences of each text have a counterpart in the other."""

    sentences_a: int
    sentences_b: int
    aligned_a: int
    aligned_b: int

    @property
    def share(self) -> float:
        """The share of the shorter text's sentences found again in the other: the similarity."""
        if min(self.sentences_a, self.sentences_b) == 0:
            return 0.0
        if self.sentences_a <= self.sentences_b:
            return self.aligned_a / self.sentences_a
        return self.aligned_b / self.sentences_b

    @property
    def is_copy(self) -> bool:
        aligned = self.aligned_a if self.sentences_a <= self.sentences_b else self.aligned_b
        return aligned >= MIN_ALIGNED_SENTENCES and self.share >= COPY_MIN_SHARE

    @property
    def is_duplicate(self) -> bool:
        """Nearly all sentences of both texts correspond: one may stand for the other."""
        return (self.aligned_a >= NEAR_DUPLICATE_SHARE * self.sentences_a > 0
                and self.aligned_b >= NEAR_DUPLICATE_SHARE * self.sentences_b > 0)


def sentence_alignment(a: _Fingerprint, b: _Fingerprint) -> Alignment:
    """Sentence-by-sentence correspondence of two fingerprints, wherever the sentences stand."""
    n, m = len(a.sizes), len(b.sizes)
    # Every (sentence of a, sentence of b) pair sharing a word, found by binary search in b's
    # sorted hashes and counted into an n x m table of shared words.
    first = np.searchsorted(b.tokens, a.tokens, side="left")
    count = np.searchsorted(b.tokens, a.tokens, side="right") - first
    total = int(count.sum())
    if total == 0:
        return Alignment(n, m, 0, 0)
    run_start = np.repeat(first - (np.cumsum(count) - count), count)
    in_b = b.owners[run_start + np.arange(total)].astype(np.int64)
    in_a = np.repeat(a.owners.astype(np.int64), count)
    shared = np.bincount(in_a * m + in_b, minlength=n * m).reshape(n, m)
    jaccard = shared / (a.sizes[:, None] + b.sizes[None, :] - shared)
    matched = jaccard >= SENTENCE_MATCH
    return Alignment(n, m, int(matched.any(axis=1).sum()), int(matched.any(axis=0).sum()))


def _rank(f: _Fingerprint) -> tuple:
    """Sorts originals first: quality step, known-and-earlier date, longer, smaller id."""
    return (-math.floor(f.quality / QUALITY_STEP + 1e-9), f.published_date or "9999-99-99",
            -f.words, f.article_id)


@lru_cache(maxsize=1)
def _lsh_params() -> tuple[int, int]:
    """(bands, rows per band) datasketch picks for LSH_THRESHOLD, worked out once: it integrates
    the false-positive and false-negative curves numerically, a noticeable cost per index."""
    probe = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return probe.b, probe.r


class _Signatures:
    """The MinHash values of the indexed articles as one growing matrix, to compare many at once."""

    def __init__(self) -> None:
        self.rows = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self.count = 0

    def append(self, signature: MinHash) -> None:
        if self.count == len(self.rows):
            self.rows = np.concatenate([self.rows, np.empty_like(self.rows)])
        self.rows[self.count] = signature.hashvalues
        self.count += 1

    def estimated_jaccard(self, keys: list[int], signature: MinHash) -> np.ndarray:
        return (self.rows[keys] == signature.hashvalues).mean(axis=1)


def find_copies(articles: Iterable[Article]) -> list[CopyPair]:
    """Every measured copy pair, sorted by original then derivative.

    Articles are read once, as a stream, and only fingerprints are kept. Each article is compared
    with the indexed articles the LSH proposes, and every pair that passes is reported, the
    better-ranked text as the original; so the best-ranked article of a group of copies is never
    a derivative. An article that duplicates an indexed one almost sentence for sentence is not
    indexed itself (later copies find the one it duplicates): a story syndicated a thousand times
    costs a thousand comparisons, not half a million."""
    index = MinHashLSH(num_perm=NUM_PERM, params=_lsh_params())
    indexed: list[_Fingerprint] = []
    signatures = _Signatures()
    common = _PairCounts()
    pairs: list[CopyPair] = []
    for article in articles:
        fingerprint, word_pairs = _fingerprint(article)
        if len(fingerprint.sizes) < MIN_ALIGNED_SENTENCES:
            continue  # too short to be or to have a copy; indexing it would only add collisions
        signature = _signature(common.distinctive(word_pairs))
        duplicate = False
        candidates = sorted(index.query(signature))
        if candidates:
            estimates = signatures.estimated_jaccard(candidates, signature)
            candidates = [k for k, e in zip(candidates, estimates) if e >= MIN_ESTIMATED_JACCARD]
        for key in candidates:
            other = indexed[key]
            alignment = sentence_alignment(fingerprint, other)
            if alignment.is_copy:
                original, derivative = sorted((fingerprint, other), key=_rank)
                pairs.append(CopyPair(original.article_id, derivative.article_id,
                                      round(alignment.share, 3), original.quality,
                                      derivative.quality))
                duplicate = duplicate or alignment.is_duplicate
        if not duplicate:
            index.insert(len(indexed), signature)
            signatures.append(signature)
            indexed.append(fingerprint)
            common.add(word_pairs)
    return sorted(pairs, key=lambda p: (p.original, p.derivative))


def derived_ids(pairs: Iterable[CopyPair]) -> set[str]:
    """Articles that are a derivative in some pair: not independent sources."""
    return {pair.derivative for pair in pairs}

