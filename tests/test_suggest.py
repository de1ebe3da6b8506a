"""Suggestions (kg/curate/suggest.py, kg article suggest): cue words from the ontology, each
suggestion with words of the text as its evidence, nothing suggested that the article or the
corpus says already."""

import re
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

from kg.build.evidence import ArticleText
from kg.build.facts import load_article
from kg.build.model import Article
from kg.curate.edit import Edit, read_document, save_edit
from kg.curate.entities import demonyms, known_entities
from kg.curate.suggest import corpus_facts, suggest, suggest_article, value_claims
from kg.errors import NotConformingError
from kg.vocab.curation import CUES, PROPERTIES
from kg.vocab.schema import key_table, type_table

from .conftest import ARTICLES, JUNE, ROOT, RUSSIAN

sys.path.insert(0, str(ROOT / "benchmarks"))
import curate_workbench  # noqa: E402


def _article(text: str, published="2025-06-02") -> Article:
    import datetime as dt

    return Article("2025-06-02-test", ROOT, ROOT / "facts.yaml", text, "Title",
                   dt.date.fromisoformat(published), None, "0" * 64, None)


@pytest.fixture(scope="module")
def corpus():
    return known_entities(ROOT / "data"), demonyms(ROOT / "data"), corpus_facts(ROOT / "data")


def _facts(found):
    return [s.value for s in found if s.section == "facts"]


def test_a_cue_places_the_subject_and_the_value_by_their_types(corpus):
    entities, words, facts = corpus
    text = ("Talks\n\nThe Turkish delegation was led by Hakan Fidan. Moscow is far. "
            "Turkey proposed a truce of 12 hours, an offer Ukraine rejected.")
    found = suggest(_article(text), entities, words, facts)
    delegation = next(s.value for s in found if s.value.get("type") == "Delegation")
    assert delegation["represents"] == "turkey" and delegation["evidence"].startswith("The Turkish")
    values = _facts(found)
    assert {"about": delegation["id"], "headedBy": "hakan-fidan",
            "evidence": "Turkish delegation was led by Hakan Fidan"} in values
    truce = next(s.value for s in found if s.value.get("type") == "Ceasefire")
    assert {(v.get("proposedBy"), v.get("rejectedBy"), v.get("duration")) for v in values
            if v["about"] == truce["id"]} >= {("turkey", None, None), (None, "ukraine", None),
                                              (None, None, "PT12H")}


def test_a_pattern_never_takes_a_thing_of_the_wrong_type(corpus):
    entities, words, facts = corpus
    found = suggest(_article("Talks\n\nIstanbul was led by Hakan Fidan."), entities, words, facts)
    assert not any("headedBy" in v for v in _facts(found))  # a city heads nothing


