"""Export the store: Turtle, N-Triples, TriG, N-Quads, JSON-LD, and networks as GraphML,
GEXF or JSON; and the all-or-nothing writing of output files."""

from __future__ import annotations

__all__ = ["FORMATS", "NETWORK_FORMATS", "PROJECTION_NAMES", "export_store", "serialize",
           "serialize_network", "trig_block", "turtle_block", "write_files", "write_outputs"]

import io
import json
import os
from pathlib import Path
from typing import BinaryIO, Callable

from .errors import InputError, OutputError
from .namespaces import PREFIX_IRIS, SkipPrefixes, compact, prefix_lines

#: Export formats and the file suffix each is written with.
FORMATS = {"turtle": "ttl", "nt": "nt", "trig": "trig", "nquads": "nq", "jsonld": "jsonld",
           "graphml": "graphml", "gexf": "gexf", "json": "json"}
#: The formats that hold a NetworkX projection rather than RDF.
NETWORK_FORMATS = ("graphml", "gexf", "json")
#: The projections the network formats can hold (see `kg.network.PROJECTIONS`).
PROJECTION_NAMES = ("multigraph", "simple", "person-event", "coparticipation")


def export_store(store, fmt: str, output: BinaryIO, projection: str = "multigraph",
                 inferred: bool = True) -> None:
    """Write the store to `output` (a binary file) in `fmt`, deterministically.

    ``trig``, ``nquads`` and ``jsonld`` keep every named graph, source after source (see
    `kg.store.graph_order`): the reference entities; each article's graph and then the
    graphs of its curated facts; the inferred triples, the ontology and the shapes.
    ``turtle`` holds, source after source, the triples each states (an article's graphs
    together), then the inferred triples and the ontology, without graph names (a triple
    two sources state is written under each; a parser reads it once); ``nt`` holds what a
    query's default graph holds, each triple once. ``graphml``, ``gexf`` and ``json``
    (NetworkX node-link) hold the named `projection` (see `kg.network.PROJECTIONS`). With
    `inferred` False the inferred triples are left out, and ``nt`` and ``turtle`` hold
    only what the sources state. Triples are written in the order of their N-Triples
    lines, so the bytes depend only on the triples.

    Examples
    --------
    >>> from kg.store import open_store
    >>> buffer = io.BytesIO()
    >>> export_store(open_store("data"), "turtle", buffer)
    >>> buffer.getvalue().startswith(b"@prefix dip:")
    True
    """
    import pyoxigraph as ox

    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if projection not in PROJECTION_NAMES:
        raise InputError(f"unknown projection {projection!r}; use one of: "
                         f"{', '.join(PROJECTION_NAMES)}")
    from .store import INFERRED_GRAPH, NOT_STATED, ONTOLOGY_GRAPH, source_of

    raw = store.store
    graphs = [g for g in store.named_graphs() if inferred or g != INFERRED_GRAPH]

    def lines(graph) -> list[bytes]:
        return raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines(True)

    if fmt in NETWORK_FORMATS:
        from .network import project

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
        scope = [ox.DefaultGraph()] + ([ox.NamedNode(g) for g in (INFERRED_GRAPH,
                                                                    ONTOLOGY_GRAPH)
                                        if g in graphs] if inferred else [])
        for graph in scope:  # no inferred or ontology triple repeats a stated one
            raw.dump(output, ox.RdfFormat.N_TRIPLES, from_graph=graph)
    elif fmt == "trig":
        output.write(prefix_lines())
        for name in graphs:
            output.write(trig_block(name, b"".join(sorted(lines(ox.NamedNode(name))))))
    elif fmt == "nquads":
        for name in graphs:
            suffix = f" <{name}> .".encode()
            output.writelines(line[:-2] + suffix + b"\n" for line in sorted(
                lines(ox.NamedNode(name))) if line.strip())
    else:
        output.write(_jsonld(store, inferred))


