"""Articles in their own language (issue 18, points 1-3 and 6 in part): the article's
language in the graph, its words as evidence with the curator's English beside them, names
in several languages, and search across scripts."""

import hashlib
import shutil
import unicodedata

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.build.evidence import ArticleText
from kg.cli import main
from kg.curate.entities import search_entities
from kg.read.query import run_query
from kg.source import open_store

from .conftest import ROOT

RUSSIAN = "2025-06-02-istanbul-second-round-ru"
DIP = "https://w3id.org/diplomacy-kg/ontology#"
KGR = "https://w3id.org/diplomacy-kg/id/"
KGA = KGR + "article/"
DCT = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(store, text):
    return [[t.value if t is not None else None for t in row] for row in run_query(store, text).rows]


# --- the shipped Russian article --------------------------------------------------------------

def test_the_article_language_and_headline_are_in_the_graph(built):
    graph = built.union()
    article = URIRef(KGA + RUSSIAN)
    assert graph.value(article, URIRef(DCT + "language")) == Literal("ru", datatype=XSD.language)
    headline = graph.value(article, URIRef("https://schema.org/headline"))
    assert headline.language == "ru" and headline.startswith("Второй раунд")
    # the English articles say so too
    english = URIRef(KGA + "2025-05-16-istanbul-talks")
    assert graph.value(english, URIRef(DCT + "language")) == Literal("en", datatype=XSD.language)


def test_evidence_is_the_articles_own_words_with_the_curators_english(built):
    graph = built.union()
    found = {
        (str(graph.value(p, URIRef(OA + "exact"))), str(t), t.language)
        for p, t in graph.subject_objects(URIRef(DIP + "translation"))
    }
    assert ("Российскую делегацию вновь возглавил помощник президента Владимир Мединский",
            "The Russian delegation was again led by presidential aide Vladimir Medinsky",
            "en") in found
    # a quotation's own translation, on the quotation's passage
    assert ("в одностороннем порядке", "unilaterally", "en") in found
    quoted = graph.value(URIRef(KGR + "medinsky-statement-2025-06"), URIRef(DIP + "quotation"))
    assert quoted == Literal("в одностороннем порядке", lang="ru")


def test_names_in_several_languages_are_language_tagged(built):
    labels = set(built.union().objects(URIRef(KGR + "vladimir-medinsky"),
                                       URIRef("http://www.w3.org/2004/02/skos/core#altLabel")))
    assert Literal("Владимир Мединский", lang="ru") in labels
    assert Literal("Vladimir Medinsky", lang="en") in set(
        built.union().objects(URIRef(KGR + "vladimir-medinsky"), RDFS.label))


def test_a_statement_quoted_in_russian_beside_the_english_report():
    """The competency question that mixes languages: the statement the English report
    declares (label, summary), quoted in the Russian report, with the curator's English."""
    text = (ROOT / "queries" / "12-quoted-in-russian.rq").read_text(encoding="utf-8")
    assert rows(open_store(ROOT / "data"), text) == [[
        "Medinsky on returning the bodies of Ukrainian soldiers",
        "Russia would also hand over the bodies of 6,000 Ukrainian soldiers",
        "в одностороннем порядке",
        "ru",
        "unilaterally",
    ]]


def test_reports_in_two_languages_agree_on_who_headed_the_delegation():
    text = """SELECT DISTINCT ?language ?words WHERE {
      GRAPH ?fact { kgr:ukrainian-delegation-2025-06 dip:headedBy kgr:rustem-umerov }
      ?fact prov:wasDerivedFrom/dcterms:language ?language ; dip:evidence/oa:exact ?words .
    } ORDER BY ?language"""
    assert rows(open_store(ROOT / "data"), text) == [
        ["en", "Defense Minister Rustem Umierov headed the Ukrainian side"],
        ["ru", "украинскую — министр обороны Рустем Умеров"],
    ]


# --- search and the curation tools across scripts --------------------------------------------