@pytest.mark.parametrize("article", [a for a in ARTICLES if a != RUSSIAN])  # English cues
def test_every_suggestion_is_evidenced_by_the_text_and_reads_as_the_build_reads(article, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    for later in ARTICLES[ARTICLES.index(article) + 1 :]:  # they use what it declares
        shutil.rmtree(data / "articles" / later)
    folder = data / "articles" / article
    text = (folder / "facts.yaml").read_text(encoding="utf-8")
    (folder / "facts.yaml").write_text(text[: text.index("\nentities:")] + "\nentities: []\nfacts: []\n",
                                       encoding="utf-8")
    found = suggest_article(folder)
    assert len(found) > 10
    words = ArticleText(load_article(folder).text)
    for s in found:
        assert words.find(s.value["evidence"], unique=False) is not None, s.value
        assert value_claims(s.value)  # each value is one the build reads
    ids = [s.value["id"] for s in found if s.section == "entities"]
    assert len(ids) == len(set(ids))
    # accepted, all of them, they make an article the build reads: what it still lacks
    # the shapes tell (a negotiation's second party, a session's talks), nothing else
    for s in found:
        save_edit(folder / "facts.yaml", Edit(s.section, value=s.value),
                  read_document(folder / "facts.yaml").digest)
    from kg.curate.article import check_article

    try:
        check_article(folder)
    except NotConformingError as exc:
        assert "violation" in str(exc)


@pytest.mark.parametrize("article", ARTICLES)
def test_what_an_article_says_already_is_not_suggested_again(article):
    found = suggest_article(ROOT / "data" / "articles" / article)
    curated = load_article(ROOT / "data" / "articles" / article)
    said = {(f.subject, c.key, c.value) for f in curated.facts for c in f.claims}
    assert not any(c in said for s in found for c in value_claims(s.value) if c[1] != "type")
    # each entity the words introduce is declared already; an entity suggested stands in
    # words a fact cites, where the article names one of another article's entities by a
    # common noun ("The second round", which the July article links to June's round): the
    # suggester knows other articles' entities by their names only
    cited = [f.evidence for f in curated.facts if f.evidence]
    entities = [s for s in found if s.section == "entities"]
    assert all(any(s.value["evidence"] in e for e in cited) for s in entities), entities
    assert len(entities) <= 2


def test_june_taken_out_of_the_corpus_recall_and_precision():
    """The benchmark's figures for the June article (the issue's targets: recall 50%,
    precision 70%), so that a change that loses them is seen."""
    result = curate_workbench.evaluate(ROOT / "data", ROOT / "data" / "articles" / JUNE)
    assert result["precision"] >= 0.7 and result["recall"] >= 0.5, result


def test_the_cues_are_the_ontologys_and_the_readme_lists_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert key_table() in readme and type_table() in readme
    for key, prop in PROPERTIES.items():
        for cue in prop.cues:
            slots = re.findall(r"\{(\w)\}", cue)
            assert sorted(set(slots)) == sorted(slots) and set(slots) <= {"s", "o"} and slots
            assert f"`{cue}`" in key_table()
    assert "`{s} led by {o}`" in key_table() and "`delegation`" in type_table()
    assert CUES["host"] == ("{s} hosted by {o}", "{o} hosted {s}")


def test_the_readmes_suggestions_are_what_kg_prints(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.rmtree(data / "articles" / JUNE)
    shutil.rmtree(data / "articles" / RUSSIAN)
    shutil.copy(ROOT / "data" / "articles" / JUNE / "article.txt", tmp_path / "june.txt")
    subprocess.run([sys.executable, "-m", "kg", "article", "new", "june.txt"], cwd=tmp_path,
                   check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-m", "kg", "article", "suggest",
                          f"data/articles/{JUNE}"], cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split(f"$ kg article suggest data/articles/{JUNE}\n...\n", 1)[1].split("```")[0]
    assert out[out.index("# facts:"):].startswith(shown)


def test_a_text_without_cues_gets_no_suggestions(corpus):
    entities, words, facts = corpus
    assert suggest(_article("Title\n\nIt rained all day, and nobody came."), entities, words,
                   facts) == []


def test_the_article_itself_is_unseen_when_it_is_taken_out():
    article = load_article(ROOT / "data" / "articles" / JUNE)
    blank = replace(article, facts=[], entities=[])
    entities = known_entities(ROOT / "data", leave_out=JUNE)
    assert not any(e.article == JUNE for e in entities)
    assert not any("Umierov" in e.alt_labels for e in entities)
    found = suggest(blank, entities, demonyms(ROOT / "data", leave_out=JUNE),
                    corpus_facts(ROOT / "data", JUNE))
    assert {"about": "rustem-umerov", "altLabel": "Rustem Umierov"} in [
        {k: v for k, v in f.items() if k != "evidence"} for f in _facts(found)]


def test_a_country_before_a_title_says_whose_post_and_a_country_lies_in_no_city(corpus):
    entities, words, facts = corpus
    text = ("Talks\n\nISTANBUL — Russia and Ukraine met in Istanbul. Turkish President "
            "Recep Erdogan welcomed them, and Russian Presidential Aide Vladimir Medinsky "
            "answered.")
    found = suggest(_article(text), entities, words, facts)
    posts = {(v["about"], v.get("holdsPost")) for v in _facts(found) if "holdsPost" in v}
    assert not any(post and "russia" in post and about != "vladimir-medinsky"
                   for about, post in posts), posts
    assert not [v for v in _facts(found) if v.get("locatedIn") and v["about"] in
                ("russia", "ukraine")]


def test_two_statements_of_one_speaker_have_ids_of_their_own(corpus):
    entities, words, facts = corpus
    text = ("Talks\n\nHakan Fidan said the talks would resume on Monday. Later, Hakan Fidan "
            "told reporters that a ceasefire was close.")
    found = suggest(_article(text), entities, words, facts)
    ids = [s.value["id"] for s in found if s.value.get("type") == "PublicStatement"]
    assert len(ids) == 2 and len(set(ids)) == 2, ids
