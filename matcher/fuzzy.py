"""Fuzzy matching of skill names: typos, missing spaces, swapped words.

Scoring every query against all ~110,000 ESCO labels with rapidfuzz costs
about 6 ms a name; a character-trigram index first shortlists the 80 labels
that share the most trigrams with the query (numpy posting lists), and only
those are scored exactly. The exact score is an edit distance, because
recruiters' mistakes are edits:

- scorer: ``rapidfuzz.distance.DamerauLevenshtein`` (a transposition such as
  "pyhton" costs one edit, not two as in Levenshtein or Indel);
- processor: names arrive as :func:`matcher.skills.match_key` keys (case,
  Unicode, US/UK spelling, abbreviations folded); each pair is compared as
  written, with spaces removed ("powerbi") and with words sorted
  ("management project"), and the smallest distance counts;
- cut-off: by length, because one edit in "Java" is another word while one
  edit in "Kubernetes" is a typo: 0 edits up to 3 characters, 1 up to 8,
  2 up to 15, 3 beyond (characters counted without spaces); and in names of
  up to 5 characters the first letter must agree ("exel" is Excel, "Lava" is
  not Java).

Examples
--------
>>> index = FuzzyIndex(["python", "power bi", "kubernetes"])
>>> [h.key for h in index.search("pyhton")]
['python']
>>> index.search("powerbi")[0].distance
0
>>> index.search("jav")
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.fuzz import ratio

__all__ = ["FuzzyHit", "FuzzyIndex", "allowed_edits"]

SHORTLIST = 80
# Trigrams in more than this share of labels say little; they are skipped
# when a query has rarer ones.
COMMON_SHARE = 0.02


def allowed_edits(length: int) -> int:
    """Edits tolerated in a name of ``length`` characters (spaces not counted)."""
    if length <= 3:
        return 0
    if length <= 8:
        return 1
    return 2 if length <= 15 else 3


def _trigrams(text: str) -> set[str]:
    padded = f"^{text.replace(' ', '')}$"
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split(" ")))


@dataclass(frozen=True, slots=True)
class FuzzyHit:
    key: str
    distance: int
    similarity: float


class FuzzyIndex:
    """Trigram shortlist plus edit-distance scoring over a fixed set of keys."""

    def __init__(self, keys: Sequence[str]):
        self.keys = list(keys)
        gram_ids: dict[str, int] = {}
        grams: list[int] = []
        owners: list[int] = []
        sizes = np.zeros(len(self.keys), dtype=np.float32)
        for position, key in enumerate(self.keys):
            found = _trigrams(key)
            sizes[position] = len(found)
            grams.extend(gram_ids.setdefault(g, len(gram_ids)) for g in found)
            owners.extend([position] * len(found))
        # Posting lists as slices of one array sorted by trigram (CSR layout).
        by_gram = np.asarray(grams, dtype=np.int32)
        order = np.argsort(by_gram, kind="stable")
        bounds = np.searchsorted(by_gram[order], np.arange(len(gram_ids) + 1))
        flat = np.asarray(owners, dtype=np.int32)[order]
        self._postings = {g: flat[bounds[i]:bounds[i + 1]] for g, i in gram_ids.items()}
        self._sizes = sizes
        self._common = max(50, int(COMMON_SHARE * len(self.keys)))

    def similar(self, key: str, limit: int = SHORTLIST) -> list[tuple[str, float]]:
        """Keys sharing the most trigrams with ``key`` (Dice), for search-as-you-type."""
        grams = _trigrams(key)
        lists = [self._postings[g] for g in grams if g in self._postings]
        if not lists:
            return []
        positions, shared = np.unique(np.concatenate(lists), return_counts=True)
        dice = 2 * shared / (self._sizes[positions] + len(grams))
        order = np.argsort(-dice, kind="stable")[:limit]
        return [(self.keys[positions[i]], float(dice[i])) for i in order]

    def search(self, key: str) -> list[FuzzyHit]:
        """Keys within the allowed edit distance of ``key``, closest first."""
        return self.search_many([key])[0]

    def search_many(self, keys: Sequence[str]) -> list[list[FuzzyHit]]:
        return [self._search(key) for key in keys]

    def _shortlist(self, key: str) -> np.ndarray:
        """Keys sharing the most trigrams with ``key``, by Dice coefficient."""
        grams = _trigrams(key)
        lists = [self._postings[g] for g in grams if g in self._postings]
        rare = [p for p in lists if len(p) <= self._common]
        chosen = rare if len(rare) >= 2 else lists
        if not chosen:
            return np.empty(0, dtype=np.int32)
        positions, shared = np.unique(np.concatenate(chosen), return_counts=True)
        dice = shared / (self._sizes[positions] + len(grams))
        if len(positions) > SHORTLIST:
            positions = positions[np.argpartition(dice, -SHORTLIST)[-SHORTLIST:]]
        return positions

    def _search(self, key: str) -> list[FuzzyHit]:
        compact = key.replace(" ", "")
        limit = allowed_edits(len(compact))
        if limit == 0:
            return []
        words = _sorted_words(key)
        hits = []
        short = len(compact) <= 5
        for position in self._shortlist(key):
            candidate = self.keys[position]
            if short and candidate[:1] != key[:1]:
                continue
            distance = min(
                DamerauLevenshtein.distance(key, candidate, score_cutoff=limit),
                DamerauLevenshtein.distance(compact, candidate.replace(" ", ""),
                                            score_cutoff=limit),
                DamerauLevenshtein.distance(words, _sorted_words(candidate), score_cutoff=limit),
            )
            if distance <= limit:
                hits.append(FuzzyHit(candidate, distance, ratio(key, candidate) / 100))
        hits.sort(key=lambda h: (h.distance, -h.similarity, h.key))
        return hits
