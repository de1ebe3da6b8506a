"""Turn curated facts into RDF: plain triples plus a PROV-O record and evidence per fact."""

from __future__ import annotations

__all__ = ["Built", "UnitGraph", "Source", "build_graph", "build_unit", "describe",
           "resolve_dates", "unit_dates", "graph_iri", "REFERENCE_GRAPH", "REFERENCE_UNIT",
           "entity_iri", "fact_iri", "union_graph", "RANK_INDIVIDUALS", "reported_events",
           "quotation", "duration_days"]

import datetime as dt
import hashlib
import re
from decimal import Decimal
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.build.evidence import ArticleText, Span
from kg.build.facts import Article, Corpus, Entity, Fact, load_corpus, WEEKDAYS
from kg.errors import EvidenceError, InputError, Location
from kg.vocab.curation import (DIP, ENUMS, KGA, KGE, KGF, KGP, KGR, OA, PROPERTIES, PROV, ROLES,
                               SCHEMA)
from kg.vocab.namespaces import bind_prefixes, REFERENCE_GRAPH_IRI
from kg.vocab.ontology import subclasses


#: The named graph that holds reference entities (data/entities/*.yaml).
REFERENCE_GRAPH = URIRef(REFERENCE_GRAPH_IRI)


def entity_iri(entity_id: str) -> URIRef:
    """The IRI of a declared entity.

    Examples
    --------
    >>> str(entity_iri("vladimir-medinsky"))
    'https://w3id.org/diplomacy-kg/id/vladimir-medinsky'
    """
    return KGR[entity_id]


def graph_iri(article_id: str) -> URIRef:
    """The IRI of an article, which also names the graph of what the article states.

    Examples
    --------
    >>> str(graph_iri("2025-05-16-istanbul-talks"))
    'https://w3id.org/diplomacy-kg/id/article/2025-05-16-istanbul-talks'
    """
    return KGA[article_id]


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


#: The id of the unit that holds the reference entities (``entities/*.yaml``).
REFERENCE_UNIT = "reference"


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
    quads: list = field(default_factory=list)

    def add(self, triple: tuple, graph: URIRef) -> None:
        """Add `triple` to the named `graph` of this unit."""
        self.graph.add(triple)
        self.quads.append((*triple, graph))


@dataclass
class Built:
    """The result of `build_graph`: the dataset and what is needed to explain it.

    ``sources`` maps a subject IRI to the facts that state something about it, as
    ``{subject: {predicate: [Source, ...]}}``; `kg.build.validate` uses it to point each
    violation back to a curated fact and a sentence.
    """

    corpus: Corpus
    dataset: Dataset
    texts: dict[str, ArticleText]
    sources: dict = field(default_factory=dict)
    fact_count: int = 0
    facts_with_evidence: int = 0
    quotations: int = 0
    quotations_found: int = 0
    missing: list[str] = field(default_factory=list)

    @cached_property
    def _union(self) -> Graph:
        return union_graph(self.dataset)

    def union(self) -> Graph:
        """All triples of all named graphs in one graph, with our prefixes (computed once).

        Examples
        --------
        >>> built = build_graph("data")
        >>> built.union() is built.union() and len(built.union()) > 900
        True
        """
        return self._union


def union_graph(graph: Graph) -> Graph:
    """All triples of a dataset's graphs in one graph with our prefixes; a plain graph is
    returned as it is.

    Examples
    --------
    >>> ds = Dataset()
    >>> ds.graph(KGR["g1"]).add((KGR.a, RDFS.label, Literal("A")))
    <Graph identifier=https://w3id.org/diplomacy-kg/id/g1 (<class 'rdflib.graph.Graph'>)>
    >>> ds.graph(KGR["g2"]).add((KGR.a, RDFS.label, Literal("A")))
    <Graph identifier=https://w3id.org/diplomacy-kg/id/g2 (<class 'rdflib.graph.Graph'>)>
    >>> len(union_graph(ds))
    1
    """
    if not hasattr(graph, "quads"):
        return graph
    union = Graph()
    bind_prefixes(union)
    for quad in graph.quads((None, None, None, None)):
        union.add(quad[:3])
    return union


