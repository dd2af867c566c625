"""Loading the bundled skill taxonomy into :class:`matcher.model.Skill` values.

The vocabulary ships inside the package (``graph/data``) so that the service
needs neither ``../shared`` nor the network at run time.

Examples
--------
>>> skills = load_vocabulary()
>>> any(s.label == "SQL" for s in skills)
True
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from matcher.model import Skill, SkillKind

__all__ = ["DATA_DIR", "load_vocabulary"]

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def load_vocabulary(path: Path | None = None) -> tuple[Skill, ...]:
    """The extension vocabulary as skills, in file order.

    Parameters
    ----------
    path : Path, optional
        A vocabulary JSON file; defaults to the bundled one.
    """
    entries = json.loads((path or DATA_DIR / "vocabulary.json").read_text("utf-8"))
    return tuple(
        Skill(
            id=entry["id"],
            label=entry["label"],
            kind=SkillKind(entry.get("kind", "skill")),
            aliases=tuple(entry.get("aliases", ())),
            broader=tuple(entry.get("broader", ())),
        )
        for entry in entries
    )
