"""`kg push --bulk` of a built corpus, every fact graph kept, into Oxigraph's and Virtuoso's
servers, beside Oxigraph's own loader on the same N-Quads.

Usage: python benchmarks/push_time.py N [--workdir DIR] [--seed S] [--skip-transaction]

Writes (or reuses) the synthetic corpus of N articles of benchmarks/corpus.py with the
shipped ones, builds it, and prints, for one run each (whole processes):

- ``kg push --bulk --no-transaction`` into a fresh ``oxigraph serve`` (one PUT of N-Quads
  to /store, loaded by Oxigraph's bulk loader), then ``kg push --bulk`` (one transaction)
  into the same;
- the reference in the same run: ``oxigraph load`` of the same N-Quads into a fresh folder;
- ``kg push --bulk --update-endpoint`` into a fresh Virtuoso (batches of SPARQL Update),
  when Debian's virtuoso-t is installed (tests/run.sh installs it as root).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from corpus import write_corpus  # noqa: E402

from tests.servers import oxigraph, virtuoso  # noqa: E402

ALL = "https://w3id.org/diplomacy-kg/graph/all"


def timed(args, env=None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True, env=env)
    said = done.stdout.strip().splitlines()
    return time.perf_counter() - start, said[-1] if said else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-transaction", action="store_true",
                        help="leave out the push in one transaction (minutes at 1,000)")
    args = parser.parse_args()
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="kg-push-"))) / str(args.n)
    data, out = work / "data", work / "out"
    if not (data / "articles").exists():
        write_corpus(data, args.n, args.seed, shipped=ROOT / "data")
    if not (out / "store").exists():
        subprocess.run([sys.executable, "-m", "kg", "build", str(data), "-o", str(out), "-q"],
                       check=True)
    kg = [sys.executable, "-m", "kg", "push", "-g", str(out), "--bulk"]
    scratch = Path(tempfile.mkdtemp(prefix="kg-push-servers-"))
    print(f"{args.n} synthetic articles and the shipped ones, every fact graph kept")
    (scratch / "ox").mkdir()
    with oxigraph(scratch / "ox") as url:
        seconds, said = timed([*kg, "--endpoint", url + "/store", "--no-transaction"])
        print(f"  kg push --bulk --no-transaction into oxigraph serve {seconds:7.1f} s   ({said})")
        if not args.skip_transaction:
            atomic, said = timed([*kg, "--endpoint", url + "/store", "--timeout", "3600"])
            print(f"  kg push --bulk (one transaction) into the same      {atomic:7.1f} s   "
                  f"({said})")
        dump = scratch / "pushed.nq"  # what the store now holds, as N-Quads
        subprocess.run(["curl", "-s", "-o", str(dump), "-H", "Accept: application/n-quads",
                        url + "/store"], check=True)
    binary = shutil.which("oxigraph")
    load, _ = timed([binary, "load", "--location", str(scratch / "fresh"), "--file", str(dump)])
    print(f"  reference: oxigraph load of the same N-Quads         {load:7.1f} s   "
          f"({dump.stat().st_size:,} bytes)   push / load {seconds / load:5.2f}x")
    if shutil.which("virtuoso-t"):
        env = {**os.environ, "KG_BENCH_VIRTUOSO": "dba"}
        with virtuoso(scratch) as url:
            seconds, said = timed(
                [*kg, "--endpoint", url + "/sparql-graph-crud-auth", "--graph", ALL,
                 "--update-endpoint", url + "/sparql-auth", "--digest", "--user", "dba",
                 "--password-env", "KG_BENCH_VIRTUOSO"], env=env)
        print(f"  kg push --bulk --update-endpoint into Virtuoso {seconds:7.1f} s   ({said})")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
