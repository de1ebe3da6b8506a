"""Three ways to tie each triple to its evidence, measured on the same built graph.

Usage: python benchmarks/provenance.py [OUT] [--repeat R]
       (OUT: a build folder, default ``out``; run ``kg build`` first)

From the store of a build (design B, kg's: a named graph per curated fact) the script
derives, triple for triple, the two other designs of the same facts, and loads each into a
fresh Oxigraph store with its default graph the union of what the sources state, as kg's
build does:

- A: an ``rdf:Statement`` record per triple of an article (``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``, and ``dip:assertedBy`` per fact that asserts it), the
  plain triples in the article's graph (kg up to 0.2);
- B: the triples each curated fact asserts in a graph named by the fact (nanopublication
  style), the fact's record in the article's graph (kg now);
- C: RDF 1.2 reifiers: the plain triples in the article's graph and
  ``fact rdf:reifies <<( s p o )>>`` per triple a fact asserts (pyoxigraph reads RDF 1.2;
  rdflib and pySHACL do not yet).

For each it prints the quads stored, the N-Quads bytes, the bulk-load time, and the time
of the query "every triple a fact asserts, with the words that support it" (median of
`repeat` runs), and the number of triple patterns that query needs beyond the answer.
The records of facts and passages are the same in all three. The machine is shared and
noisy: read the ratios between designs, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.vocab.namespaces import PREFIX_IRIS  # noqa: E402
from kg.source import open_store  # noqa: E402
from kg.store.graphs import source_of
from kg.vocab.namespaces import NOT_STATED

DIP, KGF, KGA = PREFIX_IRIS["dip"], PREFIX_IRIS["kgf"], PREFIX_IRIS["kga"]
RDF = PREFIX_IRIS["rdf"]
STATEMENT = PREFIX_IRIS["kgr"] + "statement/"

# "every triple a fact asserts, with the words that support it", in each design; the
# patterns beyond the answer (?s ?p ?o) are counted by hand and printed beside
QUERIES = {
    "A": ("""SELECT ?s ?p ?o ?quote WHERE {
               ?s ?p ?o .
               ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dip:assertedBy ?fact .
               ?fact dip:evidence/oa:exact ?quote }""", 5),
    "B": ("""SELECT ?s ?p ?o ?quote WHERE {
               GRAPH ?fact { ?s ?p ?o }
               ?fact dip:evidence/oa:exact ?quote }""", 1),
    "C": ("""SELECT ?s ?p ?o ?quote WHERE {
               ?s ?p ?o .
               ?fact rdf:reifies <<( ?s ?p ?o )>> .
               ?fact dip:evidence/oa:exact ?quote }""", 2),
}


def designs(out: Path) -> dict[str, list[ox.Quad]]:
    """The quads of what the sources state in designs A, B and C (default graph left out)."""
    store = open_store(out).store
    facts: dict[str, list[ox.Triple]] = {}
    other: list[ox.Quad] = []
    for graph in store.named_graphs():
        if not isinstance(graph, ox.NamedNode) or graph.value in NOT_STATED:
            continue
        quads = list(store.quads_for_pattern(None, None, None, graph))
        if graph.value.startswith(KGF):
            facts[graph.value] = [q.triple for q in quads]
        else:
            other.extend(quads)
    b = other + [ox.Quad(*t, ox.NamedNode(f)) for f, ts in facts.items() for t in ts]
    a, c = list(other), list(other)
    by_article: dict[str, dict[ox.Triple, list[str]]] = {}
    for fact, triples in facts.items():
        for t in triples:
            by_article.setdefault(source_of(fact), {}).setdefault(t, []).append(fact)
    for article, triples in by_article.items():
        graph = ox.NamedNode(KGA + article)
        for t, asserting in triples.items():
            a.append(ox.Quad(*t, graph))
            c.append(ox.Quad(*t, graph))
            record = ox.NamedNode(STATEMENT + hashlib.sha1(str(t).encode()).hexdigest()[:16])
            for p, o in ((RDF + "type", ox.NamedNode(RDF + "Statement")),
                         (RDF + "subject", t.subject), (RDF + "predicate", t.predicate),
                         (RDF + "object", t.object)):
                a.append(ox.Quad(record, ox.NamedNode(p), o, graph))
            for fact in asserting:
                a.append(ox.Quad(record, ox.NamedNode(DIP + "assertedBy"), ox.NamedNode(fact),
                                 graph))
                c.append(ox.Quad(ox.NamedNode(fact), ox.NamedNode(RDF + "reifies"), t, graph))
    return {"A": a, "B": b, "C": c}


def measure(name: str, quads: list[ox.Quad], repeat: int) -> dict:
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    with tempfile.TemporaryDirectory(prefix=f"kg-prov-{name}-") as folder:
        started = time.perf_counter()
        store = ox.Store(folder)
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        # the default graph: the union of what the sources state, each triple once
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        store.flush()
        load = time.perf_counter() - started
        stored = len(store)
        text, patterns = QUERIES[name]
        times, rows = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows = sum(1 for _ in store.query(text, prefixes=PREFIX_IRIS))
            times.append(time.perf_counter() - started)
        del store
    return {"quads": stored, "bytes": len(data), "load": load,
            "query": statistics.median(times), "rows": rows, "patterns": patterns}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default="out", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    found = {name: measure(name, quads, args.repeat)
             for name, quads in designs(args.out).items()}
    facts = sum(1 for g in open_store(args.out).named_graphs() if g.startswith(KGF))
    base = found["B"]
    print(f"{args.out}: {facts} curated facts\n")
    print("| design | quads stored (with the default graph) | N-Quads | load | evidence query "
          "(rows) | patterns beyond the answer |")
    print("|---|---|---|---|---|---|")
    labels = {"A": "A: statement records", "B": "B: a graph per fact (kg)",
              "C": "C: RDF 1.2 reifiers"}
    for name, f in found.items():
        print(f"| {labels[name]} | {f['quads']:,} ({f['quads'] / base['quads']:.2f}x) | "
              f"{f['bytes'] / 1e6:.2f} MB | {f['load']:.3f} s ({f['load'] / base['load']:.2f}x) | "
              f"{f['query']:.3f} s ({f['query'] / base['query']:.2f}x; {f['rows']:,}) | "
              f"{f['patterns']} |")


if __name__ == "__main__":
    main()
