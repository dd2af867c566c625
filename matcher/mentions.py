"""Finding skill mentions in free text (job descriptions, CV highlights).

Phrase matching, not fuzzy matching: the text is cut into tokens, and the
longest run of tokens whose match key is a skill name wins, left to right,
without overlaps ("machine learning" beats "learning"). Free text is noisier
than a skill field, so fewer names take part: preferred labels, curated
aliases and organization aliases always; ESCO's own alternative labels only
when they have two words or more (its one-word alternatives include common
words); names of one or two characters only when written in capitals in the
text ("R", "C#" yes; "r" in "r&d" no).

Examples
--------
>>> from matcher.model import Skill, SkillSource
>>> from matcher.skills import SkillResolver
>>> resolver = SkillResolver([
...     Skill("ml", "machine learning", source=SkillSource.EXTENSION),
...     Skill("py", "Python", aliases=("python3",), source=SkillSource.EXTENSION)])
>>> finder = MentionFinder(resolver)
>>> [(m.text, m.skill_id) for m in finder.find("Built machine-learning models in Python3.")]
[('machine-learning', 'ml'), ('Python3', 'py')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from matcher.model import Skill, SkillSource
from matcher.skills import SkillResolver, match_key

__all__ = ["Mention", "MentionFinder"]

MAX_WORDS = 6
# A token: letters/digits with inner '.', '+', '#', '-', '/' or '&' (Node.js, C++, CI/CD);
# the alternation keeps a leading '.' for .NET.
_TOKEN = re.compile(r"\.?[\w][\w.+#&/-]*[\w+#]|\.?[\w][+#]*")


@dataclass(frozen=True, slots=True)
class Mention:
    text: str
    start: int
    end: int
    skill_id: str
    label: str


class MentionFinder:
    """Finds mentions of the skills a :class:`SkillResolver` knows."""

    def __init__(self, resolver: SkillResolver, skills: Iterable[Skill] | None = None):
        self.resolver = resolver
        # Which names may be recognised in text; the resolver decides what they mean.
        self._names: dict[str, str] = {}
        for skill in resolver.skills() if skills is None else skills:
            trusted = skill.source is not SkillSource.ESCO
            names = [skill.label, *skill.curated_aliases]
            names += skill.aliases if trusted else [a for a in skill.aliases if " " in a]
            for key in filter(None, map(match_key, names)):
                if key not in self._names:
                    entries = resolver.lookup(key)
                    self._names[key] = entries[0].skill_id if entries else skill.id
        self._short = {k for k in self._names if len(k.replace(" ", "")) <= 2}

    def find(self, text: str) -> list[Mention]:
        """Skill mentions in ``text``, in order, not overlapping."""
        tokens = [(m.group(0).rstrip(".-/&"), m.start()) for m in _TOKEN.finditer(text)]
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            hit = self._longest(text, tokens, i)
            if hit is None:
                i += 1
                continue
            words, skill_id = hit
            start = tokens[i][1]
            last_text, last_start = tokens[i + words - 1]
            end = last_start + len(last_text)
            skill = self.resolver.get(skill_id)
            assert skill is not None
            mentions.append(Mention(text[start:end], start, end, skill_id, skill.label))
            i += words
        return mentions

    def skill_ids(self, text: str) -> list[str]:
        """Distinct skill ids mentioned in ``text``, in order of first mention."""
        return list(dict.fromkeys(m.skill_id for m in self.find(text)))

    def _longest(self, text: str, tokens: list[tuple[str, int]], i: int
                 ) -> tuple[int, str] | None:
        for words in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            phrase_tokens = tokens[i:i + words]
            key = match_key(" ".join(t for t, _ in phrase_tokens).replace("-", " "))
            skill_id = self._names.get(key) or self._names.get(
                match_key(" ".join(t for t, _ in phrase_tokens)))
            if skill_id is None:
                continue
            if key in self._short and not _capitalised(phrase_tokens):
                continue
            return words, skill_id
        return None


def _capitalised(tokens: Iterable[tuple[str, int]]) -> bool:
    return all(any(c.isupper() for c in t) or not any(c.isalpha() for c in t)
               for t, _ in tokens)
