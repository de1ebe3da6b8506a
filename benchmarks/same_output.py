"""Do two checkouts of kg build the same bytes? kg.ttl, kg.trig and the store's content.

Usage: python benchmarks/same_output.py BASE [--articles N] [--workdir DIR] [--seed S]

BASE is another checkout of kg (for example ``git worktree add /tmp/base main``). Both
checkouts build, each with ``python -m kg build`` run from its own source (``PYTHONPATH``),
in this interpreter's environment: the shipped ``data/`` and a synthetic corpus of N
articles (``benchmarks/corpus.py`` with the shipped articles, default 100). For each build
it compares the SHA-256 of ``kg.ttl`` and ``kg.trig`` and of the store's content (every
quad, as sorted N-Quads lines written by pyoxigraph: the RocksDB files themselves are not
byte-stable), prints a table and exits 1 if any differs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import write_corpus  # noqa: E402


def build(checkout: Path, data: Path, out: Path) -> float:
    """Build `data` into `out` with the kg of `checkout`; the wall time."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    # run from the output's folder: a checkout in the working directory would come first
    cwd = out.parent
    where = subprocess.run([sys.executable, "-c", "import kg, sys; print(kg.__file__)"],
                           env=env, cwd=cwd, capture_output=True, text=True,
                           check=True).stdout.strip()
    if not where.startswith(str(checkout)):
        raise SystemExit(f"{checkout}: python imports kg from {where}, not from the checkout")
    subprocess.run([sys.executable, "-m", "kg", "build", str(data), "-o", str(out), "-q"],
                   env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def digests(out: Path) -> dict[str, str]:
    """The SHA-256 of kg.ttl, kg.trig and of the store's quads as sorted N-Quads."""
    found = {name: hashlib.sha256((out / name).read_bytes()).hexdigest()
             for name in ("kg.ttl", "kg.trig")}
    store = ox.Store.read_only(str((out / "store").resolve()))
    lines = sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())
    found["store (sorted N-Quads)"] = hashlib.sha256(b"\n".join(lines)).hexdigest()
    found["store quads"] = str(len(lines))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="another checkout of kg")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go "
                        "(default: a temporary folder, removed at the end)")
    args = parser.parse_args()
    base = args.base.resolve()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-same-"))
    shutil.rmtree(work / f"corpus-{args.articles}", ignore_errors=True)
    corpus = write_corpus(work / f"corpus-{args.articles}", args.articles, args.seed,
                          shipped=ROOT / "data")
    differ = 0
    try:
        for name, data in (("shipped data", ROOT / "data"),
                           (f"{args.articles} articles", corpus)):
            seconds, found = {}, {}
            for label, checkout in (("base", base), ("this", ROOT)):
                out = work / f"out-{label}-{data.name}"
                seconds[label] = build(checkout, data, out)
                found[label] = digests(out)
            print(f"{name}: base {seconds['base']:.1f} s, this {seconds['this']:.1f} s")
            for key in found["base"]:
                same = found["base"][key] == found["this"][key]
                differ += not same
                print(f"  {key:<24} {'same' if same else 'DIFFERENT'}  "
                      f"{found['base'][key][:16]}  {found['this'][key][:16]}")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
