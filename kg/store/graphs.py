"""The graphs of the store: what each named graph comes from, the order they are written
in, the default graph (the union of what the sources state, after the curators' ranks), and
an open store.

A build writes the store into its output folder (`kg.store.generations`): a named graph per
curated fact (the triples it asserts), one per article (its metadata and the records of its
facts and passages), the reference graph, the ontology, the shapes and the inferred triples.
The default graph is the union of what the sources state — the fact, article and reference
graphs — without duplicates (so a triple that two articles state is one solution, not two);
a query sees it together with the inferred triples and the ontology, which never repeat a
stated triple.
"""

from __future__ import annotations

__all__ = [
    "count",
    "GraphStore",
    "WITH_STATED",
    "RDF_FORMATS",
    "load_rdf",
    "fill_union",
    "ranked_keys",
    "apply_ranks",
    "source_of",
    "graph_order",
]

import datetime as dt
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from kg.errors import InputError
from kg.limits import check_size
from kg.store.asof import as_of_graphs, day_of, index_time
from kg.store.plain import STATED, make_plain, stated_graph
from kg.vocab.namespaces import (
    AS_OF,
    INFERRED_GRAPH,
    NOT_STATED,
    ONTOLOGY_GRAPH,
    PLAIN_GRAPH,
    PREFIX_IRIS,
    REFERENCE_GRAPH_IRI,
    SCOPED_GRAPH,
)
from kg.vocab.records import FILL_UNION, RANKED_KEYS, rank_updates

#: What a query's default graph adds to the default graph of the store (the stated union,
#: less what holds for a time, which `SCOPED_GRAPH` holds).
WITH_STATED = (SCOPED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH)
_KGA = PREFIX_IRIS["kga"]
_KGF = PREFIX_IRIS["kgf"]
#: File suffix -> the RDF format pyoxigraph parses it with.
RDF_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


@dataclass
class GraphStore:
    """An open store and where it came from.

    ``store`` is a `pyoxigraph.Store` whose default graph is the union of its named graphs.
    A build folder's store is opened read-only; an RDF file or a data folder is loaded
    into a store in memory.
    """

    store: ox.Store
    source: str
    read_only: bool = True
    manifest: dict = field(default_factory=dict)
    #: The day the store is read as of (`as_of`), or None: every value.
    day: dt.date | None = None
    _dataset: list | None = field(default=None, repr=False)
    #: A reader's hold on the store generation (`kg.store.generations.hold_generation`),
    #: kept as long as this store, or a view of it, is.
    hold: Any = field(default=None, repr=False, compare=False)

    def full_default(self, inferred: bool = True) -> list:
        """The graphs of a query's default graph: the store's default graph, which holds
        what the sources state, what holds for a time, the inferred triples and the
        ontology in one graph (`kg.store.plain`); with `inferred` False, the stated union
        alone (`STATED` and what holds for a time). As of a day (`as_of`), what holds for
        a time is what holds on that day."""
        if self.day is not None:
            return as_of_graphs(self.store, self.day, inferred)
        if self._dataset is None:
            if self.store.contains_named_graph(STATED):
                self._dataset = [ox.DefaultGraph()]
            elif self.store.contains_named_graph(ox.NamedNode(PLAIN_GRAPH)):
                self._dataset = [ox.NamedNode(PLAIN_GRAPH)]  # a store of the older layout
            else:
                self._dataset = [ox.DefaultGraph()] + [
                    ox.NamedNode(g)
                    for g in WITH_STATED
                    if self.store.contains_named_graph(ox.NamedNode(g))
                ]
        if inferred:
            return self._dataset
        scoped = ox.NamedNode(SCOPED_GRAPH)
        return [stated_graph(self.store)] + (
            [scoped] if self.store.contains_named_graph(scoped) else []
        )

    def as_of(self, day) -> GraphStore:
        """The same store, read as of `day` (a `datetime.date` or YYYY-MM-DD): what holds
        for a time (posts, memberships, heads) is what holds on that day, as the latest
        source at or before it says and none says ended (see `kg.store.asof`).

        Examples
        --------
        >>> from kg.source import open_store
        >>> store = open_store("data")
        >>> ask = "SELECT (COUNT(*) AS ?n) WHERE { ?s dip:holdsPost ?o }"
        >>> [count(store.store, ask, default_graph=store.as_of(day).full_default(),
        ...        prefixes=PREFIX_IRIS) for day in ("2025-01-01", "2025-06-01")]
        [0, 10]
        """
        when = day if isinstance(day, dt.date) else day_of(day)
        as_of_graphs(self.store, when)  # refused here if the store cannot say
        return GraphStore(
            self.store, self.source, self.read_only, self.manifest, day=when, hold=self.hold
        )

    def named_graphs(self) -> list[str]:
        """The names of the named graphs, grouped by source (see `graph_order`): the
        reference entities, each article's graph followed by its facts' graphs, the
        inferred triples, the ontology, the shapes.

        Examples
        --------
        >>> from kg.source import open_store
        >>> names = [g.rsplit("/", 1)[1] for g in open_store("data").named_graphs()]
        >>> names[:2], names[-3:]  # doctest: +NORMALIZE_WHITESPACE
        (['reference', 'reference.declares-adviser-to-the-president-of-russia'],
         ['inferred', 'ontology', 'shapes'])
        >>> first = names.index("2025-05-16-istanbul-talks")
        >>> names[first + 1]
        '2025-05-16-istanbul-talks.article-datePublished'

        """
        names = [
            g.value
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode) and not g.value.startswith(AS_OF)
        ]
        return sorted(names, key=graph_order)

    def triples(self, graph: str | None = None) -> int:
        """How many triples the stated union (or `graph`) holds."""
        if graph:
            return count(
                self.store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            )
        return count(
            self.store,
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            default_graph=self.full_default(inferred=False),
        )


