"""The bias audit of NYC Local Law 144 (6 RCNY §5-300, §5-301) and the four-fifths rule.

Definitions (DESIGN.md §7; the rule's wording paraphrased):

- **Sample**: every record given, including records whose category is unknown.
- **Median**: the median score of the *whole* sample; the rule asks for the median of
  "the full sample of applicants", so people of unknown category count towards it.
- **Scoring rate**: share of a category scoring *strictly* above that median (a score equal
  to the median is not above it).
- **Selection rate**: share of a category that was selected (moved forward).
- **Impact ratio**: a category's rate divided by the highest rate of that axis (scoring and
  selection separately). When the highest rate is 0 every ratio is 0/0, undefined: ``None``.
- **Unknown**: a person whose category on an axis is not known (not given, declined, or
  outside the rule's categories) is left out of that axis' categories and counted in its
  ``unknown``; on the intersectional axis a person is unknown when either part is.
- **Share** and **small**: a category's count divided by the number of people with a known
  category on that axis (the data the axis' table is computed from, so a table's shares
  add up to 1); ``small`` when that share is below 2%, which lets an auditor exclude the
  category from the impact ratios (§5-301(d)). A category with nobody is always small.
- **Four-fifths flag**: impact ratio strictly below 0.8 (an undefined ratio is not flagged).

Every category of the rule's tables is listed, in the rule's order, even with count 0
(rates and ratios ``None``), so that tables of different audits line up. Rates, ratios and
thresholds are compared as exact fractions, so 48% / 60% is exactly 0.8 and not flagged.

Examples
--------
The EEOC example of DESIGN.md §7, on the race/ethnicity axis:

>>> def group(race, selected, n=100):
...     return [AuditRecord(float(i), i < selected, None, race) for i in range(n)]
>>> audit = bias_audit(group("White", 60) + group("Black", 45) + group("Hispanic", 48)
...                    + group("Asian", 51))
>>> [(c.category, round(c.selection_impact_ratio, 2), c.below_four_fifths_selection)
...  for c in audit.race_ethnicity.categories if c.count]
[('Hispanic or Latino', 0.8, False), ('White', 1.0, False), ('Black or African American', 0.75, True), ('Asian', 0.85, False)]
>>> audit.sex.unknown, audit.intersectional.unknown
(400, 400)
"""  # noqa: E501

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from matcher.errors import InvalidInput

__all__ = [
    "AUDIT_COLUMNS",
    "AXES",
    "DECLINED",
    "INTERSECTIONAL_CATEGORIES",
    "RACE_ETHNICITY_CATEGORIES",
    "RACE_ETHNICITY_INPUTS",
    "RULE_LABELS",
    "SEX_CATEGORIES",
    "SEX_INPUTS",
    "UNKNOWN_INPUTS",
    "UNKNOWN_ROW",
    "AuditRecord",
    "AxisAudit",
    "BiasAudit",
    "CategoryResult",
    "UnknownCategory",
    "audit_rows",
    "bias_audit",
    "normalise_race_ethnicity",
    "normalise_sex",
]

SEX_CATEGORIES = ("Male", "Female")
HISPANIC = "Hispanic or Latino"
RACE_ETHNICITY_CATEGORIES = (
    HISPANIC, "White", "Black or African American", "Native Hawaiian or Pacific Islander",
    "Asian", "Native American or Alaska Native", "Two or More Races",
)
# The rule's race table prints the races other than Hispanic or Latino with this suffix.
_NOT_HISPANIC = " (Not Hispanic or Latino)"
RULE_LABELS = {r: r if r == HISPANIC else r + _NOT_HISPANIC for r in RACE_ETHNICITY_CATEGORIES}
# (label, sex, race/ethnicity) in the order of the rule's intersectional table: Hispanic or
# Latino by sex, then each other race for men, then each other race for women.
INTERSECTIONAL_CATEGORIES = tuple(
    [(f"{HISPANIC} {sex}", sex, HISPANIC) for sex in SEX_CATEGORIES]
    + [(f"{race} {sex}", sex, race) for sex in SEX_CATEGORIES
       for race in RACE_ETHNICITY_CATEGORIES[1:]]
)
AXES = ("sex", "race_ethnicity", "intersectional")

