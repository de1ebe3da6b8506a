"""One unit of work's graph: an article's curated facts (or the reference entities) as RDF,
each fact's triples in a graph of its own, with the record of the fact and of the passage
of the article that evidences it.

`build_unit` is a pure function of its inputs, so it runs in a worker process, on a
cluster or in a test unchanged; `kg.build.pipeline` runs it for every unit.
"""

from __future__ import annotations

__all__ = [
    "UnitGraph",
    "Source",
    "build_unit",
    "graph_iri",
    "entity_iri",
    "fact_iri",
    "fact_triples",
    "nt_term",
    "REFERENCE_GRAPH",
    "REFERENCE_UNIT",
]

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.build.dates import date_of
from kg.build.evidence import CLOSEST_SEARCHES, ArticleText, Span
from kg.build.model import Article, Entity, Fact
from kg.errors import Location
from kg.vocab import records as rec
from kg.vocab.curation import PROPERTIES
from kg.vocab.kinds import KINDS, Context, names_in, period_literal, quotation
from kg.vocab.namespaces import OA, PREFIX_IRIS, PROV, REFERENCE_GRAPH_IRI, SCHEMA, bind_prefixes
from kg.vocab.rdf import node
from kg.vocab.terms import DIP

#: The named graph that holds reference entities (data/entities/*.yaml).
REFERENCE_GRAPH = URIRef(REFERENCE_GRAPH_IRI)
#: The id of the unit that holds the reference entities (``entities/*.yaml``).
REFERENCE_UNIT = "reference"
_KGR, _KGA, _KGF, _KGE = (PREFIX_IRIS[p] for p in ("kgr", "kga", "kgf", "kge"))


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of a declared entity.

    Examples
    --------
    >>> str(entity_iri("vladimir-medinsky"))
    'https://w3id.org/diplomacy-kg/id/vladimir-medinsky'
    """
    return URIRef(_KGR + entity_id)


def graph_iri(article_id: str) -> URIRef:
    """The IRI of an article, which also names the graph of what the article states.

    Examples
    --------
    >>> str(graph_iri("2025-05-16-istanbul-talks"))
    'https://w3id.org/diplomacy-kg/id/article/2025-05-16-istanbul-talks'
    """
    return URIRef(_KGA + article_id)


def fact_iri(fact: Fact) -> URIRef:
    """The IRI of a curated fact: stable under reordering and edits elsewhere in the file.

    Examples
    --------
    >>> from kg.errors import Location
    >>> str(fact_iri(Fact("x", (), "words", Location("f", 1), "art", fact_id="f1")))
    'https://w3id.org/diplomacy-kg/id/fact/art.f1'
    """
    if fact.declares:
        local = f"declares-{fact.subject}"
    elif fact.fact_id:
        local = fact.fact_id
    else:  # a digest of what the fact says
        body = repr((fact.subject, [(c.key, c.value) for c in fact.claims], fact.evidence))
        local = "f-" + hashlib.sha256(body.encode()).hexdigest()[:12]
    return URIRef(f"{_KGF}{fact.article or REFERENCE_UNIT}.{local}")


@dataclass(frozen=True)
class Source:
    """Where a triple came from: the curated fact (file:line) and its evidence span; for a
    reading, how the curator read it; for background knowledge, its source or note."""

    fact: URIRef
    location: Location
    article: str | None
    span: Span | None
    reading: str | None = None
    background: str | None = None


@dataclass
class UnitGraph:
    """What one unit of work (an article, or the reference entities) states, as RDF.

    ``quads`` are its triples, each with its graph: a curated fact's triples in the graph
    the fact names, the article's metadata and the records of its facts and passages in
    the article's graph, reference entities in `REFERENCE_GRAPH`. ``graph`` holds the same
    triples in one graph (what is validated); ``sources`` maps a subject to the facts that
    state something about it (``{subject: {predicate: [Source, ...]}}``), so that a
    violation can be traced to a curated line and sentence; ``missing`` holds a message for
    each passage not found in the article.
    """

    unit: str
    name: URIRef
    graph: Graph
    text: ArticleText | None = None
    sources: dict = field(default_factory=dict)
    fact_count: int = 0
    facts_with_evidence: int = 0
    quotations: int = 0
    quotations_found: int = 0
    missing: list[str] = field(default_factory=list)
    #: Each passage's translation, with the line that gives it (the same words take one).
    translations: dict = field(default_factory=dict)
    quads: list = field(default_factory=list)

    def add(self, triple: tuple, graph: URIRef) -> None:
        """Add `triple` to the named `graph` of this unit."""
        self.graph.add(triple)
        self.quads.append((*triple, graph))

    def note_source(self, subject, predicate, source: Source) -> None:
        """Remember that `source` states something of `subject` by `predicate`."""
        self.sources.setdefault(subject, {}).setdefault(predicate, []).append(source)


def build_unit(
    root: Path,
    article: Article | None,
    facts: list[Fact],
    entities: dict[str, Entity],
    dates: dict[str, dt.date],
    events: tuple[str, ...] = (),
) -> UnitGraph:
    """Build the graph of one article (or, with `article` None, of the reference entities).

    A pure function of its inputs: the article with its facts, the entities it declares
    (`entities`), and the calendar dates of the entities it dates relative to
    (``{sameDayAs: ID}``, see `kg.build.dates.unit_dates`), and the `events` the article
    reports (`kg.build.plan.reported_events`). Passages that are not found are listed in
    ``UnitGraph.missing``, not raised.

    Examples
    --------
    >>> from kg.build.dates import resolve_dates
    >>> from kg.build.facts import load_corpus
    >>> corpus = load_corpus("data")
    >>> article = corpus.articles[0]
    >>> declared = {e.id: e for e in article.entities}
    >>> unit = build_unit(corpus.root, article, article.facts, declared, resolve_dates(corpus))
    >>> unit.unit, unit.fact_count == unit.facts_with_evidence, len(unit.graph) > 800
    ('2025-05-16-istanbul-talks', True, True)
    """
    if article is None:
        unit = UnitGraph(REFERENCE_UNIT, REFERENCE_GRAPH, _graph())
        for fact in facts:
            _background(unit, Path(root), fact, fact_triples(fact, entities, dates))
        return unit
    unit = UnitGraph(article.id, graph_iri(article.id), _graph(), ArticleText(article.text))
    _build_article(unit, Path(root), article, facts, entities, dates)
    for event in events:
        unit.add(
            (graph_iri(article.id), URIRef(rec.REPORTS), entity_iri(event)), graph_iri(article.id)
        )
    return unit


def _graph() -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    return graph


def _build_article(
    unit: UnitGraph, root: Path, article: Article, facts: list[Fact], entities: dict, dates: dict
) -> None:
    text = unit.text
    assert text is not None
    article_iri = graph_iri(article.id)
    rel_path = article.facts_path.relative_to(root).as_posix()

    def record(p: str, o) -> None:
        unit.add((article_iri, URIRef(p), o), article_iri)

    def locate(passage: str, where: Location, unique: bool = True) -> Span | None:
        span = text.find(passage, unique)
        if span is None:
            unit.missing.append(
                text.not_found(passage, where, search=len(unit.missing) < CLOSEST_SEARCHES)
            )
        return span

    # the article itself: its metadata are facts too, evidenced by the words that give them
    meta: list[tuple[str, Literal | URIRef, str | None, str]] = [
        (SCHEMA.headline, Literal(article.title, lang=article.language), article.title, "title")
    ]
    if article.dateline is not None:
        meta.append((rec.DATELINE, Literal(article.dateline), article.dateline, "dateline"))
    meta.append(
        (
            SCHEMA.datePublished,
            Literal(article.published.isoformat(), datatype=XSD.date),
            article.published_as,
            "published_as",
        )
    )
    record(RDF.type, URIRef(rec.NEWS_ARTICLE))
    record(rec.SHA256, Literal(article.sha256))
    record(rec.LANGUAGE, Literal(article.language, datatype=XSD.language))
    record(rec.TEXT_LENGTH, Literal(len(article.text)))
    record(rec.SOURCE_FILE, Literal(article.path.relative_to(root).as_posix()))
    if article.url:
        record(SCHEMA.url, URIRef(article.url))
    if article.dateline_place:
        meta.append(
            (
                rec.DATELINE_PLACE,
                entity_iri(article.dateline_place),
                article.dateline,
                "datelinePlace",
            )
        )
    for p, o, passage, key in meta:
        line = article.key_lines.get(key)
        where = Location(article.location.path, line) if line else article.location
        if passage is None:  # no words given for it: a plain metadata triple
            record(p, o)
            continue
        unit.fact_count += 1
        span = locate(passage, where, unique=False)  # a headline may be repeated: its first place
        if span is None:
            continue
        unit.facts_with_evidence += 1
        meta_fact = URIRef(f"{_KGF}{article.id}.article-{p.split('#')[-1].split('/')[-1]}")
        _record(
            unit, article, meta_fact, span, rel_path, where, None, [(article_iri, URIRef(p), o)]
        )

    for fact in facts:
        unit.fact_count += 1
        span = locate(fact.evidence or "", fact.evidence_location or fact.location)
        quotes_ok = True
        quoted: list[tuple[Span, str | None, str | None, Location]] = []
        for claim in fact.claims:
            stands_in = KINDS[PROPERTIES[claim.key].kind].stands_in
            # a name in the article's language stands in its words (a map's other
            # languages are the curator's)
            named = (
                [
                    t
                    for lang, t in names_in(claim.value, article.language)
                    if lang == article.language
                ]
                if stands_in == "evidence"
                else []
            )
            for name in named:
                if span is not None and text.find_within(name, span.start, span.end) is None:
                    quotes_ok = False
                    unit.missing.append(
                        f"{claim.location}: the name {name!r} does not "
                        "stand in the fact's evidence; quote the words that "
                        "give it"
                    )
            if stands_in != "article":
                continue
            unit.quotations += 1
            words, verb, translation = quotation(claim.value)
            within = text.find_within(words, span.start, span.end) if span else None
            if text.find(words, unique=False) is None:
                quotes_ok = False
                unit.missing.append(
                    text.not_found(
                        words,
                        claim.location,
                        "quotation",
                        search=len(unit.missing) < CLOSEST_SEARCHES,
                    )
                )
            elif span is not None and within is None:
                quotes_ok = False
                unit.missing.append(
                    f"{claim.location}: quotation is not within the fact's "
                    f'evidence:\n  "{words}"\n  quote the sentence '
                    "that holds it as the evidence"
                )
            else:
                unit.quotations_found += 1
                if within is not None:
                    quoted.append((within, verb, translation, claim.location))
        if span is None or not quotes_ok:
            continue
        unit.facts_with_evidence += 1
        derivations: list[str] = []
        triples = fact_triples(
            fact, entities, dates, derivations, article.published, article.language
        )
        _record(
            unit,
            article,
            fact_iri(fact),
            span,
            rel_path,
            fact.location,
            fact,
            triples,
            derivations,
            quoted,
        )


def _record(
    unit, article, fact_node, span, rel_path, where, fact, triples, derivations=(), quoted=()
):
    """The fact's triples into the graph it names; its record and passages into the
    article's graph."""
    article_iri = graph_iri(article.id)

    def record(p: str, o) -> None:
        unit.add((fact_node, URIRef(p), o), article_iri)

    evidence = _passage(unit, article, span)
    record(RDF.type, URIRef(rec.CURATED_FACT))
    record(rec.EVIDENCE, evidence)
    record(PROV.wasDerivedFrom, article_iri)
    record(rec.CURATED_IN, Literal(rel_path))
    record(rec.CURATED_AT_LINE, Literal(where.line))
    record(rec.BASIS, URIRef(rec.READ if fact is not None and fact.reading else rec.STATED))
    if fact is not None:
        for p, value in (
            (rec.CURATOR_NOTE, fact.note),
            (rec.READING, fact.reading),
            (rec.RANK_REASON, fact.rank_reason),
        ):
            if value:
                record(p, Literal(value, lang="en"))
        if fact.rank:
            record(rec.RANK, URIRef(rec.RANKS[fact.rank]))
        for p, period in ((rec.SINCE, fact.since), (rec.UNTIL, fact.until)):
            if period:
                lit = period_literal(period)
                record(p, Literal(lit.value, datatype=URIRef(lit.datatype)))
        if fact.planned:
            record(rec.PLANNED, Literal(True))
    if fact is not None and fact.declares:
        record(rec.DECLARES, entity_iri(fact.subject))
    for text in derivations:
        record(rec.DERIVATION, Literal(text, lang="en"))
    if fact is not None and fact.translation:
        _translate(unit, evidence, fact.translation, where, fact_node)
    for quote, verb, translation, at in quoted:
        passage = _passage(unit, article, quote)
        record(rec.QUOTATION_PASSAGE, passage)
        if verb:  # how these words were said: what the fact asserts about them
            unit.add(
                (passage, URIRef(rec.SPEECH_VERB), Literal(verb, lang=article.language)), fact_node
            )
        if translation:
            _translate(unit, passage, translation, at, fact_node)
    source = Source(
        fact_node, where, article.id, span, reading=fact.reading if fact is not None else None
    )
    # a violation about a property points at the line of the key that states it
    key_lines: dict[URIRef, Location] = {}
    for claim in fact.claims if fact is not None else ():
        key_lines.setdefault(URIRef(PROPERTIES[claim.key].iri), claim.location)
    by_key = {
        loc: Source(fact_node, loc, article.id, span, reading=source.reading)
        for loc in set(key_lines.values())
    }
    for s, p, o in triples:
        unit.add((s, p, o), fact_node)
        unit.note_source(s, p, by_key.get(key_lines.get(p), source))
    unit.note_source(fact_node, URIRef(rec.EVIDENCE), source)
    unit.note_source(evidence, URIRef(OA.exact), source)


