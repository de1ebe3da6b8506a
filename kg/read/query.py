"""Run SPARQL over the store and format the answers for people and programs."""

from __future__ import annotations

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "read_query",
    "run_query",
    "format_result",
    "serialize_result",
    "aligned_table",
    "cell",
]

import io
from typing import IO, cast

import pyoxigraph as ox

from kg.errors import InputError, Location
from kg.limits import read_bounded
from kg.pages import render
from kg.store.files import SkipPrefixes
from kg.store.sparql import Answer, execute, run_with_time_limit
from kg.vocab.namespaces import PREFIX_IRIS, compact, prefix_lines

#: Result formats for SELECT and ASK queries; CONSTRUCT and DESCRIBE give Turtle.
FORMATS = ("table", "csv", "tsv", "json", "xml")
#: Formats for the graph a CONSTRUCT or DESCRIBE query answers with.
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdf-xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
#: Formats for the answer to a SELECT or ASK query, as pyoxigraph writes them.
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: The function through which `_solutions` hands an answer's cells to pyoxigraph.
_CELL = ox.NamedNode("urn:kg:cell")


def read_query(path: str) -> str:
    """The text of the query file `path`: UTF-8, within the size limit for a query.

    Examples
    --------
    >>> read_query("queries/01-russian-delegation-head.rq").count("SELECT")
    1
    """
    data = read_bounded(path, "query")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            "the query is not UTF-8; save it as UTF-8", Location(str(path), line)
        ) from None


def run_query(
    store,
    text: str,
    origin: str | None = None,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    base_iri: str | None = None,
    inferred: bool = True,
) -> Answer:
    """Run a SPARQL query through the guard of `kg.store.sparql.execute`, within `timeout` seconds.

    Our prefixes (dip:, kgr:, prov:, oa: ...) need no PREFIX lines; the default graph is the
    union of what the sources state, the ontology and the inferred triples, each triple once
    (with `inferred` False, only what the sources state).

    Raises
    ------
    InputError
        With the parser's line and column (and `origin`, the query's file) if the query is
        not valid SPARQL.
    kg.store.sparql.QueryRefused
        For SERVICE (exit 5).
    kg.store.sparql.QueryTimeout
        When the query runs past `timeout` (exit 6).

    Examples
    --------
    >>> from kg.source import open_store
    >>> answer = run_query(open_store("data"),
    ...     "SELECT ?name WHERE { kgr:russian-delegation dip:headedBy/rdfs:label ?name }")
    >>> [row[0].value for row in answer.rows]
    ['Vladimir Medinsky']
    """
    return run_with_time_limit(
        lambda: execute(
            store, text, origin=origin, max_rows=max_rows, base_iri=base_iri, inferred=inferred
        ),
        timeout,
    )


