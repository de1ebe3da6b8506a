"""Queries "as of" a day beside the same queries without it, on a corpus of N articles.

Usage: python benchmarks/as_of.py [N ...] [--workdir DIR] [--seed S] [--repeat R]
       (default: 1000)

For each N, writes the synthetic corpus of benchmarks/corpus.py with the shipped articles
(whose defence minister changes in July 2025), builds it with ``kg build``, and prints:

- what the as-of index adds to the store: its quads beside all the store's, and the time to
  make it (`kg.store.asof.index_time`, run again on an in-memory copy) beside the time to
  load that copy, in the same run;
- for each competency query of queries/ and a scan of every post held, the median time
  (of R runs, in one process with the store open, as kg serve answers) of the query as of
  three days (the start, the middle and the end of the corpus) beside the same query
  without --as-of: the ratio is the figure that holds on a noisy machine;
- the same for the command a user runs, ``kg query FILE --as-of DAY`` beside ``kg query
  FILE`` (whole process, median of 3), for the middle day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from corpus import write_corpus  # noqa: E402
from kg.source import open_store  # noqa: E402
from kg.store.asof import index_time  # noqa: E402
from kg.store.sparql import execute  # noqa: E402
from kg.vocab.namespaces import AS_OF, STATED_GRAPH  # noqa: E402

QUERIES = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))}
QUERIES["every-post-held"] = (
    "SELECT ?person ?post WHERE { ?person dip:holdsPost ?post } ORDER BY ?person ?post"
)


def median_time(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(n: int, work: Path, seed: int, repeat: int) -> None:
    folder = work / str(n)
    data = folder / "data"
    out = folder / "out"
    if not (data / "articles").exists():
        write_corpus(data, n, seed, shipped=ROOT / "data")
    if not (out / "store").exists():
        subprocess.run([sys.executable, "-m", "kg", "build", str(data), "-o", str(out), "-q"],
                       check=True)
    store = open_store(out)
    raw = store.store
    quads = len(raw)
    index = sum(
        1
        for q in raw.quads_for_pattern(None, None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(AS_OF)
        and q.graph_name.value != STATED_GRAPH  # the stated union, which a build keeps anyway
    )
    dump = raw.dump(format=ox.RdfFormat.N_QUADS)
    copy = ox.Store()
    load = median_time(lambda: copy.load(dump, format=ox.RdfFormat.N_QUADS), 1)
    making = median_time(lambda: index_time(copy), 1)
    published = sorted(
        dt.date.fromisoformat(p.name[:10]) for p in (data / "articles").iterdir() if p.is_dir()
    )
    days = [published[0], published[len(published) // 2], published[-1]]
    print(f"\n{n} synthetic articles and the shipped ones: {quads:,} quads in the store, "
          f"{index:,} of them the as-of index ({index / quads:.1%})")
    print(f"  making the index {making:7.2f} s   loading the same store into memory "
          f"{load:7.2f} s   index / load {making / load:5.2f}x")
    print(f"  queries, median of {repeat}, store open (as-of days: "
          f"{', '.join(d.isoformat() for d in days)})")
    worst = 0.0
    for name, text in QUERIES.items():
        plain = median_time(lambda text=text: execute(store, text), repeat)
        rows = len(execute(store, text).rows)
        ratios = []
        for day in days:
            view = store.as_of(day)
            ratios.append(median_time(lambda text=text, view=view: execute(view, text), repeat)
                          / plain)
        worst = max(worst, *ratios)
        print(f"    {name:<30} plain {plain * 1000:8.1f} ms ({rows:>5} rows)   as of: "
              + "  ".join(f"{r:5.2f}x" for r in ratios))
    print(f"  slowest as-of query beside the same query without it: {worst:.2f}x")
    kg = [sys.executable, "-m", "kg", "query", "-g", str(out)]
    print(f"  kg query, whole process, median of 3, as of {days[1]} beside without --as-of")
    worst_cli = 0.0
    for path in sorted((ROOT / "queries").glob("*.rq")):
        def run(*extra, path=path):
            subprocess.run([*kg, str(path), *extra], check=True, capture_output=True)
        plain = median_time(run, 3)
        ratio = median_time(lambda: run("--as-of", days[1].isoformat()), 3) / plain
        worst_cli = max(worst_cli, ratio)
        print(f"    {path.stem:<30} plain {plain:6.2f} s   as of {ratio:5.2f}x")
    print(f"  slowest kg query --as-of beside kg query: {worst_cli:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-as-of-"))
    for n in args.sizes:
        measure(n, work, args.seed, args.repeat)


if __name__ == "__main__":
    main()
