"""The LL144 bias audit of matcher.fairness: worked examples, definitions and properties.

The worked examples are the EEOC four-fifths example of DESIGN.md §7 and the examples of
the NYC DCWP rule (6 RCNY §5-301): its selection example in full, and its scoring example's
sex table and the five race rows the stored copy of the rule shows.
"""

from __future__ import annotations

import json
import math
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.errors import InvalidInput
from matcher.fairness import (
    AUDIT_COLUMNS,
    INTERSECTIONAL_CATEGORIES,
    RACE_ETHNICITY_CATEGORIES,
    RACE_ETHNICITY_INPUTS,
    RULE_LABELS,
    SEX_CATEGORIES,
    SEX_INPUTS,
    UNKNOWN_ROW,
    AuditRecord,
    BiasAudit,
    UnknownCategory,
    audit_rows,
    bias_audit,
    normalise_race_ethnicity,
    normalise_sex,
)

HISPANIC, WHITE, BLACK, NHPI, ASIAN, NAAN, TWO = RACE_ETHNICITY_CATEGORIES


def printed(value: float, places: int) -> float:
    """A number as the rule's tables print it (half up, not Python's half to even)."""
    exponent = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP))


def people(n: int, *, selected: int = 0, sex: str | None = None, race: str | None = None,
           score: float = 0.0) -> list[AuditRecord]:
    """``n`` records of one category, the first ``selected`` of them selected."""
    return [AuditRecord(score, i < selected, sex, race) for i in range(n)]


def with_margins(chosen: bool, sexes: dict[str, int], races: dict[str, int],
                 score: float = 0.0) -> list[AuditRecord]:
    """Records of one outcome whose sex counts and race counts are the given margins."""
    sex_seq = [sex for sex, n in sexes.items() for _ in range(n)]
    race_seq = [race for race, n in races.items() for _ in range(n)]
    assert len(sex_seq) == len(race_seq)
    return [AuditRecord(score, chosen, s, r) for s, r in zip(sex_seq, race_seq, strict=True)]


# --- the EEOC example (DESIGN.md §7) -------------------------------------------------------

def test_eeoc_example_rates_ratios_and_only_075_flagged() -> None:
    records = (people(100, selected=60, race=WHITE) + people(100, selected=45, race=BLACK)
               + people(100, selected=48, race=HISPANIC) + people(100, selected=51, race=ASIAN))
    table = bias_audit(records).race_ethnicity
    got = {c.category: (c.selection_rate, c.selection_impact_ratio, c.below_four_fifths_selection)
           for c in table.categories if c.count}
    assert got == {
        WHITE: (0.6, 1.0, False),
        BLACK: (0.45, 0.75, True),
        HISPANIC: (0.48, 0.8, False),  # exactly 4/5: not strictly below, not flagged
        ASIAN: (0.51, pytest.approx(0.85), False),
    }
    assert table.unknown == 0 and table.sample_size == 400


def test_eeoc_example_on_small_counts_is_exact_at_four_fifths() -> None:
    # 12/20 = 60% and 12/25 = 48%: the ratio is exactly 0.8 only in exact arithmetic.
    records = people(20, selected=12, sex="Male") + people(25, selected=12, sex="Female")
    female = bias_audit(records).sex.category("Female")
    assert female.selection_impact_ratio == 0.8
    assert female.below_four_fifths_selection is False


# --- the DCWP rule's selection example, 6 RCNY §5-301(b) ----------------------------------

SEX_SELECTION = [("Male", 1390, 667, 48, 1.00), ("Female", 1181, 555, 47, 0.98)]
RACE_SELECTION = [
    (HISPANIC, 408, 204, 50, 0.97), (WHITE, 797, 412, 52, 1.00), (BLACK, 390, 170, 44, 0.84),
    (NHPI, 119, 52, 44, 0.85), (ASIAN, 616, 302, 49, 0.95), (NAAN, 69, 32, 46, 0.90),
    (TWO, 172, 50, 29, 0.56),
]
INTERSECTIONAL_SELECTION = [
    ("Hispanic or Latino Male", 205, 90, 43.9, 0.841),
    ("Hispanic or Latino Female", 190, 82, 43.2, 0.827),
    ("White Male", 412, 215, 52.2, 1.000),
    ("Black or African American Male", 226, 95, 42.0, 0.806),
    ("Native Hawaiian or Pacific Islander Male", 87, 37, 42.5, 0.815),
    ("Asian Male", 321, 167, 52.0, 0.997),
    ("Native American or Alaska Native Male", 24, 11, 45.8, 0.878),
    ("Two or More Races Male", 115, 52, 45.2, 0.866),
    ("White Female", 385, 197, 51.2, 0.981),
    ("Black or African American Female", 164, 75, 45.7, 0.876),
    ("Native Hawaiian or Pacific Islander Female", 32, 15, 46.9, 0.898),
    ("Asian Female", 295, 135, 45.8, 0.877),
    ("Native American or Alaska Native Female", 45, 21, 46.7, 0.894),
    ("Two or More Races Female", 56, 18, 32.1, 0.616),
]


