"""Run the W3C SPARQL 1.1 query tests through `kg query`, and through pyoxigraph beside it.

Usage: python benchmarks/w3c_sparql.py RDF_TESTS   (a checkout of github.com/w3c/rdf-tests)

Every test of ``sparql/sparql11/manifest-sparql11-query.ttl`` that one command can run —
a syntax test, or an evaluation test with at most one data file and no named graphs — is run
as a user runs it (``kg query QUERY.rq -g DATA --format json``, a fresh process each), and
the same query is run by pyoxigraph in this process on a store loaded from the same file.
Both answers are compared with the expected results in the same way: solutions as multisets
(blank nodes match any blank node, literals compare by value), ASK answers, CONSTRUCT graphs
as sets of triples. The
script prints how many tests each passes and the tests where they differ.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
KG = [sys.executable, "-m", "kg"]
RESULTS = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON,
           ".tsv": ox.QueryResultsFormat.TSV}
GRAPHS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
          ".rdf": ox.RdfFormat.RDF_XML}


def tests(root: Path):
    """(name, kind, query, data or None, expected or None) for each runnable test."""
    top = root / "sparql/sparql11/manifest-sparql11-query.ttl"
    graph = list(ox.parse(path=str(top), format=ox.RdfFormat.TURTLE, base_iri=top.as_uri()))
    for manifest in _list(graph, _one(graph, None, MF + "include")):
        path = Path(manifest.value.removeprefix("file://"))
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                                base_iri=path.as_uri()))
        entries = _one(triples, None, MF + "entries")
        for test in _list(triples, entries) if entries else []:
            kind = _one(triples, test, RDF + "type").value.rsplit("#", 1)[1]
            action = _one(triples, test, MF + "action")
            result = _one(triples, test, MF + "result")
            if kind in ("PositiveSyntaxTest11", "NegativeSyntaxTest11"):
                yield test.value, kind, _path(action), None, None
            elif kind == "QueryEvaluationTest":
                data = [t.object for t in triples if t.subject == action
                        and t.predicate.value == QT + "data"]
                named = [t for t in triples if t.subject == action
                         and t.predicate.value in (QT + "graphData", QT + "serviceData")]
                if len(data) <= 1 and not named and result is not None:
                    yield (test.value, kind, _path(_one(triples, action, QT + "query")),
                           _path(data[0]) if data else None, _path(result))


def _one(triples, subject, predicate):
    for t in triples:
        if (subject is None or t.subject == subject) and t.predicate.value == predicate:
            return t.object
    return None


def _list(triples, node):
    out = []
    while node is not None and node.value != RDF + "nil":
        out.append(_one(triples, node, RDF + "first"))
        node = _one(triples, node, RDF + "rest")
    return out


def _path(node) -> Path:
    return Path(node.value.removeprefix("file://"))


# --- answers, compared the same way for both ----------------------------------------------

_CANON: dict = {}


def _normal(term):
    """A term as compared: blank nodes match any blank node, literals by their value (the
    canonical form a store writes back: "1.0"^^xsd:decimal and "1.00"^^xsd:decimal agree)."""
    if isinstance(term, ox.BlankNode):
        return "_:b"
    if isinstance(term, ox.Literal):
        key = str(term)
        if key not in _CANON:
            store = ox.Store()
            store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), term))
            _CANON[key] = str(next(iter(store)).object)
        return _CANON[key]
    return str(term)


def expected(result: Path):
    if result.suffix in RESULTS:
        parsed = ox.parse_query_results(path=str(result), format=RESULTS[result.suffix])
        return _answer(parsed)
    if result.suffix in GRAPHS:
        return ("graph", sorted({" ".join(_normal(x) for x in (t.subject, t.predicate, t.object))
                                 for t in ox.parse(path=str(result), format=GRAPHS[result.suffix],
                                                   base_iri=result.as_uri())}))
    return None


def _answer(parsed):
    if isinstance(parsed, ox.QueryBoolean):
        return ("ask", bool(parsed))
    if isinstance(parsed, ox.QuerySolutions):
        names = [v.value for v in parsed.variables]
        return ("select", sorted(json.dumps({n: _normal(s[n]) for n in names
                                             if s[n] is not None}, sort_keys=True)
                                  for s in parsed))
    return ("graph", sorted({" ".join(_normal(x) for x in (t.subject, t.predicate, t.object))
                             for t in parsed}))


def with_kg(kind, query: Path, data: Path | None, empty: Path):
    run = subprocess.run([*KG, "query", str(query), "-g", str(data or empty), "--format", "json",
                          "--timeout", "30"], capture_output=True)
    if kind == "NegativeSyntaxTest11":
        return run.returncode == 2 and b"not valid SPARQL" in run.stderr
    if kind == "PositiveSyntaxTest11":
        return run.returncode == 0
    if run.returncode != 0:
        return None
    text = run.stdout
    if text.lstrip().startswith(b"{"):
        return _answer(ox.parse_query_results(text, format=ox.QueryResultsFormat.JSON))
    triples = ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=query.as_uri())
    return ("graph", sorted({" ".join(_normal(x) for x in (t.subject, t.predicate, t.object))
                             for t in triples}))


def with_pyoxigraph(kind, query: Path, data: Path | None):
    store = ox.Store()
    try:
        if data is not None:
            store.load(path=str(data), format=_format(data), base_iri=data.as_uri())
        answer = store.query(query.read_text(encoding="utf-8"), base_iri=query.as_uri())
        if kind == "NegativeSyntaxTest11":
            return False
        if kind == "PositiveSyntaxTest11":
            return True
        if isinstance(answer, ox.QuerySolutions):  # read it back as kg's answers are read
            return _answer(ox.parse_query_results(
                answer.serialize(format=ox.QueryResultsFormat.JSON),
                format=ox.QueryResultsFormat.JSON))
        return _answer(answer)
    except SyntaxError:
        return kind == "NegativeSyntaxTest11"
    except Exception:
        return None if kind == "QueryEvaluationTest" else False


def _format(path: Path):
    return {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
            ".rdf": ox.RdfFormat.RDF_XML, ".nq": ox.RdfFormat.N_QUADS,
            ".trig": ox.RdfFormat.TRIG}.get(path.suffix, ox.RdfFormat.TURTLE)


def main(root: Path) -> None:
    empty = Path(tempfile.mkdtemp()) / "empty.ttl"
    empty.write_text("")
    found = list(tests(root))

    def judge(test):
        name, kind, query, data, result = test
        ours = with_kg(kind, query, data, empty)
        theirs = with_pyoxigraph(kind, query, data)
        if kind == "QueryEvaluationTest":
            want = expected(result)
            return name, want is not None and ours == want, want is not None and theirs == want
        return name, bool(ours), bool(theirs)

    with ThreadPoolExecutor(2) as pool:
        verdicts = list(pool.map(judge, found))
    kg_passed = sum(ok for _, ok, _ in verdicts)
    ox_passed = sum(ok for _, _, ok in verdicts)
    print(f"W3C SPARQL 1.1 query tests that one command can run: {len(verdicts)}")
    print(f"  kg query (fresh process each):  {kg_passed} passed")
    print(f"  pyoxigraph (same data, same comparison): {ox_passed} passed")
    for name, ours, theirs in verdicts:
        if ours != theirs:
            print(f"  differ: {name.rsplit('/', 2)[-2]}/{name.rsplit('#', 1)[-1]}: "
                  f"kg {'passes' if ours else 'fails'}, pyoxigraph {'passes' if theirs else 'fails'}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]).resolve())
