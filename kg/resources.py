"""The ontology and the shapes, read from the repository's ontology/ and shapes/."""

from __future__ import annotations

__all__ = ["ONTOLOGY_PATH", "SHAPES_PATH", "load_ontology", "load_shapes"]

import sysconfig
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, SH  # noqa: F401 - used by the doctests

from .errors import InputError

def _locate(folder: str, name: str) -> Path:
    """The checkout's copy (an editable install, or running from the repository) if there is
    one, else the copy a regular install put under ``<prefix>/share/kg``."""
    checkout = Path(__file__).resolve().parent.parent / folder / name
    if checkout.is_file():
        return checkout
    installed = Path(sysconfig.get_path("data")) / "share" / "kg" / folder / name
    return installed if installed.is_file() else checkout


#: The ontology and shapes kg validates with.
ONTOLOGY_PATH = _locate("ontology", "diplomacy.ttl")
SHAPES_PATH = _locate("shapes", "diplomacy-shapes.ttl")


@lru_cache(maxsize=8)
def _parse(path: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(f"{path}: not found; reinstall kg from a checkout of its repository "
                         "('pip install -e .' or 'pip install .')") from None
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