DECLINED = "declined"
# Inputs meaning "not known": no answer, a declined answer, or (for sex) an answer outside
# the rule's two sex categories; such people are counted as unknown, never guessed.
UNKNOWN_INPUTS = (
    "", DECLINED, "decline to self-identify", "decline to state", "prefer not to say",
    "prefer not to answer", "i do not wish to self-identify", "not disclosed", "unknown",
)
_SEX_OUTSIDE = ("non-binary", "nonbinary")
_SEX = {"male": "Male", "m": "Male", "man": "Male", "female": "Female", "f": "Female",
        "woman": "Female"}
_RACE_SYNONYMS = {  # the first spelling of each is the category itself
    HISPANIC: (HISPANIC, "Hispanic/Latino", "Hispanic", "Latino", "Latina", "Latinx"),
    "White": ("White", "Caucasian"),
    "Black or African American": ("Black or African American", "Black/African American",
                                  "Black", "African American"),
    "Native Hawaiian or Pacific Islander": (
        "Native Hawaiian or Pacific Islander", "Native Hawaiian or Other Pacific Islander",
        "Native Hawaiian/Pacific Islander", "Native Hawaiian/Other Pacific Islander",
        "Native Hawaiian", "Pacific Islander"),
    "Asian": ("Asian",),
    "Native American or Alaska Native": (
        "Native American or Alaska Native", "American Indian or Alaska Native",
        "American Indian or Alaskan Native", "American Indian/Alaska Native",
        "Native American/Alaska Native", "Native American", "American Indian",
        "Alaska Native", "Alaskan Native"),
    "Two or More Races": ("Two or More Races", "2 or More Races", "Two or More",
                          "Multiracial", "Multi-racial"),
}
_RACE = {key.casefold(): race for race, keys in _RACE_SYNONYMS.items() for key in keys}
# Every non-Hispanic spelling may carry the rule's and EEO-1's "(Not Hispanic or Latino)".
_RACE |= {key + _NOT_HISPANIC.casefold(): race for key, race in list(_RACE.items())
          if race != HISPANIC}
# Accepted inputs, for the API's documentation (matching ignores case and spacing).
SEX_INPUTS = (*SEX_CATEGORIES, "M", "F", "man", "woman", *_SEX_OUTSIDE, *UNKNOWN_INPUTS)
RACE_ETHNICITY_INPUTS = (
    *RACE_ETHNICITY_CATEGORIES, *(RULE_LABELS[race] for race in RACE_ETHNICITY_CATEGORIES[1:]),
    *(key for keys in _RACE_SYNONYMS.values() for key in keys[1:]), *UNKNOWN_INPUTS)


class UnknownCategory(InvalidInput):
    """A demographic value that is neither a category, a known spelling, nor "unknown".

    ``field`` is the offending field's path and ``value`` the value as given.
    """

    def __init__(self, field: str, value: object, categories: tuple[str, ...]):
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        message = (f"{shown} is no spelling of the rule's categories ({', '.join(categories)}) "
                   f"nor {DECLINED!r}")
        super().__init__(message, {field: [message]})
        self.field = field
        self.value = value


