"""The ontology is code: well-formed, fully labelled, aligned, consistent with the data."""

import re

import owlrl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.vocab.ontology import load_ontology
from kg.vocab.curation import ENUMS, PROPERTIES, ROLES, TYPES
from kg.vocab.rdf import DIP

ONTOLOGY_IRI = URIRef("https://w3id.org/diplomacy-kg/ontology")


def _terms(ontology):
    return sorted({s for s in ontology.subjects() if str(s).startswith(str(DIP))})


def test_one_ontology_with_a_version_iri():
    ontology = load_ontology()
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    version = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert re.fullmatch(r"https://w3id.org/diplomacy-kg/ontology/\d+\.\d+\.\d+", str(version))


@pytest.mark.parametrize("term", _terms(load_ontology()), ids=lambda t: str(t).split("#")[1])
def test_every_term_has_an_english_label_and_a_one_sentence_definition(term):
    ontology = load_ontology()
    labels = [l for l in ontology.objects(term, RDFS.label) if l.language == "en"]
    comments = [c for c in ontology.objects(term, RDFS.comment) if c.language == "en"]
    assert len(labels) == 1 and len(comments) == 1
    comment = str(comments[0])
    assert comment[0].isupper() and comment.endswith(".")
    assert not re.search(r"[.!?] [A-Z]", comment), "one sentence only"


def test_names_follow_the_conventions():
    ontology = load_ontology()
    for cls in ontology.subjects(RDF.type, OWL.Class):
        assert re.fullmatch(r"[A-Z][A-Za-z]+", str(cls).split("#")[1]), cls
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert re.fullmatch(r"[a-z][A-Za-z0-9]+", str(prop).split("#")[1]), prop


def test_curation_vocabulary_is_defined_in_the_ontology():
    ontology = load_ontology()
    for name in TYPES:
        assert (DIP[name], RDF.type, OWL.Class) in ontology, name
    for key, prop in PROPERTIES.items():
        assert (URIRef(prop.iri), RDFS.label, None) in ontology, key
        assert (URIRef(prop.iri), RDFS.comment, None) in ontology, key
    for individual in list(ROLES.values()) + [v for e in ENUMS.values() for v in e.values()]:
        assert (DIP[individual], RDFS.label, None) in ontology, individual


def test_aligned_to_standard_vocabularies_and_cameo():
    ontology = load_ontology()
    text = ontology.serialize(format="nt")
    for namespace in ("https://schema.org/", "http://www.w3.org/ns/org#",
                      "http://www.w3.org/ns/prov#", "http://www.w3.org/2006/time#"):
        assert namespace in text, namespace
    cameo = {str(s).split("#")[1]: str(o) for s, o in ontology.subject_objects(DIP.cameoCode)}
    assert cameo["Negotiation"] == "046"
    assert cameo["HostRole"] == "043"
    assert cameo["MediatorRole"] == "045"
    assert (DIP.headedBy, OWL.inverseOf, URIRef("http://www.w3.org/ns/org#headOf")) in ontology


def _closure(data: Graph) -> list[str]:
    graph = Graph()
    for triple in load_ontology():
        graph.add(triple)
    for triple in data:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = "http://www.daml.org/2002/03/agents/agent-ont#"
    return sorted(str(graph.value(node, URIRef(errors + "error")))
                  for node in graph.subjects(RDF.type, URIRef(errors + "ErrorMessage")))


def test_owl_rl_closure_of_ontology_and_data_is_consistent(union):
    assert _closure(union) == []


def test_owl_rl_closure_catches_a_planted_contradiction(union):
    planted = Graph()
    for triple in union:
        planted.add(triple)
    # a person is declared disjoint with an organisation; make Medinsky a delegation too
    planted.add((URIRef("https://w3id.org/diplomacy-kg/id/vladimir-medinsky"), RDF.type,
                 DIP.Delegation))
    errors = _closure(planted)
    assert len(errors) == 1 and "Disjoint classes" in errors[0], errors
    assert "vladimir-medinsky" in errors[0]
