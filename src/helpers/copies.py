"""Copies and re-translations: article pairs that tell the same story in nearly the same words.

Method (costs grow near-linearly with the corpus, never all pairs):
1. Each article becomes a fingerprint, not kept text: the hashed content words of each sentence
   (lower-cased, function words dropped, plural/-ed/-ing stripped, digits ignored so a re-drawn
   toll does not hide a copy) and a datasketch MinHash of all of them.
2. Blocking: datasketch MinHashLSH, queried before each insert, proposes earlier articles whose
   word sets are alike (Jaccard around LSH_THRESHOLD or more).
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

# --- thresholds, measured on the seeds (002 and its machine re-translation 004; the other eight
# pairs are independent reports of the same meeting or of the next one) and on the synthetic
# corpus of benchmarks (planted rewordings among unrelated articles) ---

# MinHash permutations: Jaccard estimates within about +-0.04 (1/sqrt(128)*0.5), enough to block.
NUM_PERM = 128
# Word-set Jaccard the LSH bands are tuned for. 002/004 have 0.42, independent same-story pairs
# 0.17-0.24; 0.3 keeps the copy well inside the net while most same-story pairs stay out of it.
LSH_THRESHOLD = 0.3
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
# Sentences with fewer content words (datelines, "CNN", "Washington") are left out of matching.
MIN_SENTENCE_WORDS = 4
# Quality: each garbling signal per sentence costs this much on an exponential scale, so one
# signal every five sentences gives exp(-0.8) = 0.45 and a clean text 1.0. Short texts count as
# QUALITY_MIN_SENTENCES long, so one stray signal in a brief does not sink it.
QUALITY_PER_SIGNAL = 4.0
QUALITY_MIN_SENTENCES = 10
# Qualities closer than this do not decide which text is the original (then the date does).
QUALITY_STEP = 0.1

COPY_FIELDS = ("original", "derivative", "similarity", "quality_original", "quality_derivative")

_STOP_WORDS = frozenset(
    "a about after again against all also an and any are as at be been before being between both "
    "but by can could did do does doing during each few for from further had has have having he "
    "her here hers him his how i if in into is it its itself just me more most my no nor not now "
    "of off on once only or other our ours out over own same she should so some such than that "
    "the their theirs them then there these they this those through to too under until up very "
    "was we were what when where which while who whom why will with would you your said says say "
    "told tells also".split()
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_ORPHAN_PUNCTUATION = re.compile(r"[.!?,;:][ \t]+[,;:]|[ \t][,;:.](?=\s|$)")
_QUOTED = re.compile(r'"([^"\n]*)"')
_DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.IGNORECASE)
_DOUBLES_ALLOWED = frozenset({"had", "that", "is", "do", "bye", "no", "very", "many"})
_LOWERCASE_START = re.compile(r"([A-Za-z]*[a-z])[.!?][ \t]+[a-z]")
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
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def content_words(text: str) -> list[str]:
    """Lower-cased, stemmed words of `text` without function words or digits."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP_WORDS and len(w) > 1]


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
    found = [m.group() for m in pattern.finditer(text)]
    by_country: dict[str, set[str]] = {}
    for name in found:
        by_country.setdefault(places[name][0], set()).add(name)
    return [name for name in found
            if places[name][1] == "region" and by_country[places[name][0]] == {name}]