def _key(value: object, field: str, categories: tuple[str, ...]) -> str | None:
    """The match key of a value (case and spacing folded); ``None`` for ``None``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise UnknownCategory(field, value, categories)
    return " ".join(re.sub(r"\s*/\s*", "/", value).casefold().split())


def normalise_sex(value: object, *, field: str = "sex") -> str | None:
    """The rule's sex category of a self-reported value; ``None`` when unknown.

    The rule's sex categories are EEO-1's Male and Female. Forms often ask the question as
    gender ("man"/"woman") and HR exports often code it "M"/"F"; both are unambiguous and
    read as Male/Female. "Non-binary" is a real answer that is neither category: it counts
    as unknown, as the rule counts people outside its categories, never as a guess.
    Anything else (e.g. "other", "X") raises :class:`UnknownCategory`.

    Examples
    --------
    >>> normalise_sex(" female "), normalise_sex("M"), normalise_sex("Declined")
    ('Female', 'Male', None)
    >>> normalise_sex("robot")
    Traceback (most recent call last):
    ...
    matcher.fairness.UnknownCategory: 'robot' is no spelling of the rule's categories (Male, Female) nor 'declined'
    """  # noqa: E501
    key = _key(value, field, SEX_CATEGORIES)
    if key is None or key in UNKNOWN_INPUTS or key in _SEX_OUTSIDE:
        return None
    if key in _SEX:
        return _SEX[key]
    raise UnknownCategory(field, value, SEX_CATEGORIES)


def normalise_race_ethnicity(value: object, *, field: str = "race_ethnicity") -> str | None:
    """The rule's race/ethnicity category of a self-reported value; ``None`` when unknown.

    Accepts the rule's and the EEO-1 spellings (the races other than Hispanic or Latino with
    or without "(Not Hispanic or Latino)") and common short forms ("Black", "Caucasian",
    "Native American", "Multiracial"; see :data:`RACE_ETHNICITY_INPUTS`). "Other" or "some
    other race" is no category of the rule and is refused, as is anything else.

    Examples
    --------
    >>> normalise_race_ethnicity("Native Hawaiian or Other Pacific Islander")
    'Native Hawaiian or Pacific Islander'
    >>> normalise_race_ethnicity("american indian or alaska native (not hispanic or latino)")
    'Native American or Alaska Native'
    >>> normalise_race_ethnicity(None) is None
    True
    """
    key = _key(value, field, RACE_ETHNICITY_CATEGORIES)
    if key is None or key in UNKNOWN_INPUTS:
        return None
    if key in _RACE:
        return _RACE[key]
    raise UnknownCategory(field, value, RACE_ETHNICITY_CATEGORIES)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One assessed person: the tool's score, whether selected, self-reported categories.

    ``sex`` and ``race_ethnicity`` may be any accepted spelling or ``None`` (unknown).
    """

    score: float
    selected: bool
    sex: str | None = None
    race_ethnicity: str | None = None


@dataclass(frozen=True, slots=True)
class CategoryResult:
    """One row of an axis' table (field order is the CSV column order after ``axis``)."""

    category: str
    count: int
    share: float | None
    scored_above_median: int
    scoring_rate: float | None
    scoring_impact_ratio: float | None
    selected: int
    selection_rate: float | None
    selection_impact_ratio: float | None
    small: bool
    below_four_fifths_scoring: bool
    below_four_fifths_selection: bool

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class AxisAudit:
    """The table of one axis: every category in the rule's order, and the unknowns."""

    axis: str
    sample_size: int
    unknown: int
    median: float | None
    categories: tuple[CategoryResult, ...]

    @property
    def known(self) -> int:
        return self.sample_size - self.unknown

    def category(self, label: str) -> CategoryResult:
        """The row of one category (``KeyError`` for a label not on this axis)."""
        for row in self.categories:
            if row.category == label:
                return row
        raise KeyError(label)

    def as_dict(self) -> dict[str, Any]:
        return {"axis": self.axis, "sample_size": self.sample_size, "unknown": self.unknown,
                "known": self.known, "median": self.median,
                "categories": [row.as_dict() for row in self.categories]}


