"""Time `kg build` on the shipped data, as a user runs it, and print the figures.

Usage: python benchmarks/build_time.py [RUNS]

Each run is a fresh `python -m kg build --no-cache` process (imports counted) into one
folder; then one cached rebuild. Beside them: the import time of rdflib, pyshacl and
networkx, and rdflib parsing the kg.trig the build wrote, in fresh processes too. The
stages come from the build's own record (the store generation's manifest).
"""

import json
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
    out = Path(tempfile.mkdtemp())
    kg = [sys.executable, "-m", "kg", "build", "data", "-o", str(out), "-q"]
    cold = [wall(kg + ["--no-cache"]) for _ in range(runs)]
    stages = json.loads((out / "store").resolve().with_suffix(".json").read_text())["stages"]
    cached = wall(kg)
    imports = [wall([sys.executable, "-c", "import rdflib, pyshacl, networkx"])
               for _ in range(runs)]
    parse = [wall([sys.executable, "-c", "import sys, rdflib; rdflib.Dataset().parse("
                   "sys.argv[1], format='trig')", str(out / "kg.trig")]) for _ in range(runs)]
    print(f"kg build --no-cache, {runs} runs: median {statistics.median(cold):.2f} s, "
          f"min {min(cold):.2f} s, max {max(cold):.2f} s")
    print(f"kg build (nothing changed, from the cache): {cached:.2f} s")
    print(f"python -c 'import rdflib, pyshacl, networkx': median {statistics.median(imports):.2f} s")
    print(f"rdflib parses kg.trig (whole process): median {statistics.median(parse):.2f} s")
    units = stages.pop("units")
    print("stages of the last cold build: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    print("  the article and the reference entities: " +
          ", ".join(f"{k} {v:.2f} s" for k, v in units.items()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
