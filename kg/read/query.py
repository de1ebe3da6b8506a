"""Run SPARQL over the store and format the answers for people and programs."""

from __future__ import annotations

__all__ = ["FORMATS", "GRAPH_FORMATS", "read_query", "run_query", "local_href", "format_result", "serialize_result",
           "aligned_table", "cell"]

import csv
import io
import json
from html import escape

import pyoxigraph as ox

from kg.errors import InputError, Location
from kg.limits import read_bounded
from kg.store.files import SkipPrefixes
from kg.store.sparql import Answer, execute, run_with_time_limit
from kg.vocab.namespaces import compact, PREFIX_IRIS, prefix_lines


#: Result formats for SELECT and ASK queries; CONSTRUCT and DESCRIBE give Turtle.
FORMATS = ("table", "csv", "tsv", "json", "xml")
#: Formats for the graph a CONSTRUCT or DESCRIBE query answers with.
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "json-ld": ox.RdfFormat.JSON_LD, "rdf-xml": ox.RdfFormat.RDF_XML,
                 "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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
        raise InputError("the query is not UTF-8; save it as UTF-8",
                         Location(str(path), line)) from None


def run_query(store, text: str, origin: str | None = None, *, timeout: float | None = None,
              max_rows: int | None = None, base_iri: str | None = None,
              inferred: bool = True) -> Answer:
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
    return run_with_time_limit(lambda: execute(store, text, origin=origin, max_rows=max_rows,
                                               base_iri=base_iri, inferred=inferred), timeout)


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
    (SPARQL 1.1 CSV/TSV; an ASK answer there is one ``boolean`` column). CONSTRUCT and
    DESCRIBE: ``turtle`` (with our prefixes), ``nt``, ``json-ld``, ``rdf-xml``.

    Examples
    --------
    >>> from kg.source import open_store
    >>> ask = run_query(open_store("data"), "ASK { kgr:russia ?p ?o }")
    >>> serialize_result(ask, "csv")
    b'boolean\\r\\ntrue\\r\\n'
    """
    if answer.kind in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPH_FORMATS:
            raise InputError(f"unknown graph format {fmt!r}; use one of: "
                             f"{', '.join(GRAPH_FORMATS)}")
        if fmt == "turtle":
            out = io.BytesIO()
            out.write(prefix_lines())
            with SkipPrefixes(out) as body:
                ox.serialize(answer.triples, body, ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
            return out.getvalue()
        if fmt in ("nt", "nquads"):  # the default graph's triples are N-Quads lines too
            lines = sorted({str(t) for t in answer.triples})
            return "".join(line + " .\n" for line in lines).encode()
        return ox.serialize(answer.triples, format=GRAPH_FORMATS[fmt]) or b""
    if fmt == "json":
        return _json(answer)
    if fmt == "xml":
        return _xml(answer)
    if fmt == "csv":
        return _csv(answer)
    if fmt == "tsv":
        return _tsv(answer)
    if fmt == "html":
        return _html(answer)
    raise InputError(f"unknown format {fmt!r}; use one of: json, xml, csv, tsv, html")


def local_href(iri: str) -> str:
    """Where an IRI links from a page of ``kg serve``: our entities, articles and facts to
    their page on the server itself (``/id/...``), any other IRI to itself.

    Examples
    --------
    >>> local_href("https://w3id.org/diplomacy-kg/id/russia"), local_href("https://schema.org/")
    ('/id/russia', 'https://schema.org/')
    """
    base = PREFIX_IRIS["kgr"]
    return "/id/" + iri[len(base):] if iri.startswith(base) else iri


def _link(term) -> str:
    """An answer's term in HTML: an IRI as a link (see `local_href`), a literal as text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        return f'<a href="{escape(local_href(iri), quote=True)}">{escape(compact(iri))}</a>'
    return escape(term.value)


def _html(answer: Answer) -> bytes:
    """A SELECT or ASK answer as an HTML page with one table: for a browser."""
    if answer.kind == "ASK":
        body = f"<p>{str(answer.boolean).lower()}</p>"
    else:
        head = "".join(f"<th>{escape(v)}</th>" for v in answer.variables)
        rows = "".join("<tr>" + "".join(f"<td>{_link(t)}</td>" for t in row) + "</tr>"
                       for row in answer.rows)
        body = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kg: "
            "answer</title><style>body{font:14px system-ui,sans-serif;margin:16px}td,th{"
            "border:1px solid #ccc;padding:3px 6px;text-align:left}table{border-collapse:"
            f"collapse}}</style></head><body>{body}</body></html>\n").encode()


# SPARQL 1.1 Query Results JSON, XML, CSV and TSV (W3C Recommendations), written from the
# answer's terms: each format is a few lines of the standard library's json, csv and XML
# escaping, and writing them here lets the endpoint cap the rows it returns.

def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {
        "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
        "object": _json_term(term.object)}}


def _json(answer: Answer) -> bytes:
    if answer.kind == "ASK":
        doc = {"head": {}, "boolean": bool(answer.boolean)}
    else:
        bindings = [{name: _json_term(value) for name, value in zip(answer.variables, row)
                     if value is not None} for row in answer.rows]
        doc = {"head": {"vars": list(answer.variables)}, "results": {"bindings": bindings}}
    # no indent: json's C encoder works only without it, and an endpoint answers faster
    return (json.dumps(doc, ensure_ascii=False) + "\n").encode()


def quoteattr(text: str) -> str:
    """An XML attribute value in double quotes (html.escape covers XML's five characters;
    xml.sax.saxutils would import urllib.request, slowing every kg query by 18 ms)."""
    return '"' + escape(text, quote=True) + '"'


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value, quote=False)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value, quote=False)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return (f"<literal xml:lang={quoteattr(term.language)}>"
                    f"{escape(term.value, quote=False)}</literal>")
        if term.datatype.value != _XSD_STRING:
            return (f"<literal datatype={quoteattr(term.datatype.value)}>"
                    f"{escape(term.value, quote=False)}</literal>")
        return f"<literal>{escape(term.value, quote=False)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
            f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}"
            "</object></triple>")


def _xml(answer: Answer) -> bytes:
    lines = ['<?xml version="1.0"?>',
             '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if answer.kind == "ASK":
        lines += ["</head>", f"<boolean>{'true' if answer.boolean else 'false'}</boolean>"]
    else:
        lines += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
        lines += ["</head>", "<results>"]
        for row in answer.rows:
            lines.append("<result>" + "".join(
                f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>"
                for name, value in zip(answer.variables, row) if value is not None)
                + "</result>")
        lines.append("</results>")
    lines.append("</sparql>")
    return ("\n".join(lines) + "\n").encode()


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _csv(answer: Answer) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if answer.kind == "ASK":
        writer.writerows([["boolean"], ["true" if answer.boolean else "false"]])
    else:
        writer.writerow(answer.variables)
        writer.writerows([_csv_term(v) for v in row] for row in answer.rows)
    return buffer.getvalue().encode()


def _tsv(answer: Answer) -> bytes:
    if answer.kind == "ASK":
        return f"boolean\n{'true' if answer.boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    lines += ["\t".join("" if value is None else str(value) for value in row)
              for row in answer.rows]
    return ("\n".join(lines) + "\n").encode()
