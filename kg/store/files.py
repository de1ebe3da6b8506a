"""The blocks the files of a build are written from: each graph of ``kg.trig`` and each
source's part of ``kg.ttl``, written once by Oxigraph and kept in the build's cache, so that
a rebuild writes the files again without serialising the articles that did not change."""

from __future__ import annotations

__all__ = ["SkipPrefixes", "trig_block", "turtle_block", "as_quads"]

import io
from typing import IO, cast

import pyoxigraph as ox

from kg.vocab.namespaces import PREFIX_IRIS, compact


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
                self.pending = self.pending[end + 1 :]
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
    if not ntriples.strip():
        return b""
    body = io.BytesIO()
    with SkipPrefixes(body) as turtle:
        ox.serialize(
            ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES),
            cast(IO[bytes], turtle),
            ox.RdfFormat.TURTLE,
            prefixes=PREFIX_IRIS,
        )
    lines = body.getvalue().splitlines(keepends=True)
    return (
        b"\n"
        + compact(name).encode()
        + b" {\n"
        + b"".join(b"\t" + line if line.strip() else line for line in lines)
        + b"}\n"
    )


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


def as_quads(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines as N-Quads lines in `graph`.

    Examples
    --------
    >>> as_quads(b"<urn:s> <urn:p> <urn:o> .\\n", "urn:g")
    b'<urn:s> <urn:p> <urn:o> <urn:g> .\\n'
    """
    suffix = f" <{graph}> .".encode()
    return b"".join(line[:-2] + suffix + b"\n" for line in ntriples.splitlines() if line)