def _margin(table: list, column: int) -> dict[str, int]:
    return {row[0]: row[column] for row in table}


def test_rule_selection_example_sex_and_race_tables() -> None:
    """One sample with both tables' margins, plus the note's 250 people of unknown category."""
    rejected_sex = {k: n - s for k, n, s, _, _ in SEX_SELECTION}
    rejected_race = {k: n - s for k, n, s, _, _ in RACE_SELECTION}
    records = (with_margins(True, _margin(SEX_SELECTION, 2), _margin(RACE_SELECTION, 2))
               + with_margins(False, rejected_sex, rejected_race) + people(250))
    audit = bias_audit(records)
    for table, expected in ((audit.sex, SEX_SELECTION), (audit.race_ethnicity, RACE_SELECTION)):
        assert table.unknown == 250 and table.known == 2571
        got = [(c.category, c.count, c.selected, printed(100 * c.selection_rate, 0),
                printed(c.selection_impact_ratio, 2)) for c in table.categories]
        assert got == [(k, n, s, float(rate), ratio) for k, n, s, rate, ratio in expected]
    assert [c.category for c in audit.race_ethnicity.categories
            if c.below_four_fifths_selection] == [TWO]
    assert not any(c.below_four_fifths_selection for c in audit.sex.categories)
    assert not any(c.small for c in audit.race_ethnicity.categories)  # NAAN: 69 of 2571


def test_rule_selection_example_intersectional_table() -> None:
    records = [r for label, n, s, _, _ in INTERSECTIONAL_SELECTION
               for sex, race in [next((x, y) for k, x, y in INTERSECTIONAL_CATEGORIES
                                      if k == label)]
               for r in people(n, selected=s, sex=sex, race=race)]
    table = bias_audit(records).intersectional
    got = [(c.category, c.count, c.selected, printed(100 * c.selection_rate, 1),
            printed(c.selection_impact_ratio, 3)) for c in table.categories]
    assert got == INTERSECTIONAL_SELECTION  # also the rule's order of the table
    assert [c.category for c in table.categories if c.below_four_fifths_selection] == [
        "Two or More Races Female"]
    assert {c.category for c in table.categories if c.small} == {
        "Native American or Alaska Native Male", "Native Hawaiian or Pacific Islander Female",
        "Native American or Alaska Native Female"}  # 24, 32 and 45 of 2557 are under 2%


# --- the DCWP rule's scoring example, 6 RCNY §5-301(c) ------------------------------------

def test_rule_scoring_example() -> None:
    """168 distinct scores: the median is 84.5 and the top 84 people score above it.

    The sex table and the first five race rows are the rule's; the Native American or
    Alaska Native and Two or More Races rows (16 with 10 above, 20 with 10 above) are
    ours, chosen so the table adds up to the same 168 people.
    """
    above = with_margins(True, {"Male": 50, "Female": 34}, {
        HISPANIC: 18, WHITE: 15, BLACK: 16, NHPI: 5, ASIAN: 10, NAAN: 10, TWO: 10})
    below = with_margins(False, {"Male": 42, "Female": 42}, {
        HISPANIC: 10, WHITE: 25, BLACK: 16, NHPI: 3, ASIAN: 14, NAAN: 6, TWO: 10})
    records = [AuditRecord(float(168 - i), r.selected, r.sex, r.race_ethnicity)
               for i, r in enumerate(above + below)]
    audit = bias_audit(records)
    assert audit.median == 84.5
    sex = [(c.category, c.count, printed(100 * c.scoring_rate, 1),
            printed(c.scoring_impact_ratio, 2)) for c in audit.sex.categories]
    assert sex == [("Male", 92, 54.3, 1.00), ("Female", 76, 44.7, 0.82)]
    race = {c.category: (c.count, c.scored_above_median, printed(c.scoring_impact_ratio, 2))
            for c in audit.race_ethnicity.categories}
    # The rule prints Hispanic or Latino's 18/28 = 64.29% as "64.2%".
    assert race[HISPANIC] == (28, 18, 1.00)
    assert race[WHITE] == (40, 15, 0.58) and race[BLACK] == (32, 16, 0.78)
    assert race[NHPI] == (8, 5, 0.97) and race[ASIAN] == (24, 10, 0.65)
    flagged = [c.category for c in audit.race_ethnicity.categories
               if c.below_four_fifths_scoring]
    assert flagged == [WHITE, BLACK, ASIAN, TWO]
    assert not audit.sex.category("Female").below_four_fifths_scoring  # 0.82


