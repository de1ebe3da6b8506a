"""The store's default graph: what a query without ``--as-of`` reads, kept in one graph.

A plain query reads what the sources state (after the curators' ranks), what holds for a
time (`SCOPED_GRAPH`), the inferred triples and the ontology. Oxigraph reads a default
graph made of several graphs by visiting each graph at every step of a query, which about
doubles the time of a query that reads many triples; so the store keeps their union in its
own default graph, and a plain query reads that alone. Any SPARQL server opened on the
store (``oxigraph serve-read-only``, which `kg serve` runs) then answers as ``kg query``
does. The stated part is kept apart in `STATED_GRAPH` (for ``--no-inferred`` and
``--as-of``, which read it with other graphs): a second copy of the stated union.

A cold build loads the default graph in bulk (`make_plain`); a rebuild changes it only
where one of its parts changed (`settle_plain`), by the triples the rebuild touched. A
store written before this layout (its union in `PLAIN_GRAPH`, the stated part in the
default graph) is moved to it by `upgrade_layout`.
"""

from __future__ import annotations

__all__ = [
    "make_plain",
    "settle_plain",
    "stated_graph",
    "upgrade_layout",
    "STATED",
    "PLAIN_PARTS",
    "PLAIN_LAYOUT",
]

import io
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.vocab.namespaces import (
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    PLAIN_GRAPH,
    SCOPED_GRAPH,
    STATED_GRAPH,
)

#: The graph of what the sources state (less what holds for a time).
STATED = ox.NamedNode(STATED_GRAPH)
#: The named graphs whose union the store's default graph holds.
PLAIN_PARTS = (STATED_GRAPH, SCOPED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH)
#: Bytes of N-Triples loaded into the default graph by one bulk load.
BATCH = 32 << 20
#: What a generation's index file records for the layout: the default graph holds the
#: union of `PLAIN_PARTS`, so the next generation may settle it by what changed (a store
#: written before it is upgraded, `upgrade_layout`, and its default graph made anew).
PLAIN_LAYOUT = "default graph: union of stated, scoped, inferred and ontology"


def stated_graph(store: ox.Store) -> ox.NamedNode | ox.DefaultGraph:
    """The graph that holds what the sources state in `store`: `STATED`, or the default
    graph of a store without it (a file of plain triples, a store of an older layout).

    Examples
    --------
    >>> stated_graph(ox.Store())
    <DefaultGraph>
    """
    return STATED if store.contains_named_graph(STATED) else ox.DefaultGraph()


def upgrade_layout(store: ox.Store) -> None:
    """Move a store written before this layout to it: what its default graph held (the
    stated union) into `STATED`, its default graph emptied and `PLAIN_GRAPH` removed; the
    caller then makes the default graph (`make_plain`). A store already in this layout is
    left as it is.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.NamedNode("urn:b")))
    >>> upgrade_layout(store)
    >>> [str(q.graph_name) for q in store]
    ['<https://w3id.org/diplomacy-kg/graph/as-of/stated>']
    """
    if store.contains_named_graph(STATED):
        return
    store.update(f"ADD DEFAULT TO <{STATED_GRAPH}>")
    store.add_graph(STATED)  # even if nothing is stated
    store.clear_graph(ox.DefaultGraph())
    if store.contains_named_graph(ox.NamedNode(PLAIN_GRAPH)):
        store.remove_graph(ox.NamedNode(PLAIN_GRAPH))


def make_plain(store: ox.Store, spill: str | Path | None = None) -> None:
    """Make the default graph of `store` anew, in bulk: the union of `PLAIN_PARTS`. A
    store without `STATED` keeps what the sources state in its default graph: it is moved
    to `STATED` first (`upgrade_layout`) if the store has another part, and otherwise left
    as it is (a file of triples, or of graphs without inferred triples or an ontology: its
    default graph is already what a plain query reads). `spill`, a folder, holds each
    graph's copy while it loads, rather than memory.

    Examples
    --------
    >>> store = ox.Store()
    >>> a = ox.NamedNode("urn:a")
    >>> store.add(ox.Quad(a, ox.NamedNode("urn:p"), a, STATED))
    >>> store.add(ox.Quad(a, ox.NamedNode("urn:q"), a, ox.NamedNode(INFERRED_GRAPH)))
    >>> make_plain(store)
    >>> sorted(q.predicate.value for q in store.quads_for_pattern(
    ...     None, None, None, ox.DefaultGraph()))
    ['urn:p', 'urn:q']
    """
    if not store.contains_named_graph(STATED):
        if not any(store.contains_named_graph(ox.NamedNode(g)) for g in PLAIN_PARTS[1:]):
            return
        upgrade_layout(store)
    store.clear_graph(ox.DefaultGraph())
    for name in PLAIN_PARTS:
        graph = ox.NamedNode(name)
        if not store.contains_named_graph(graph):
            continue
        with (
            tempfile.TemporaryFile(dir=spill)
            if spill is not None
            else io.BytesIO(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"")
        ) as copy:
            if spill is not None:
                store.dump(copy, ox.RdfFormat.N_TRIPLES, from_graph=graph)
                copy.seek(0)
            # in batches of whole lines: Oxigraph's bulk loader holds and sorts what it is
            # given, so one load of a default graph of ten million triples took 4.7 GB
            while batch := copy.read(BATCH):
                batch += copy.readline()
                store.bulk_load(batch, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())


def settle_plain(store: ox.Store, touched: Iterable[bytes]) -> None:
    """Bring the default graph up to date after a rebuild: each triple of `touched`
    (N-Triples lines, those whose place in one of `PLAIN_PARTS` may have changed) is in the
    default graph if and only if it is in one of those now. The rest of the default graph,
    which the rebuild did not touch, stays as it was.

    Examples
    --------
    >>> store = ox.Store()
    >>> a, p = ox.NamedNode("urn:a"), ox.NamedNode("urn:p")
    >>> store.add(ox.Quad(a, p, a, ox.NamedNode(ONTOLOGY_GRAPH)))
    >>> settle_plain(store, [b"<urn:a> <urn:p> <urn:a> ."])
    >>> ox.Quad(a, p, a, ox.DefaultGraph()) in store
    True
    >>> store.remove(ox.Quad(a, p, a, ox.NamedNode(ONTOLOGY_GRAPH)))
    >>> settle_plain(store, [b"<urn:a> <urn:p> <urn:a> .\\n"])
    >>> ox.Quad(a, p, a, ox.DefaultGraph()) in store
    False
    """
    lines = {line.rstrip(b"\n") for line in touched}
    lines.discard(b"")
    if not lines:
        return
    parts = [ox.NamedNode(g) for g in PLAIN_PARTS]
    for triple in set(ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES)):
        s, p, o = triple.subject, triple.predicate, triple.object
        wanted = any(ox.Quad(s, p, o, graph) in store for graph in parts)
        plain = ox.Quad(s, p, o, ox.DefaultGraph())
        if wanted and plain not in store:
            store.add(plain)
        elif not wanted and plain in store:
            store.remove(plain)
