"""What a command reads: a build folder's store, an RDF file, or a data folder built in
memory; and the same as an rdflib Dataset or a NetworkX projection, for scripts.

This module sits above the build and the readers: opening a data folder builds it (in
memory, nothing written), which is why it is not part of the store.
"""

from __future__ import annotations

__all__ = ["open_store", "load_dataset", "load_projection"]

from pathlib import Path

from kg.errors import InputError
from kg.store.generations import open_current
from kg.store.graphs import GraphStore, load_rdf
from kg.vocab.namespaces import bind_prefixes


def open_store(source: str | Path = "out", as_of=None) -> GraphStore:
    """Open what `source` names for reading (as of a day, if `as_of` is one: see
    `GraphStore.as_of`).

    `source` may be a build folder (its store is opened read-only; an older build with only
    ``kg.trig`` is loaded from that), an RDF file (``.trig``, ``.nq``, ``.ttl``, ``.nt``,
    ``.jsonld``, ``.rdf``), or a data folder, which is built in memory without writing
    anything.

    Raises
    ------
    InputError
        If there is nothing to read at `source`, or it cannot be parsed.

    Examples
    --------
    >>> store = open_store("data")
    >>> store.triples() > 900
    True
    """
    store = _open(Path(source))
    return store.as_of(as_of) if as_of is not None else store


def _open(path: Path) -> GraphStore:
    if path.is_dir():
        current = open_current(path)
        if current is not None:
            return current
        if (path / "kg.trig").is_file():
            return load_rdf(path / "kg.trig")
        if (path / "articles").is_dir() or (path / "entities").is_dir():
            # deferred for start-up time: the build (rdflib, pySHACL) only for a data folder
            from kg.build.pipeline import build_in_memory  # noqa: PLC0415

            return build_in_memory(path)
        raise InputError(
            f"{path}: no store or kg.trig here; run 'kg build' first, or pass "
            "a data folder or an RDF file"
        )
    if path.exists():  # a file; load_rdf refuses a pipe or a device without reading it
        return load_rdf(path)
    raise InputError(
        f"{path}: no such file or folder; run 'kg build' to make out/, or pass --graph PATH"
    )


def load_dataset(source: str | Path = "out"):
    """The graph `source` names as an rdflib Dataset whose default graph is the union.

    `source` is what `open_store` takes: a build folder, an RDF file, or a data
    folder. The named graphs are copied out of the store as N-Quads.

    Examples
    --------
    >>> ds = load_dataset("data")
    >>> len(ds) > 1000
    True
    """
    # deferred for start-up time: kg query and kg serve open a store without rdflib
    from rdflib import Dataset  # noqa: PLC0415

    from kg.read.export import serialize  # noqa: PLC0415

    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    store = open_store(source)
    if store.named_graphs():
        dataset.parse(data=serialize(store, "nquads").decode(), format="nquads")
    else:  # a file of triples: they are the default graph
        dataset.parse(data=serialize(store, "nt").decode(), format="nt")
    return dataset


def load_projection(source="out", name: str = "multigraph", as_of=None):
    """Open a built graph and project it: the one call an analysis script needs.

    `source` is what `open_store` takes: a build folder (default ``out``), an RDF
    file, or a data folder (built in memory); with `as_of` (YYYY-MM-DD), what holds for a
    time is what holds on that day.

    Examples
    --------
    >>> g = load_projection("data", "coparticipation")
    >>> sorted(g["hakan-fidan"])
    ['marco-rubio', 'rustem-umerov', 'ukrainian-foreign-minister-2025-05', 'vladimir-medinsky']
    """
    # deferred for start-up time: NetworkX only for a projection
    from kg.read.network import project  # noqa: PLC0415

    return project(open_store(source, as_of), name)
