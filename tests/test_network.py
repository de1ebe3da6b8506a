"""Projections and analyses: entities only, every edge traceable to its quote."""

import json

import igraph
import networkx as nx
import pytest
from click.testing import CliRunner

from kg.read.analyze import NoPathError, centrality, communities, find_node, neighbours, paths
from kg.cli import main
from kg.errors import InputError
from kg.read.export import serialize_network
from kg.read.network import PROJECTIONS, centrality_graph, coparticipation_graph, multigraph, person_event_graph

from .conftest import ARTICLES, ROOT

#: The shipped articles' texts, one after the other: every quote stands in one of them.
TEXT = "\n".join((ROOT / "data/articles" / a / "article.txt").read_text(encoding="utf-8")
                 for a in ARTICLES)


@pytest.fixture(scope="module")
def g():
    from kg.source import open_store

    return multigraph(open_store(ROOT / "data"))


def test_nodes_are_entities_with_id_label_type(g, built):
    assert set(built.corpus.entities) <= set(g)
    for node, data in g.nodes(data=True):
        assert data["label"] and data["type"] and data["iri"]
    types = {d["type"] for _, d in g.nodes(data=True)}
    assert not types & {"CuratedFact", "EvidencePassage", "Participation", "Statement"}
    assert all(not n.startswith("http") for n in g)
    assert "2025-05-15" not in g and "P30D" not in g


def test_every_edge_of_an_article_is_traceable_to_a_verbatim_quote(g):
    reference_predicates = {"dip:postIn", "dip:subOrganizationOf", "dip:locatedIn"}
    for u, v, data in g.edges(data=True):
        if not data["facts"]:  # reference data (data/entities), stated by no article
            assert data["predicate"] in reference_predicates, (u, v, data)
            continue
        quotes = data["quotes"].split(" | ")
        assert quotes and all(q in TEXT for q in quotes), (u, v)


def test_edges_carry_predicate_label_facts_and_role(g):
    data = g.edges["russian-delegation", "vladimir-medinsky", "dip:headedBy"]
    assert data["predicate"] == "dip:headedBy" and data["label"] == "headed by"
    assert data["facts"].startswith("kgf:2025-05-16-istanbul-talks.")
    role = g.edges["istanbul-direct-talks-2025", "vladimir-medinsky", "dip:hasParticipant"]["role"]
    assert role == "head of delegation"


def test_simple_graph_merges_parallel_edges_and_weighs_by_facts(g):
    simple = centrality_graph(g)
    assert not simple.is_directed() and not simple.is_multigraph()
    # Medinsky is both head and member of the Russian delegation, stated by one fact
    edge = simple.edges["russian-delegation", "vladimir-medinsky"]
    assert edge["predicate"] == "dip:hasMember | dip:headedBy"
    assert edge["label"] == "has member | headed by"
    assert edge["weight"] == 1
    assert simple.number_of_edges() < g.number_of_edges()


@pytest.mark.parametrize("name", list(PROJECTIONS))
def test_every_projection_has_typed_labelled_nodes_and_traceable_edges(g, name):
    projected = PROJECTIONS[name](g)
    for _, data in projected.nodes(data=True):
        assert data["label"] and data["type"]
    for *_, data in projected.edges(data=True):
        assert data["predicate"] and data["label"]
        assert "facts" in data


def test_person_event_graph_is_bipartite_with_roles(g):
    b = person_event_graph(g)
    assert nx.is_bipartite(b)
    people = {n for n, d in b.nodes(data=True) if d["bipartite"] == 0}
    assert {b.nodes[n]["type"] for n in people} == {"Person"}
    assert "vladimir-putin" not in b  # he did not take part
    assert b.edges["hakan-fidan", "preliminary-session"]["role"] == "host"


def test_coparticipation_weights_count_shared_events(g):
    c = coparticipation_graph(g)
    # Rubio and Ukraine's foreign minister were both in the talks and the preliminary session
    edge = c.edges["marco-rubio", "ukrainian-foreign-minister-2025-05"]
    assert edge["weight"] == 2
    assert edge["events"] == "istanbul-direct-talks-2025 | preliminary-session"
    assert c.edges["marco-rubio", "vladimir-medinsky"]["weight"] == 1
    # Fidan hosted the second round, which Medinsky led the Russian delegation to
    assert c.edges["hakan-fidan", "vladimir-medinsky"]["events"] == (
        "istanbul-talks-second-round | istanbul-talks-third-round")


