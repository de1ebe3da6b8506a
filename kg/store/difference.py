"""A graph of the store made to hold given triples by what differs, not by rewriting it."""

from __future__ import annotations

__all__ = ["replace_graph"]

from collections.abc import Collection

import pyoxigraph as ox


def replace_graph(store: ox.Store, graph: str, lines: Collection[bytes]) -> list[bytes]:
    """Make the named graph `graph` of `store` hold the triples of `lines` (N-Triples lines,
    each ending in a newline) by removing and adding only the triples that differ: a large
    graph that changes little (the inferred triples, a graph of the as-of index after an
    edit) costs its change, not its size. Returns the lines removed and added.

    Examples
    --------
    >>> store = ox.Store()
    >>> replace_graph(store, "urn:g", {b"<urn:a> <urn:p> <urn:b> .\\n"})
    [b'<urn:a> <urn:p> <urn:b> .']
    >>> replace_graph(store, "urn:g", {b"<urn:a> <urn:p> <urn:c> .\\n"})
    [b'<urn:a> <urn:p> <urn:b> .', b'<urn:a> <urn:p> <urn:c> .']
    >>> [q.object.value for q in store]
    ['urn:c']
    >>> replace_graph(store, "urn:g", set())  # no graph left named, as a cold build has none
    [b'<urn:a> <urn:p> <urn:c> .']
    >>> list(store.named_graphs())
    []
    """
    node = ox.NamedNode(graph)
    old = set((store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node) or b"").splitlines())
    new = {line.rstrip(b"\n") for line in lines}
    if not new:  # not an empty graph left named, which a cold build would not have
        store.remove_graph(node)
        return sorted(old)
    gone = sorted(old - new)
    if gone:  # removed first: a triple written otherwise than Oxigraph writes it comes back
        for triple in ox.parse(b"\n".join(gone) + b"\n", format=ox.RdfFormat.N_TRIPLES):
            store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, node))
    added = sorted(new - old)
    if added:
        store.load(b"\n".join(added) + b"\n", format=ox.RdfFormat.N_TRIPLES, to_graph=node)
    return gone + added
