"""Time the curator's commands on the shipped data, as a curator runs them, and print the
figures beside references measured in the same run.

Usage: python benchmarks/curate_time.py [RUNS]

Each figure is the median of RUNS fresh processes (imports counted): `kg article check` on
each shipped article; `kg article new` on the first article's text into a copy of the
reference entities; `kg entities search`; `kg coverage`. The references: Python importing
rdflib and pySHACL (what a check must load), and a whole `kg build --no-cache` of the data.
"""

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]


def wall(args, cwd=ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def median(runs: int, make_args) -> float:
    return statistics.median(wall(*make_args(i)) for i in range(runs))


def main(runs: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="kg-curate-"))
    imports = median(runs, lambda i: ([sys.executable, "-c", "import rdflib, pyshacl"],))
    build = median(runs, lambda i: (KG + ["build", "data", "-o", str(work / "out"), "-q",
                                          "--no-cache"],))
    print(f"references: python -c 'import rdflib, pyshacl' {imports:.2f} s; "
          f"kg build --no-cache of data/ {build:.2f} s (median of {runs})")
    for folder in sorted((ROOT / "data" / "articles").iterdir()):
        check = median(runs, lambda i: (KG + ["article", "check", str(folder)],))
        print(f"kg article check {folder.name}: {check:.2f} s "
              f"({check / imports:.2f}x the imports, {check / build:.2f}x a whole build)")
    text = sorted((ROOT / "data" / "articles").iterdir())[0] / "article.txt"

    def fresh(i):
        data = work / f"data{i}"
        shutil.copytree(ROOT / "data" / "entities", data / "entities")
        return (KG + ["article", "new", str(text), "--data", str(data)],)

    new = median(runs, fresh)
    print(f"kg article new (the first article's text): {new:.2f} s")
    search = median(runs, lambda i: (KG + ["entities", "search", "Umierov"],))
    print(f"kg entities search Umierov: {search:.2f} s")
    coverage = median(runs, lambda i: (KG + ["coverage"],))
    print(f"kg coverage (both articles): {coverage:.2f} s")
    shutil.rmtree(work)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
