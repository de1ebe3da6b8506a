"""Each shape has a passing and a failing fixture; a failing one fails exactly as expected."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.vocab.ontology import load_shapes
from kg.build.validate import validate

FIXTURES = Path(__file__).parent / "shapes"
L = "dsh:LabelProperty"

# shape -> the exact set of (focus node, result path, source shape) its failing fixture gives
EXPECTED = {
    "NewsArticleShape": {("ex:bad-article", p, "dsh:NewsArticleShape") for p in
                         ("schema:headline", "schema:datePublished", "dip:sha256", "dip:textLength", "dip:reports",
                          "dcterms:language")},
    "PersonShape": {("ex:bad-person", "rdfs:label", L), ("ex:bad-person", "dip:holdsPost", "dsh:PersonShape"),
                    ("ex:bad-person", "dip:serves", "dsh:PersonShape")},
    "OrganizationShape": {("ex:bad-org", "rdfs:label", L), ("ex:bad-org", "dip:headedBy", "dsh:OrganizationShape"),
                          ("ex:bad-org", "dip:hasMember", "dsh:OrganizationShape")},
    "CountryShape": {("ex:bad-country", "dip:locatedIn", "dsh:CountryShape"),
                     ("ex:bad-demonym", "dip:demonym", "dsh:CountryShape")},
    "GovernmentBodyShape": {("ex:bad-body", "dip:subOrganizationOf", "dsh:GovernmentBodyShape")},
    "NewsAgencyShape": {("ex:bad-agency", "rdfs:label", L)},
    "DelegationShape": {("ex:bad-delegation", "dip:represents", "dsh:DelegationShape")},
    "PostShape": {("ex:bad-post", "dip:postIn", "dsh:PostShape"),
                  ("ex:crowded-post", "^dip:holdsPost", "dsh:PostShape")},
    "PlaceShape": {("ex:bad-place", "dip:locatedIn", "dsh:PlaceShape")},
    "CityShape": {("ex:bad-city", "dip:locatedIn", "dsh:CityShape")},
    "VenueShape": {("ex:bad-venue", "dip:locatedIn", "dsh:VenueShape")},
    "DiplomaticEventShape": {("ex:bad-event", p, "dsh:DiplomaticEventShape") for p in
                             ("dip:date", "dip:location", "dip:outcome", "dip:delayed")},
    "NegotiationShape": {("ex:bad-talks", "dip:hasParticipant", "dsh:NegotiationShape")},
    "MeetingShape": {("ex:bad-meeting", "dip:hasParticipant", "dsh:MeetingShape")},
    "SessionShape": {("ex:bad-session", "dip:partOf", "dsh:SessionShape")},
    "ArmedConflictShape": {("ex:bad-war", "rdfs:label", L),
                           ("ex:bad-war-side", "dip:belligerent", "dsh:ArmedConflictShape")},
    "ParticipationShape": {("ex:bad-role", "dip:role", "dsh:ParticipationShape"),
                           ("ex:no-agent", "dip:agent", "dsh:ParticipationShape")},
    "ProposalShape": {("ex:bad-proposal", p, "dsh:ProposalShape") for p in
                      ("dip:status", "dip:duration", "dip:durationDays", "dip:rejectedBy",
                       "dip:minDuration", "dip:maxDuration")},
    "AgreementShape": {("ex:bad-agreement", p, "dsh:AgreementShape") for p in
                       ("dip:party", "dip:concludedAt")},
    "PrisonerExchangeShape": {("ex:bad-exchange", "dip:prisonerCount", "dsh:PrisonerExchangeShape")},
    "PublicStatementShape": {("ex:bad-statement", "dip:speaker", "dsh:PublicStatementShape"),
                             ("ex:bad-statement", "dip:topic", "dsh:PublicStatementShape"),
                             ("ex:bad-statement", None, "dsh:PublicStatementShape")},
    "CuratedFactShape": {("ex:bad-fact", p, "dsh:CuratedFactShape") for p in
                         ("dip:curatedAtLine", "dip:basis", "dip:rank", "dip:since", "dip:until",
                          "dip:planned")},
    "ArticleFactShape": {("ex:unsupported", p, "dsh:ArticleFactShape") for p in
                         ("dip:evidence", "prov:wasDerivedFrom")},
    "BackgroundFactShape": {("ex:unsourced", None, "dsh:BackgroundFactShape"),
                            ("ex:quoted", "dip:evidence", "dsh:BackgroundFactShape")},
    "RankedFactShape": {("ex:unexplained", "dip:rankReason", "dsh:RankedFactShape")},
    "ReadFactShape": {("ex:misread", "dip:basis", "dsh:ReadFactShape")},
    "EvidencePassageShape": {("ex:bad-passage", "oa:hasSource", "dsh:EvidencePassageShape"),
                             ("ex:bad-passage", "dip:paragraph", "dsh:EvidencePassageShape"),
                             ("ex:bad-passage", "oa:start", "dsh:EvidencePassageShape"),
                             ("ex:bad-passage", "dip:translation", "dsh:EvidencePassageShape")},
    "GeometryShape": {("ex:off-the-globe", None, "dsh:GeometryShape"),
                      ("ex:unsourced-text", "geo:asWKT", "dsh:GeometryShape"),
                      ("ex:unsourced-text", "dcterms:source", "dsh:GeometryShape")},
    "DelegationHeadIsMemberShape": {("ex:bad-delegation", "dip:headedBy", "dsh:DelegationHeadIsMemberShape")},
    "EventNotAfterArticleShape": {("ex:future-event", "dip:date", "dsh:EventNotAfterArticleShape")},
    "AbsentNotParticipantShape": {("ex:bad-event", "dip:withoutParticipant", "dsh:AbsentNotParticipantShape")},
    "ParticipationListedShape": {("ex:unlisted", "dip:agent", "dsh:ParticipationListedShape")},
    "EvidenceFromSameArticleShape": {("ex:crossed-fact", "dip:evidence", "dsh:EvidenceFromSameArticleShape")},
    "EvidenceOffsetsShape": {("ex:bad-offsets", "oa:end", "dsh:EvidenceOffsetsShape"),
                             ("ex:past-the-end", "oa:end", "dsh:EvidenceOffsetsShape")},
    "DeclaredEntityShape": {("ex:undeclared", "^dip:declares", "dsh:DeclaredEntityShape")},
    "UntilNotBeforeSinceShape": {("ex:backwards", "dip:until", "dsh:UntilNotBeforeSinceShape")},
    "NotAheadOfArticleShape": {("ex:foretold", "dip:since", "dsh:NotAheadOfArticleShape"),
                               ("ex:foreseen-end", "dip:until", "dsh:NotAheadOfArticleShape")},
}


def _graph(name: str, kind: str) -> Graph:
    graph = Graph().parse(FIXTURES / "base.ttl")
    graph.parse(FIXTURES / f"{name}.{kind}.ttl")
    graph.bind("ex", "http://example.org/")
    return graph


def test_every_shape_has_fixtures_and_expectations():
    shapes = {str(s).rsplit("#", 1)[1] for s in load_shapes().subjects(RDF.type, SH.NodeShape)}
    assert shapes == set(EXPECTED)
    for name in shapes:
        assert (FIXTURES / f"{name}.pass.ttl").is_file()
        assert (FIXTURES / f"{name}.fail.ttl").is_file()


def test_base_fixture_conforms():
    graph = Graph().parse(FIXTURES / "base.ttl")
    assert validate(graph).conforms


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_passing_fixture_conforms(name):
    result = validate(_graph(name, "pass"))
    assert result.conforms, result.text()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_failing_fixture_fails_exactly_as_expected(name):
    result = validate(_graph(name, "fail"))
    assert not result.conforms
    assert {v.key() for v in result.violations} == EXPECTED[name]


def test_shapes_check_every_class_the_data_uses(union):
    """Every class the built graph uses is the target of a shape, itself or via a superclass."""
    from kg.vocab.ontology import load_ontology

    ontology, shapes = load_ontology(), load_shapes()
    targets = set(shapes.objects(None, SH.targetClass))
    for cls in set(union.objects(None, RDF.type)):
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        assert supers & targets, f"no shape targets {cls} or a superclass of it"


def _results(data: Graph, shapes: Graph) -> set:
    """pySHACL's own results, each as (focus, path, source shape, component, value)."""
    import pyshacl

    from kg.vocab.ontology import load_ontology

    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=load_ontology(), inference="none", advanced=True
    )
    found = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(r, SH.resultPath)
        if path is not None and not isinstance(path, URIRef):  # a blank path: what it says
            path = tuple(sorted(report.predicate_objects(path)))
        found.add(tuple(report.value(r, p) for p in (SH.focusNode, SH.sourceShape,
                                                     SH.sourceConstraintComponent, SH.value))
                  + (path,))
    return found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_targeted_shapes_give_the_same_results(name):
    """The shapes as the build hands them to pySHACL (each property shape with its node
    shape's targets, kg.build.validate.targeted) give the very results of the shapes as
    written: the same focus nodes, source shapes, components, values and paths."""
    from kg.build.validate import targeted

    shapes = load_shapes()
    flat = targeted(shapes)
    assert len(flat) != len(shapes) or set(flat) != set(shapes)  # something did move
    for kind in ("fail", "pass"):
        data = _graph(name, kind)
        assert _results(data, flat) == _results(data, shapes), kind