def format_result(answer: Answer, fmt: str = "table") -> str:
    """Format an answer: an aligned table, CSV, TSV, SPARQL JSON or XML; graphs as Turtle.

    Examples
    --------
    >>> from kg.source import open_store
    >>> answer = run_query(open_store("data"),
    ...     "SELECT ?p WHERE { kgr:ceasefire-30-days dip:duration ?p }")
    >>> print(format_result(answer), end="")
    p
    ----
    P30D
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if answer.kind in ("CONSTRUCT", "DESCRIBE"):
        return serialize_result(answer, "turtle").decode()
    if answer.kind == "ASK" and fmt == "table":
        return ("true" if answer.boolean else "false") + "\n"
    if fmt != "table":
        return serialize_result(answer, fmt).decode()
    rows = [[cell(value) for value in row] for row in answer.rows]
    return aligned_table(list(answer.variables), rows, rule=True)


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


def cell(value) -> str:
    """A term as a table shows it: IRIs with our prefixes, literals as their plain text.

    Examples
    --------
    >>> cell(ox.NamedNode("https://w3id.org/diplomacy-kg/id/russia")), cell(None)
    ('kgr:russia', '')
    """
    if value is None:
        return ""
    if isinstance(value, ox.NamedNode):
        return compact(value.value)
    if isinstance(value, ox.Literal):
        return " ".join(value.value.split())
    return str(value)


def serialize_result(answer: Answer, fmt: str) -> bytes:
    """Serialise an answer in a standard format, ending with a newline.

    SELECT and ASK: ``json`` (SPARQL 1.1 JSON), ``xml`` (SPARQL XML), ``csv``, ``tsv``
    (SPARQL 1.1 CSV/TSV), each written by pyoxigraph's serialisers, and ``html`` (a page
    with one table, for a browser). CONSTRUCT and DESCRIBE: ``turtle`` (with our
    prefixes), ``nt`` and ``nquads`` (sorted lines), ``json-ld``, ``rdf-xml``, ``trig``.

    Examples
    --------
    >>> from kg.source import open_store
    >>> ask = run_query(open_store("data"), "ASK { kgr:russia ?p ?o }")
    >>> serialize_result(ask, "json")
    b'{"head":{},"boolean":true}\\n'
    >>> name = run_query(open_store("data"), "SELECT ?n WHERE { kgr:russia rdfs:label ?n }")
    >>> serialize_result(name, "csv")
    b'n\\r\\nRussia\\r\\n'
    """
    if answer.kind in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPH_FORMATS:
            raise InputError(
                f"unknown graph format {fmt!r}; use one of: {', '.join(GRAPH_FORMATS)}"
            )
        if fmt == "turtle":
            out = io.BytesIO()
            out.write(prefix_lines())
            with SkipPrefixes(out) as body:
                ox.serialize(
                    answer.triples, cast(IO[bytes], body), ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS
                )
            return out.getvalue()
        if fmt in ("nt", "nquads"):  # the default graph's triples are N-Quads lines too
            lines = sorted({str(t) for t in answer.triples})
            return "".join(line + " .\n" for line in lines).encode()
        return ox.serialize(answer.triples, format=GRAPH_FORMATS[fmt]) or b""
    if answer.tsv is not None and fmt == "tsv":
        return answer.tsv
    if answer.tsv is not None and fmt in RESULT_FORMATS:  # from Oxigraph's rows to its writer
        data = _kept(answer).serialize(format=RESULT_FORMATS[fmt]) or b""
        return data if data.endswith(b"\n") else data + b"\n"
    if fmt == "html":
        return _html(answer).encode()
    if fmt not in RESULT_FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: json, xml, csv, tsv, html")
    data = _solutions(answer).serialize(format=RESULT_FORMATS[fmt]) or b""
    return data if data.endswith(b"\n") else data + b"\n"


def _solutions(answer: Answer) -> ox.QuerySolutions | ox.QueryBoolean:
    """The answer as pyoxigraph's query results, for its serialisers to write.

    pyoxigraph makes results only from a query, so the answer's rows (already capped) are
    the solutions of a query over an empty store that takes each cell from the answer:
    ``VALUES`` numbers the rows and a function gives each variable its term (a blank node
    or a triple as well as an IRI or a literal; unbound where the answer is).
    """
    if answer.kind == "ASK":
        asked = ox.Store().query("ASK {}" if answer.boolean else "ASK { FILTER(false) }")
        return cast(ox.QueryBoolean, asked)
    rows = answer.rows
    row = "row"
    while row in answer.variables:  # a variable of our own, unlike any of the answer's
        row += "_"
    names = " ".join(f"?{v}" for v in answer.variables) or "*"
    binds = " ".join(
        f"BIND(<{_CELL.value}>(?{row}, {i}) AS ?{v})" for i, v in enumerate(answer.variables)
    )
    numbers = " ".join(str(n) for n in range(len(rows)))
    values = (
        f"VALUES ?{row} {{ {numbers} }}"
        if answer.variables
        else f"VALUES () {{ {'() ' * len(rows)}}}"
    )
    solutions = ox.Store().query(
        f"SELECT {names} WHERE {{ {values} {binds} }}",
        custom_functions={_CELL: lambda n, i: rows[int(n.value)][int(i.value)]},
    )
    return cast(ox.QuerySolutions, solutions)


def _kept(answer: Answer) -> ox.QuerySolutions:
    """The solutions of an answer whose rows Oxigraph kept as TSV (``Answer.tsv``)."""
    parsed = ox.parse_query_results(cast(bytes, answer.tsv), ox.QueryResultsFormat.TSV)
    return cast(ox.QuerySolutions, parsed)


def _html(answer: Answer) -> str:
    """A SELECT or ASK answer as an HTML page with one table: for a browser."""
    found = answer.rows
    if answer.tsv is not None:
        found = [tuple(s[v] for v in answer.variables) for s in _kept(answer)]
    rows = [[_binding(t) for t in row] for row in found]
    return render(
        "answer.html",
        variables=answer.variables,
        rows=rows,
        boolean=answer.boolean if answer.kind == "ASK" else None,
    )


def _binding(term) -> dict | None:
    """A term as the pages show it (see ``templates/macros.html``)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.Literal):
        return {"type": "literal", "value": term.value, "lang": term.language}
    return {"type": "literal", "value": str(term), "lang": None}
