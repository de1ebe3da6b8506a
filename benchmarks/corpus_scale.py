"""kg at the scale of a corpus: build, rebuild, query, analyse and serve N articles, each
figure beside a reference measured in the same run on the same data.

Usage: python benchmarks/corpus_scale.py [N ...] [--workdir DIR] [--seed S] [--skip rdflib,analysis]
       (default: 10 100 1000; needs the test extra: python-igraph and the oxigraph server)

For each N, writes a synthetic corpus of N articles (benchmarks/corpus.py) plus the shipped
Istanbul article, so that the competency queries have their answers, then measures, each
command in a fresh process as a user runs it:

- the cold build (``kg build``): wall time, its stages, peak memory of all its processes
  (polled from /proc), triples; beside rdflib parsing the resulting kg.trig and pyoxigraph
  loading it into a store;
- the rebuild after one changed fact in one article, then after a delegation is said to
  represent another country (a triple of the shared hierarchies, which changes what the
  articles that reach it entail), each beside the cold build, with its stages;
- ``kg query`` for each competency query (median of 3), beside a Python process that opens
  the same store with pyoxigraph and answers the same query;
- ``kg analyze centrality`` (betweenness from 100 sampled sources), beside python-igraph
  reading the same graph as GraphML and computing betweenness;
- ``kg serve``: time to first answer, then three rounds of 200 queries from 20 threads (the
  competency queries in turn), beside Oxigraph's own server reading the same store, the
  two servers' rounds taken in turn.

The machine is shared and noisy: read the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from corpus import represent_another, write_corpus  # noqa: E402

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
KG = [sys.executable, "-m", "kg"]


# --- measuring ---------------------------------------------------------------------------------

def _tree_rss(root: int) -> int:
    """Resident memory, in bytes, of a process and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def run(args, cwd=ROOT, check=True) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run a command; its wall time and the peak memory of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def poll():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.05)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, err = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    result = subprocess.CompletedProcess(args, process.returncode, out, err)
    if check and process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{err.decode()[-2000:]}")
    return wall, peak, result


def median_wall(args, times=3, cwd=ROOT) -> float:
    return statistics.median(run(args, cwd)[0] for _ in range(times))


def python(code: str, *args) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


REF_RDFLIB = "import sys, rdflib; d = rdflib.Dataset(); d.parse(sys.argv[1], format='trig')"
REF_LOAD = ("import sys, pyoxigraph as ox; s = ox.Store(sys.argv[2]); "
            "s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TRIG)")
# the same default graph as kg's: the graph that holds the stated union, what holds for a
# time, the inferred triples and the ontology (kg.store.plain)
REF_QUERY = ("import sys, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]); "
             "r = s.query(open(sys.argv[2], encoding='utf-8').read()); "
             "sys.stdout.buffer.write(r.serialize(format=ox.QueryResultsFormat.TSV))")
REF_IGRAPH = ("import sys, igraph; g = igraph.Graph.Read_GraphML(sys.argv[1]); "
              "g.betweenness(directed=False)")


def serve_load(url: str, total: int = 200, threads: int = 20) -> dict:
    import httpx

    texts = [p.read_text(encoding="utf-8") for p in QUERIES]
    # one client for all threads: keep-alive connections, as a real client keeps them
    client = httpx.Client(timeout=120, limits=httpx.Limits(max_connections=threads))

    def one(i):
        start = time.perf_counter()
        try:
            response = client.post(url, data={"query": texts[i % len(texts)]},
                                   headers={"Accept": "application/sparql-results+json"})
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        return ok, time.perf_counter() - start

    start = time.perf_counter()
    with client, ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(one, range(total)))
    wall = time.perf_counter() - start
    latencies = sorted(s * 1000 for _, s in results)
    q = statistics.quantiles(latencies, n=100)
    return {"ok": sum(ok for ok, _ in results), "total": total, "qps": total / wall,
            "median": statistics.median(latencies), "p90": q[89], "p99": q[98]}


