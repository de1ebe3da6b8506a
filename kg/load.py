"""Open a built graph: an output folder, an RDF file, or a data folder built in memory."""

from __future__ import annotations

__all__ = ["load_dataset", "RDF_SUFFIXES"]

from pathlib import Path

from rdflib import Dataset

from .errors import InputError
from .vocab import bind_prefixes

#: File suffix -> rdflib parser name.
RDF_SUFFIXES = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt",
                ".jsonld": "json-ld"}


def load_dataset(source: str | Path = "out") -> Dataset:
    """Load a graph for querying and analysis.

    `source` may be a build output folder (its ``kg.trig`` is read), an RDF file
    (``.trig``, ``.nq``, ``.ttl``, ``.nt``, ``.jsonld``), or a data folder, which is built in
    memory. The default graph of the result is the union of its named graphs.

    Raises
    ------
    InputError
        If there is nothing to load at `source`, or it cannot be parsed.

    Examples
    --------
    >>> ds = load_dataset("data")
    >>> len(ds) > 1000
    True
    """
    path = Path(source)
    if path.is_dir():
        if (path / "kg.trig").is_file():
            return _parse(path / "kg.trig", "trig")
        if (path / "articles").is_dir() or (path / "entities").is_dir():
            from .build import build_graph

            return _union(build_graph(path).dataset)
        raise InputError(f"{path}: no kg.trig here; run 'kg build' first, or pass a data "
                         "folder or an RDF file")
    if path.is_file():
        fmt = RDF_SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"{path}: unknown RDF file type; use one of "
                             f"{', '.join(RDF_SUFFIXES)}")
        return _parse(path, fmt)
    raise InputError(f"{path}: no such file or folder; run 'kg build' to make out/, or pass "
                     "--graph PATH")


def _parse(path: Path, fmt: str) -> Dataset:
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    try:
        dataset.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib's parsers raise many error types
        raise InputError(f"{path}: cannot be parsed as {fmt}: {exc}") from None
    return dataset


def _union(dataset: Dataset) -> Dataset:
    dataset.default_union = True
    return dataset