@dataclass(frozen=True, slots=True)
class BiasAudit:
    """The three tables of an LL144 bias audit and the parameters they were computed with."""

    sample_size: int
    median: float | None
    small_share: float
    four_fifths: float
    exclude_small: bool
    sex: AxisAudit
    race_ethnicity: AxisAudit
    intersectional: AxisAudit

    @property
    def axes(self) -> tuple[AxisAudit, AxisAudit, AxisAudit]:
        return (self.sex, self.race_ethnicity, self.intersectional)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form; floats are not rounded (rounding is for display only)."""
        return {"sample_size": self.sample_size, "median": self.median,
                "small_share": self.small_share, "four_fifths": self.four_fifths,
                "exclude_small": self.exclude_small,
                "axes": {axis.axis: axis.as_dict() for axis in self.axes}}


AUDIT_COLUMNS = ("axis", *CategoryResult.__slots__)
_Memo = dict[tuple[str, object] | None, str | None]
# The category of the per-axis row that ``audit_rows`` adds for people of unknown category.
UNKNOWN_ROW = "Unknown (excluded)"


def bias_audit(records: Iterable[AuditRecord], *, small_share: float = 0.02,
               four_fifths: float = 0.8, exclude_small: bool = False) -> BiasAudit:
    """Compute the LL144 tables (sex, race/ethnicity, intersectional) of some records.

    Parameters
    ----------
    records
        The assessed people; their ``sex``/``race_ethnicity`` are normalised here, so a
        bad value raises :class:`UnknownCategory` with the path ``records.<i>.<field>``.
    small_share
        A category whose share of the axis' known people is below this is ``small``.
    four_fifths
        An impact ratio strictly below this is flagged.
    exclude_small
        The auditor's option of §5-301(d): small categories keep their counts and rates,
        but get no impact ratio and do not set the highest rate the others are divided by.

    Returns
    -------
    BiasAudit
        Empty input gives every count 0 and every median, rate and ratio ``None``.

    Examples
    --------
    Ties at the median are not above it: the median of 1, 2, 2, 3 is 2, so one person of
    four scores above it.

    >>> audit = bias_audit([AuditRecord(s, False, "F", "Asian") for s in (1, 2, 2, 3)])
    >>> audit.median, audit.sex.category("Female").scored_above_median
    (2.0, 1)
    >>> audit.sex.category("Male").count, audit.sex.category("Male").scoring_rate is None
    (0, True)
    """
    small, threshold = _threshold(small_share, "small_share"), _threshold(
        four_fifths, "four_fifths")
    if not isinstance(exclude_small, bool):
        raise InvalidInput("exclude_small must be true or false",
                           {"exclude_small": ["must be true or false"]})
    memo: _Memo = {}
    checked = [_checked(index, record, memo) for index, record in enumerate(records)]
    ordered = sorted(score for score, _, _, _ in checked)
    median = _median(ordered)
    # Above the median <=> above the lower middle score: no score lies strictly between the
    # two middle ones, so this is exact in floats (and equals "> middle" for odd sizes).
    cut = ordered[(len(ordered) - 1) // 2] if ordered else math.inf
    outcomes = [(score > cut, selected) for score, selected, _, _ in checked]
    sexes = [sex for _, _, sex, _ in checked]
    races = [race for _, _, _, race in checked]
    pairs: dict[tuple[str | None, str | None], str] = {
        (sex, race): label for label, sex, race in INTERSECTIONAL_CATEGORIES}
    crossed = [pairs.get((sex, race)) for sex, race in zip(sexes, races, strict=True)]

    def axis(name: str, labels: tuple[str, ...], keys: list[str | None]) -> AxisAudit:
        return _axis(name, labels, keys, outcomes, median, small, threshold, exclude_small)

    return BiasAudit(
        sample_size=len(checked), median=_float(median), small_share=float(small_share),
        four_fifths=float(four_fifths), exclude_small=exclude_small,
        sex=axis("sex", SEX_CATEGORIES, sexes),
        race_ethnicity=axis("race_ethnicity", RACE_ETHNICITY_CATEGORIES, races),
        intersectional=axis("intersectional",
                            tuple(label for label, _, _ in INTERSECTIONAL_CATEGORIES), crossed),
    )


def audit_rows(audit: BiasAudit, *, unknown: bool = True) -> list[dict[str, Any]]:
    """Flat rows with the columns :data:`AUDIT_COLUMNS`, axis by axis, for CSV.

    With ``unknown`` each axis ends with a row :data:`UNKNOWN_ROW` whose ``count`` is the
    axis' number of people of unknown category (the rule asks for it); its other columns
    are ``None``.

    Examples
    --------
    >>> rows = audit_rows(bias_audit([AuditRecord(1.0, True, "Male", None)]))
    >>> [(r["axis"], r["category"], r["count"]) for r in rows if r["axis"] == "sex"]
    [('sex', 'Male', 1), ('sex', 'Female', 0), ('sex', 'Unknown (excluded)', 0)]
    >>> rows[0]["selection_rate"], rows[0]["selection_impact_ratio"], rows[0]["small"]
    (1.0, 1.0, False)
    """
    rows: list[dict[str, Any]] = []
    for axis in audit.axes:
        rows.extend({"axis": axis.axis, **row.as_dict()} for row in axis.categories)
        if unknown:
            rows.append({**dict.fromkeys(AUDIT_COLUMNS), "axis": axis.axis,
                         "category": UNKNOWN_ROW, "count": axis.unknown})
    return rows


def _number(value: object) -> float | None:
    """A finite real number as a float, or ``None`` (bools, NaN, infinities, huge ints)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _threshold(value: object, name: str) -> Fraction:
    """A threshold in [0, 1] as the decimal written: 0.8 is 4/5, not the nearest double."""
    number = _number(value)
    if number is None or not 0 <= number <= 1:
        raise InvalidInput(f"{name} must be a number from 0 to 1",
                           {name: ["must be a number from 0 to 1"]})
    return Fraction(repr(number))


