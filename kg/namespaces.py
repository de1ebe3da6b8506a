"""The namespaces and prefixes of everything kg writes, as plain strings.

Declared here, without rdflib, so that the readers that only need the names (``kg query``,
``kg serve``) start fast; `kg.vocab` builds its rdflib namespaces from the same strings.
"""

from __future__ import annotations

__all__ = ["PREFIX_IRIS", "REFERENCE_GRAPH_IRI", "compact", "prefix_lines", "SkipPrefixes"]

import io

_KG = "https://w3id.org/diplomacy-kg/id/"

#: The named graph of the reference entities (``data/entities/*.yaml``).
REFERENCE_GRAPH_IRI = "https://w3id.org/diplomacy-kg/graph/reference"

#: Prefix -> namespace IRI, in the order every file kg writes declares them.
PREFIX_IRIS = {
    "dip": "https://w3id.org/diplomacy-kg/ontology#",
    "kgr": _KG,
    "kga": _KG + "article/",
    "kgf": _KG + "fact/",
    "kge": _KG + "evidence/",
    "kgp": _KG + "participation/",
    "org": "http://www.w3.org/ns/org#",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# longest namespace first, so that kga: wins over kgr: for an article's IRI
_BY_LENGTH = sorted(PREFIX_IRIS.items(), key=lambda item: -len(item[1]))
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")


def compact(iri: str) -> str:
    """An IRI as a prefixed name when one of our prefixes covers it, else ``<iri>``.

    Examples
    --------
    >>> compact("https://w3id.org/diplomacy-kg/id/article/2025-05-16-istanbul-talks")
    'kga:2025-05-16-istanbul-talks'
    >>> compact("http://example.org/x")
    '<http://example.org/x>'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if local and set(local) <= _LOCAL and not local.endswith("."):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def prefix_lines() -> bytes:
    """Our Turtle prefix declarations, in our order.

    Examples
    --------
    >>> prefix_lines().splitlines()[0]
    b'@prefix dip: <https://w3id.org/diplomacy-kg/ontology#> .'
    """
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIX_IRIS.items()).encode()


class SkipPrefixes(io.RawIOBase):
    r"""A binary writer that drops the ``@prefix`` lines a Turtle document starts with and
    passes the rest on to `target`: Oxigraph writes the prefixes it is given in an order of
    its own, so kg writes `prefix_lines` first and lets Oxigraph write the triples.

    Examples
    --------
    >>> out = io.BytesIO()
    >>> with SkipPrefixes(out) as body:
    ...     _ = body.write(b"@prefix a: <urn:a#> .\n@prefix b: <urn:b#> .\na:x a:y ")
    ...     _ = body.write(b"b:z .\n")
    >>> out.getvalue()
    b'a:x a:y b:z .\n'
    """

    def __init__(self, target):
        self.target = target
        self.pending = b""
        self.started = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        if self.started:
            self.target.write(data)
            return len(data)
        self.pending += data
        while not self.started:
            end = self.pending.find(b"\n")
            if end == -1:
                break
            if self.pending.startswith(b"@prefix "):
                self.pending = self.pending[end + 1:]
            else:
                self.started = True
                self.target.write(self.pending)
                self.pending = b""
        return len(data)

    def close(self) -> None:
        if not self.closed:
            if self.pending and not self.pending.startswith(b"@prefix "):
                self.target.write(self.pending)
            self.pending = b""
            self.started = True
        super().close()
