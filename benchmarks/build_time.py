"""Time `kg build` on the shipped data, as a user runs it, and print the figures.

Usage: python benchmarks/build_time.py [RUNS]

Each run is a fresh `python -m kg build` process (so imports are counted), writing into a
temporary folder. Also prints the import time of rdflib, pyshacl and networkx together, and
the time of each stage inside one process.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(args) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main(runs: int) -> None:
    out = tempfile.mkdtemp()
    build = [wall([sys.executable, "-m", "kg", "build", "data", "-o", out]) for _ in range(runs)]
    imports = [wall([sys.executable, "-c", "import rdflib, pyshacl, networkx"]) for _ in range(runs)]
    print(f"kg build, wall time over {runs} runs: median {statistics.median(build):.2f} s, "
          f"min {min(build):.2f} s, max {max(build):.2f} s")
    print(f"python -c 'import rdflib, pyshacl, networkx': median {statistics.median(imports):.2f} s")

    sys.path.insert(0, str(ROOT))
    from kg.build import build_graph
    from kg.export import serialize
    from kg.validate import validate

    stages = {}
    t = time.perf_counter()
    built = build_graph(ROOT / "data")
    stages["load facts, find evidence, build RDF"] = time.perf_counter() - t
    t = time.perf_counter()
    validate(built)
    stages["SHACL validation (first, with shapes parsing)"] = time.perf_counter() - t
    t = time.perf_counter()
    validate(built)
    stages["SHACL validation (again)"] = time.perf_counter() - t
    for fmt in ("turtle", "trig", "graphml"):
        t = time.perf_counter()
        serialize(built.dataset, fmt)
        stages[f"serialize {fmt}"] = time.perf_counter() - t
    for name, seconds in stages.items():
        print(f"  {name:<48} {seconds:.3f} s")
    print(f"triples: {len(built.union())}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
