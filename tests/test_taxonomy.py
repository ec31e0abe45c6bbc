"""The taxonomy loader: the data file compiles, errors name the file and field, and the speed-up
that skips cue groups a sentence cannot match never loses a match."""

from __future__ import annotations

import pytest

from helpers import taxonomy
from test_figures import CASES


@pytest.mark.parametrize(("pattern", "needed"), [
    ("deaths?", {"death"}),
    ("(?:the )?IDF", {"idf"}),
    ("(?:the )?(?:health ministry|ministry of health)", {"health ministry", "ministry of health"}),
    ("(?<!since )Oct\\.? 7", {"oct"}),
    ("(?:the )?(?:[A-Z][A-Za-z-]+ ){1,3}Hospital", {"hospital"}),
    ("U\\.N\\.", {"u.n."}),
    ("[A-Z]\\w+ said", None),
    ("(?-i:Gaza City)", {"gaza city"}),
    ("(?i:x)y", None),
])
def test_required_text_is_what_every_match_contains(pattern, needed) -> None:
    assert taxonomy._required_text(pattern) == needed


def every_group(tax: taxonomy.Taxonomy):
    groups = {**tax.strong_measures, **tax.weak_measures, **tax.sides, **tax.cues, **tax.sources}
    return [*groups.items(), ("reporting", tax.reporting)]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_skipping_a_group_never_loses_a_match(case: str) -> None:
    text = CASES[case][0]
    for name, group in every_group(taxonomy.default()):
        gated = [m.span() for m in group.finditer(text, text.lower())]
        assert gated == [m.span() for m in group.regex.finditer(text)], name


def test_a_rule_naming_an_unknown_cue_is_an_error_naming_the_rule(tmp_path) -> None:
    broken = tmp_path / "taxonomy.toml"
    broken.write_text(
        taxonomy.DEFAULT_PATH.read_text(encoding="utf-8")
        + '\n[[rule]]\ncategory = "gaza_killed"\nclause_any = ["no_such_cue"]\n',
        encoding="utf-8",
    )
    rules = len(taxonomy.default().rules)
    with pytest.raises(taxonomy.TaxonomyError, match=rf"taxonomy.toml: rule {rules + 1}: .*no_such_cue"):
        taxonomy.load(broken)


def test_a_bad_pattern_is_an_error_naming_its_group(tmp_path) -> None:
    broken = tmp_path / "taxonomy.toml"
    text = taxonomy.DEFAULT_PATH.read_text(encoding="utf-8")
    broken.write_text(text.replace('"hunger", "starvation"', '"hunger(", "starvation"'), encoding="utf-8")
    with pytest.raises(taxonomy.TaxonomyError, match=r"cues\.hunger: bad pattern"):
        taxonomy.load(broken)


def test_every_category_of_the_contract_has_a_rule() -> None:
    assert set(taxonomy.default().categories) == {
        "gaza_killed", "gaza_injured", "daily_killed", "oct7_killed", "oct7_civilians_killed",
        "hostages_taken", "hostages_remaining", "rafah_population", "gaza_population",
        "westbank_killed", "other_casualty",
    }


def test_side_rules_naming_an_unknown_side_is_an_error(tmp_path) -> None:
    broken = tmp_path / "taxonomy.toml"
    text = taxonomy.DEFAULT_PATH.read_text(encoding="utf-8")
    broken.write_text(text.replace('places = ["westbank", "elsewhere"]', 'places = ["westbank", "mars"]'),
                      encoding="utf-8")
    with pytest.raises(taxonomy.TaxonomyError, match="side_rules names unknown side 'mars'"):
        taxonomy.load(broken)
