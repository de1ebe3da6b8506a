"""A built graph as an rdflib Dataset, for scripts that want rdflib (kg's readers use the
store, `kg.store.open_store`)."""

from __future__ import annotations

__all__ = ["load_dataset"]

from pathlib import Path


def load_dataset(source: str | Path = "out"):
    """The graph `source` names as an rdflib Dataset whose default graph is the union.

    `source` is what `kg.store.open_store` takes: a build folder, an RDF file, or a data
    folder. The named graphs are copied out of the store as N-Quads.

    Examples
    --------
    >>> ds = load_dataset("data")
    >>> len(ds) > 1000
    True
    """
    from rdflib import Dataset

    from .export import serialize
    from .store import open_store
    from .vocab import bind_prefixes

    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    store = open_store(source)
    if store.named_graphs():
        dataset.parse(data=serialize(store, "nquads").decode(), format="nquads")
    else:  # a file of triples: they are the default graph
        dataset.parse(data=serialize(store, "nt").decode(), format="nt")
    return dataset