def _background(unit: UnitGraph, root: Path, fact: Fact, triples: list) -> None:
    """A reference entry: its triples in its fact's graph, the fact's record (background
    knowledge, with its source or note and its place in the reference files) in
    `REFERENCE_GRAPH`."""
    fact_node = fact_iri(fact)
    path = Path(fact.location.path)
    rel_path = (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()
    record = [
        (RDF.type, URIRef(rec.CURATED_FACT)),
        (rec.BASIS, URIRef(rec.BACKGROUND)),
        (rec.CURATED_IN, Literal(rel_path)),
        (rec.CURATED_AT_LINE, Literal(fact.location.line)),
        (rec.DECLARES, entity_iri(fact.subject)),
    ]
    record += [(rec.SOURCE, URIRef(iri)) for iri in fact.sources]
    if fact.note:
        record.append((rec.CURATOR_NOTE, Literal(fact.note, lang="en")))
    for p, o in record:
        unit.add((fact_node, URIRef(p), o), REFERENCE_GRAPH)
    said = ", ".join(fact.sources) or fact.note
    source = Source(fact_node, fact.location, None, None, background=said)
    unit.note_source(fact_node, RDF.type, source)
    for s, p, o in triples:
        unit.add((s, p, o), fact_node)
        unit.note_source(s, p, source)


def _passage(unit: UnitGraph, article: Article, span: Span) -> URIRef:
    """The record of a passage of the article: its words, offsets and paragraph."""
    article_iri = graph_iri(article.id)
    passage = URIRef(f"{_KGE}{article.id}.{span.start}-{span.end}")
    for p, o in (
        (RDF.type, URIRef(rec.EVIDENCE_PASSAGE)),
        (OA.exact, Literal(span.exact)),
        (OA.prefix, Literal(span.prefix)),
        (OA.suffix, Literal(span.suffix)),
        (OA.start, Literal(span.start)),
        (OA.end, Literal(span.end)),
        (OA.hasSource, article_iri),
        (rec.PARAGRAPH, Literal(span.paragraph)),
    ):
        triple = (passage, URIRef(p), o)
        if triple not in unit.graph:
            unit.add(triple, article_iri)
    return passage


def _translate(unit, passage, text: str, where: Location, fact_node) -> None:
    """Give `passage` the curator's English `text` (stated at `where`), unless another line
    gave the same words another translation: that is told at both lines."""
    before = unit.translations.setdefault(passage, (text, where))
    if before[0] != text:
        unit.missing.append(
            f"{where}: these words have another translation at {before[1]} ({before[0]!r}); "
            "the same words take one translation: give both the same, or cite other words"
        )
        return
    unit.add((passage, URIRef(rec.TRANSLATION), Literal(text, lang="en")), fact_node)


def fact_triples(
    fact: Fact,
    entities: dict,
    dates: dict,
    derivations: list | None = None,
    published: dt.date | None = None,
    language: str = "en",
) -> list[tuple]:
    """The plain triples a fact asserts: an entity's type and label for a declaration, then
    each claim's triples, as its kind makes them (`kg.vocab.kinds`).

    Relative dates resolve with `dates` (and `published`, for a weekday); how each was
    derived is appended to `derivations`. Names and words without a language of their own
    are in `language` (the article's).

    Examples
    --------
    >>> from kg.build.facts import load_corpus
    >>> corpus = load_corpus("data")
    >>> fact = next(f for f in corpus.reference_facts if f.subject == "istanbul")
    >>> [str(p).rsplit("#", 1)[-1] for _, p, _ in fact_triples(fact, corpus.entities, {})]
    ['type', 'label', 'locatedIn', 'https://schema.org/sameAs', 'hasGeometry', 'type', 'asWKT', 'http://purl.org/dc/terms/source']
    """
    subject = _KGR + fact.subject
    out: list[tuple] = []
    if fact.declares:
        entity = entities[fact.subject]
        out.append((URIRef(subject), RDF.type, URIRef(DIP.NS + entity.type)))
        for lang, label in entity.labels or ((language, entity.label),):
            out.append((URIRef(subject), RDFS.label, Literal(label, lang=lang)))
    context = Context(lambda value: date_of(value, dates, published), language=language)
    for claim in fact.claims:
        prop = PROPERTIES[claim.key]
        kind = KINDS[prop.kind]
        for s, p, o in kind.rdf(subject, prop.iri, claim.value, prop.values, context):
            out.append((URIRef(s), URIRef(p), node(o)))
    if derivations is not None:
        derivations.extend(context.derivations)
    return out


def nt_term(value) -> str:
    """An rdflib IRI or literal in N-Triples, as pyoxigraph writes it (so that lines compare
    with what the store dumps).

    Examples
    --------
    >>> nt_term(Literal("Russia", lang="en")), nt_term(URIRef("urn:x"))
    ('"Russia"@en', '<urn:x>')
    """
    if isinstance(value, URIRef):
        return f"<{value}>"
    if isinstance(value, Literal):
        if value.language:
            return str(ox.Literal(str(value), language=value.language))
        if value.datatype is not None:
            return str(ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype))))
        return str(ox.Literal(str(value)))
    raise ValueError(f"no N-Triples form for {value!r}")