def _checked(index: int, record: AuditRecord, memo: _Memo,
             ) -> tuple[float, bool, str | None, str | None]:
    """A record's score, selection and normalised categories, or ``InvalidInput``."""
    score = _number(record.score)
    if score is None:
        raise InvalidInput("a score must be a finite number",
                           {f"records.{index}.score": ["must be a finite number"]})
    if not isinstance(record.selected, bool):
        raise InvalidInput("selected must be true or false",
                           {f"records.{index}.selected": ["must be true or false"]})
    return (score, record.selected, _category(memo, "sex", record.sex, index),
            _category(memo, "race_ethnicity", record.race_ethnicity, index))


def _category(memo: _Memo, name: str, value: object, index: int) -> str | None:
    """A record's normalised category, remembered per spelling (audits repeat a few)."""
    key = (name, value) if isinstance(value, str | None) else None
    if key not in memo:  # an unremembered or unhashable value is normalised (or refused)
        normalise = normalise_sex if name == "sex" else normalise_race_ethnicity
        category = normalise(value, field=f"records.{index}.{name}")
        if key is not None:
            memo[key] = category
        return category
    return memo[key]


def _median(ordered: list[float]) -> Fraction | None:
    """The exact median of sorted scores (no overflow or rounding before the report)."""
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return (Fraction(ordered[middle - 1]) + Fraction(ordered[middle])) / 2


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _ratios(rates: dict[str, Fraction | None], benchmark: list[str]) -> dict[str, Fraction | None]:
    """Each benchmarked rate over the highest one; ``None`` when that is 0 or absent."""
    best = max((rate for label in benchmark if (rate := rates[label]) is not None),
               default=None)
    return {label: rate / best if best and rate is not None and label in benchmark else None
            for label, rate in rates.items()}


def _axis(name: str, labels: tuple[str, ...], keys: list[str | None],
          outcomes: list[tuple[bool, bool]], median: Fraction | None, small_share: Fraction,
          four_fifths: Fraction, exclude_small: bool) -> AxisAudit:
    """One axis' table from each person's category key (``None``: unknown) and outcomes."""
    tallies = {label: [0, 0, 0] for label in labels}  # count, above the median, selected
    unknown = 0
    for key, (above, selected) in zip(keys, outcomes, strict=True):
        if key is None:
            unknown += 1
            continue
        tally = tallies[key]
        tally[0], tally[1], tally[2] = tally[0] + 1, tally[1] + above, tally[2] + selected
    known = len(keys) - unknown
    small = {label: not n or Fraction(n, known) < small_share
             for label, (n, _, _) in tallies.items()}
    scoring = {label: Fraction(t[1], t[0]) if t[0] else None for label, t in tallies.items()}
    selection = {label: Fraction(t[2], t[0]) if t[0] else None for label, t in tallies.items()}
    benchmark = [label for label in labels
                 if tallies[label][0] and not (exclude_small and small[label])]
    scoring_ratio, selection_ratio = _ratios(scoring, benchmark), _ratios(selection, benchmark)

    def flagged(ratio: Fraction | None) -> bool:
        return ratio is not None and ratio < four_fifths

    rows = tuple(
        CategoryResult(
            category=label, count=n, share=_float(Fraction(n, known)) if known else None,
            scored_above_median=above, scoring_rate=_float(scoring[label]),
            scoring_impact_ratio=_float(scoring_ratio[label]), selected=chosen,
            selection_rate=_float(selection[label]),
            selection_impact_ratio=_float(selection_ratio[label]), small=small[label],
            below_four_fifths_scoring=flagged(scoring_ratio[label]),
            below_four_fifths_selection=flagged(selection_ratio[label]))
        for label, (n, above, chosen) in tallies.items())
    return AxisAudit(axis=name, sample_size=len(keys), unknown=unknown, median=_float(median),
                     categories=rows)
