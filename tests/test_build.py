"""The built graph: plain triples, evidence for each, named graphs, deterministic files."""

import os
import subprocess
import sys

import pyoxigraph
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD, Namespace

from kg.build.unit import REFERENCE_GRAPH, graph_iri
from kg.cli import main
from kg.vocab.rdf import DIP, KGR, OA

DCT = Namespace("http://purl.org/dc/terms/")

from .conftest import ARTICLE, ARTICLES, JULY, JUNE, ROOT, RUSSIAN

TEXT = (ROOT / "data/articles" / ARTICLE / "article.txt").read_text(encoding="utf-8")


def test_a_graph_per_article_per_curated_fact_plus_reference(dataset):
    """The article's graph holds its records; each curated fact's graph, what it asserts."""
    names = {g.identifier for g in dataset.graphs() if len(g)}
    reference = dataset.graph(REFERENCE_GRAPH)
    per_article = {a: set(dataset.graph(graph_iri(a)).subjects(RDF.type, DIP.CuratedFact))
                   for a in ARTICLES}
    facts = set().union(*per_article.values())
    background = set(reference.subjects(RDF.type, DIP.CuratedFact))
    assert names == {graph_iri(a) for a in ARTICLES} | {REFERENCE_GRAPH} | facts | background
    assert len(per_article[ARTICLE]) == 62 and len(per_article[JUNE]) == 23
    assert len(per_article[JULY]) == 33 and len(per_article[RUSSIAN]) == 12
    assert len(background) == 34  # one per entry of data/entities
    # a fact's graph holds no provenance: its triples are what the fact says
    for fact in facts | background:
        graph = dataset.graph(fact)
        assert len(graph) and not set(graph.predicates()) & {DIP.evidence, OA.exact}


def test_no_triple_is_without_provenance(dataset):
    """Every triple a source states is in a curated fact's graph, and every fact says how it
    stands: stated or read (with its evidence and, if read, the reading), or background
    knowledge (with its source or the curator's note)."""
    articles = [dataset.graph(graph_iri(a)) for a in ARTICLES]
    reference = dataset.graph(REFERENCE_GRAPH)
    basis = {}
    for records in (*articles, reference):
        for fact, kind in records.subject_objects(DIP.basis):
            basis[fact] = (kind, records)
    for fact, (kind, records) in basis.items():
        if kind == DIP.Background:
            assert records is reference
            assert records.value(fact, DIP.source) or records.value(fact, DIP.curatorNote)
        else:
            assert records in articles and records.value(fact, DIP.evidence)
            assert (kind == DIP.Read) == (records.value(fact, DIP.reading) is not None)
    kinds = {k for k, _ in basis.values()}
    assert kinds == {DIP.Stated, DIP.Read, DIP.Background}
    # the facts' graphs and nothing else hold what the sources state
    stated = {g.identifier for g in dataset.graphs() if len(g)} - {
        graph_iri(a) for a in ARTICLES} - {REFERENCE_GRAPH}
    assert stated == set(basis)


def test_plain_triples_answer_without_evidence_records(union):
    rows = list(union.query("""
        SELECT DISTINCT ?name WHERE { ?d dip:represents kgr:russia ; dip:headedBy/rdfs:label ?name }""",
                            initNs={"dip": DIP, "kgr": KGR}))
    assert [str(r.name) for r in rows] == ["Vladimir Medinsky"]


def test_every_article_triple_is_traceable_to_exact_words(dataset, union):
    """Each triple the article states, but its own metadata, is in the graph of a curated fact
    whose evidence quotes the article exactly at its offsets: two patterns beyond the triple."""
    article = dataset.graph(graph_iri(ARTICLE))
    facts = set(article.subjects(RDF.type, DIP.CuratedFact))
    stated = {t for fact in facts for t in dataset.graph(fact)}
    checked = 0
    for s, p, o in stated:
        rows = list(dataset.query("""
            SELECT ?exact ?start ?end WHERE {
              GRAPH ?fact { ?s ?p ?o }
              GRAPH ?article { ?fact dip:evidence ?ev .
                               ?ev oa:exact ?exact ; oa:start ?start ; oa:end ?end } }""",
                                  initBindings={"s": s, "p": p, "o": o,
                                                "article": graph_iri(ARTICLE)},
                                  initNs={"dip": DIP, "oa": OA}))
        assert rows, f"no evidence for {s} {p} {o}"
        for exact, start, end in rows:
            assert TEXT[int(start):int(end)] == str(exact)
        checked += 1
    assert checked == len(stated) > 200
    # what the article's graph holds besides records of facts and passages is the article's
    # own description, which the build records (type, digest, length, file, events reported)
    records = {x for c in (DIP.CuratedFact, DIP.EvidencePassage)
               for x in article.subjects(RDF.type, c)}
    rest = {(s, p) for s, p, _ in article if s not in records}
    assert rest == {(graph_iri(ARTICLE), p) for p in (RDF.type, DIP.sha256, DIP.textLength,
                                                      DIP.sourceFile, DIP.reports, DCT.language)}


