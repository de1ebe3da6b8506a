"""kg serve's pages and documents: the query page, an entity's page, and the SPARQL 1.1
Service Description. The pages are templates (``kg/templates``); this module hands them
their data."""

from __future__ import annotations

__all__ = ["examples", "query_page", "entity_page", "service_description"]

from pathlib import Path

from kg.assets import npm_asset
from kg.pages import render
from kg.vocab.namespaces import PREFIX_IRIS, RDFS, SCHEMA, compact
from kg.vocab.records import BACKGROUND
from kg.web.media import DESCRIPTION_TYPES


def examples(queries_dir) -> dict[str, str]:
    """The competency questions, by their question (the first comment line of each file)."""
    examples = {}
    folder = Path(queries_dir) if queries_dir else None
    if folder and folder.is_dir():
        for path in sorted(folder.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            first = text.split("\n", 1)[0].rstrip("\r")  # not splitlines: U+2028 is no line end
            question = first[1:].strip() if first.startswith("#") else path.stem
            examples[question] = text
    if not examples:
        examples["Some triples"] = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"
    return examples


def query_page(queries_dir) -> str:
    """The query page: YASGUI (syntax highlighting, completion, tabs kept in the browser's
    storage as history, results as a paged table or raw, download), set for this endpoint
    and offline: no look-ups of outside vocabularies, no other endpoints. Without YASGUI
    installed, a plain form that posts the query.

    Examples
    --------
    >>> "Who led the Russian delegation?" in query_page("queries")
    True
    """
    found = examples(queries_dir)
    if npm_asset("yasgui.min.js") and npm_asset("yasgui.min.css"):
        listed = [{"question": q, "query": text} for q, text in found.items()]
        return render(
            "query.html",
            data={"examples": listed, "prefixes": PREFIX_IRIS, "base": PREFIX_IRIS["kgr"]},
        )
    return render(
        "query-plain.html", examples=list(found.items()), first=next(iter(found.values()))
    )


def _term(binding: dict | None) -> dict | None:
    """A SPARQL JSON binding as the pages show a term (see ``templates/macros.html``)."""
    if not binding:
        return None
    return {"type": binding["type"], "value": binding["value"], "lang": binding.get("xml:lang")}


def entity_page(iri: str, out_rows: list[dict], in_rows: list[dict], asserted: list[dict]) -> str:
    """An entity's page: its label and types, then every relation from it and to it, each
    with the words of the article that state it and the article (or "background" or
    "inferred"); for a curated fact, the triples it asserts. The rows are SPARQL JSON
    bindings of the queries of `kg.vocab.records.entity_queries`.

    Examples
    --------
    >>> page = entity_page("https://w3id.org/diplomacy-kg/id/x", [
    ...     {"p": {"type": "uri", "value": "http://www.w3.org/2000/01/rdf-schema#label"},
    ...      "o": {"type": "literal", "value": "X", "xml:lang": "en"}}], [], [])
    >>> "<h1>X</h1>" in page and 'href="/id/x"' not in page
    True
    >>> "<h1>Икс</h1>" in entity_page("https://w3id.org/diplomacy-kg/id/x", [
    ...     {"p": {"type": "uri", "value": "http://www.w3.org/2000/01/rdf-schema#label"},
    ...      "o": {"type": "literal", "value": "Икс", "xml:lang": "ru"}}], [], [])
    True
    """
    names = [
        (r["o"].get("xml:lang", "en") != "en", r["o"]["value"])  # English first, else any
        for r in out_rows
        if r["p"]["value"] in (RDFS.label, SCHEMA.headline)
    ]
    label = min(names)[1] if names else compact(iri)

    def rows(found: list[dict], first: str, second: str) -> list[dict]:
        # what the articles state first, then background knowledge, then the rest
        found = sorted(found, key=lambda r: 0 if r.get("words") else 1 if r.get("basis") else 2)
        return [
            {
                first: _term(r.get(first)),
                second: _term(r.get(second)),
                "words": r.get("words"),
                "article": _term(r.get("article")),
                "background": r.get("basis", {}).get("value") == BACKGROUND,
            }
            for r in found
        ]

    return render(
        "entity.html",
        iri=iri,
        label=label,
        asserted=[{k: _term(r[k]) for k in ("s", "p", "o")} for r in asserted],
        tables=[
            ("About it", "p", "o", rows(out_rows, "p", "o")),
            ("Pointing to it", "s", "p", rows(in_rows, "s", "p")),
        ],
    )


def service_description(
    endpoint: str,
    graphs: list[str],
    triples: int,
    media: str = "text/turtle",
    inferred: bool = True,
) -> bytes:
    """The endpoint's SPARQL 1.1 Service Description, in the RDF format `media` names.

    It says what the endpoint speaks (SPARQL 1.1 Query; results as JSON, XML, CSV, TSV;
    graphs as Turtle, N-Triples, JSON-LD, RDF/XML), that it is read-only and calls no
    other service, and what its default dataset holds: the default graph a query sees
    (with `inferred`, what the sources state, the ontology and the inferred triples; else
    what the sources state), with its count of `triples`, and the named `graphs` (the
    per-fact graphs are not listed one by one).

    Examples
    --------
    >>> body = service_description("http://127.0.0.1:7070/sparql", ["urn:g"], 10)
    >>> b"sd:endpoint <http://127.0.0.1:7070/sparql>" in body
    True
    """
    # rdflib only when a client asks for the description: kg serve starts without it
    from rdflib import BNode, Graph, Literal, Namespace, URIRef  # noqa: PLC0415
    from rdflib.namespace import RDF, XSD  # noqa: PLC0415

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    void = Namespace("http://rdfs.org/ns/void#")
    dcterms = Namespace("http://purl.org/dc/terms/")
    g = Graph()
    for prefix, namespace in (
        ("sd", sd),
        ("formats", formats),
        ("void", void),
        ("dcterms", dcterms),
    ):
        g.bind(prefix, namespace)
    service = URIRef(endpoint)
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, service))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        g.add((service, sd.resultFormat, formats[name]))
    g.add(
        (
            service,
            dcterms.description,
            Literal(
                "kg's read-only SPARQL endpoint: SPARQL Update, SERVICE and default-graph-uri are "
                "refused; FROM names only graphs of the store. The default graph holds what the "
                "sources state (each triple once, the truthy values where curators ranked facts)"
                + (", the ontology and the inferred triples" if inferred else " and nothing else")
                + ". Each curated fact also has a named graph of its own, under "
                f"{PREFIX_IRIS['kgf']}, with the passage of the article that supports it.",
                lang="en",
            ),
        )
    )
    dataset, default = BNode("dataset"), BNode("default")
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, default))
    g.add((default, RDF.type, sd.Graph))
    g.add((default, void.triples, Literal(triples, datatype=XSD.integer)))
    for number, name in enumerate(graphs):
        named = BNode(f"graph{number}")
        g.add((dataset, sd.namedGraph, named))
        g.add((named, RDF.type, sd.NamedGraph))
        g.add((named, sd.name, URIRef(name)))
    return g.serialize(format=DESCRIPTION_TYPES[media], encoding="utf-8")