def count(store: ox.Store, query: str, **options) -> int:
    """The number a ``SELECT (COUNT(...) AS ?n)`` query answers.

    Examples
    --------
    >>> count(ox.Store(), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    0
    """
    found = cast(ox.QuerySolutions, store.query(query, **options))
    return int(next(iter(found))["n"].value)


def load_rdf(path: str | Path) -> GraphStore:
    """Load an RDF file into a store in memory; quads keep their graphs, and the default
    graph also holds their union.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = f.write_text('<urn:a> <urn:p> <urn:b> <urn:g1> .\\n<urn:a> <urn:p> <urn:b> <urn:g2> .\\n')
    >>> load_rdf(f).triples()
    1
    """
    path = Path(path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown RDF file type; use one of {', '.join(RDF_FORMATS)}")
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file (a pipe or a device); give a file")
    check_size(info.st_size, "rdf", str(path))
    store = ox.Store()
    try:
        # relative IRIs in the file resolve against the file's own URL, as RDF parsers do
        store.load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
    except (SyntaxError, ValueError, OSError) as exc:
        remedy = (
            "rebuild it with 'kg build' (a file kg wrote is only cut short by a "
            "failed copy or a full disk)"
            if path.name.startswith("kg.")
            else "fix the file at that place, or export it again from where it came from"
        )
        raise InputError(f"{path}: cannot be parsed as {fmt.name}: {exc}; {remedy}") from None
    fill_union(store)
    return GraphStore(store, str(path), False)


def fill_union(store: ox.Store) -> None:
    """Make a store loaded from a file of graphs what a build makes: what each source graph
    states copied into the default graph (a set: no duplicates), the curators' ranks
    applied (`apply_ranks`), the as-of index made (`kg.store.asof.index_time`), and the
    default graph made the union of that and the inferred triples and the ontology, if the
    file has them (`kg.store.plain.make_plain`)."""
    store.update(FILL_UNION, prefixes=PREFIX_IRIS)
    apply_ranks(store, ranked_keys(store))
    index_time(store)
    make_plain(store)


def ranked_keys(store: ox.Store) -> set[tuple]:
    """The (subject, predicate) pairs that a ranked curated fact states a value for."""
    found = cast(
        ox.QuerySolutions,
        store.query(RANKED_KEYS, prefixes=PREFIX_IRIS, default_graph=stated_graph(store)),
    )
    return {(row["s"], row["p"]) for row in found}


def apply_ranks(store: ox.Store, keys: set[tuple]) -> None:
    """Make the stated union (`kg.store.plain.stated_graph`) hold, for each (subject,
    predicate) in `keys`, the values that plain
    queries should see, as Wikidata's "truthy" statements do: those of the facts with the
    preferred rank if there are any, else those of every fact but the deprecated ones (the
    reference entities count as normal). The facts' own graphs keep every value."""
    stated = stated_graph(store)
    graph = stated.value if isinstance(stated, ox.NamedNode) else None
    ordered = sorted(keys, key=str)
    for start in range(0, len(ordered), 500):
        values = " ".join(f"({s} {p})" for s, p in ordered[start : start + 500])
        for update in rank_updates(values, graph):
            store.update(update, prefixes=PREFIX_IRIS)


def source_of(graph: str) -> str:
    """The source a named graph comes from: an article's id for the article's graph and
    its facts' graphs, the reference graph for the reference entries' graphs, the graph
    itself otherwise.

    Examples
    --------
    >>> source_of("https://w3id.org/diplomacy-kg/id/fact/2025-05-16-istanbul-talks.f-1a2b")
    '2025-05-16-istanbul-talks'
    >>> source_of("https://w3id.org/diplomacy-kg/id/fact/reference.declares-russia")
    'https://w3id.org/diplomacy-kg/graph/reference'
    >>> source_of(ONTOLOGY_GRAPH) == ONTOLOGY_GRAPH
    True
    """
    if graph.startswith(_KGA):
        return graph[len(_KGA) :]
    if graph.startswith(_KGF):
        source = graph[len(_KGF) :].split(".", 1)[0]
        return REFERENCE_GRAPH_IRI if source == "reference" else source
    return graph


def graph_order(graph: str) -> tuple:
    """The order graphs are written in: by source (the reference entities, then articles by
    id, then the inferred triples, the ontology and the shapes), a source's own graph
    before its facts' graphs.

    Examples
    --------
    >>> sorted([ONTOLOGY_GRAPH, "https://w3id.org/diplomacy-kg/id/fact/a.f1",
    ...         "https://w3id.org/diplomacy-kg/id/article/a"], key=graph_order)[0]
    'https://w3id.org/diplomacy-kg/id/article/a'
    """
    source = source_of(graph)
    rank = 2 if graph in NOT_STATED else 1 if "://" not in source else 0
    return (rank, source, graph not in (source, _KGA + source), graph)
