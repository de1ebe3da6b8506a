"""Serialise a built graph: Turtle, N-Triples, TriG, N-Quads, JSON-LD and GraphML."""

from __future__ import annotations

__all__ = ["FORMATS", "NETWORK_FORMATS", "serialize", "serialize_network", "write_files"]

import io
import json
import os
import tempfile
from pathlib import Path

import networkx as nx
from rdflib import Dataset
from rdflib.plugins.serializers.trig import TrigSerializer

from .build import union_graph
from .errors import InputError, OutputError
from .network import PROJECTIONS, SEP, multigraph
from .vocab import PREFIXES, bind_prefixes

#: Export formats and the file suffix each is written with.
FORMATS = {"turtle": "ttl", "nt": "nt", "trig": "trig", "nquads": "nq", "jsonld": "jsonld",
           "graphml": "graphml", "gexf": "gexf", "json": "json"}
#: The formats that hold a NetworkX projection rather than RDF.
NETWORK_FORMATS = ("graphml", "gexf", "json")


def serialize(dataset: Dataset, fmt: str, projection: str = "multigraph") -> bytes:
    """Serialise a dataset deterministically: the same triples give the same bytes.

    ``turtle`` and ``nt`` hold the union of all graphs; ``trig``, ``nquads`` and ``jsonld``
    keep a named graph per article; ``graphml``, ``gexf`` and ``json`` (NetworkX node-link)
    hold the named `projection` (see `kg.network.PROJECTIONS`).

    Examples
    --------
    >>> from kg.build import build_graph
    >>> data = build_graph("data").dataset
    >>> serialize(data, "turtle") == serialize(data, "turtle")
    True
    >>> serialize(data, "turtle").startswith(b"@prefix dip:")
    True
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if projection not in PROJECTIONS:
        raise InputError(f"unknown projection {projection!r}; use one of: "
                         f"{', '.join(PROJECTIONS)}")
    if fmt in ("turtle", "nt") + NETWORK_FORMATS:
        union = union_graph(dataset, ordered=True)
        if fmt in NETWORK_FORMATS:
            return serialize_network(PROJECTIONS[projection](multigraph(union)), fmt)
        if fmt == "nt":
            return _sorted_lines(union.serialize(format="nt", encoding="utf-8"))
        return union.serialize(format="turtle", encoding="utf-8")
    ordered = Dataset()
    bind_prefixes(ordered)
    for s, p, o, g in sorted(dataset.quads((None, None, None, None)),
                             key=lambda q: (str(q[3]), q[0], q[1], q[2])):
        ordered.graph(g).add((s, p, o))
    if fmt == "nquads":
        return _sorted_lines(ordered.serialize(format="nquads", encoding="utf-8"))
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        doc = json.loads(ordered.serialize(format="json-ld", context=context))
        return (json.dumps(_sorted_json(doc), indent=2, sort_keys=True, ensure_ascii=False)
                + "\n").encode()
    # rdflib writes graphs in the order its store yields them; sort them by name
    serializer = TrigSerializer(ordered)
    serializer.contexts.sort(key=lambda graph: str(graph.identifier))
    stream = io.BytesIO()
    serializer.serialize(stream, encoding="utf-8")
    return stream.getvalue()


def serialize_network(graph: nx.Graph, fmt: str) -> bytes:
    """Write a NetworkX graph as GraphML, GEXF or node-link JSON that igraph and Gephi load.

    Attribute values are made scalar, and a key that holds values of several types in one
    graph is written as text throughout, so each key has one type.

    Examples
    --------
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
    clean = _scalar(graph)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(clean)).encode() + b"\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(clean)).encode() + b"\n"
    if fmt == "json":
        data = nx.node_link_data(clean, edges="edges")
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    raise InputError(f"unknown network format {fmt!r}; use one of: {', '.join(NETWORK_FORMATS)}")


def _scalar(graph: nx.Graph) -> nx.Graph:
    """A copy whose attribute values are str, int, float or bool, one type per key."""
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
    """Write `files` ({name: bytes}) into `out_dir`, all or none.

    Each file is written to a temporary file in `out_dir` and then renamed over its
    target, so a reader never sees a half-written file and a failure leaves the earlier
    outputs as they were.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in write_files({"a.txt": b"hi"}, folder)]
    ['a.txt']
    """
    out = Path(out_dir)
    temps: list[tuple[str, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            temps.append((temp, out / name))
            os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, target in temps:
            os.replace(temp, target)
    except OSError as exc:
        for temp, _ in temps:
            if os.path.exists(temp):
                os.unlink(temp)
        raise OutputError(f"cannot write into {out}: {exc.strerror or exc}; check the path "
                          "and its permissions") from None
    return [target for _, target in temps]


def _sorted_json(value):
    """JSON-LD with every unordered array sorted (``@list`` arrays keep their order)."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _sorted_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(line for line in data.splitlines() if line.strip())
    return b"\n".join(lines) + b"\n"
