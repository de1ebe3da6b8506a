"""The NetworkX projection: entities only, labelled relations, no false hubs."""

import networkx as nx
import pytest

from kg.analyze import centrality, find_node, path
from kg.errors import InputError
from kg.network import to_networkx


@pytest.fixture(scope="module")
def g(union):
    return to_networkx(union)


def test_nodes_are_entities_with_id_label_type(g, built):
    assert set(built.corpus.entities) <= set(g)
    for node, data in g.nodes(data=True):
        assert data["label"] and data["type"] and data["iri"]
    types = {d["type"] for _, d in g.nodes(data=True)}
    assert not types & {"CuratedFact", "EvidencePassage", "Participation"}
    assert not any(n.startswith(("fact", "statement", "evidence")) for n in g)


def test_literals_and_records_make_no_nodes(g):
    assert "2025-05-15" not in g and "P30D" not in g
    assert all(not n.startswith("http") for n in g)


def test_edges_carry_predicate_label_and_facts(g):
    data = g.edges["russian-delegation", "vladimir-medinsky", "dip:headedBy"]
    assert data["predicate"] == "dip:headedBy" and data["label"] == "headed by"
    assert data["facts"].startswith("kgf:2025-05-16-istanbul-talks.")
    role = g.edges["istanbul-direct-talks-2025", "vladimir-medinsky", "dip:hasParticipant"]["role"]
    assert role == "head of delegation"


def test_graphml_round_trips(g, tmp_path):
    nx.write_graphml(g, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()


def test_path_from_rubio_to_medinsky_goes_through_the_talks(g):
    hops = path(g, "Marco Rubio", "Vladimir Medinsky")
    assert [h.target for h in hops] == ["istanbul-direct-talks-2025", "vladimir-medinsky"]
    assert hops[0].predicates == ("dip:hasParticipant",) and not hops[0].forward


def test_centrality_ranks_the_talks_first(g):
    for measure in ("degree", "betweenness", "pagerank"):
        assert centrality(g, measure, 1)[0].node == "istanbul-direct-talks-2025"


def test_unknown_and_ambiguous_names(g):
    with pytest.raises(InputError, match="closest labels: Vladimir Medinsky"):
        find_node(g, "Vladimir Medinski")
    h = nx.MultiDiGraph()
    h.add_node("a", label="Russia", type="Country")
    h.add_node("b", label="Russia", type="Delegation")
    with pytest.raises(InputError, match="names several nodes: a \\(Country\\); b \\(Delegation\\)"):
        find_node(h, "Russia")
