"""The structure of curated files is the generated JSON Schema's: what an editor flags is what
the build refuses, told at its line and in the order of the file."""

import datetime as dt

import jsonschema
import pytest
import yaml

from kg.build.facts import load_article
from kg.errors import InputError
from kg.vocab.schema import json_schema

from .conftest import ARTICLE

FACTS = f"articles/{ARTICLE}/facts.yaml"


def _replace(data, *pairs):
    path = data / FACTS
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _editor_refuses(data) -> bool:
    """What an editor with the shipped JSON Schema says of the file."""

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    document = plain(yaml.safe_load((data / FACTS).read_text(encoding="utf-8")))
    return not jsonschema.Draft202012Validator(json_schema("facts")).is_valid(document)


#: Changes an editor flags with the schema, and the words of the build's message for each.
REFUSED = {
    "unknown key": (("    headedBy: vladimir-medinsky\n", "    ledBy: vladimir-medinsky\n"),
                    "unknown key 'ledBy'; did you mean 'headedBy'?"),
    "unknown type": (("    type: Delegation\n", "    type: Summit\n"), "unknown type 'Summit'"),
    "unknown role": (("{agent: hakan-fidan, role: host}", "{agent: hakan-fidan, role: chair}"),
                     "unknown role 'chair'"),
    "bad id": (("  - id: turkish-delegation\n", "  - id: Turkish delegation\n"),
               "cannot form a valid IRI"),
    "bad duration": (("    duration: P30D\n", "    duration: 30 days\n"), "invalid duration"),
    "bad status": (("    status: discussed\n", "    status: rumoured\n"), "invalid status"),
    "not a boolean": (("    delayed: true\n", "    delayed: maybe\n"), "takes true or false"),
    "empty list": (("    represents: russia\n", "    represents: []\n"), "has an empty list"),
    "rank without a reason": (("    represents: russia\n", "    represents: russia\n    rank: preferred\n"),
                              "a rank needs its reason"),
    "bad weekday": (("date: {weekday: Thursday}", "date: {weekday: Thorsday}"), "unknown weekday"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_an_editor_flags_the_build_refuses_at_its_line(case, data_copy):
    (old, new), message = REFUSED[case]
    text = _replace(data_copy, (old, new))
    assert _editor_refuses(data_copy)
    with pytest.raises(InputError) as caught:
        load_article(data_copy / f"articles/{ARTICLE}")
    assert message in str(caught.value)
    assert caught.value.location.line == _line(text, new.strip().split("\n")[-1])


def test_a_wrong_value_is_told_after_an_earlier_missing_field(data_copy):
    """The first problem in the file is told first, whatever kind it is: a curator fixes a
    file from the top."""
    text = _replace(data_copy, ("    label: Russian delegation\n", ""),
                    ("    year: 2022\n", "    year: 20225\n"))
    with pytest.raises(InputError, match="missing required field 'label'") as caught:
        load_article(data_copy / f"articles/{ARTICLE}")
    assert caught.value.location.line < _line(text, "year: 20225")


@pytest.mark.parametrize("change, message", [
    (("  - about: russian-delegation\n", "  - about: 2.0\n"), "id 2.0 cannot form a valid IRI"),
    (("    represents: russia\n", "    represents: 3.5\n"), "id 3.5 cannot form a valid IRI"),
    (("    year: 2022\n", "    year: 2022.0\n"), "invalid year 2022.0"),
    (("    year: 2022\n", "    year: '0000'\n"), "invalid year '0000'"),
])
def test_a_fraction_is_no_id_and_no_year(change, message, data_copy):
    """JSON's integers include 2.0, a YAML float: an id with a dot would break the IRIs that
    join ids with dots, so the build refuses what the schema lets through."""
    _replace(data_copy, change)
    with pytest.raises(InputError, match=message):
        load_article(data_copy / f"articles/{ARTICLE}")


def test_a_weekday_is_read_in_any_case(data_copy):
    _replace(data_copy, ("date: {weekday: Thursday}", "date: {weekday: tHURSDAY}"))
    assert not _editor_refuses(data_copy)
    claims = [c for f in load_article(data_copy / f"articles/{ARTICLE}").facts
              for c in f.claims if c.key == "date"]
    assert ("weekday", "thursday") in [c.value for c in claims]