def build_graph(data_dir: str | Path, *, strict: bool = True) -> Built:
    """Load the curated facts under `data_dir` and build the whole RDF dataset in memory.

    Each curated fact names a graph that holds the triples it asserts (as a
    nanopublication's assertion graph does); the article's graph (named by the article's
    IRI) holds its metadata, a ``dip:CuratedFact`` record per fact and a
    ``dip:EvidencePassage`` per quoted passage with its character offsets. Reference
    entities go to `REFERENCE_GRAPH`. Each unit is built by `build_unit`, as the pipeline
    (`kg.build.pipeline.build`) builds them one article at a time.

    Parameters
    ----------
    data_dir : str or Path
        The data directory.
    strict : bool
        If True (the default) a passage not found in its article raises `EvidenceError`
        listing every such passage; if False those facts are left out and counted in
        ``Built.missing``.

    Returns
    -------
    Built

    Raises
    ------
    InputError
        For unusable curated data (see `kg.build.facts.load_corpus`).
    EvidenceError
        When `strict` and a passage is not found.

    Examples
    --------
    >>> built = build_graph("data")
    >>> built.fact_count == built.facts_with_evidence
    True
    >>> medinsky = entity_iri("vladimir-medinsky")
    >>> (entity_iri("russian-delegation"), DIP.headedBy, medinsky) in built.union()
    True
    """
    corpus = load_corpus(data_dir)
    dates = resolve_dates(corpus)
    dataset = Dataset()
    bind_prefixes(dataset)
    built = Built(corpus=corpus, dataset=dataset, texts={})
    units = [build_unit(corpus.root, None, corpus.reference_facts, _declared(corpus, None),
                        unit_dates(corpus.reference_facts, None, dates))]
    units += [build_unit(corpus.root, a, a.facts, _declared(corpus, a.id),
                         unit_dates(a.facts, a.published, dates),
                         reported_events(a.facts, corpus.entities)) for a in corpus.articles]
    for unit in units:
        for s, p, o, g in unit.quads:
            dataset.graph(g).add((s, p, o))
        if unit.text is not None:
            built.texts[unit.unit] = unit.text
        for subject, by_predicate in unit.sources.items():
            for predicate, found in by_predicate.items():
                built.sources.setdefault(subject, {}).setdefault(predicate, []).extend(found)
        built.fact_count += unit.fact_count
        built.facts_with_evidence += unit.facts_with_evidence
        built.quotations += unit.quotations
        built.quotations_found += unit.quotations_found
        built.missing += unit.missing
    if strict and built.missing:
        raise EvidenceError(built.missing)
    return built


def _declared(corpus: Corpus, article: str | None) -> dict[str, Entity]:
    return {e.id: e for e in corpus.entities.values() if e.article == article}


# --- one unit ----------------------------------------------------------------------------