# --- definitions -------------------------------------------------------------------------

def test_ties_at_the_median_are_not_above_it() -> None:
    audit = bias_audit(people(1, sex="Male", score=1) + people(3, sex="Male", score=2)
                       + people(1, sex="Female", score=3))
    assert audit.median == 2.0
    assert audit.sex.category("Male").scored_above_median == 0
    assert audit.sex.category("Female").scoring_rate == 1.0
    assert audit.sex.category("Male").scoring_impact_ratio == 0.0


def test_median_of_an_even_sample_is_the_mean_of_the_middle_two() -> None:
    audit = bias_audit(people(1, sex="Male", score=1) + people(1, sex="Female", score=2))
    assert audit.median == 1.5
    assert [c.scored_above_median for c in audit.sex.categories] == [0, 1]


def test_the_median_is_of_the_whole_sample_including_unknowns() -> None:
    known = people(2, sex="Male", score=1) + people(2, sex="Female", score=2)
    assert bias_audit(known).sex.category("Female").scored_above_median == 2
    audit = bias_audit(known + people(3, score=10))  # unknowns raise the median to 2
    assert audit.median == 2.0
    assert audit.sex.category("Female").scored_above_median == 0
    assert audit.sex.unknown == 3 and audit.sex.known == 4


def test_unknowns_are_excluded_and_counted_per_axis() -> None:
    records = (people(3, sex="Female", race=ASIAN) + people(2, sex="declined", race=ASIAN)
               + people(1, sex="", race="Decline to self-identify")
               + people(4, sex="Male", race=None) + people(1, sex="Non-binary", race=WHITE))
    audit = bias_audit(records)
    assert (audit.sex.unknown, audit.race_ethnicity.unknown, audit.intersectional.unknown) == (
        4, 5, 8)
    assert audit.sex.category("Female").count == 3 and audit.sex.category("Male").count == 4
    assert audit.race_ethnicity.category(ASIAN).count == 5
    assert audit.intersectional.category("Asian Female").count == 3
    assert audit.intersectional.category("Asian Female").share == 1.0
    assert all(t.sample_size == 11 for t in audit.axes)


def test_every_category_is_listed_in_the_rules_order_even_when_empty() -> None:
    audit = bias_audit(people(2, selected=1, sex="Female", race=TWO))
    assert [c.category for c in audit.race_ethnicity.categories] == list(
        RACE_ETHNICITY_CATEGORIES)
    assert [c.category for c in audit.intersectional.categories] == [
        label for label, _, _ in INTERSECTIONAL_CATEGORIES]
    white = audit.race_ethnicity.category(WHITE)
    assert (white.count, white.share, white.selection_rate, white.selection_impact_ratio,
            white.small, white.below_four_fifths_selection) == (0, 0.0, None, None, True, False)
    with pytest.raises(KeyError):
        audit.sex.category("White")


def test_a_category_under_two_percent_of_the_known_people_is_small() -> None:
    records = (people(97, sex="Male", race=WHITE) + people(2, sex="Male", race=ASIAN)
               + people(1, sex="Male", race=BLACK) + people(50))  # unknowns do not dilute
    table = bias_audit(records).race_ethnicity
    assert table.category(BLACK).share == 0.01 and table.category(BLACK).small
    assert table.category(ASIAN).share == 0.02 and not table.category(ASIAN).small
    assert not table.category(WHITE).small
    assert math.isclose(sum(c.share for c in table.categories), 1.0)


