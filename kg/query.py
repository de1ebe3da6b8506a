"""Run SPARQL over a built graph and format the results for people and programs."""

from __future__ import annotations

__all__ = ["FORMATS", "run_query", "format_result", "serialize_result", "aligned_table"]

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from .errors import InputError
from .vocab import PREFIXES, bind_prefixes

#: Result formats for SELECT and ASK queries; CONSTRUCT and DESCRIBE give Turtle.
FORMATS = ("table", "csv", "tsv", "json")


def run_query(graph: Graph, text: str, origin: str | None = None) -> Result:
    """Run a SPARQL query; our prefixes (dip:, kgr:, prov:, oa: ...) need no PREFIX lines.

    Raises
    ------
    InputError
        With the parser's message (and `origin`, the query's file, if given) if the query is
        not valid SPARQL.

    Examples
    --------
    >>> from kg.load import load_dataset
    >>> rows = run_query(load_dataset("data"),
    ...     "SELECT ?name WHERE { kgr:russian-delegation dip:headedBy/rdfs:label ?name }")
    >>> [str(r.name) for r in rows]
    ['Vladimir Medinsky']
    """
    try:
        return graph.query(text, initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib raise several error types
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        where = f"{origin}: " if origin else ""
        raise InputError(f"{where}the query is not valid SPARQL: {message}; fix it at the "
                         "line and column named") from None


def format_result(result: Result, fmt: str = "table") -> str:
    """Format a query result: an aligned table, CSV, TSV or SPARQL JSON; graphs as Turtle.

    Examples
    --------
    >>> from kg.load import load_dataset
    >>> result = run_query(load_dataset("data"),
    ...     "SELECT ?p WHERE { kgr:ceasefire-30-days dip:duration ?p }")
    >>> print(format_result(result), end="")
    p
    ----
    P30D
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return serialize_result(result, "turtle").decode()
    if result.type == "ASK" and fmt != "json":
        return ("true" if result.askAnswer else "false") + "\n"
    if fmt in ("csv", "tsv", "json"):
        return serialize_result(result, fmt).decode()
    names = Graph()
    bind_prefixes(names)
    header = [str(v) for v in result.vars]
    rows = [[_cell(row[v], names) for v in result.vars] for row in result]
    return aligned_table(header, rows, rule=True)


def aligned_table(header: list[str], rows: list[list[str]], rule: bool = False) -> str:
    """Columns padded to their widest cell, two spaces apart; `rule` underlines the header.

    Examples
    --------
    >>> print(aligned_table(["a", "bb"], [["xyz", "1"]], rule=True), end="")
    a    bb
    ---  --
    xyz  1
    """
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    if rule:
        lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def serialize_result(result: Result, fmt: str) -> bytes:
    """Serialise a result in a standard format, ending with a newline.

    SELECT and ASK: ``json`` (SPARQL JSON), ``xml`` (SPARQL XML), ``csv``, ``tsv`` (SPARQL
    1.1 CSV/TSV; an ASK answer there is one ``boolean`` column). CONSTRUCT and DESCRIBE:
    ``turtle``, ``nt``, ``json-ld``.

    Examples
    --------
    >>> from kg.load import load_dataset
    >>> ask = run_query(load_dataset("data"), "ASK { kgr:russia ?p ?o }")
    >>> serialize_result(ask, "csv")
    b'boolean\\ntrue\\n'
    """
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        bind_prefixes(graph)
        if fmt == "nt":
            lines = sorted(l for l in graph.serialize(format="nt", encoding="utf-8").splitlines() if l)
            return b"\n".join(lines) + b"\n" if lines else b""
        return graph.serialize(format=fmt, encoding="utf-8")
    if result.type == "ASK" and fmt in ("csv", "tsv"):
        return f"boolean\n{'true' if result.askAnswer else 'false'}\n".encode()
    if fmt == "tsv":  # SPARQL 1.1 TSV: ?names, then terms in Turtle syntax (rdflib has none)
        lines = ["\t".join(f"?{v}" for v in result.vars)]
        lines += ["\t".join("" if row[v] is None else row[v].n3() for v in result.vars)
                  for row in result]
        return ("\n".join(lines) + "\n").encode()
    body = result.serialize(format=fmt)
    return body if body.endswith(b"\n") else body + b"\n"


def _cell(value, names: Graph) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return names.namespace_manager.normalizeUri(value)
    if isinstance(value, Literal):
        return " ".join(str(value).split())
    return str(value)