def build_unit(root: Path, article: Article | None, facts: list[Fact],
               entities: dict[str, Entity], dates: dict[str, dt.date],
               events: tuple[str, ...] = ()) -> UnitGraph:
    """Build the graph of one article (or, with `article` None, of the reference entities).

    A pure function of its inputs: the article with its facts, the entities it declares
    (`entities`), and the calendar dates of the entities it dates relative to
    (``{sameDayAs: ID}``) from `resolve_dates`, and the `events` the article reports
    (`reported_events`). Passages that are not found are listed in ``UnitGraph.missing``,
    not raised.

    Examples
    --------
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
            _background(unit, Path(root), fact, _triples(fact, entities, dates))
        return unit
    unit = UnitGraph(article.id, graph_iri(article.id), _graph(), ArticleText(article.text))
    _build_article(unit, Path(root), article, facts, entities, dates)
    for event in events:
        unit.add((graph_iri(article.id), DIP.reports, entity_iri(event)), graph_iri(article.id))
    return unit


def reported_events(facts: list[Fact], entities: dict[str, Entity]) -> tuple[str, ...]:
    """The events an article reports: those its facts are about (`entities`: every
    declared entity of the corpus, by id).

    Examples
    --------
    >>> corpus = load_corpus("data")
    >>> reported_events(corpus.articles[0].facts, corpus.entities)[:2]
    ('istanbul-direct-talks-2025', 'peace-talks-2022')
    """

    kinds = {c.rsplit("#", 1)[1] for c in subclasses(str(DIP.DiplomaticEvent))}
    found = {f.subject for f in facts if f.subject in entities
             and entities[f.subject].type in kinds}
    return tuple(sorted(found))


def _graph() -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    return graph


def _build_article(unit: UnitGraph, root: Path, article: Article, facts: list[Fact],
                   entities: dict, dates: dict) -> None:
    text = unit.text
    article_iri = graph_iri(article.id)
    rel_path = article.facts_path.relative_to(root).as_posix()

    def record(triple):
        unit.add(triple, article_iri)

    def locate(passage: str, where: Location, unique: bool = True) -> Span | None:
        span = text.find(passage, unique)
        if span is None:
            unit.missing.append(_not_found(text, passage, where,
                                           search=len(unit.missing) < CLOSEST_SEARCHES))
        return span

    # the article itself: its metadata are facts too, evidenced by the words that give them
    meta = [(SCHEMA.headline, Literal(article.title, lang="en"), article.title)]
    if article.dateline is not None:
        meta.append((DIP.dateline, Literal(article.dateline), article.dateline))
    date_lit = Literal(article.published.isoformat(), datatype=XSD.date)
    meta.append((SCHEMA.datePublished, date_lit, article.published_as))
    record((article_iri, RDF.type, DIP.NewsArticle))
    record((article_iri, DIP.sha256, Literal(article.sha256)))
    record((article_iri, DIP.textLength, Literal(len(article.text))))
    record((article_iri, DIP.sourceFile, Literal(article.path.relative_to(root).as_posix())))
    if article.url:
        record((article_iri, SCHEMA.url, URIRef(article.url)))
    if article.dateline_place:
        meta.append((DIP.datelinePlace, entity_iri(article.dateline_place), article.dateline))
    meta_keys = {SCHEMA.headline: "title", DIP.dateline: "dateline",
                 SCHEMA.datePublished: "published_as", DIP.datelinePlace: "datelinePlace"}
    for p, o, passage in meta:
        line = article.key_lines.get(meta_keys[p])
        where = Location(article.location.path, line) if line else article.location
        if passage is None:  # no words given for it: a plain metadata triple
            record((article_iri, p, o))
            continue
        unit.fact_count += 1
        span = locate(passage, where, unique=False)  # a headline may be repeated: its first place
        if span is None:
            continue
        unit.facts_with_evidence += 1
        meta_fact = KGF[f"{article.id}.article-{p.split('#')[-1].split('/')[-1]}"]
        _record(unit, article, meta_fact, span, rel_path, where, None, [(article_iri, p, o)])

    for fact in facts:
        unit.fact_count += 1
        span = locate(fact.evidence, fact.evidence_location or fact.location)
        quotes_ok = True
        quoted: list[Span] = []
        for claim in fact.claims:
            if PROPERTIES[claim.key].kind == "name" and span is not None and \
                    text.find_within(claim.value, span.start, span.end) is None:
                quotes_ok = False
                unit.missing.append(f"{claim.location}: the name {claim.value!r} does not "
                                    "stand in the fact's evidence; quote the words that "
                                    "give it")
            if PROPERTIES[claim.key].kind != "quote":
                continue
            unit.quotations += 1
            words, verb = quotation(claim.value)
            within = text.find_within(words, span.start, span.end) if span else None
            if text.find(words, unique=False) is None:
                quotes_ok = False
                unit.missing.append(_not_found(text, words, claim.location, "quotation",
                                               search=len(unit.missing) < CLOSEST_SEARCHES))
            elif span is not None and within is None:
                quotes_ok = False
                unit.missing.append(f"{claim.location}: quotation is not within the fact's "
                                    f"evidence:\n  \"{words}\"\n  quote the sentence "
                                    "that holds it as the evidence")
            else:
                unit.quotations_found += 1
                if within is not None:
                    quoted.append((within, verb))
        if span is None or not quotes_ok:
            continue
        unit.facts_with_evidence += 1
        derivations: list[str] = []
        triples = _triples(fact, entities, dates, derivations, article.published)
        _record(unit, article, fact_iri(fact), span, rel_path, fact.location, fact, triples,
                derivations, quoted)


#: A fact's rank in facts.yaml -> the ontology's individual.
RANK_INDIVIDUALS = {"preferred": "PreferredRank", "deprecated": "DeprecatedRank"}


def _record(unit, article, fact_node, span, rel_path, where, fact, triples, derivations=(),
            quoted=()):
    """The fact's triples into the graph it names; its record and passages into the
    article's graph."""
    article_iri = graph_iri(article.id)

    def record(triple):
        unit.add(triple, article_iri)

    evidence = _passage(unit, article, span)
    record((fact_node, RDF.type, DIP.CuratedFact))
    record((fact_node, DIP.evidence, evidence))
    record((fact_node, PROV.wasDerivedFrom, article_iri))
    record((fact_node, DIP.curatedIn, Literal(rel_path)))
    record((fact_node, DIP.curatedAtLine, Literal(where.line)))
    record((fact_node, DIP.basis, DIP.Read if fact is not None and fact.reading
            else DIP.Stated))
    if fact is not None:
        for p, value in ((DIP.curatorNote, fact.note), (DIP.reading, fact.reading),
                         (DIP.rankReason, fact.rank_reason)):
            if value:
                record((fact_node, p, Literal(value, lang="en")))
        if fact.rank:
            record((fact_node, DIP.rank, DIP[RANK_INDIVIDUALS[fact.rank]]))
    if fact is not None and fact.declares:
        record((fact_node, DIP.declares, entity_iri(fact.subject)))
    for text in derivations:
        record((fact_node, DIP.derivation, Literal(text, lang="en")))
    for quote, verb in quoted:
        passage = _passage(unit, article, quote)
        record((fact_node, DIP.quotationPassage, passage))
        if verb:  # how these words were said: what the fact asserts about them
            unit.add((passage, DIP.speechVerb, Literal(verb, lang="en")), fact_node)
    source = Source(fact_node, where, article.id, span,
                    reading=fact.reading if fact is not None else None)
    # a violation about a property points at the line of the key that states it
    key_lines = {}
    for claim in (fact.claims if fact is not None else ()):
        key_lines.setdefault(URIRef(PROPERTIES[claim.key].iri), claim.location)
    by_key = {loc: Source(fact_node, loc, article.id, span, reading=source.reading)
              for loc in set(key_lines.values())}
    for s, p, o in triples:
        unit.add((s, p, o), fact_node)
        _note_source(unit, s, p, by_key.get(key_lines.get(p), source))
    _note_source(unit, fact_node, DIP.evidence, source)
    _note_source(unit, evidence, OA.exact, source)


