"""Export the store: Turtle, N-Triples, TriG, N-Quads, JSON-LD, and networks as GraphML,
GEXF or JSON."""

from __future__ import annotations

__all__ = [
    "FORMATS",
    "NETWORK_FORMATS",
    "PROJECTION_NAMES",
    "export_store",
    "serialize",
    "serialize_network",
]

import io
import json
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import InputError
from kg.store.files import trig_block, turtle_block
from kg.store.graphs import source_of
from kg.vocab.namespaces import (
    INFERRED_GRAPH,
    NOT_STATED,
    ONTOLOGY_GRAPH,
    PREFIX_IRIS,
    bind_prefixes,
    prefix_lines,
)

#: Export formats and the file suffix each is written with.
FORMATS = {
    "turtle": "ttl",
    "nt": "nt",
    "trig": "trig",
    "nquads": "nq",
    "jsonld": "jsonld",
    "graphml": "graphml",
    "gexf": "gexf",
    "json": "json",
}
#: The formats that hold a NetworkX projection rather than RDF.
NETWORK_FORMATS = ("graphml", "gexf", "json")
#: The projections the network formats can hold (see `kg.read.network.PROJECTIONS`).
PROJECTION_NAMES = ("multigraph", "simple", "person-event", "coparticipation")


def export_store(
    store, fmt: str, output: BinaryIO, projection: str = "multigraph", inferred: bool = True
) -> None:
    """Write the store to `output` (a binary file) in `fmt`, deterministically.

    ``trig``, ``nquads`` and ``jsonld`` keep every named graph, source after source (see
    `kg.store.graphs.graph_order`): the reference entities; each article's graph and then the
    graphs of its curated facts; the inferred triples, the ontology and the shapes.
    ``turtle`` holds, source after source, the triples each states (an article's graphs
    together), then the inferred triples and the ontology, without graph names (a triple
    two sources state is written under each; a parser reads it once); ``nt`` holds what a
    query's default graph holds, each triple once. ``graphml``, ``gexf`` and ``json``
    (NetworkX node-link) hold the named `projection` (see `kg.read.network.PROJECTIONS`). With
    `inferred` False the inferred triples are left out, and ``nt`` and ``turtle`` hold
    only what the sources state. Triples are written in the order of their N-Triples
    lines, so the bytes depend only on the triples.

    Examples
    --------
    >>> from kg.source import open_store
    >>> buffer = io.BytesIO()
    >>> export_store(open_store("data"), "turtle", buffer)
    >>> buffer.getvalue().startswith(b"@prefix dip:")
    True
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if projection not in PROJECTION_NAMES:
        raise InputError(
            f"unknown projection {projection!r}; use one of: {', '.join(PROJECTION_NAMES)}"
        )

    raw = store.store
    graphs = [g for g in store.named_graphs() if inferred or g != INFERRED_GRAPH]

    def lines(graph) -> list[bytes]:
        return raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines(True)

    if fmt in NETWORK_FORMATS:
        # deferred for start-up time: NetworkX only for a network format
        from kg.read.network import project  # noqa: PLC0415

        output.write(serialize_network(project(store, projection), fmt))
    elif fmt == "turtle":
        output.write(prefix_lines())
        by_source: dict[str, set] = {}
        for name in graphs:
            if name not in NOT_STATED:
                by_source.setdefault(source_of(name), set()).update(lines(ox.NamedNode(name)))
        if not graphs:  # a file of triples: its default graph
            by_source["urn:x"] = set(lines(ox.DefaultGraph()))
        extra = [g for g in (INFERRED_GRAPH, ONTOLOGY_GRAPH) if g in graphs]
        for block in list(by_source.values()) + [set(lines(ox.NamedNode(g))) for g in extra]:
            output.write(turtle_block(trig_block("urn:x", b"".join(sorted(block)))))
    elif fmt == "nt":
        scope = store.full_default(inferred)
        for graph in scope:  # no inferred or ontology triple repeats a stated one
            raw.dump(output, ox.RdfFormat.N_TRIPLES, from_graph=graph)
    elif fmt == "trig":
        output.write(prefix_lines())
        for name in graphs:
            output.write(trig_block(name, b"".join(sorted(lines(ox.NamedNode(name))))))
    elif fmt == "nquads":
        for name in graphs:
            suffix = f" <{name}> .".encode()
            output.writelines(
                line[:-2] + suffix + b"\n"
                for line in sorted(lines(ox.NamedNode(name)))
                if line.strip()
            )
    else:
        output.write(_jsonld(store, inferred))


def serialize(store, fmt: str, projection: str = "multigraph", inferred: bool = True) -> bytes:
    """`export_store` into bytes.

    Examples
    --------
    >>> from kg.source import open_store
    >>> data = open_store("data")
    >>> serialize(data, "turtle") == serialize(data, "turtle")
    True
    """
    buffer = io.BytesIO()
    export_store(store, fmt, buffer, projection, inferred)
    return buffer.getvalue()


def _jsonld(store, inferred: bool = True) -> bytes:
    """JSON-LD compacted with our prefixes (rdflib's serializer), every array sorted."""
    from rdflib import Dataset  # noqa: PLC0415 - deferred for start-up time: JSON-LD only

    dataset = Dataset()
    bind_prefixes(dataset)
    dataset.parse(data=serialize(store, "nquads", inferred=inferred).decode(), format="nquads")
    context = dict(PREFIX_IRIS)
    doc = json.loads(dataset.serialize(format="json-ld", context=context))
    return (
        json.dumps(_sorted_json(doc), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    ).encode()


def serialize_network(graph, fmt: str) -> bytes:
    """Write a NetworkX graph as GraphML, GEXF or node-link JSON that igraph and Gephi load.

    Attribute values are made scalar, and a key that holds values of several types in one
    graph is written as text throughout, so each key has one type.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", weight=2, facts=("f1", "f2"))
    >>> print(serialize_network(g, "json").decode())  # doctest: +ELLIPSIS
    {
      "directed": false,
      "edges": [
        {
          "facts": "f1 | f2",
          "source": "a",
          "target": "b",
          "weight": 2
        }
      ],
    ...
    """
    import networkx as nx  # noqa: PLC0415 - deferred for start-up time, as below

    clean = _scalar(graph)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(clean)).encode() + b"\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(clean)).encode() + b"\n"
    if fmt == "json":
        data = nx.node_link_data(clean, edges="edges")
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    raise InputError(f"unknown network format {fmt!r}; use one of: {', '.join(NETWORK_FORMATS)}")


def _scalar(graph):
    """A copy whose attribute values are str, int, float or bool, one type per key."""
    # deferred for start-up time: kg export of RDF needs no NetworkX
    from kg.read.network import SEP  # noqa: PLC0415

    def flat(value):
        if isinstance(value, (list, tuple, set, frozenset)):
            return SEP.join(str(v) for v in sorted(value, key=str))
        if isinstance(value, (str, int, float, bool)):
            return value
        return str(value)

    out = graph.__class__()
    out.graph.update({k: flat(v) for k, v in graph.graph.items()})
    out.add_nodes_from((n, {k: flat(v) for k, v in d.items()}) for n, d in graph.nodes(data=True))
    if graph.is_multigraph():
        out.add_edges_from(
            (u, v, k, {a: flat(x) for a, x in d.items()})
            for u, v, k, d in graph.edges(keys=True, data=True)
        )
    else:
        out.add_edges_from(
            (u, v, {a: flat(x) for a, x in d.items()}) for u, v, d in graph.edges(data=True)
        )
    for items in (out.nodes.values(), (d for *_, d in out.edges(data=True))):
        items = list(items)
        types: dict[str, set] = {}
        for data in items:
            for key, value in data.items():
                types.setdefault(key, set()).add(type(value))
        mixed = {key for key, kinds in types.items() if len(kinds) > 1}
        for data in items:
            for key in mixed & set(data):
                data[key] = str(data[key])
    return out


def _sorted_json(value):
    """JSON-LD with every unordered array sorted (``@list`` arrays keep their order)."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _sorted_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value
