"""Finding skill mentions in free text."""

from __future__ import annotations

from graph.taxonomy import taxonomy_resolver
from matcher.mentions import MentionFinder
from matcher.model import Skill, SkillSource
from matcher.skills import SkillResolver

EXT, ESCO = SkillSource.EXTENSION, SkillSource.ESCO


def finder() -> MentionFinder:
    return MentionFinder(SkillResolver([
        Skill("ml", "machine learning", source=EXT),
        Skill("learning", "learning", source=EXT),
        Skill("r", "R", source=EXT),
        Skill("cicd", "CI/CD", source=EXT),
        Skill("node", "Node.js", source=EXT),
        Skill("dotnet", ".NET", source=EXT),
        Skill("esco:comm", "communicate with customers", aliases=("talk", "liaise with clients"),
              source=ESCO),
    ]))


def test_longest_match_wins_and_mentions_do_not_overlap() -> None:
    found = finder().find("Machine learning and continuous learning.")
    assert [(m.text, m.skill_id) for m in found] == [("Machine learning", "ml"),
                                                     ("learning", "learning")]
    text = "Machine learning and continuous learning."
    assert all(text[m.start:m.end] == m.text for m in found)


def test_tokens_with_punctuation_inside_are_kept_whole() -> None:
    ids = finder().skill_ids("Shipped Node.js services on .NET with CI/CD pipelines.")
    assert ids == ["node", "dotnet", "cicd"]


def test_one_letter_names_need_capitals() -> None:
    assert finder().skill_ids("Statistics in R, and r&d budgets") == ["r"]
    assert finder().skill_ids("r is a letter") == []


def test_esco_one_word_alternatives_are_not_recognised_in_text() -> None:
    assert finder().skill_ids("We talk a lot.") == []
    assert finder().skill_ids("You will liaise with clients daily.") == ["esco:comm"]


def test_a_real_job_description() -> None:
    resolver = taxonomy_resolver()
    text = ("Data Analyst: strong SQL and Python, dashboards in Tableau or Power BI, "
            "A/B testing and stakeholder management; Scrum team using Jira.")
    labels = {resolver.get(i).label.casefold() for i in MentionFinder(resolver).skill_ids(text)}
    assert {"sql", "tableau", "power bi", "jira"} <= labels
    assert any("python" in label for label in labels)