def started_server(args, health: str, timeout: float = 600) -> tuple[subprocess.Popen, float]:
    import httpx

    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.perf_counter() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{args[0]} exited with {process.returncode}")
        try:
            if httpx.get(health, timeout=1).status_code == 200:
                return process, time.perf_counter() - start
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{health} did not answer in {timeout} s")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- one corpus size ---------------------------------------------------------------------------

def measure(n: int, work: Path, seed: int, skip: frozenset = frozenset()) -> None:
    folder = work / str(n)
    shutil.rmtree(folder, ignore_errors=True)
    data = write_corpus(folder / "data", n, seed, shipped=ROOT / "data")
    out = folder / "out"

    wall, peak, _ = run([*KG, "build", str(data), "-o", str(out), "-q"])
    manifest = json.loads((out / "store").resolve().with_suffix(".json").read_text())
    stages, counts = manifest["stages"], manifest["counts"]
    trig = out / "kg.trig"
    rdflib_wall = None if "rdflib" in skip else run(python(REF_RDFLIB, trig))[0]
    load_wall = run(python(REF_LOAD, trig, folder / "reference-store"))[0]
    shutil.rmtree(folder / "reference-store", ignore_errors=True)
    print(f"\n{n} synthetic articles and the Istanbul article: {counts['triples']:,} triples "
          f"stated ({trig.stat().st_size / 2**20:.0f} MB of TriG)")
    print(f"  cold build, kg build              {wall:8.2f} s   peak memory "
          f"{peak / 2**20:,.0f} MB (all processes)")
    units = stages["units"]
    print(f"    stages: read {stages['read']:.1f} s, articles {stages['articles']:.1f} s "
          f"(processor time: build {units['build']:.1f} s, validate {units['validate']:.1f} s, "
          f"serialise {units['serialize']:.1f} s), inference {stages.get('inference', 0):.1f} s "
          f"({counts.get('inferred', 0):,} triples inferred), store {stages['store']:.1f} s, "
          f"files {stages['exports']:.1f} s")
    if rdflib_wall is None:
        print("    reference: rdflib's parse of kg.trig skipped (--skip rdflib)")
    else:
        print(f"    reference: rdflib parses kg.trig {rdflib_wall:8.2f} s   kg build / rdflib "
              f"{wall / rdflib_wall:5.2f}x")
    print(f"    reference: pyoxigraph loads it  {load_wall:8.2f} s   kg build / pyoxigraph "
          f"{wall / load_wall:5.2f}x")

    article = sorted(p for p in (data / "articles").iterdir() if "talks" in p.name)[n // 2]
    facts = article / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    status = text.split("status: ", 1)[1].split("\n", 1)[0]
    other = next(s for s in ("discussed", "agreed", "rejected") if s != status)
    facts.write_text(text.replace(f"status: {status}\n", f"status: {other}\n", 1),
                     encoding="utf-8")
    rebuild("one changed fact", data, out, wall)
    # a delegation said to represent another country: a triple of the shared hierarchies,
    # so the inferred triples of every article that reaches the delegation change
    represent_another(facts)
    rebuild("one changed hierarchy fact", data, out, wall)

    store = (out / "store").resolve()
    print("  kg query, whole process, median of 3 (reference: pyoxigraph opens the same store)")
    for path in QUERIES:
        ours = median_wall([*KG, "query", str(path), "-g", str(out)])
        theirs = median_wall(python(REF_QUERY, store, path))
        rows = len(run([*KG, "query", str(path), "-g", str(out), "--format", "tsv"])[2]
                   .stdout.splitlines()) - 1
        print(f"    {path.stem:<28} {ours:6.2f} s  pyoxigraph {theirs:6.2f} s  "
              f"{ours / theirs:5.2f}x  ({rows} rows)")

    if "analysis" not in skip:
        measure_analysis(out, folder)
    measure_serve(out, store)


def rebuild(what: str, data: Path, out: Path, cold: float) -> None:
    """Build again after an edit; print its time beside the cold build's, and its stages."""
    again, again_peak, result = run([*KG, "build", str(data), "-o", str(out), "-q"])
    rebuilt = result.stdout.decode().split("articles", 1)[1].split("\n", 1)[0].strip()
    stages = json.loads((out / "store").resolve().with_suffix(".json").read_text())["stages"]
    print(f"  rebuild after {what:<28}{again:8.2f} s   peak memory "
          f"{again_peak / 2**20:,.0f} MB; {rebuilt}; rebuild / cold build {again / cold:5.2f}")
    print("    stages: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds
                                     in stages.items() if stage != "units"))