@pytest.mark.parametrize("name, entity", [
    ("Мединский", "vladimir-medinsky"),   # Cyrillic for a name the corpus has in English
    ("Umierov", "rustem-umerov"),         # another spelling
    ("Умеров", "rustem-umerov"),
    ("Хакан Фидан", "hakan-fidan"),
])
def test_search_finds_a_name_in_another_script(name, entity):
    assert search_entities(name)[0].entity.id == entity


def test_kg_article_new_proposes_known_entities_for_cyrillic_names(tmp_path, data_copy):
    text = (ROOT / "data" / "articles" / RUSSIAN / "article.txt").read_text(encoding="utf-8")
    shutil.rmtree(data_copy / "articles" / RUSSIAN)  # no Cyrillic names known: only English
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    result = cli("article", "new", source, "--data", data_copy, "--slug", "ru-copy")
    assert result.exit_code == 0, result.output
    facts = (data_copy / "articles" / "2025-06-02-ru-copy" / "facts.yaml").read_text("utf-8")
    assert 'published_as: "02.06.2025"' in facts and 'dateline: "СТАМБУЛ"' in facts
    assert "Владимир Мединский (paragraph 4); maybe vladimir-medinsky" in facts
    assert "Рустем Умеров (paragraph 4); maybe rustem-umerov" in facts


# --- matching the words: composition, quotes and guillemets -----------------------------------

def test_decomposed_accents_and_guillemets_match():
    decomposed = unicodedata.normalize("NFD", "Çırağan")
    assert decomposed != "Çırağan"
    text = ArticleText(unicodedata.normalize("NFC", f"Они встретились во дворце {decomposed}."))
    assert text.find("во дворце Çırağan") is not None          # composed in the facts
    guillemets = ArticleText("Он сказал: «в одностороннем порядке».")
    span = guillemets.find('"в одностороннем порядке"')       # straight quotes typed
    assert span is not None and span.exact == "«в одностороннем порядке»"


def test_a_decomposed_article_file_builds_with_composed_evidence(data_copy, tmp_path):
    folder = data_copy / "articles" / RUSSIAN
    raw = unicodedata.normalize("NFD", (folder / "article.txt").read_text("utf-8")).encode()
    (folder / "article.txt").write_bytes(raw)
    facts = (folder / "facts.yaml").read_text("utf-8")
    old = facts.split("sha256: ")[1].split()[0]
    (folder / "facts.yaml").write_text(facts.replace(old, hashlib.sha256(raw).hexdigest()),
                                       encoding="utf-8")
    result = cli("article", "check", folder)
    assert result.exit_code == 0, result.output


# --- bad input ----------------------------------------------------------------------------------

def _edit(data_copy, old, new):
    path = data_copy / "articles" / RUSSIAN / "facts.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return path, line