def quality_report(text: str) -> dict[str, int | float]:
    """Counts of each garbling signal in `text`, its sentences, and the resulting quality."""
    spans = split_sentences(text)
    sentences = [text[s:e] for s, e in spans]
    counts: dict[str, int | float] = {
        "sentences": len(sentences),
        "orphan_punctuation": len(_ORPHAN_PUNCTUATION.findall(text)),
        "empty_quotes": sum(1 for body in _QUOTED.findall(text) if not re.search(r"\w", body)),
        "short_sentences": sum(1 for s in sentences
                               if _TERMINAL.search(s) and len(_WORD.findall(s.lower())) < _SHORT_SENTENCE_WORDS),
        "doubled_words": sum(1 for m in _DOUBLED.finditer(text)
                             if m.group(1).lower() not in _DOUBLES_ALLOWED),
        "lowercase_starts": sum(1 for m in _LOWERCASE_START.finditer(text)
                                if len(m.group(1)) > 1 and m.group(1).lower() not in abbreviations()),
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
    words: int  # content words in all sentences
    tokens: np.ndarray  # uint32 word hashes, sentence after sentence, unique within each
    sizes: np.ndarray  # words per sentence (only sentences of MIN_SENTENCE_WORDS or more)


def _hash(word: str) -> int:
    return zlib.crc32(word.encode())


def _fingerprint(article: Article) -> tuple[_Fingerprint, MinHash]:
    text = article.text
    debris = [(d.start, d.end) for d in article.debris]
    sentence_sets: list[list[int]] = []
    every_word: set[int] = set()
    words = 0
    for start, end in split_sentences(text):
        if any(s < end and start < e for s, e in debris):
            continue
        hashes = {_hash(w) for w in content_words(text[start:end])}
        words += len(hashes)
        every_word |= hashes
        if len(hashes) >= MIN_SENTENCE_WORDS:
            sentence_sets.append(sorted(hashes))
    tokens = np.fromiter((h for s in sentence_sets for h in s), dtype=np.uint32)
    sizes = np.fromiter((len(s) for s in sentence_sets), dtype=np.uint32, count=len(sentence_sets))
    signature = MinHash(num_perm=NUM_PERM, hashfunc=int)
    signature.update_batch(every_word)
    fingerprint = _Fingerprint(article.article_id, article.published_date,
                               text_quality(text), words, tokens, sizes)
    return fingerprint, signature


def _incidence(tokens: np.ndarray, sizes: np.ndarray, columns: np.ndarray, width: int) -> np.ndarray:
    matrix = np.zeros((len(sizes), width), dtype=np.float32)
    matrix[np.repeat(np.arange(len(sizes)), sizes), columns] = 1.0
    return matrix


def sentence_alignment(a: _Fingerprint, b: _Fingerprint) -> tuple[int, float]:
    """(sentences of the shorter text with a counterpart in the other, their share of it)."""
    if len(a.sizes) > len(b.sizes):
        a, b = b, a
    if len(a.sizes) == 0:
        return 0, 0.0
    vocabulary, columns = np.unique(np.concatenate([a.tokens, b.tokens]), return_inverse=True)
    split = len(a.tokens)
    in_a = _incidence(a.tokens, a.sizes, columns[:split], len(vocabulary))
    in_b = _incidence(b.tokens, b.sizes, columns[split:], len(vocabulary))
    shared = in_a @ in_b.T
    union = a.sizes[:, None].astype(np.float32) + b.sizes[None, :] - shared
    best = (shared / union).max(axis=1)
    aligned = int((best >= SENTENCE_MATCH).sum())
    return aligned, aligned / len(a.sizes)


def _rank(f: _Fingerprint) -> tuple:
    """Sorts originals first: quality step, known-and-earlier date, longer, smaller id."""
    return (-math.floor(f.quality / QUALITY_STEP + 1e-9), f.published_date or "9999-99-99",
            -f.words, f.article_id)


def find_copies(articles: Iterable[Article]) -> list[CopyPair]:
    """Every pair of articles where one is a copy or re-translation of the other, sorted by
    original then derivative. Articles are read once, as a stream; only fingerprints are kept."""
    index = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    fingerprints: list[_Fingerprint] = []
    pairs: list[CopyPair] = []
    for article in articles:
        fingerprint, signature = _fingerprint(article)
        for key in index.query(signature):
            other = fingerprints[key]
            aligned, share = sentence_alignment(fingerprint, other)
            if aligned >= MIN_ALIGNED_SENTENCES and share >= COPY_MIN_SHARE:
                original, derivative = sorted((fingerprint, other), key=_rank)
                pairs.append(CopyPair(original.article_id, derivative.article_id, round(share, 3),
                                      original.quality, derivative.quality))
        index.insert(len(fingerprints), signature)
        fingerprints.append(fingerprint)
    return sorted(pairs, key=lambda p: (p.original, p.derivative))


def derived_ids(pairs: Iterable[CopyPair]) -> set[str]:
    """Articles that are a derivative in some pair: not independent sources."""
    return {pair.derivative for pair in pairs}