@pytest.mark.parametrize("measure", ["degree", "betweenness", "closeness", "eigenvector", "pagerank"])
def test_every_measure_ranks_the_talks_first(g, measure):
    assert centrality(g, measure, 1)[0].node == "istanbul-direct-talks-2025"


def test_centrality_by_type_and_sampled_betweenness(g):
    people = centrality(g, "betweenness", 3, node_type="Person")
    assert {r.type for r in people} == {"Person"} and [r.rank for r in people] == [1, 2, 3]
    sampled = centrality(g, "betweenness", 5, samples=20, seed=1)
    assert sampled == centrality(g, "betweenness", 5, samples=20, seed=1)
    with pytest.raises(InputError, match="no node has type 'Robot'"):
        centrality(g, "degree", node_type="Robot")
    with pytest.raises(InputError, match="--samples applies to betweenness only"):
        centrality(g, "pagerank", samples=3)


def test_paths_carry_the_quotes_behind_each_hop(g):
    [path] = paths(g, "Marco Rubio", "Vladimir Medinsky")
    assert [h.target for h in path] == ["istanbul-direct-talks-2025", "vladimir-medinsky"]
    assert not path[0].links[0].forward and path[1].links[0].forward
    assert path[1].links[0].quotes == ("The Russian delegation was led by Vladimir Medinsky",)
    assert all(q in TEXT for hop in path for link in hop.links for q in link.quotes)


def test_several_shortest_paths_are_all_returned(g):
    found = paths(g, "hakan-fidan", "istanbul-direct-talks-2025")
    assert len(found) > 1 and len({len(p) for p in found}) == 1


def test_unknown_ambiguous_and_unconnected_names():
    h = nx.MultiDiGraph()
    h.add_node("a", label="Russia", type="Country")
    h.add_node("b", label="Russia", type="Delegation")
    h.add_node("c", label="Vladimir Medinsky", type="Person")
    with pytest.raises(InputError, match=r"names several nodes: a \(Country\); b \(Delegation\)"):
        find_node(h, "Russia")
    with pytest.raises(InputError, match=r"closest labels: Vladimir Medinsky \(c\)"):
        find_node(h, "Vladimir Medinski")
    with pytest.raises(NoPathError):
        paths(h, "a", "c")


def test_neighbours_by_depth(g):
    near = neighbours(g, "Hakan Fidan", 1)
    assert {n.node for n in near} == {"minister-of-foreign-affairs-of-turkey",
                                      "preliminary-session", "turkey",
                                      "istanbul-talks-second-round",
                                      "istanbul-talks-third-round"}
    assert {n.depth for n in neighbours(g, "Hakan Fidan", 2)} == {1, 2}


def test_communities_separate_the_parties(g):
    result = communities(g, "louvain", seed=0)
    home = {member: i for i, group in enumerate(result.groups) for member in group}
    assert home["russia"] != home["ukraine"]
    assert home["rustem-umerov"] == home["ukraine"]
    assert home["vladimir-medinsky"] != home["rustem-umerov"]
    assert 0.3 < result.modularity < 1
    assert communities(g, "greedy").groups  # the other method runs too


@pytest.mark.parametrize("name", list(PROJECTIONS))
def test_graphml_of_every_projection_loads_in_igraph(g, name, tmp_path):
    projected = PROJECTIONS[name](g)
    path = tmp_path / f"{name}.graphml"
    path.write_bytes(serialize_network(projected, "graphml"))
    loaded = igraph.Graph.Read_GraphML(str(path))
    assert loaded.vcount() == projected.number_of_nodes()
    assert loaded.ecount() == projected.number_of_edges()
    assert sorted(loaded.vs["label"]) == sorted(d["label"] for _, d in projected.nodes(data=True))


