"""Load-test `kg serve`: 200 queries from 20 threads against the built graph, and print
the figures.

Usage: python benchmarks/serve_load.py [QUERIES] [THREADS] [WORKERS]   (defaults: 200 20 2)

Builds data/ into a temporary folder, starts `kg serve` on a free loopback port with WORKERS
query processes, sends the competency queries of queries/ round-robin (POST, form-encoded,
SPARQL JSON), and reports successes, throughput and latency percentiles.
"""

import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from kg.pipeline import build  # noqa: E402
from tests.servers import kg_serve  # noqa: E402


def main(total: int = 200, threads: int = 20, workers: int = 2) -> None:
    out = Path(tempfile.mkdtemp())
    build(ROOT / "data", out)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))]
    with kg_serve(out, "--workers", str(workers)) as url:
        def one(i):
            start = time.perf_counter()
            response = httpx.post(url + "/sparql", data={"query": texts[i % len(texts)]},
                                  headers={"Accept": "application/sparql-results+json"}, timeout=60)
            return response.status_code, time.perf_counter() - start

        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(one, range(total)))
        wall = time.perf_counter() - start
    ok = sum(status == 200 for status, _ in results)
    latencies = sorted(seconds * 1000 for _, seconds in results)
    q = statistics.quantiles(latencies, n=100)
    print(f"{total} queries from {threads} threads, {workers} query workers: {ok} succeeded, "
          f"{total - ok} failed")
    print(f"wall {wall:.2f} s, {total / wall:.0f} queries/s")
    print(f"latency ms: median {statistics.median(latencies):.0f}, p90 {q[89]:.0f}, "
          f"p99 {q[98]:.0f}, max {latencies[-1]:.0f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