def test_small_share_parameter_and_excluding_small_categories() -> None:
    records = (people(99, selected=50, sex="Female", race=WHITE)
               + people(1, selected=1, sex="Female", race=ASIAN))
    kept = bias_audit(records).race_ethnicity
    assert kept.category(ASIAN).selection_impact_ratio == 1.0
    assert kept.category(WHITE).below_four_fifths_selection  # 0.505 of the 1-person 100%
    excluded = bias_audit(records, exclude_small=True).race_ethnicity
    asian = excluded.category(ASIAN)
    assert (asian.count, asian.selection_rate, asian.selection_impact_ratio) == (1, 1.0, None)
    assert excluded.category(WHITE).selection_impact_ratio == 1.0
    assert not bias_audit(records, small_share=0.01).race_ethnicity.category(ASIAN).small


def test_four_fifths_parameter() -> None:
    records = people(10, selected=9, sex="Male") + people(10, selected=8, sex="Female")
    assert not bias_audit(records).sex.category("Female").below_four_fifths_selection
    assert bias_audit(records, four_fifths=0.9).sex.category("Female").below_four_fifths_selection


def test_ratios_are_undefined_when_the_highest_rate_is_zero() -> None:
    audit = bias_audit(people(3, sex="Male", score=1) + people(2, sex="Female", score=1))
    for c in audit.sex.categories:
        assert c.selection_rate == 0.0 and c.scoring_rate == 0.0  # all tie at the median
        assert c.selection_impact_ratio is None and c.scoring_impact_ratio is None
        assert not c.below_four_fifths_selection and not c.below_four_fifths_scoring


def test_empty_sample() -> None:
    audit = bias_audit([])
    assert audit.sample_size == 0 and audit.median is None
    for table in audit.axes:
        assert table.unknown == 0 and table.median is None
        assert all(c.count == 0 and c.share is None and c.scoring_rate is None
                   and c.small for c in table.categories)


# --- output forms ------------------------------------------------------------------------

def test_audit_rows_have_the_csv_columns_and_an_unknown_row_per_axis() -> None:
    audit = bias_audit(people(3, selected=2, sex="Male", race=WHITE, score=1) + people(2))
    rows = audit_rows(audit)
    assert all(tuple(row) == AUDIT_COLUMNS for row in rows)
    assert len(rows) == 2 + 1 + 7 + 1 + 14 + 1
    unknown = [r for r in rows if r["category"] == UNKNOWN_ROW]
    assert [(r["axis"], r["count"], r["selection_rate"]) for r in unknown] == [
        ("sex", 2, None), ("race_ethnicity", 2, None), ("intersectional", 2, None)]
    male = rows[0]
    assert (male["axis"], male["category"], male["count"], male["share"], male["selected"],
            male["selection_rate"]) == ("sex", "Male", 3, 1.0, 2, 2 / 3)
    assert len(audit_rows(audit, unknown=False)) == 23


def test_as_dict_is_json_and_keeps_full_precision() -> None:
    audit = bias_audit(people(3, selected=1, sex="f", race="black", score=1) + people(1))
    data = json.loads(json.dumps(audit.as_dict(), allow_nan=False))
    assert list(data["axes"]) == ["sex", "race_ethnicity", "intersectional"]
    assert (data["sample_size"], data["four_fifths"], data["small_share"]) == (4, 0.8, 0.02)
    female = data["axes"]["sex"]["categories"][1]
    assert female["category"] == "Female" and female["selection_rate"] == 1 / 3
    assert data["axes"]["intersectional"]["unknown"] == 1
    assert data["axes"]["race_ethnicity"]["known"] == 3


def test_rule_labels_print_the_non_hispanic_races_as_the_rule_does() -> None:
    assert RULE_LABELS[HISPANIC] == "Hispanic or Latino"
    assert RULE_LABELS[NAAN] == "Native American or Alaska Native (Not Hispanic or Latino)"


# --- spellings ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("Male", "Male"), ("FEMALE", "Female"), (" female ", "Female"), ("m", "Male"),
    ("F", "Female"), ("Man", "Male"), ("woman", "Female"), ("declined", None),
    ("Decline to Self-Identify", None), ("", None), ("   ", None), (None, None),
    ("prefer not to say", None), ("Non-Binary", None),
])
def test_sex_spellings_accepted(value: str | None, expected: str | None) -> None:
    assert normalise_sex(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Hispanic or Latino", HISPANIC), ("hispanic/latino", HISPANIC), ("Latino", HISPANIC),
    ("Hispanic / Latino", HISPANIC), ("White (Not Hispanic or Latino)", WHITE),
    ("black", BLACK), ("Black or African American", BLACK), ("African  American", BLACK),
    ("Native Hawaiian or Other Pacific Islander", NHPI),
    ("Native Hawaiian or Other Pacific Islander (Not Hispanic or Latino)", NHPI),
    ("Pacific Islander", NHPI), ("ASIAN", ASIAN),
    ("American Indian or Alaska Native", NAAN), ("Native American", NAAN),
    ("Two or more races", TWO), ("Two or More Races (Not Hispanic or Latino)", TWO),
    ("Multiracial", TWO), ("Declined", None), (None, None), ("", None),
])
def test_race_ethnicity_spellings_accepted(value: str | None, expected: str | None) -> None:
    assert normalise_race_ethnicity(value) == expected


