"""Editing facts.yaml in place (kg/curate/edit.py): only the edited item's lines change,
what is written reads back as meant, and an edit against a file that changed is refused."""

import shutil

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build.facts import load_article
from kg.build.yamlfile import parse_yaml
from kg.curate.edit import Edit, read_document, render_item, save_edit
from kg.errors import ConflictError, InputError

from .conftest import ARTICLES, ROOT


@pytest.fixture(params=ARTICLES)
def facts_copy(request, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data / "articles" / request.param / "facts.yaml"


def _lines_outside(text: str, start: int, end: int) -> list[str]:
    lines = text.splitlines()
    return lines[:start] + lines[end:]


def test_items_are_found_with_their_lines(facts_copy):
    doc = read_document(facts_copy)
    plain = parse_yaml(facts_copy.read_text(encoding="utf-8"), "facts.yaml")
    for section in (s for s in ("entities", "facts") if s in plain):  # the Russian has no entities
        items = doc.section(section)
        assert [i.value for i in items] == plain[section]
        lines = doc.text.splitlines()
        for item in items:
            first = lines[item.start].strip()
            assert first.startswith("- ") and first[2:].split(":")[0] in ("id", "about")
            # the item's lines are its own: parsed alone, they are the item
            alone = parse_yaml("\n".join(lines[item.start:item.end]), "item")
            assert alone == [item.value]


def test_replacing_every_item_by_itself_changes_nothing_the_build_reads(facts_copy):
    before = load_article(facts_copy.parent)
    original = facts_copy.read_text(encoding="utf-8")
    for section in ("entities", "facts"):
        for index in range(len(read_document(facts_copy).section(section))):
            doc = read_document(facts_copy)
            item = doc.section(section)[index]
            saved = save_edit(facts_copy, Edit(section, index, item.value), doc.digest)
            assert saved.item.value == item.value and saved.item.start == item.start
            # every line outside the item is as it was
            assert _lines_outside(saved.document.text, item.start, saved.item.end) == \
                _lines_outside(doc.text, item.start, item.end)
    after = load_article(facts_copy.parent)
    assert yaml.safe_load(facts_copy.read_text(encoding="utf-8")) == yaml.safe_load(original)
    def claims(article):
        return [(f.subject, [(c.key, c.value) for c in f.claims], f.evidence, f.reading)
                for f in article.facts]
    assert claims(after) == claims(before)


def test_deleting_an_item_removes_its_lines_only(facts_copy):
    doc = read_document(facts_copy)
    for section in (s for s in ("entities", "facts") if len(doc.section(s)) > 1):
        item = doc.section(section)[1]
        saved = save_edit(facts_copy, Edit(section, 1), doc.digest)
        assert saved.item is None
        assert saved.document.text.splitlines() == _lines_outside(doc.text, item.start, item.end)
        assert [i.value for i in saved.document.section(section)] == \
            [i.value for i in doc.section(section) if i is not item]
        doc = saved.document
    # the curator's comments are all still there
    comments = [line for line in facts_copy.read_text().splitlines() if line.strip().startswith("#")]
    assert len(comments) == len([line for line in doc.text.splitlines()
                                 if line.strip().startswith("#")])


def test_a_fact_goes_after_the_last_about_its_subject(facts_copy):
    doc = read_document(facts_copy)
    subject = doc.section("facts")[0].value["about"]
    last = max(i.index for i in doc.section("facts") if i.value["about"] == subject)
    value = {"about": subject, "delayed": True, "evidence": "talks"}
    saved = save_edit(facts_copy, Edit("facts", value=value), doc.digest)
    assert saved.item.index == last + 1 and saved.item.value == value


def test_the_first_item_of_an_empty_list(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("# made by kg article new\narticle:\n  title: T\n\n# known: none\n"
                    "entities: []\n\nfacts: []\n", encoding="utf-8")
    doc = read_document(path)
    entity = {"id": "kyiv", "type": "City", "label": "Kyiv", "evidence": "Kyiv"}
    saved = save_edit(path, Edit("entities", value=entity), doc.digest)
    fact = {"about": "kyiv", "altLabel": "Kiev", "evidence": "Kiev"}
    saved = save_edit(path, Edit("facts", value=fact), saved.document.digest)
    assert path.read_text(encoding="utf-8") == (
        "# made by kg article new\narticle:\n  title: T\n\n# known: none\n"
        "entities:\n  - id: kyiv\n    type: City\n    label: Kyiv\n    evidence: Kyiv\n\n"
        "facts:\n  - about: kyiv\n    altLabel: Kiev\n    evidence: Kiev\n")


@pytest.mark.parametrize("dash", [0, 2, 4])
def test_new_and_replaced_items_follow_the_lists_indentation(tmp_path, dash):
    pad = " " * dash
    path = tmp_path / "facts.yaml"
    path.write_text(f"facts:\n{pad}- about: kyiv\n{pad}  altLabel: Kiev\n{pad}  evidence: Kiev\n",
                    encoding="utf-8")
    doc = read_document(path)
    fact = {"about": "kyiv", "altLabel": "Kyjiw", "evidence": "Kyjiw"}
    saved = save_edit(path, Edit("facts", value=fact), doc.digest)
    saved = save_edit(path, Edit("facts", 0, {"about": "kyiv", "altLabel": "Kiew",
                                              "evidence": "Kiew"}), saved.document.digest)
    text = path.read_text(encoding="utf-8")
    assert [line[:dash + 1] for line in text.splitlines() if "- about" in line] == [pad + "-"] * 2
    assert yaml.safe_load(text) == {"facts": [
        {"about": "kyiv", "altLabel": "Kiew", "evidence": "Kiew"}, fact]}


def test_an_edit_against_a_file_that_changed_is_refused_and_both_survive(facts_copy):
    doc = read_document(facts_copy)
    theirs = doc.text.replace("facts:\n", "facts:\n  # a comment added in an editor\n", 1)
    facts_copy.write_text(theirs, encoding="utf-8")
    mine = {"about": "russia", "altLabel": "Moscow", "evidence": "Moscow"}
    with pytest.raises(ConflictError) as refused:
        save_edit(facts_copy, Edit("facts", value=mine), doc.digest)
    assert refused.value.exit_code == 3
    assert refused.value.current == theirs == facts_copy.read_text(encoding="utf-8")
    # made again against the file as it is now, the edit is written, and theirs kept
    saved = save_edit(facts_copy, Edit("facts", value=mine), refused.value.digest)
    assert "# a comment added in an editor" in saved.document.text
    assert saved.item.value == mine


def test_an_item_that_is_not_there_is_refused(facts_copy):
    doc = read_document(facts_copy)
    with pytest.raises(InputError, match="reload the page"):
        save_edit(facts_copy, Edit("facts", 10_000), doc.digest)
    with pytest.raises(InputError):
        Edit("article", 0)


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)
_VALUE = st.recursive(
    st.one_of(_TEXT, st.integers(-10**6, 10**6), st.booleans(),
              st.sampled_from(["yes", "no", "on", "null", "~", "2025-05-16", "1:20", "0x1F",
                               "# not a comment", "- not an item", "a: b", "'quoted'"])),
    lambda inner: st.one_of(st.lists(inner, min_size=1, max_size=3),
                            st.dictionaries(st.sampled_from(["agent", "role", "text", "verb"]),
                                            inner, min_size=1, max_size=3)),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(st.sampled_from(["about", "evidence", "note", "party", "date"]),
                             _VALUE, min_size=1, max_size=5))
def test_what_is_written_reads_back_as_it_was_given(value):
    assert parse_yaml(render_item(value), "item") == [value]
