"""The bundled skill taxonomy: ESCO v1.1.1 plus the extension vocabulary.

Both ship inside the package (``graph/data``), so the service needs neither
``../shared`` nor the network at run time. ESCO concepts keep their URIs as
ids; extension skills are ``custom:<slug>`` and join ESCO through their
declared ``broader`` parents. The extension file may also add curated
aliases to an ESCO concept ("SEO" for "search engine optimisation").

This service uses the ESCO classification of the European Commission
(ESCO v1.1.1); the derived data has been modified (filtered and re-shaped).

Examples
--------
>>> taxonomy = load_taxonomy()
>>> taxonomy.get("http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742").label
'SQL'
>>> len(taxonomy.groups) > 600
True
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from matcher.model import Skill, SkillKind, SkillSource
from matcher.skills import SkillResolver

__all__ = ["DATA_DIR", "Taxonomy", "TaxonomyError", "load_taxonomy", "load_vocabulary",
           "taxonomy_resolver"]

DATA_DIR = Path(__file__).resolve().parent / "data"
ESCO_FILE = DATA_DIR / "esco-v1.1.1.json.gz"
VOCABULARY_FILE = DATA_DIR / "vocabulary.json"
_ESCO_KINDS = {"knowledge": SkillKind.KNOWLEDGE, "skill": SkillKind.SKILL}


class TaxonomyError(ValueError):
    """The bundled data (or an organization's addition) is inconsistent."""


@dataclass(frozen=True)
class Taxonomy:
    """Skills in resolution priority order (extension first), and ESCO's skill groups.

    ``related_types`` maps an ``(a, b)`` pair of an ESCO relation to
    ``essential`` or ``optional``.
    """

    skills: tuple[Skill, ...]
    groups: Mapping[str, str]
    related_types: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {s.id: s for s in self.skills})

    def get(self, skill_id: str) -> Skill | None:
        return self._by_id.get(skill_id)  # type: ignore[attr-defined]

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._by_id  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.skills)


def _esco_skills(data: dict) -> list[Skill]:
    groups = {g[0] for g in data["groups"]}
    broader: dict[str, list[str]] = defaultdict(list)
    filed: dict[str, list[str]] = defaultdict(list)
    for child, parent in data["broader"]:
        (filed if parent in groups else broader)[child].append(parent)
    related: dict[str, list[str]] = defaultdict(list)
    for a, b, _kind in data["related"]:
        related[a].append(b)
        related[b].append(a)
    return [
        Skill(id=uri, label=label, kind=_ESCO_KINDS[kind], aliases=tuple(alt),
              hidden_labels=tuple(hidden), broader=tuple(broader[uri]),
              related=tuple(dict.fromkeys(related[uri])), groups=tuple(filed[uri]),
              source=SkillSource.ESCO, reuse_level=reuse, digital=bool(flags & 1),
              transversal=bool(flags & 2))
        for uri, kind, reuse, label, alt, hidden, flags in data["skills"]
    ]


def load_vocabulary(path: Path = VOCABULARY_FILE) -> list[dict]:
    """The raw extension vocabulary entries."""
    return json.loads(path.read_text("utf-8"))


def _merge(esco: list[Skill], entries: Iterable[dict]) -> list[Skill]:
    by_id = {s.id: s for s in esco}
    extension: list[Skill] = []
    for entry in entries:
        skill_id = entry["id"]
        if not skill_id.startswith("custom:"):
            if skill_id not in by_id:
                raise TaxonomyError(f"vocabulary names unknown ESCO concept {skill_id}")
            concept = by_id[skill_id]
            by_id[skill_id] = replace(concept, curated_aliases=tuple(entry.get("aliases", ())))
            continue
        extension.append(Skill(
            id=skill_id, label=entry["label"], kind=SkillKind(entry.get("kind", "skill")),
            aliases=tuple(entry.get("aliases", ())), broader=tuple(entry.get("broader", ())),
            related=tuple(entry.get("related", ())), source=SkillSource.EXTENSION))
    known = set(by_id) | {s.id for s in extension}
    for skill in extension:
        missing = [p for p in (*skill.broader, *skill.related) if p not in known]
        if missing:
            raise TaxonomyError(f"{skill.id} links to unknown skills {missing}")
    return [*extension, *(by_id[s.id] for s in esco)]


@lru_cache(maxsize=1)
def load_taxonomy(esco_file: Path = ESCO_FILE, vocabulary_file: Path = VOCABULARY_FILE
                  ) -> Taxonomy:
    """ESCO and the extension vocabulary, merged and checked (cached per process)."""
    data = json.loads(gzip.decompress(esco_file.read_bytes()))
    skills = _merge(_esco_skills(data), load_vocabulary(vocabulary_file))
    related_types = {(a, b): kind for a, b, kind in data["related"]}
    return Taxonomy(tuple(skills), {uri: label for uri, label, _code in data["groups"]},
                    related_types)


@lru_cache(maxsize=1)
def taxonomy_resolver() -> SkillResolver:
    """The resolver over the whole bundled taxonomy, built once per process (~2 s).

    Organizations layer their own skills on top with
    :meth:`~matcher.skills.SkillResolver.with_skills`.
    """
    return SkillResolver(load_taxonomy().skills)