def measure_analysis(out: Path, folder: Path) -> None:
    ours = run([*KG, "analyze", "centrality", "-g", str(out), "--measure", "betweenness",
                "--samples", "100", "--seed", "1"])[0]
    graphml = folder / "simple.graphml"
    run([*KG, "export", "-g", str(out), "--format", "graphml", "--projection", "simple",
         "-o", str(graphml)])
    theirs = run(python(REF_IGRAPH, graphml))[0]
    print(f"  kg analyze centrality --measure betweenness --samples 100   {ours:6.2f} s")
    print(f"    reference: igraph reads the same graph (GraphML) and computes exact "
          f"betweenness {theirs:6.2f} s   {ours / theirs:5.2f}x")


#: Rounds of the serve load, kg's and Oxigraph's taken in turn: one round's median latency
#: moves by 2x from one run to the next on this shared machine.
SERVE_ROUNDS = 3


def measure_serve(out: Path, store: Path, rounds: int = SERVE_ROUNDS) -> None:
    binary = shutil.which("oxigraph")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server, first = started_server([*KG, "serve", str(out), "--port", str(port), "--workers", "2",
                                    "--timeout", "60"], base + "/health")
    reference = None
    try:
        if binary is not None:
            theirs_port = free_port()
            theirs_base = f"http://127.0.0.1:{theirs_port}"
            reference, theirs_first = started_server(
                [binary, "serve-read-only", "--location", str(store), "--bind",
                 f"127.0.0.1:{theirs_port}"], theirs_base + "/")
        ours, theirs = [], []
        for _ in range(rounds):  # in turn, so that both meet the same moments of the machine
            ours.append(serve_load(base + "/sparql"))
            if reference is not None:
                theirs.append(serve_load(theirs_base + "/query"))
    finally:
        for process in (server, reference):
            if process is not None:
                process.terminate()
                process.wait(30)

    def line(runs: list[dict]) -> str:
        each = ", ".join(f"{r['median']:.0f}" for r in runs)
        return (f"{sum(r['ok'] for r in runs)}/{sum(r['total'] for r in runs)} answered, "
                f"{statistics.median(r['qps'] for r in runs):.0f} queries/s, latency median "
                f"{statistics.median(r['median'] for r in runs):.0f} ms (rounds: {each}), p90 "
                f"{statistics.median(r['p90'] for r in runs):.0f} ms, p99 "
                f"{statistics.median(r['p99'] for r in runs):.0f} ms")

    print(f"  kg serve: first answer {first:.1f} s after start; {rounds} rounds of 200 queries "
          f"from 20 threads: {line(ours)}")
    if not theirs:
        print("    (no reference: the oxigraph server is not installed; pip install oxigraph)")
        return
    ratios = [a["median"] / b["median"] for a, b in zip(ours, theirs)]
    each = ", ".join(f"{r:.2f}x" for r in ratios)
    print(f"    reference: oxigraph serve-read-only on the same store, its rounds taken in turn "
          f"with kg's: first answer {theirs_first:.1f} s; {line(theirs)}; kg/oxigraph median "
          f"latency {statistics.median(ratios):.2f}x (median of the rounds' {each})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 100, 1000])
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go "
                        "(default: a temporary folder, removed at the end)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", default="", help="measurements to leave out, separated by "
                        "commas: rdflib (its parse of kg.trig, which holds the whole graph in "
                        "memory) and analysis (centrality)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    print(f"kg corpus scale benchmark: {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}, work in {work}")
    try:
        for n in args.sizes:
            measure(n, work, args.seed, frozenset(filter(None, args.skip.split(","))))
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