@pytest.mark.parametrize("value", ["Other", "X", "Intersexual robot", "Hispanic", 1, True,
                                   ["Male"]])
def test_sex_spellings_refused(value: object) -> None:
    with pytest.raises(UnknownCategory) as caught:
        normalise_sex(value, field="records.3.sex")
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.value == value and caught.value.field == "records.3.sex"
    assert list(caught.value.errors) == ["records.3.sex"]
    assert "Male, Female" in caught.value.errors["records.3.sex"][0]


@pytest.mark.parametrize("value", [
    "Other", "Some Other Race", "Hispanic or Latino (Not Hispanic or Latino)", "Male",
    "Whitish", 3.5])
def test_race_ethnicity_spellings_refused(value: object) -> None:
    with pytest.raises(UnknownCategory) as caught:
        normalise_race_ethnicity(value)
    assert caught.value.field == "race_ethnicity"
    assert "Two or More Races" in str(caught.value)


def test_every_documented_input_is_accepted() -> None:
    for value in SEX_INPUTS:
        assert normalise_sex(value) in (*SEX_CATEGORIES, None)
    for value in RACE_ETHNICITY_INPUTS:
        assert normalise_race_ethnicity(value) in (*RACE_ETHNICITY_CATEGORIES, None)
    assert {normalise_sex(v) for v in SEX_INPUTS} == {*SEX_CATEGORIES, None}
    assert {normalise_race_ethnicity(v) for v in RACE_ETHNICITY_INPUTS} == {
        *RACE_ETHNICITY_CATEGORIES, None}