def test_a_language_that_is_no_tag_is_refused_at_its_line(data_copy, tmp_path):
    path, line = _edit(data_copy, "language: ru", "language: russian")
    result = cli("build", data_copy, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"facts.yaml:{line}:" in result.output
    assert "'russian' is not a BCP 47 language tag" in result.output
    assert not (tmp_path / "out" / "kg.ttl").exists()


def test_a_malformed_map_of_names_is_refused_at_its_line(data_copy, tmp_path):
    path, line = _edit(data_copy, "altLabel: {ru: Рустем Умеров}", "altLabel: {russian!: Рустем}")
    result = cli("build", data_copy, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"facts.yaml:{line}:" in result.output and "language tag" in result.output


def test_a_translation_in_a_reference_file_is_refused(data_copy, tmp_path):
    places = data_copy / "entities" / "places.yaml"
    text = places.read_text("utf-8")
    places.write_text(text.replace("    label: Istanbul\n",
                                   "    label: Istanbul\n    translation: Istanbul\n", 1),
                      encoding="utf-8")
    result = cli("build", data_copy, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "places.yaml:" in result.output
    assert "translation" in result.output


def test_a_text_not_in_the_script_of_its_language_gets_a_warning(data_copy, tmp_path):
    path, line = _edit(data_copy, "  language: ru\n", "  language: en\n")
    result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output                  # a warning, not an error
    warning = (f"kg: warning: {path}:{line}: the article is declared en (Latin script) "
               "but most of its letters are Cyrillic")
    assert warning in result.stderr
    check = cli("article", "check", path.parent)
    assert check.exit_code == 0 and "warning:" in check.output and "Cyrillic" in check.output
    # the English articles, in Latin letters, get none
    assert result.stderr.count("kg: warning:") == 1


def test_the_workbench_proposes_the_known_entity_for_a_cyrillic_name(data_copy):
    from kg.curate.workbench import article_view

    # the corpus knows Medinsky and Umerov only by their English names
    path = data_copy / "articles" / RUSSIAN / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    for ru, en in (("Владимир Мединский", "Vladimir Medinsky"), ("Рустем Умеров", "Rustem Umerov")):
        text = text.replace(f"altLabel: {{ru: {ru}}}", f"altLabel: {{en: {en}}}")
    path.write_text(text, encoding="utf-8")
    view = article_view(data_copy, RUSSIAN)
    assert view["problems"] == []
    maybe = {u["name"]: u["maybe"] for u in view["unknown"]}
    assert "vladimir-medinsky" in maybe["Владимир Мединский"]
    assert "rustem-umerov" in maybe["Рустем Умеров"]


# --- what review found ------------------------------------------------------------------------

def test_two_translations_of_the_same_words_are_refused_at_both_lines(data_copy, tmp_path):
    path = data_copy / "articles" / RUSSIAN / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    quoted = text[: text.index("    quotation:\n      text: в одностороннем")].count("\n") + 1
    # a second fact that cites exactly the quoted words, with another translation
    text += ("  - about: medinsky-statement-2025-06\n    speechVerb: заявил\n"
             "    evidence: в одностороннем порядке\n    translation: on its own\n")
    path.write_text(text, encoding="utf-8")
    result = cli("build", data_copy, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "these words have another translation at" in result.output
    assert f"facts.yaml:{quoted}" in result.output


def test_norwegian_written_bare_gets_a_hint(data_copy, tmp_path):
    _edit(data_copy, "  language: ru\n", "  language: no\n")
    result = cli("build", data_copy, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "quote the tag, e.g. 'no'" in result.output


def test_one_language_named_twice_in_a_map_is_refused(data_copy, tmp_path):
    path, line = _edit(data_copy, "altLabel: {ru: Рустем Умеров}", "altLabel: {ru: Рустем Умеров, RU: Умеров}")
    result = cli("build", data_copy, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"facts.yaml:{line}:" in result.output and "names ru twice" in result.output


def test_readers_show_the_english_name_of_a_place_named_in_several_languages(data_copy, tmp_path):
    places = data_copy / "entities" / "places.yaml"
    text = places.read_text(encoding="utf-8").replace(
        "    label: Çırağan Palace\n",
        "    label: {en: Çırağan Palace, ru: Дворец Чыраган, de: Ciragan-Palast}\n", 1)
    places.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert cli("build", data_copy, "-o", out).exit_code == 0
    timeline = cli("timeline", "-g", out, "--format", "csv")
    assert "Çırağan Palace" in timeline.output and "Ciragan-Palast" not in timeline.output
    from kg.read.geomap import markers
    from kg.read.network import multigraph

    assert "Çırağan Palace" in [m.label for m in markers(open_store(out))[0]]
    graph = multigraph(open_store(out))
    assert graph.nodes["ciragan-palace"]["label"] == "Çırağan Palace"
    labels = {r[0].value for r in run_query(open_store(out), """SELECT ?l WHERE {
        kgr:ciragan-palace rdfs:label ?l }""").rows}
    assert labels == {"Çırağan Palace", "Дворец Чыраган", "Ciragan-Palast"}   # all kept


def test_a_label_may_be_a_number_as_before(data_copy, tmp_path):
    people = data_copy / "entities" / "people.yaml"
    people.write_text(people.read_text("utf-8") + "  - id: agent-1984\n    type: Person\n    label: 1984\n"
                      "    note: \"A person known by a number.\"\n", encoding="utf-8")
    result = cli("build", data_copy, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