def test_quotations_have_their_own_offsets(dataset):
    rows = list(dataset.query("""
        SELECT ?words ?exact ?start ?end WHERE {
          GRAPH ?fact { ?said dip:quotation ?words }
          GRAPH ?article { ?fact dip:quotationPassage ?q .
                           ?q oa:exact ?exact ; oa:start ?start ; oa:end ?end } }""",
                              initBindings={"article": graph_iri(ARTICLE)},
                              initNs={"dip": DIP, "oa": OA}))
    matched = set()
    for words, exact, start, end in rows:
        assert TEXT[int(start):int(end)] == str(exact)
        if str(words).replace("’", "'") == str(exact).replace("’", "'"):
            matched.add(str(words))
    assert len(matched) == 4  # each of the four quotations has its passage


def test_dates_are_xsd_dates_and_derivations_recorded(union):
    talks = KGR["istanbul-direct-talks-2025"]
    # the May article's Thursday, and the June article's 16 May: the sources disagree
    assert set(union.objects(talks, DIP.date)) == {Literal("2025-05-15", datatype=XSD.date),
                                                   Literal("2025-05-16", datatype=XSD.date)}
    assert union.value(KGR["peace-talks-2022"], DIP.year) == Literal("2022", datatype=XSD.gYear)
    derivations = [str(d) for d in union.objects(None, DIP.derivation)]
    assert any("Thursday" in d and "2025-05-15" in d for d in derivations)
    assert any("same day as istanbul-direct-talks-2025" in d for d in derivations)


def test_build_writes_three_deterministic_files(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "kg", "build", "data", "-o", str(out)],
                       check=True, env=env, capture_output=True, cwd=ROOT)
        assert sorted(p.name for p in out.iterdir()) == [
            "cache", "kg.trig", "kg.ttl", "store", "stores"]
        files = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        files["store"] = pyoxigraph.Store.read_only(str(out / "store")).dump(
            format=pyoxigraph.RdfFormat.N_QUADS)
        outs.append(files)
    assert sorted(outs[0]) == ["kg.trig", "kg.ttl", "store"]
    assert outs[0] == outs[1]
    turtle = outs[0]["kg.ttl"].decode()
    assert "ns1:" not in turtle and "@prefix dip: <https://w3id.org/diplomacy-kg/ontology#>" in turtle


def test_an_independent_parser_accepts_the_outputs(tmp_path):
    CliRunner().invoke(main, ["build", "data", "-o", str(tmp_path)], catch_exceptions=False)
    store = pyoxigraph.Store()
    store.load(path=str(tmp_path / "kg.trig"), format=pyoxigraph.RdfFormat.TRIG)
    turtle = pyoxigraph.Store()
    turtle.load(path=str(tmp_path / "kg.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    ours = Graph().parse(tmp_path / "kg.ttl")
    shapes = "https://w3id.org/diplomacy-kg/graph/shapes"
    distinct = {(q.subject, q.predicate, q.object) for q in store if q.graph_name.value != shapes}
    assert len(turtle) == len(ours) == len(distinct) > 1500
    # the TriG keeps a graph per article and per curated fact, the reference entities, the
    # ontology, the shapes and the inferred triples; kg.ttl holds them all but the shapes
    names = {q.graph_name.value for q in store}
    assert {n.rsplit("/", 1)[1] for n in names if "/graph/" in n} == {
        "reference", "ontology", "shapes", "inferred"}
    assert {n.rsplit("/", 1)[1].split(".")[0] for n in names if "/graph/" not in n} == {
        *ARTICLES, "reference"}
    assert len(names) == 4 + 4 + 62 + 23 + 12 + 33 + 34  # + the articles, their facts, the reference entries


def test_failed_build_leaves_earlier_outputs_untouched(tmp_path, data_copy):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["build", str(data_copy), "-o", str(out)], catch_exceptions=False)

    def outputs():  # the files and the store generation the link points to
        found = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        return found, os.readlink(out / "store"), sorted(p.name for p in (out / "stores").iterdir())

    before = outputs()
    facts = data_copy / f"articles/{ARTICLE}/facts.yaml"
    # a SHACL violation, not an input error: the delegation head is not a member
    facts.write_text(facts.read_text().replace(
        "    headedBy: vladimir-medinsky\n    hasMember: vladimir-medinsky\n",
        "    headedBy: vladimir-medinsky\n"))
    result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "the head of the delegation (kgr:vladimir-medinsky) is not one of its members" in result.output
    assert outputs() == before


def test_build_summary_counts(tmp_path):
    result = CliRunner().invoke(main, ["build", "data", "-o", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "SHACL       conforms" in result.output
    lines = {l.split()[0]: l.split()[1:] for l in result.output.splitlines()[1:]}
    assert lines["quotes"][:6] == ["all", "found", "in", "the", "article:", lines["facts"][0]]
    from kg.build.facts import load_corpus

    quotations = sum(c.key == "quotation" for f in load_corpus("data").facts for c in f.claims)
    assert quotations == 5  # Rubio 1, Bruce 1, the Foreign Ministry official 2, Medinsky 1 (in Russian)
    assert lines["quotes"][6:] == ["evidence", "passages,", str(quotations), "quotations"]


def test_the_war_has_its_sides(union):
    """An armed conflict's sides (dip:belligerent): the shipped war is Russia's and Ukraine's,
    read from "the two warring nations"."""
    sides = set(union.objects(KGR["russia-ukraine-war"], DIP.belligerent))
    assert sides == {KGR.russia, KGR.ukraine}
