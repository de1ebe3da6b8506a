"""Turn curated facts into RDF: plain triples plus a PROV-O record and evidence per fact."""

from __future__ import annotations

__all__ = ["Built", "build_graph", "graph_iri", "REFERENCE_GRAPH", "entity_iri", "union_graph"]

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from .errors import EvidenceError, InputError, Location
from .evidence import ArticleText, Span, normalise
from .facts import WEEKDAYS, Article, Corpus, Fact, load_corpus
from .vocab import DIP, ENUMS, KGA, KGE, KGF, KGP, KGR, KGS, OA, PROPERTIES, PROV, ROLES, SCHEMA, bind_prefixes

#: The named graph that holds reference entities (data/entities/*.yaml).
REFERENCE_GRAPH = URIRef("https://w3id.org/diplomacy-kg/graph/reference")


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
    """Where a triple came from: the curated fact (file:line) and its evidence span."""

    fact: URIRef
    location: Location
    article: str | None
    span: Span | None


@dataclass
class Built:
    """The result of `build_graph`: the dataset and what is needed to explain it.

    ``sources`` maps a subject IRI to the facts that state something about it, as
    ``{subject: {predicate: [Source, ...]}}``; `kg.validate` uses it to point each
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
        >>> built.union() is built.union() and len(built.union()) > 2000
        True
        """
        return self._union


