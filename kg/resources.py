"""The ontology and the shapes, read from the repository's ontology/ and shapes/."""

from __future__ import annotations

__all__ = ["ONTOLOGY_PATH", "SHAPES_PATH", "load_ontology", "load_shapes"]

from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, SH  # noqa: F401 - used by the doctests

from .errors import InputError

_ROOT = Path(__file__).resolve().parent.parent
#: The ontology and shapes of the source checkout (``pip install -e .``).
ONTOLOGY_PATH = _ROOT / "ontology" / "diplomacy.ttl"
SHAPES_PATH = _ROOT / "shapes" / "diplomacy-shapes.ttl"


@lru_cache(maxsize=8)
def _parse(path: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(f"{path}: not found; kg reads its ontology and shapes from the "
                         "repository: install it with 'pip install -e .' from a checkout") from None
    except Exception as exc:  # rdflib raises several parser error types
        raise InputError(f"{path}: cannot be parsed as Turtle: {exc}") from None
    return graph


def load_ontology(path: str | Path | None = None) -> Graph:
    """The diplomacy ontology as a graph (cached: do not modify it).

    Examples
    --------
    >>> len(list(load_ontology().subjects(RDF.type, OWL.Ontology)))
    1
    """
    return _parse(str(path or ONTOLOGY_PATH))


def load_shapes(path: str | Path | None = None) -> Graph:
    """The SHACL shapes as a graph (cached: do not modify it).

    Examples
    --------
    >>> len(list(load_shapes().subjects(RDF.type, SH.NodeShape))) > 10
    True
    """
    return _parse(str(path or SHAPES_PATH))
