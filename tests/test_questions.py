"""Plain questions, written as an analyst writes them after reading the README and skimming
the ontology (one property or class per step, no UNION of alternatives, no `*` paths), get
their full answers: the build infers what follows from the ontology."""

import pytest

from kg.read.query import run_query
from kg.source import open_store

from .conftest import ROOT


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from kg.build.pipeline import build

    out = tmp_path_factory.mktemp("out")
    build(ROOT / "data", out, workers=1)
    return open_store(out)


def ids(store, query, **options):
    answer = run_query(store, query, **options)
    return sorted(row[0].value.rsplit("/", 1)[1].rsplit("#", 1)[-1] for row in answer.rows)


def test_which_countries_took_part_in_the_talks(store):
    """Russia, Ukraine and the United States take part through their delegations."""
    query = """SELECT DISTINCT ?c WHERE { kgr:istanbul-direct-talks-2025 dip:hasParticipant ?c .
                                          ?c a dip:Country }"""
    assert ids(store, query) == ["russia", "turkey", "ukraine", "united-states"]
    assert ids(store, query, inferred=False) == ["turkey"]  # what the article states itself


def test_statements_by_us_officials(store):
    """Tammy Bruce serves the State Department, which belongs to the United States."""
    query = "SELECT ?s WHERE { ?s dip:speaker ?p . ?p dip:serves kgr:united-states }"
    assert ids(store, query) == ["bruce-statement", "rubio-statement"]


@pytest.mark.parametrize("cls", ["DiplomaticEvent", "Organization", "Agent", "Proposal"])
def test_every_instance_of_a_superclass(store, cls):
    """Every entity declared with a class below `cls` is an instance of `cls`."""
    from kg.build.facts import load_corpus
    from kg.vocab.ontology import subclasses

    dip = "https://w3id.org/diplomacy-kg/ontology#"
    below = subclasses(dip + cls)
    declared = load_corpus(ROOT / "data").entities.values()
    expected = sorted(e.id for e in declared if dip + e.type in below)
    assert expected
    assert ids(store, f"SELECT ?x WHERE {{ ?x a dip:{cls} }}") == expected
    stated = ids(store, f"SELECT ?x WHERE {{ ?x a dip:{cls} }}", inferred=False)
    assert stated == sorted(e.id for e in declared if e.type == cls) != expected


def test_dated_meetings_include_the_session(store):
    query = "SELECT ?e WHERE { ?e a dip:Meeting ; dip:date ?date }"
    assert ids(store, query) == ["preliminary-session", "turkey-ukraine-meeting",
                                 "us-ukraine-meeting"]


def test_a_superproperty_and_an_inverse(store):
    assert "peace-talks-2022" in ids(
        store, "SELECT ?e WHERE { kgr:istanbul-direct-talks-2025 dip:precededBy ?e }")
    members = ids(store, "SELECT ?p WHERE { ?p dip:memberOf kgr:us-delegation }")
    assert members == ["keith-kellogg", "marco-rubio", "tom-barrack"]


def test_where_the_negotiations_began(store):
    assert ids(store, "SELECT ?p WHERE { kgr:istanbul-direct-talks-2025 dip:beganAt ?p }") == [
        "dolmabahce-palace"]
    # beganAt is a kind of location: the talks took place in the city and at the palace
    assert ids(store, "SELECT ?p WHERE { kgr:istanbul-direct-talks-2025 dip:location ?p }") == [
        "dolmabahce-palace", "istanbul"]


def test_transitive_places_and_bodies(store):
    assert ids(store, "SELECT ?p WHERE { kgr:dolmabahce-palace dip:locatedIn ?p }") == [
        "istanbul", "turkey"]
    assert ids(store, "SELECT ?p WHERE { kgr:tammy-bruce dip:actsFor ?p }") == [
        "united-states", "us-state-department"]


def test_the_ontology_is_queryable_with_the_data(store):
    roles = run_query(store, """SELECT DISTINCT ?label WHERE {
        ?part dip:agent kgr:hakan-fidan ; dip:role ?role . ?role rdfs:label ?label }""")
    assert [row[0].value for row in roles.rows] == ["host"]
    cameo = run_query(store, "SELECT ?code WHERE { dip:Negotiation dip:cameoCode ?code }")
    assert [row[0].value for row in cameo.rows] == ["046"]
    shapes = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/"
                              "diplomacy-kg/graph/shapes> { ?s ?p ?o } }")
    assert int(shapes.rows[0][0].value) > 100


def test_inferred_triples_carry_no_evidence(store):
    """An inferred triple has no statement record: nothing claims words support it."""
    found = run_query(store, """SELECT ?s ?p ?o WHERE {
        GRAPH <https://w3id.org/diplomacy-kg/graph/inferred> { ?s ?p ?o }
        ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }""")
    assert found.rows == []
    stated = run_query(store, """SELECT ?s WHERE {
        GRAPH <https://w3id.org/diplomacy-kg/graph/inferred> { ?s ?p ?o }
        GRAPH <https://w3id.org/diplomacy-kg/graph/stated> { ?s ?p ?o } }""")
    assert stated.rows == []  # and no inferred triple repeats a stated one