def union_graph(graph: Graph, ordered: bool = False) -> Graph:
    """All triples of a dataset's graphs in one graph with our prefixes; a plain graph is
    returned as it is.

    With `ordered`, triples are added in sorted order, so that serialisers which keep
    insertion order write the same bytes for the same triples however they were loaded.

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
    quads = graph.quads((None, None, None, None))
    for quad in sorted(quads) if ordered else quads:
        union.add(quad[:3])
    return union


def build_graph(data_dir: str | Path, *, strict: bool = True) -> Built:
    """Load the curated facts under `data_dir` and build the RDF dataset.

    Every article gets a named graph (named by the article's IRI) holding its plain
    triples, an ``rdf:Statement`` per triple, a ``dip:CuratedFact`` per curated fact and a
    ``dip:EvidencePassage`` per quoted passage with its character offsets. Reference
    entities go to `REFERENCE_GRAPH`.

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
        For unusable curated data (see `kg.facts.load_corpus`).
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
    dataset = Dataset()
    bind_prefixes(dataset)
    built = Built(corpus=corpus, dataset=dataset, texts={})
    reference = dataset.graph(REFERENCE_GRAPH)
    for fact in corpus.reference_facts:
        for s, p, o in _triples(fact, corpus.entities, {}):
            reference.add((s, p, o))
            _note_source(built, s, p, Source(entity_iri(fact.subject), fact.location,
                                             None, None))
    dates = _resolve_dates(corpus)
    for article in corpus.articles:
        _build_article(built, article, dates)
    if strict and built.missing:
        raise EvidenceError(built.missing)
    return built


# --- one article -------------------------------------------------------------------------

def _build_article(built: Built, article: Article, dates: dict) -> None:
    text = ArticleText(article.text)
    built.texts[article.id] = text
    article_iri = graph_iri(article.id)
    graph = built.dataset.graph(article_iri)
    root = built.corpus.root
    rel_path = article.facts_path.relative_to(root).as_posix()

    def locate(passage: str, where: Location, unique: bool = True) -> Span | None:
        span = text.find(passage, unique)
        if span is None:
            built.missing.append(_not_found(text, passage, where))
        return span

    # the article itself: its metadata are facts too, evidenced by the words that give them
    meta = [(SCHEMA.headline, Literal(article.title, lang="en"), article.title),
            (DIP.dateline, Literal(article.dateline), article.dateline)]
    date_lit = Literal(article.published.isoformat(), datatype=XSD.date)
    meta.append((SCHEMA.datePublished, date_lit, article.published_as))
    graph.add((article_iri, RDF.type, DIP.NewsArticle))
    graph.add((article_iri, DIP.sha256, Literal(article.sha256)))
    graph.add((article_iri, DIP.textLength, Literal(len(article.text), datatype=XSD.nonNegativeInteger)))
    graph.add((article_iri, DIP.sourceFile, Literal(article.path.relative_to(root).as_posix())))
    if article.url:
        graph.add((article_iri, SCHEMA.url, URIRef(article.url)))
    if article.dateline_place:
        meta.append((DIP.datelinePlace, entity_iri(article.dateline_place), article.dateline))
    for p, o, passage in meta:
        where = article.location
        if passage is None:  # no words given for it: a plain metadata triple
            graph.add((article_iri, p, o))
            continue
        built.fact_count += 1
        span = locate(passage, where, unique=False)  # a headline may be repeated: its first place
        if span is None:
            continue
        built.facts_with_evidence += 1
        fact_iri = KGF[f"{article.id}.article-{p.split('#')[-1].split('/')[-1]}"]
        _record(built, graph, article, fact_iri, span, rel_path, where, None, [(article_iri, p, o)])

    for fact in article.facts:
        built.fact_count += 1
        span = locate(fact.evidence, fact.location)
        quotes_ok = True
        for claim in fact.claims:
            if PROPERTIES[claim.key].kind != "quote":
                continue
            built.quotations += 1
            if text.find(claim.value, unique=False) is None:
                quotes_ok = False
                built.missing.append(_not_found(text, claim.value, claim.location, "quotation"))
            elif span is not None and normalise(claim.value) not in normalise(span.exact):
                quotes_ok = False
                built.missing.append(f"{claim.location}: quotation is not within the fact's "
                                     f"evidence:\n  \"{claim.value}\"\n  quote the sentence "
                                     "that holds it as the evidence")
            else:
                built.quotations_found += 1
        if span is None or not quotes_ok:
            continue
        built.facts_with_evidence += 1
        derivations: list[str] = []
        triples = _triples(fact, built.corpus.entities, dates, derivations)
        _record(built, graph, article, _fact_iri(fact), span, rel_path, fact.location,
                fact, triples, derivations)


def _record(built, graph, article, fact_iri, span, rel_path, where, fact, triples,
            derivations=()):
    article_iri = graph_iri(article.id)
    evidence = KGE[f"{article.id}.{span.start}-{span.end}"]
    graph.add((evidence, RDF.type, DIP.EvidencePassage))
    graph.add((evidence, OA.exact, Literal(span.exact)))
    graph.add((evidence, OA.prefix, Literal(span.prefix)))
    graph.add((evidence, OA.suffix, Literal(span.suffix)))
    graph.add((evidence, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    graph.add((evidence, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    graph.add((evidence, OA.hasSource, article_iri))
    graph.add((evidence, DIP.paragraph, Literal(span.paragraph, datatype=XSD.positiveInteger)))

    graph.add((fact_iri, RDF.type, DIP.CuratedFact))
    graph.add((fact_iri, DIP.evidence, evidence))
    graph.add((fact_iri, PROV.wasDerivedFrom, article_iri))
    graph.add((fact_iri, DIP.curatedIn, Literal(rel_path)))
    graph.add((fact_iri, DIP.curatedAtLine, Literal(where.line, datatype=XSD.positiveInteger)))
    if fact is not None and fact.note:
        graph.add((fact_iri, DIP.curatorNote, Literal(fact.note, lang="en")))
    for text in derivations:
        graph.add((fact_iri, DIP.derivation, Literal(text, lang="en")))
    source = Source(fact_iri, where, article.id, span)
    for s, p, o in triples:
        graph.add((s, p, o))
        statement = _statement_iri(s, p, o)
        graph.add((statement, RDF.type, RDF.Statement))
        graph.add((statement, RDF.subject, s))
        graph.add((statement, RDF.predicate, p))
        graph.add((statement, RDF.object, o))
        graph.add((statement, DIP.assertedBy, fact_iri))
        _note_source(built, s, p, source)
        _note_source(built, statement, DIP.assertedBy, source)
    _note_source(built, fact_iri, DIP.evidence, source)
    _note_source(built, evidence, OA.exact, source)


def _note_source(built: Built, s, p, source: Source) -> None:
    built.sources.setdefault(s, {}).setdefault(p, []).append(source)


def _fact_iri(fact: Fact) -> URIRef:
    if fact.declares:
        local = f"declares-{fact.subject}"
    elif fact.fact_id:
        local = fact.fact_id
    else:  # stable under reordering and edits elsewhere: a digest of what the fact says
        body = repr((fact.subject, [(c.key, c.value) for c in fact.claims], fact.evidence))
        local = "f-" + hashlib.sha256(body.encode()).hexdigest()[:12]
    return KGF[f"{fact.article}.{local}"]


def _statement_iri(s, p, o) -> URIRef:
    key = "\n".join((s.n3(), p.n3(), o.n3())).encode()
    return KGS[hashlib.sha256(key).hexdigest()[:20]]


def _triples(fact: Fact, entities: dict, dates: dict,
             derivations: list | None = None) -> list[tuple]:
    """The plain triples a fact asserts (participation adds an n-ary node)."""
    s = entity_iri(fact.subject)
    out = []
    if fact.declares:
        entity = entities[fact.subject]
        out.append((s, RDF.type, DIP[entity.type]))
        out.append((s, RDFS.label, Literal(entity.label, lang="en")))
        out += [(s, SKOS.altLabel, Literal(alt, lang="en")) for alt in entity.alt_labels]
    for claim in fact.claims:
        prop = PROPERTIES[claim.key]
        p = DIP[prop.name]
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
            day, how = dates.get((fact.subject, id(claim)), (value, None))
            out.append((s, p, Literal(day.isoformat(), datatype=XSD.date)))
            if how and derivations is not None:
                derivations.append(how)
        elif kind == "year":
            out.append((s, p, Literal(f"{value:04d}", datatype=XSD.gYear)))
        elif kind == "duration":
            out.append((s, p, Literal(value, datatype=XSD.dayTimeDuration)))
        elif kind == "boolean":
            out.append((s, p, Literal(value)))
        elif kind == "enum":
            out.append((s, p, DIP[ENUMS[claim.key][value]]))
        elif kind == "iri":
            out.append((s, SCHEMA.sameAs, URIRef(value)))
        else:  # string, quote
            out.append((s, p, Literal(value, lang="en")))
    return out


# --- dates -------------------------------------------------------------------------------

def _resolve_dates(corpus: Corpus) -> dict:
    """Resolve relative dates ({weekday: ...}, {sameDayAs: ...}) to calendar dates.

    Returns ``{(subject, id(claim)): (date, how it was derived)}``.
    """
    published = {a.id: a.published for a in corpus.articles}
    absolute: dict[str, dt.date] = {}
    pending = []
    for fact in corpus.reference_facts + corpus.facts:
        for claim in fact.claims:
            if PROPERTIES[claim.key].kind != "date":
                continue
            if isinstance(claim.value, dt.date):
                absolute.setdefault(fact.subject, claim.value)
            else:
                pending.append((fact, claim))
    resolved = {}
    while pending:
        progress, later = False, []
        for fact, claim in pending:
            mode, arg = claim.value
            if mode == "weekday":
                if fact.article is None:
                    raise InputError("a weekday date needs an article's publication date; "
                                     "write the date as YYYY-MM-DD here", claim.location)
                pub = published[fact.article]
                back = (pub.weekday() - WEEKDAYS.index(arg)) % 7
                day = pub - dt.timedelta(days=back)
                how = (f"'{arg.capitalize()}' read as the last {arg.capitalize()} on or before "
                       f"the publication date {pub.isoformat()} (a {pub.strftime('%A')}): "
                       f"{day.isoformat()}")
            elif arg in absolute:
                day = absolute[arg]
                how = f"same day as {arg} ({day.isoformat()})"
            else:
                later.append((fact, claim))
                continue
            resolved[(fact.subject, id(claim))] = (day, how)
            absolute.setdefault(fact.subject, day)
            progress = True
        if not progress:
            fact, claim = later[0]
            raise InputError(f"'sameDayAs: {claim.value[1]}' cannot be resolved: that entity "
                             "has no date, or the sameDayAs references form a cycle; give "
                             "one of them a date", claim.location)
        pending = later
    return resolved


def _not_found(text: ArticleText, passage: str, where: Location, what: str = "evidence") -> str:
    count = text.count(passage)
    if count > 1:
        return (f"{where}: {what} occurs {count} times in the article, so it does not say "
                f"which words support the fact:\n  \"{passage}\"\n  quote more of the "
                "sentence so the passage is unique")
    close = text.closest(passage)
    hint = f"\n  closest passage: \"{close[0]}\" (paragraph {close[1]})" if close else ""
    return (f"{where}: {what} not found in the article:\n  \"{passage}\"{hint}\n  copy the "
            "words from article.txt exactly (only spaces, quote marks and dashes may differ)")
