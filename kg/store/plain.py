"""The plain graph: what a query without ``--as-of`` reads, kept in one graph of the store.

A plain query's default graph is the stated union (the store's default graph, less what
holds for a time), what holds for a time (`SCOPED_GRAPH`), the inferred triples and the
ontology. Oxigraph reads a default graph made of several graphs by visiting each graph at
every step of a query and removing the duplicates, which about doubles the time of a query
that reads many triples; so the store also keeps their union in one graph,
`PLAIN_GRAPH`, and a plain query reads that graph alone, as Oxigraph's own server reads
a store's default graph. It costs the store a second copy of the stated union.

A cold build loads the plain graph in bulk (`make_plain`); a rebuild changes it only where
one of the four graphs changed (`settle_plain`), by the triples the rebuild touched.
"""

from __future__ import annotations

__all__ = ["make_plain", "settle_plain", "PLAIN_PARTS", "PLAIN_LAYOUT"]

import io
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.vocab.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, PLAIN_GRAPH, SCOPED_GRAPH

#: The named graphs whose union with the store's default graph the plain graph holds.
PLAIN_PARTS = (SCOPED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH)
#: Bytes of N-Triples loaded into the plain graph by one bulk load.
BATCH = 32 << 20
#: What a generation's index file records for the plain graph: that it holds the union of
#: `PLAIN_PARTS` and the default graph, so that the next generation may settle it by what
#: changed (a store written before it held only `PLAIN_PARTS`, and is made again).
PLAIN_LAYOUT = "union of the default graph, scoped, inferred and ontology"


def make_plain(store: ox.Store, spill: str | Path | None = None) -> None:
    """Make the plain graph of `store` anew, in bulk: the union of its default graph and
    `PLAIN_PARTS`. A store with none of `PLAIN_PARTS` (a file of plain triples) has no
    plain graph: its default graph is what a plain query reads. `spill`, a folder, holds
    each graph's copy while it loads, rather than memory.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.NamedNode("urn:b")))
    >>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:q"), ox.NamedNode("urn:c"),
    ...                   ox.NamedNode(INFERRED_GRAPH)))
    >>> make_plain(store)
    >>> sorted(q.predicate.value for q in store.quads_for_pattern(
    ...     None, None, None, ox.NamedNode(PLAIN_GRAPH)))
    ['urn:p', 'urn:q']
    """
    node = ox.NamedNode(PLAIN_GRAPH)
    if store.contains_named_graph(node):
        store.remove_graph(node)
    parts = [ox.NamedNode(g) for g in PLAIN_PARTS if store.contains_named_graph(ox.NamedNode(g))]
    if not parts:
        return
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph(), *parts]
    for graph in graphs:
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
                store.bulk_load(batch, format=ox.RdfFormat.N_TRIPLES, to_graph=node)


def settle_plain(store: ox.Store, touched: Iterable[bytes]) -> None:
    """Bring the plain graph up to date after a rebuild: each triple of `touched`
    (N-Triples lines, those whose place in the default graph or in `PLAIN_PARTS` may have
    changed) is in the plain graph if and only if it is in one of those now. The rest of
    the plain graph, which the rebuild did not touch, stays as it was.

    Examples
    --------
    >>> store = ox.Store()
    >>> make_plain(store)
    >>> a, p = ox.NamedNode("urn:a"), ox.NamedNode("urn:p")
    >>> store.add(ox.Quad(a, p, a, ox.NamedNode(ONTOLOGY_GRAPH)))
    >>> settle_plain(store, [b"<urn:a> <urn:p> <urn:a> ."])
    >>> ox.Quad(a, p, a, ox.NamedNode(PLAIN_GRAPH)) in store
    True
    >>> store.remove(ox.Quad(a, p, a, ox.NamedNode(ONTOLOGY_GRAPH)))
    >>> settle_plain(store, [b"<urn:a> <urn:p> <urn:a> .\\n"])
    >>> ox.Quad(a, p, a, ox.NamedNode(PLAIN_GRAPH)) in store
    False
    """
    lines = {line.rstrip(b"\n") for line in touched}
    lines.discard(b"")
    if not lines:
        return
    node = ox.NamedNode(PLAIN_GRAPH)
    parts: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph()]
    parts += [ox.NamedNode(g) for g in PLAIN_PARTS]
    for triple in set(ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES)):
        s, p, o = triple.subject, triple.predicate, triple.object
        wanted = any(ox.Quad(s, p, o, graph) in store for graph in parts)
        plain = ox.Quad(s, p, o, node)
        if wanted and plain not in store:
            store.add(plain)
        elif not wanted and plain in store:
            store.remove(plain)