_P = ("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex/> . "
      "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
#: Shapes where a node shape's property shapes must stay with it, and data they judge.
_HELD = {
    "closed": ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; "
               "sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ; "
               "sh:property [ sh:path ex:p ; sh:maxCount 1 ] .", "ex:x a ex:C ; ex:p 1 ."),
    "disjoint": ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property "
                 "[ sh:path ex:p ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; "
                 "sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] , "
                 "[ sh:path ex:p ; sh:qualifiedValueShape [ sh:minInclusive 0 ] ; "
                 "sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] .",
                 "ex:x a ex:C ; ex:p 1 ."),
    "deactivated": ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated 1 ; "
                    "sh:property [ sh:path ex:p ; sh:minCount 1 ] .", "ex:x a ex:C ."),
    "nested": ("ex:PS a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:knows ; "
               "sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
               "ex:x a ex:C ; ex:name 'x' ; ex:knows ex:y . ex:y ex:other 1 ."),
    "shared": ("ex:L a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 . "
               "ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:L . "
               "ex:B a sh:NodeShape ; sh:targetClass ex:D ; sh:property ex:L .",
               "ex:x a ex:C , ex:D ."),
}


@pytest.mark.parametrize("case", sorted(_HELD))
def test_targeted_keeps_what_needs_its_node_shape(case):
    """sh:closed, sh:qualifiedValueShapesDisjoint, sh:deactivated (any true value), a
    property shape holding others: the same results, as many, with the shapes as the build
    hands them to pySHACL. A property shape two node shapes share checks a node both
    target once: the same results, without the repeated one."""
    import pyshacl

    from kg.build.validate import targeted

    shapes = Graph().parse(data=_P + _HELD[case][0], format="turtle")
    data = Graph().parse(data=_P + _HELD[case][1], format="turtle")

    def results(graph):
        _, report, _ = pyshacl.validate(data, shacl_graph=graph, inference="none", advanced=True)
        return sorted((report.value(r, SH.focusNode), report.value(r, SH.sourceConstraintComponent))
                      for r in report.subjects(RDF.type, SH.ValidationResult))

    if case == "shared":
        assert len(results(shapes)) == 2 and results(targeted(shapes)) == results(shapes)[:1]
    else:
        assert results(targeted(shapes)) == results(shapes)
