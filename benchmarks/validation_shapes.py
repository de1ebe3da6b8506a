"""pySHACL's processor time per article, shape by shape, on the shipped data or a corpus.

Usage: python benchmarks/validation_shapes.py [N] [--workdir DIR] [--seed S] [--repeat R]
       (N: a synthetic corpus of N articles from benchmarks/corpus.py with the shipped
       ones; default: the shipped data alone)

For every unit of the build (the reference entities and each article), makes the graph the
build validates (`kg.build.validate.validate_unit`: the unit, what it uses, the ontology's
hierarchy) and prints, as processor time per unit (the median of R runs of all units):

- the whole validation, as the build runs it (every shape at once, each property shape
  with its node shape's targets: `kg.build.validate.targeted`), and with the shapes as
  written (or those of --baseline FILE, e.g. an earlier version), in the same run;
- each node shape alone (with its property shapes, SPARQL constraints and targets), sorted
  by cost, with the focus nodes it selects; the shapes' sum beside the whole;
- the reference in the same run: rdflib parsing the same units' N-Triples.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import pyshacl  # noqa: E402
from rdflib import BNode, Graph  # noqa: E402
from rdflib.namespace import RDF, SH  # noqa: E402

from kg.build.plan import plan  # noqa: E402
from kg.build.unit import build_unit  # noqa: E402
from kg.build.validate import hierarchy, targeted  # noqa: E402 (and kg's SPARQL processor)
from kg.vocab.ontology import load_shapes  # noqa: E402


def unit_graphs(data: Path) -> list[tuple[Graph, str]]:
    """Each unit's data graph as the build validates it, and its N-Triples."""
    out = []
    for job in plan(data).jobs:
        unit = build_unit(
            Path(job.root), job.article, list(job.facts), job.entities, job.dates, job.events
        )
        graph = Graph()
        for triple in unit.graph:
            graph.add(triple)
        if job.context:
            graph.parse(data=job.context, format="nt")
        for triple in hierarchy():
            graph.add(triple)
        out.append((graph, graph.serialize(format="nt")))
    return out


def shape_alone(shapes: Graph, shape) -> Graph:
    """The shapes graph with `shape` as its only node shape: its description, with every
    blank node and property shape it reaches, and the prefix declarations."""
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    todo, seen = [shape], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, BNode) or p in (SH.prefixes, SH.property, SH.node):
                todo.append(o)
            if p == SH.prefixes:  # the sh:declare nodes of the prefixes' ontology
                todo.append(o)
    for declaring in shapes.subjects(SH.declare, None):
        for p, o in shapes.predicate_objects(declaring):
            out.add((declaring, p, o))
            if isinstance(o, BNode):
                out += shapes.triples((o, None, None))
    return out


def cpu(run) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def median_cpu(run, repeat: int) -> float:
    return statistics.median(cpu(run) for _ in range(repeat))


def validate_all(units, shapes: Graph) -> None:
    for graph, _ in units:
        pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                         allow_warnings=False, inplace=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a shapes file to time as written beside (default: shapes/)")
    args = parser.parse_args()
    data = ROOT / "data"
    if args.n:
        from corpus import write_corpus  # noqa: PLC0415

        data = (args.workdir or Path(tempfile.mkdtemp(prefix="kg-shapes-"))) / str(args.n)
        if not (data / "articles").exists():
            write_corpus(data, args.n, args.seed, shipped=ROOT / "data")
    units = unit_graphs(data)
    shapes = load_shapes()
    n = len(units)
    flat = targeted(shapes)
    baseline = Graph().parse(args.baseline, format="turtle") if args.baseline else shapes
    validate_all(units, flat)  # warm: rdflib's and pySHACL's caches, as in a worker
    validate_all(units, baseline)
    # the whole, as the build runs it (kg.build.validate.validate_unit: the shapes with
    # their property shapes targeted, kg.build.validate.targeted), and as written
    whole = median_cpu(lambda: validate_all(units, flat), args.repeat) / n
    written = median_cpu(lambda: validate_all(units, baseline), args.repeat) / n
    parse = median_cpu(
        lambda: [Graph().parse(data=nt, format="nt") for _, nt in units], args.repeat
    ) / n
    print(f"{n} units ({data}), processor time per unit, median of {args.repeat}")
    print(f"  every shape at once, as kg build runs it         {whole * 1000:8.1f} ms")
    print(f"  {str(args.baseline or 'the shapes') + ' as written':<48} {written * 1000:8.1f} ms"
          f"   build / as written {whole / written:5.2f}x")
    print(f"  reference: rdflib parsing the same N-Triples      {parse * 1000:8.1f} ms"
          f"   build / parse {whole / parse:5.2f}x")
    rows = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if isinstance(shape, BNode):
            continue
        alone = targeted(shape_alone(shapes, shape))
        validate_all(units[:1], alone)
        seconds = median_cpu(lambda alone=alone: validate_all(units, alone), args.repeat) / n
        rows.append((seconds, shapes.namespace_manager.normalizeUri(shape)))
    rows.sort(reverse=True)
    total = sum(s for s, _ in rows)
    print(f"  each node shape alone (sum {total * 1000:.1f} ms, "
          f"{total / whole:4.2f}x the whole; each includes pySHACL's fixed cost per run):")
    for seconds, name in rows:
        print(f"    {name:<40} {seconds * 1000:8.2f} ms  {seconds / whole:6.1%}")
    # the fixed cost of a run: a shapes graph with one shape that targets nothing
    empty = Graph()
    empty.parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . "
                "<urn:x> a sh:NodeShape ; sh:targetClass <urn:none> .", format="turtle")
    fixed = median_cpu(lambda: validate_all(units, empty), args.repeat) / n
    print(f"  pySHACL's fixed cost per run (a shape that targets nothing) {fixed * 1000:.2f} ms")


if __name__ == "__main__":
    main()
