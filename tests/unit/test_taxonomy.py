"""The bundled taxonomy: complete ESCO data, a consistent extension, a reproducible build."""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from graph import build_esco
from graph.taxonomy import ESCO_FILE, TaxonomyError, _merge, load_taxonomy, load_vocabulary
from matcher.model import Skill, SkillKind, SkillSource

ESCO_PREFIX = "http://data.europa.eu/esco/skill/"


def test_every_esco_skill_is_bundled_with_its_labels_and_links() -> None:
    data = json.loads(gzip.decompress(ESCO_FILE.read_bytes()))
    assert len(data["skills"]) == 13_896
    assert len(data["broader"]) == 20_656
    assert len(data["related"]) == 5_899
    assert {s[1] for s in data["skills"]} == {"skill", "knowledge"}
    assert sum(1 for s in data["skills"] if s[6] & 1) > 1000  # digital collection
    assert sum(1 for s in data["skills"] if s[6] & 2) > 80  # transversal collection
    sql = next(s for s in data["skills"] if s[0].endswith("598de5b0-5b58-4ea7-8058-a4bc4d18c742"))
    assert sql[3] == "SQL"


def test_esco_concepts_load_as_skills_with_links_and_groups() -> None:
    taxonomy = load_taxonomy()
    esco = [s for s in taxonomy.skills if s.source is SkillSource.ESCO]
    assert len(esco) == 13_896
    assert sum(1 for s in esco if s.broader) > 5000
    assert sum(1 for s in esco if s.groups) > 10_000
    assert all(g in taxonomy.groups for s in esco for g in s.groups)
    assert all(b in taxonomy and b not in taxonomy.groups for s in esco for b in s.broader)
    assert {s.kind for s in esco} == {SkillKind.SKILL, SkillKind.KNOWLEDGE}


def test_extension_skills_join_esco_through_existing_concepts() -> None:
    taxonomy = load_taxonomy()
    extension = [s for s in taxonomy.skills if s.source is SkillSource.EXTENSION]
    assert len(extension) >= 150
    for skill in extension:
        assert skill.id.startswith("custom:")
        assert skill.aliases, skill.id
        assert skill.broader, f"{skill.id} has no parent"
        for parent in skill.broader:
            assert parent in taxonomy, (skill.id, parent)
            assert parent not in taxonomy.groups, (skill.id, parent)
        # Every extension skill reaches ESCO within two hops.
        reach = set(skill.broader)
        for parent in skill.broader:
            found = taxonomy.get(parent)
            assert found is not None
            reach.update(found.broader)
        assert any(r.startswith(ESCO_PREFIX) for r in reach), skill.id


def test_vocabulary_augmentations_name_real_esco_concepts() -> None:
    taxonomy = load_taxonomy()
    for entry in load_vocabulary():
        if not entry["id"].startswith("custom:"):
            concept = taxonomy.get(entry["id"])
            assert concept is not None and concept.source is SkillSource.ESCO
            assert concept.label == entry["label"]
            assert tuple(entry["aliases"]) == concept.curated_aliases


def test_broken_vocabulary_links_are_refused() -> None:
    esco = [Skill(ESCO_PREFIX + "x", "X", source=SkillSource.ESCO)]
    with pytest.raises(TaxonomyError):
        _merge(esco, [{"id": "custom:y", "label": "Y", "broader": [ESCO_PREFIX + "nope"]}])
    with pytest.raises(TaxonomyError):
        _merge(esco, [{"id": ESCO_PREFIX + "missing", "label": "M", "aliases": []}])


def _fake_export(folder: Path) -> Path:
    """A two-skill ESCO export with the real file names and columns."""
    def table(rows: list[dict]) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    skills = [{"conceptUri": "u:b", "skillType": "knowledge", "reuseLevel": "cross-sector",
               "preferredLabel": "B", "altLabels": "bee\nB skill", "hiddenLabels": ""},
              {"conceptUri": "u:a", "skillType": "skill/competence", "reuseLevel": "",
               "preferredLabel": " A ", "altLabels": "", "hiddenLabels": "aa"}]
    with zipfile.ZipFile(folder / build_esco.CLASSIFICATION, "w") as z:
        z.writestr("skills_en.csv", table(skills))
        z.writestr("skillGroups_en.csv", table([{"conceptUri": "g:1", "preferredLabel": "G",
                                                 "code": "S1"}]))
        z.writestr("digitalSkillsCollection_en.csv", table([{"conceptUri": "u:a"}]))
        z.writestr("transversalSkillsCollection_en.csv", table([{"conceptUri": "u:b"}]))
    with zipfile.ZipFile(folder / build_esco.RELATIONS, "w") as z:
        z.writestr("broaderRelationsSkillPillar.csv", table(
            [{"conceptUri": "u:a", "broaderUri": "u:b"},
             {"conceptUri": "u:b", "broaderUri": "g:1"}]))
        z.writestr("skillSkillRelations.csv", table(
            [{"originalSkillUri": "u:a", "relatedSkillUri": "u:b", "relationType": "optional"}]))
    return folder


def test_the_build_script_reshapes_the_export_reproducibly(tmp_path: Path) -> None:
    data = build_esco.build(_fake_export(tmp_path))
    assert data["skills"] == [["u:a", "skill", None, "A", [], ["aa"], 1],
                              ["u:b", "knowledge", "cross-sector", "B", ["B skill", "bee"], [], 2]]
    assert data["broader"] == [["u:a", "u:b"], ["u:b", "g:1"]]
    assert data["related"] == [["u:a", "u:b", "optional"]]
    first, second = tmp_path / "one.json.gz", tmp_path / "two.json.gz"
    build_esco.write(data, first)
    build_esco.write(build_esco.build(tmp_path), second)
    assert first.read_bytes() == second.read_bytes()