@pytest.mark.parametrize("fmt,reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_gexf_and_graphml_round_trip(g, fmt, reader, tmp_path):
    path = tmp_path / f"g.{fmt}"
    path.write_bytes(serialize_network(coparticipation_graph(g), fmt))
    back = reader(path)
    assert back.number_of_edges() == coparticipation_graph(g).number_of_edges()
    assert back.edges["marco-rubio", "ukrainian-foreign-minister-2025-05"]["weight"] == 2


def test_node_link_json_has_scalar_attributes_only(g):
    data = json.loads(serialize_network(g, "json"))
    for item in data["nodes"] + data["edges"]:
        assert all(isinstance(v, (str, int, float, bool)) for v in item.values())


def test_cli_analyses(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["analyze", "centrality", "--measure", "pagerank", "--type",
                                  "Person", "--top", "2", "--format", "json", "-g", "data"],
                           catch_exceptions=False)
    rows = json.loads(result.output)
    assert [r["rank"] for r in rows] == [1, 2] and {r["type"] for r in rows} == {"Person"}
    result = runner.invoke(main, ["analyze", "path", "Marco Rubio", "Vladimir Medinsky", "-g", "data"])
    assert result.exit_code == 0
    assert '"The Russian delegation was led by Vladimir Medinsky"' in result.output
    result = runner.invoke(main, ["analyze", "neighbours", "TASS", "-g", "data"])
    assert "reportedThrough" in result.output
    result = runner.invoke(main, ["analyze", "communities", "-g", "data"])
    assert result.output.startswith("8 communities (louvain), modularity")
    result = runner.invoke(main, ["export", "--format", "json", "--projection", "coparticipation",
                                  "-g", "data"])
    assert len(json.loads(result.output)["nodes"]) == 8


# --- analysis never invents links --------------------------------------------------------------

def test_an_absence_is_never_an_edge(g):
    """The article says Putin did not take part: no projection links him to the talks."""
    for name, project in PROJECTIONS.items():
        projected = project(g)
        assert not any("withoutParticipant" in d.get("predicate", "")
                       for _, _, d in projected.edges(data=True)), name
    assert not g.has_edge("istanbul-direct-talks-2025", "vladimir-putin")
    found = paths(g, "Marco Rubio", "Vladimir Putin")
    assert all(link.predicate != "dip:withoutParticipant"
               for path in found for hop in path for link in hop.links)
    near = {n.node for n in neighbours(g, "Vladimir Putin", 1)}
    assert "istanbul-direct-talks-2025" not in near


def test_no_ontology_term_is_a_node(g):
    assert not [n for n, d in g.nodes(data=True)
                if d["iri"].startswith("https://w3id.org/diplomacy-kg/ontology#")]
    assert "HostRole" not in g and "Discussed" not in g


def test_no_inferred_edge_repeats_or_adds_to_what_is_stated(g):
    """memberOf is inferred from hasMember, hasParticipant of a country from its delegation:
    the projections read what the sources state, so neither is an edge."""
    assert g.has_edge("us-delegation", "marco-rubio", "dip:hasMember")
    assert not g.has_edge("marco-rubio", "us-delegation", "dip:memberOf")
    assert not g.has_edge("istanbul-direct-talks-2025", "russia", "dip:hasParticipant")
    assert not any(d["predicate"].startswith(("schema:", "prov:", "org:"))
                   for _, _, d in g.edges(data=True))


def test_pictures_draw_no_absence(tmp_path):
    from kg.source import open_store
    from kg.read.viz import render

    render(open_store(ROOT / "data"), tmp_path)
    page = (tmp_path / "kg.html").read_text(encoding="utf-8")
    assert "dip:hasParticipant" in page and "withoutParticipant" not in page


def test_a_path_names_the_article_of_each_quote():
    """A path through both shipped articles says which article each hop's words are from."""
    from kg.read.analyze import paths
    from kg.read.report import format_paths
    from kg.source import open_store
    from kg.read.network import multigraph

    g = multigraph(open_store(ROOT / "data"))
    found = paths(g, "Tom Barrack", "Çırağan Palace")
    text = format_paths(g, found)
    assert '"Istanbul\'s Çırağan Palace"  (2025-06-02-istanbul-exchange)' in text
    assert "Tom Barrack and Special Envoy for Ukraine Keith Kellogg.\"  (2025-05-16-istanbul-talks)" in text
    links = [link for hop in found[0] for link in hop.links]
    assert all(len(link.quoted_from) == len(link.quotes) for link in links)
