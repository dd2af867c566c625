"""Regenerate ``graph/data/esco-v1.1.1.json.gz`` from the official ESCO CSV export.

Run from the project root::

    python -m graph.build_esco [--source ../shared/data/esco-v1.1.1]

The output keeps what matching and the skill graph need (every skill with its
labels, type, reuse level and collection flags; skill groups; broader links;
skill-skill relations) in a compact, deterministic gzip (same input, same
bytes). This service uses the ESCO classification of the European Commission
(ESCO v1.1.1); the derived data has been modified (filtered and re-shaped).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["OUTPUT", "build"]

OUTPUT = Path(__file__).resolve().parent / "data" / "esco-v1.1.1.json.gz"
DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco-v1.1.1"
CLASSIFICATION = "esco-v1.1.1-classification-en-csv.zip"
RELATIONS = "esco-v1.1.1-relations-csv.zip"
SKILL_TYPES = {"skill/competence": "skill", "knowledge": "knowledge", "": "skill"}


def _rows(archive: zipfile.ZipFile, name: str) -> Iterator[dict[str, str]]:
    member = next(m for m in archive.namelist() if m.endswith(name))
    with archive.open(member) as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))


def _labels(field: str) -> list[str]:
    """ESCO packs several labels into one field, one per line."""
    return sorted({label.strip() for label in field.split("\n") if label.strip()})


def build(source: Path) -> dict:
    """The derived taxonomy as a JSON-ready dict."""
    with zipfile.ZipFile(source / CLASSIFICATION) as archive:
        digital = {r["conceptUri"] for r in _rows(archive, "digitalSkillsCollection_en.csv")}
        transversal = {r["conceptUri"]
                       for r in _rows(archive, "transversalSkillsCollection_en.csv")}
        skills = sorted(
            [r["conceptUri"], SKILL_TYPES[r["skillType"]], r["reuseLevel"] or None,
             r["preferredLabel"].strip(), _labels(r["altLabels"]), _labels(r["hiddenLabels"]),
             int(r["conceptUri"] in digital) | int(r["conceptUri"] in transversal) << 1]
            for r in _rows(archive, "skills_en.csv")
        )
        groups = sorted([r["conceptUri"], r["preferredLabel"].strip(), r["code"] or None]
                        for r in _rows(archive, "skillGroups_en.csv"))
    with zipfile.ZipFile(source / RELATIONS) as archive:
        broader = sorted({(r["conceptUri"], r["broaderUri"])
                          for r in _rows(archive, "broaderRelationsSkillPillar.csv")})
        related = sorted({(r["originalSkillUri"], r["relatedSkillUri"], r["relationType"])
                          for r in _rows(archive, "skillSkillRelations.csv")})
    return {
        "source": "ESCO v1.1.1 (European Commission), modified: filtered and re-shaped",
        "skill_fields": ["uri", "kind", "reuse_level", "label", "alt_labels", "hidden_labels",
                         "flags (1 digital, 2 transversal)"],
        "skills": skills,
        "groups": groups,
        "broader": [list(pair) for pair in broader],
        "related": [list(link) for link in related],
    }


def write(data: dict, output: Path = OUTPUT) -> None:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                 filename="") as packed:
        packed.write(payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    data = build(args.source)
    write(data, args.output)
    print(f"{args.output}: {len(data['skills'])} skills, {len(data['groups'])} groups, "
          f"{len(data['broader'])} broader links, {len(data['related'])} related links")


if __name__ == "__main__":
    main()