def trig_block(name: str, ntriples: bytes) -> bytes:
    """One named graph of a TriG document: its name, then its triples in braces, written by
    Oxigraph in the order of `ntriples` (sorted N-Triples, so the block depends only on the
    triples). ``kg.trig`` is our prefix lines and one block per graph in order of name; the
    build keeps each article's block in its cache.

    Examples
    --------
    >>> print(trig_block("https://w3id.org/diplomacy-kg/id/article/a",  # doctest: +NORMALIZE_WHITESPACE
    ...       b'<https://w3id.org/diplomacy-kg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\\n').decode())
    <BLANKLINE>
    kga:a {
    	kgr:x rdfs:label "X" .
    }
    <BLANKLINE>
    """
    import pyoxigraph as ox

    if not ntriples.strip():
        return b""
    body = io.BytesIO()
    with SkipPrefixes(body) as turtle:
        ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), turtle,
                     ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    lines = body.getvalue().splitlines(keepends=True)
    return (b"\n" + compact(name).encode() + b" {\n"
            + b"".join(b"\t" + line if line.strip() else line for line in lines) + b"}\n")


def turtle_block(block: bytes) -> bytes:
    """A `trig_block` as plain Turtle: the same triples without the graph's name and braces.

    Examples
    --------
    >>> turtle_block(b"\\nkga:a {\\n\\tkgr:x rdfs:label \\"X\\" .\\n}\\n")
    b'\\nkgr:x rdfs:label "X" .\\n'
    """
    if not block:
        return b""
    lines = block.splitlines(keepends=True)[2:-1]
    return b"\n" + b"".join(line[1:] if line.startswith(b"\t") else line for line in lines)


def serialize(store, fmt: str, projection: str = "multigraph", inferred: bool = True) -> bytes:
    """`export_store` into bytes.

    Examples
    --------
    >>> from kg.store import open_store
    >>> data = open_store("data")
    >>> serialize(data, "turtle") == serialize(data, "turtle")
    True
    """
    buffer = io.BytesIO()
    export_store(store, fmt, buffer, projection, inferred)
    return buffer.getvalue()


def _jsonld(store, inferred: bool = True) -> bytes:
    """JSON-LD compacted with our prefixes (rdflib's serializer), every array sorted."""
    from rdflib import Dataset

    from .vocab import bind_prefixes

    dataset = Dataset()
    bind_prefixes(dataset)
    dataset.parse(data=serialize(store, "nquads", inferred=inferred).decode(), format="nquads")
    context = dict(PREFIX_IRIS)
    doc = json.loads(dataset.serialize(format="json-ld", context=context))
    return (json.dumps(_sorted_json(doc), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n").encode()


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
    import networkx as nx

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
    from .network import SEP

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
        out.add_edges_from((u, v, k, {a: flat(x) for a, x in d.items()})
                           for u, v, k, d in graph.edges(keys=True, data=True))
    else:
        out.add_edges_from((u, v, {a: flat(x) for a, x in d.items()})
                           for u, v, d in graph.edges(data=True))
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


def write_files(files: dict[str, bytes], out_dir: str | Path) -> list[Path]:
    """Write `files` ({name: bytes}) into `out_dir`, all or none (see `write_outputs`).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in write_files({"a.txt": b"hi"}, folder)]
    ['a.txt']
    """
    return write_outputs({name: (lambda handle, data=data: handle.write(data))
                          for name, data in files.items()}, out_dir)


def write_outputs(writers: dict[str, Callable[[BinaryIO], object]],
                  out_dir: str | Path) -> list[Path]:
    """Write each file of `writers` ({name: function that writes into a binary file}) into
    `out_dir`, all or none.

    Each file is written to a temporary file in `out_dir` and then renamed over its
    target, so a reader never sees a half-written file and a failure leaves the earlier
    outputs as they were.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in write_outputs({"b.txt": lambda f: f.write(b"hi")}, folder)]
    ['b.txt']
    """
    import tempfile

    out = Path(out_dir)
    temps: list[tuple[str, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    if out.exists() and not out.is_dir():
        raise OutputError(f"cannot write into {out}: it is a file, not a folder; name a "
                          "folder to write into")
    for name in writers:
        if (out / name).is_dir():
            raise OutputError(f"cannot write {out / name}: it is a folder; name a file to "
                              "write")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, write in writers.items():
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            temps.append((temp, out / name))
            os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
            with os.fdopen(fd, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, target in temps:
            os.replace(temp, target)
    except OSError as exc:
        raise OutputError(f"cannot write into {out}: {exc.strerror or exc}; check the path "
                          "and its permissions") from None
    finally:
        for temp, _ in temps:
            if os.path.exists(temp):
                os.unlink(temp)
    return [target for _, target in temps]


def _sorted_json(value):
    """JSON-LD with every unordered array sorted (``@list`` arrays keep their order)."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _sorted_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


