"""The inferred graph is what a full OWL 2 RL reasoner derives from the same triples."""

import sys

import owlrl
import pytest
from rdflib import Graph, URIRef

from kg.build.infer import about_entities, abox, axioms, infer
from kg.build.pipeline import build_in_memory

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402


def owlrl_inferences(stated: bytes) -> set:
    """owlrl's OWL 2 RL closure of the ontology's axioms and `stated`, kept as kg keeps it."""
    graph = Graph()
    for triple in axioms():
        graph.add(triple)
    base = Graph().parse(data=stated.decode(), format="nt")
    for triple in base:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(graph)
    found = {(str(s), str(p), str(o)) for s, p, o in graph
             if isinstance(o, URIRef) and (s, p, o) not in base}
    return {t for t in found if about_entities(t)}


def kg_inferences(stated: bytes) -> set:
    lines = infer(stated).decode().splitlines()
    return {tuple(part[1:-1] for part in line.rstrip(" .").split(" ", 2)) for line in lines}


@pytest.mark.parametrize("corpus", ["shipped", "synthetic"])
def test_the_reasoner_agrees_with_owlrl(corpus, tmp_path):
    data = ROOT / "data" if corpus == "shipped" else write_corpus(tmp_path / "data", 4, seed=3)
    store = build_in_memory(data)
    stated = b"".join(abox(r.ntriples) for r in store.results.values())
    ours = kg_inferences(stated)
    assert len(ours) > 300
    assert ours == owlrl_inferences(stated)


def test_only_triples_between_entities_with_an_axiom_are_read():
    kgr, dip = "https://w3id.org/diplomacy-kg/id/", "https://w3id.org/diplomacy-kg/ontology#"
    lines = (f'<{kgr}a> <{dip}curatorNote> "x" .\n'                    # a literal
             f"<{kgr}fact/f> <{dip}evidence> <{kgr}passage/p> .\n"      # a record
             f"<{kgr}a> <{dip}status> <{dip}Agreed> .\n"                # no axiom mentions it
             f"<{kgr}a> <{dip}hasMember> <{kgr}b> .\n").encode()
    assert abox(lines) == f"<{kgr}a> <{dip}hasMember> <{kgr}b> .\n".encode()