@pytest.mark.parametrize(("record", "path"), [
    (AuditRecord(1.0, True, "Martian", None), "records.1.sex"),
    (AuditRecord(1.0, True, None, "Other"), "records.1.race_ethnicity"),
    (AuditRecord(math.nan, True), "records.1.score"),
    (AuditRecord(math.inf, True), "records.1.score"),
    (AuditRecord("1", True), "records.1.score"),  # type: ignore[arg-type]
    (AuditRecord(True, True), "records.1.score"),
    (AuditRecord(10**400, True), "records.1.score"),
    (AuditRecord(1.0, 1), "records.1.selected"),  # type: ignore[arg-type]
])
def test_bad_records_are_refused_with_their_path(record: AuditRecord, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        bias_audit([AuditRecord(0.5, False), record])
    assert list(caught.value.errors) == [path]


@pytest.mark.parametrize(("options", "name"), [
    ({"small_share": -0.1}, "small_share"), ({"small_share": math.nan}, "small_share"),
    ({"four_fifths": 1.5}, "four_fifths"), ({"four_fifths": 10**400}, "four_fifths"),
    ({"four_fifths": "0.8"}, "four_fifths"),
    ({"exclude_small": "yes"}, "exclude_small"),
])
def test_bad_parameters_are_refused(options: dict, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        bias_audit([], **options)
    assert list(caught.value.errors) == [name]


# --- properties --------------------------------------------------------------------------

SEXES = st.sampled_from([None, "declined", *SEX_CATEGORIES, "f"])
RACES = st.sampled_from([None, "declined", *RACE_ETHNICITY_CATEGORIES, "Black"])
SCORES = st.one_of(st.integers(0, 5).map(float),
                   st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
RECORDS = st.lists(st.builds(AuditRecord, SCORES, st.booleans(), SEXES, RACES), max_size=60)


def _rates(audit: BiasAudit) -> list[tuple]:
    return [(t.axis, c.category, c.scoring_rate, c.selection_rate, c.scoring_impact_ratio,
             c.selection_impact_ratio) for t in audit.axes for c in t.categories]


@settings(max_examples=150, deadline=None)
@given(RECORDS)
def test_ratios_lie_in_0_1_and_the_best_category_has_ratio_1(records: list) -> None:
    for table in bias_audit(records).axes:
        present = [c for c in table.categories if c.count]
        assert sum(c.count for c in table.categories) + table.unknown == table.sample_size
        for rate, ratio, flag in (("scoring_rate", "scoring_impact_ratio",
                                   "below_four_fifths_scoring"),
                                  ("selection_rate", "selection_impact_ratio",
                                   "below_four_fifths_selection")):
            best = max((getattr(c, rate) for c in present), default=None)
            for c in present:
                value = getattr(c, ratio)
                assert (value is None) == (best == 0)
                assert value is None or 0.0 <= value <= 1.0
                assert getattr(c, flag) == (value is not None and value < 0.8)
                if best and getattr(c, rate) == best:
                    assert value == 1.0


@settings(max_examples=100, deadline=None)
@given(RECORDS, st.randoms(use_true_random=False))
def test_the_audit_does_not_depend_on_record_order(records: list, rnd: random.Random) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert bias_audit(shuffled) == bias_audit(records)


@settings(max_examples=100, deadline=None)
@given(RECORDS, SCORES, st.booleans())
def test_an_unknown_record_changes_no_category_count_or_selection(
        records: list, score: float, selected: bool) -> None:
    """It joins the sample (and may move the median, hence scoring rates), nothing else."""
    before, after = bias_audit(records), bias_audit([*records, AuditRecord(score, selected)])
    for old, new in zip(before.axes, after.axes, strict=True):
        assert (new.unknown, new.sample_size) == (old.unknown + 1, old.sample_size + 1)
        assert [(c.count, c.selected, c.selection_rate, c.selection_impact_ratio, c.share)
                for c in new.categories] == [
            (c.count, c.selected, c.selection_rate, c.selection_impact_ratio, c.share)
            for c in old.categories]


@settings(max_examples=100, deadline=None)
@given(RECORDS, SCORES, st.sampled_from(SEX_CATEGORIES), st.sampled_from(
    RACE_ETHNICITY_CATEGORIES))
def test_adding_a_selected_person_never_lowers_their_categories_selection_rate(
        records: list, score: float, sex: str, race: str) -> None:
    before = bias_audit(records)
    after = bias_audit([*records, AuditRecord(score, True, sex, race)])
    label = next(k for k, s, r in INTERSECTIONAL_CATEGORIES if (s, r) == (sex, race))
    for axis, category in (("sex", sex), ("race_ethnicity", race), ("intersectional", label)):
        old = getattr(before, axis).category(category)
        new = getattr(after, axis).category(category)
        assert (new.count, new.selected) == (old.count + 1, old.selected + 1)
        assert old.selection_rate is None or new.selection_rate >= old.selection_rate


@settings(max_examples=60, deadline=None)
@given(RECORDS, st.integers(2, 3))
def test_repeating_the_sample_keeps_every_rate_and_ratio(records: list, times: int) -> None:
    once, repeated = bias_audit(records), bias_audit(records * times)
    assert repeated.median == once.median
    assert _rates(repeated) == _rates(once)
    assert [c.count for t in repeated.axes for c in t.categories] == [
        times * c.count for t in once.axes for c in t.categories]


@settings(max_examples=100, deadline=None)
@given(RECORDS)
def test_the_intersection_splits_the_people_known_on_both_axes(records: list) -> None:
    audit = bias_audit(records)
    both = [r for r in records
            if normalise_sex(r.sex) is not None and normalise_race_ethnicity(
                r.race_ethnicity) is not None]
    assert audit.intersectional.known == len(both)
    for sex in SEX_CATEGORIES:
        cells = [c for (label, s, _), c in zip(INTERSECTIONAL_CATEGORIES,
                                               audit.intersectional.categories, strict=True)
                 if s == sex]
        assert sum(c.count for c in cells) == sum(normalise_sex(r.sex) == sex for r in both)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([*SEX_INPUTS, *RACE_ETHNICITY_INPUTS]), st.randoms(
    use_true_random=False))
def test_case_and_spacing_do_not_matter(value: str, rnd: random.Random) -> None:
    varied = "  " + "".join(ch.upper() if rnd.random() < 0.5 else ch.lower()
                            for ch in value).replace(" ", "   ") + " "
    for normalise in (normalise_sex, normalise_race_ethnicity):
        try:
            expected = normalise(value)
        except UnknownCategory:
            with pytest.raises(UnknownCategory):
                normalise(varied)
        else:
            assert normalise(varied) == expected