def _background(unit: UnitGraph, root: Path, fact: Fact, triples: list) -> None:
    """A reference entry: its triples in its fact's graph, the fact's record (background
    knowledge, with its source or note and its place in the reference files) in
    `REFERENCE_GRAPH`."""
    node = fact_iri(fact)
    path = Path(fact.location.path)
    rel_path = (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()
    record = [(RDF.type, DIP.CuratedFact), (DIP.basis, DIP.Background),
              (DIP.curatedIn, Literal(rel_path)), (DIP.curatedAtLine, Literal(fact.location.line)),
              (DIP.declares, entity_iri(fact.subject))]
    record += [(DIP.source, URIRef(iri)) for iri in fact.sources]
    if fact.note:
        record.append((DIP.curatorNote, Literal(fact.note, lang="en")))
    for p, o in record:
        unit.add((node, p, o), REFERENCE_GRAPH)
    said = ", ".join(fact.sources) or fact.note
    source = Source(node, fact.location, None, None, background=said)
    _note_source(unit, node, RDF.type, source)
    for s, p, o in triples:
        unit.add((s, p, o), node)
        _note_source(unit, s, p, source)


def _passage(unit, article, span: Span) -> URIRef:
    """The record of a passage of the article: its words, offsets and paragraph."""
    article_iri = graph_iri(article.id)
    node = KGE[f"{article.id}.{span.start}-{span.end}"]
    for p, o in ((RDF.type, DIP.EvidencePassage), (OA.exact, Literal(span.exact)),
                 (OA.prefix, Literal(span.prefix)), (OA.suffix, Literal(span.suffix)),
                 (OA.start, Literal(span.start)), (OA.end, Literal(span.end)),
                 (OA.hasSource, article_iri), (DIP.paragraph, Literal(span.paragraph))):
        if (node, p, o) not in unit.graph:
            unit.add((node, p, o), article_iri)
    return node


def _note_source(unit: UnitGraph, s, p, source: Source) -> None:
    unit.sources.setdefault(s, {}).setdefault(p, []).append(source)


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
    return KGF[f"{fact.article or REFERENCE_UNIT}.{local}"]


def describe(units: list[tuple[Article | None, list[Fact]]], entities: dict[str, Entity],
             dates: dict[str, dt.date], wanted: set[str]) -> dict[str, list[tuple]]:
    """What the unit that declares each entity in `wanted` says about it.

    For each wanted entity: the plain triples whose subject it is, from the facts of the
    unit (article, or None for the reference files) that declares it, less its dates (an
    article is checked with its own), and, for an entity declared in an article, the fact
    that declares it. Another article that uses the entity is validated with this
    description (see `kg.build.validate.validate_unit`).

    `units` is a list of (article or None, facts).

    Examples
    --------
    >>> corpus = load_corpus("data")
    >>> units = [(None, corpus.reference_facts)] + [(a, a.facts) for a in corpus.articles]
    >>> found = describe(units, corpus.entities, resolve_dates(corpus), {"istanbul"})
    >>> (entity_iri("istanbul"), DIP.locatedIn, entity_iri("turkey")) in found["istanbul"]
    True
    """
    out: dict[str, list[tuple]] = {e: [] for e in wanted if e in entities}
    for article, facts in units:
        unit = article.id if article else None
        published = article.published if article else None
        for fact in facts:
            if fact.subject not in out or entities[fact.subject].article != unit:
                continue
            s = entity_iri(fact.subject)
            triples = [t for t in _triples(fact, entities, dates, None, published)
                       if t[0] == s and t[1] not in (DIP.date, DIP.year)]
            out[fact.subject] += triples
            if fact.declares and article is not None:
                out[fact.subject] += [(fact_iri(fact), DIP.declares, s),
                                      (fact_iri(fact), RDF.type, DIP.CuratedFact)]
    return out


def _triples(fact: Fact, entities: dict, dates: dict,
             derivations: list | None = None, published: dt.date | None = None) -> list[tuple]:
    """The plain triples a fact asserts (participation adds an n-ary node)."""
    s = entity_iri(fact.subject)
    out = []
    if fact.declares:
        entity = entities[fact.subject]
        out.append((s, RDF.type, DIP[entity.type]))
        out.append((s, RDFS.label, Literal(entity.label, lang="en")))
    for claim in fact.claims:
        prop = PROPERTIES[claim.key]
        p = URIRef(prop.iri)
        kind, value = prop.kind, claim.value
        if kind == "entity":
            out.append((s, p, entity_iri(value)))
        elif kind == "participation":
            agent, role = value
            node = KGP[f"{fact.subject}.{agent}.{role}"]
            out += [(s, p, entity_iri(agent)), (node, RDF.type, DIP.Participation),
                    (node, DIP.inEvent, s), (node, DIP.agent, entity_iri(agent)),
                    (node, DIP.role, DIP[ROLES[role]])]
        elif kind == "date":
            day, how = _date(value, dates, published)
            out.append((s, p, Literal(day.isoformat(), datatype=XSD.date)))
            if how and derivations is not None:
                derivations.append(how)
        elif kind == "year":
            out.append((s, p, Literal(f"{value:04d}", datatype=XSD.gYear)))
        elif kind == "duration":
            out.append((s, p, Literal(value, datatype=XSD.dayTimeDuration)))
            if p == DIP.duration:  # its length in days, as a number to compare and sum
                out.append((s, DIP.durationDays,
                            Literal(duration_days(value), datatype=XSD.decimal)))
        elif kind == "count":
            out.append((s, p, Literal(value)))
        elif kind == "boolean":
            out.append((s, p, Literal(value)))
        elif kind == "enum":
            out.append((s, p, DIP[ENUMS[claim.key][value]]))
        elif kind == "iri":
            out.append((s, p, URIRef(value)))
        elif kind == "quote":
            out.append((s, p, Literal(quotation(value)[0], lang="en")))
        else:  # string, name
            out.append((s, p, Literal(value, lang="en")))
    return out


def quotation(value) -> tuple[str, str | None]:
    """A quotation claim's words and its verb (None when the statement's verb applies).

    Examples
    --------
    >>> quotation("stop the killing"), quotation(("stop the killing", "declared"))
    (('stop the killing', None), ('stop the killing', 'declared'))
    """
    return (value[0], value[1]) if isinstance(value, tuple) else (value, None)


def duration_days(duration: str) -> str:
    """An xsd:dayTimeDuration's length in days, as a canonical xsd:decimal (six decimals
    at most).

    Examples
    --------
    >>> duration_days("P30D"), duration_days("PT12H"), duration_days("P1DT1H")
    ('30', '0.5', '1.041667')
    """
    found = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", duration)
    if not found:
        raise ValueError(f"not an xsd:dayTimeDuration: {duration!r}")
    d, h, m, sec = (Decimal(part or 0) for part in found.groups())
    days = (d + h / 24 + m / 1440 + sec / 86400).quantize(Decimal("0.000001"))
    text = format(days, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date(value, dates: dict, published: dt.date | None) -> tuple[dt.date, str | None]:
    """A date claim's calendar date, and how it was derived if it was relative."""
    if isinstance(value, dt.date):
        return value, None
    mode, arg = value
    if mode == "weekday" and published is not None:
        return _weekday(arg, published)
    if mode == "sameDayAs" and arg in dates:
        return dates[arg], f"same day as {arg} ({dates[arg].isoformat()})"
    raise InputError(f"the date {mode}: {arg} cannot be resolved here")  # resolve_dates checks


def _weekday(name: str, published: dt.date) -> tuple[dt.date, str]:
    back = (published.weekday() - WEEKDAYS.index(name)) % 7
    day = published - dt.timedelta(days=back)
    how = (f"'{name.capitalize()}' read as the last {name.capitalize()} on or before "
           f"the publication date {published.isoformat()} (a {published.strftime('%A')}): "
           f"{day.isoformat()}")
    return day, how


# --- dates -------------------------------------------------------------------------------

def resolve_dates(corpus: Corpus) -> dict[str, dt.date]:
    """The calendar date of every dated entity, relative dates resolved across the corpus.

    A ``{weekday: ...}`` date is the last such day on or before its article's publication;
    a ``{sameDayAs: ID}`` date is the date of ID, wherever ID is dated. An entity dated
    twice keeps its first date here (validation reports the second).

    Raises
    ------
    InputError
        For a weekday outside an article, or ``sameDayAs`` references that lead to no date.

    Examples
    --------
    >>> resolve_dates(load_corpus("data"))["turkey-ukraine-meeting"]  # sameDayAs the talks
    datetime.date(2025, 5, 16)
    """
    published = {a.id: a.published for a in corpus.articles}
    absolute: dict[str, dt.date] = {}
    waiting: dict[str, list] = {}  # ID -> the sameDayAs claims that wait for ID's date
    pending = []
    for fact in corpus.reference_facts + corpus.facts:
        for claim in fact.claims:
            if PROPERTIES[claim.key].kind != "date":
                continue
            if isinstance(claim.value, dt.date):
                absolute.setdefault(fact.subject, claim.value)
            else:
                pending.append((fact, claim))
    ready = list(absolute)
    for fact, claim in pending:
        mode, arg = claim.value
        if mode == "weekday":
            if fact.article is None:
                raise InputError("a weekday date needs an article's publication date; "
                                 "write the date as YYYY-MM-DD here", claim.location)
            if fact.subject not in absolute:
                absolute[fact.subject] = _weekday(arg, published[fact.article])[0]
                ready.append(fact.subject)
        else:
            waiting.setdefault(arg, []).append((fact, claim))
    # each dated ID dates, in turn, whatever is the same day as it: linear in the claims
    while ready:
        for fact, claim in waiting.pop(ready.pop(), ()):
            if fact.subject not in absolute:
                absolute[fact.subject] = absolute[claim.value[1]]
                ready.append(fact.subject)
    stuck = [(fact, claim) for claims in waiting.values() for fact, claim in claims
             if fact.subject not in absolute]
    if stuck:
        raise _undated(stuck)
    return absolute


def _undated(stuck: list) -> InputError:
    """The error for ``sameDayAs`` dates that lead to no date: a cycle (every link named
    with its file:line), or a reference to something that has no date."""
    import networkx as nx

    graph = nx.DiGraph()
    for fact, claim in stuck:
        if not graph.has_edge(fact.subject, claim.value[1]):
            graph.add_edge(fact.subject, claim.value[1], claim=claim)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        # no cycle: name a claim whose target has no date claim of its own
        subjects = {fact.subject for fact, _ in stuck}
        ends = [fc for fc in stuck if fc[1].value[1] not in subjects] or stuck
        fact, claim = min(ends, key=lambda fc: (fc[1].location.path, fc[1].location.line))
        return InputError(f"'sameDayAs: {claim.value[1]}' cannot be resolved: that entity "
                          "has no date; give it one, or write this date as YYYY-MM-DD",
                          claim.location)
    links = [graph.edges[a, b]["claim"] for a, b in cycle]
    steps = "\n".join(f"  {a} sameDayAs {b}  ({c.location})" for (a, b), c in zip(cycle, links))
    return InputError("these dates are each the same day as the next, in a cycle, so none "
                      f"has a date:\n{steps}\n  give one of them a date (YYYY-MM-DD)",
                      links[0].location)


def unit_dates(facts: list[Fact], published: dt.date | None,
               dates: dict[str, dt.date]) -> dict[str, dt.date]:
    """The dates that the ``{sameDayAs: ID}`` dates of one unit's facts refer to.

    An ID the unit dates itself takes the unit's own date, so that an article that dates
    the talks differently from another keeps its own reading throughout; any other ID
    takes its date in the corpus (`dates`, from `resolve_dates`).

    Examples
    --------
    >>> corpus = load_corpus("data")
    >>> article = corpus.articles[0]
    >>> unit_dates(article.facts, article.published, resolve_dates(corpus))
    {'istanbul-direct-talks-2025': datetime.date(2025, 5, 15)}
    """
    own: dict[str, dt.date] = {}
    relative = []
    for fact in facts:
        for claim in fact.claims:
            if PROPERTIES[claim.key].kind != "date":
                continue
            value = claim.value
            if isinstance(value, dt.date):
                own.setdefault(fact.subject, value)
            elif value[0] == "weekday" and published is not None:
                own.setdefault(fact.subject, _weekday(value[1], published)[0])
            else:
                relative.append((fact.subject, value[1]))
    changed = True
    while changed:  # sameDayAs chains within the unit
        changed = False
        for subject, target in relative:
            if subject not in own and target in own:
                own[subject], changed = own[target], True
    used = {target: own.get(target, dates.get(target)) for _, target in relative}
    return {target: day for target, day in sorted(used.items()) if day is not None}


#: How many passages of one article that are not found get a search for the closest
#: passage (which reads the whole text for each): enough to fix them, bounded for an
#: article whose every passage is wrong.
CLOSEST_SEARCHES = 10


def _not_found(text: ArticleText, passage: str, where: Location, what: str = "evidence",
               search: bool = True) -> str:
    count = text.count(passage)
    if count > 1:
        return (f"{where}: {what} occurs {count} times in the article, so it does not say "
                f"which words support the fact:\n  \"{passage}\"\n  quote more of the "
                "sentence so the passage is unique")
    close = text.closest(passage) if search else None
    hint = f"\n  closest passage: \"{close[0]}\" (paragraph {close[1]})" if close else ""
    if not search:
        hint = (f"\n  (the closest passage is searched for the first {CLOSEST_SEARCHES} "
                "passages missing in an article only)")
    return (f"{where}: {what} not found in the article:\n  \"{passage}\"{hint}\n  copy the "
            "words from article.txt exactly (only spaces, quote marks and dashes may differ)")
