"""Inference that follows the change, beside reasoning over the whole corpus in the same run.

Usage: python benchmarks/inference_change.py OUT_DIR [--workers N]

Reads the triples the reasoner reads of every unit of a build (``OUT_DIR/cache/units``),
then times, in this process: `kg.build.infer.infer` over the whole corpus at once (the
reference); `kg.build.entail.infer_units` from an empty cache, with one process and with
`--workers`; again with nothing changed; and after one unit lost a triple. Each result is
checked byte for byte against the whole corpus's.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.build.entail import infer_units  # noqa: E402
from kg.build.infer import infer  # noqa: E402


def whole(aboxes: dict) -> tuple[bytes, float]:
    stated = "".join(sorted({line for a in aboxes.values() for line in a.splitlines(True)}))
    started = time.perf_counter()
    return infer(stated.encode()), time.perf_counter() - started


def timed(aboxes: dict, folder: Path, workers: int) -> tuple[bytes, int, float]:
    started = time.perf_counter()
    found = infer_units(aboxes, folder, workers)
    return found.ntriples, found.reasoned, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    aboxes = {path.stem: json.loads(path.read_text(encoding="utf-8"))["abox"]
              for path in sorted((args.out / "cache" / "units").glob("*.json"))}
    reference, seconds = whole(aboxes)
    print(f"{len(aboxes)} units, {len(reference.splitlines()):,} triples inferred")
    print(f"  reference: the whole corpus at once         {seconds:7.2f} s")
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        for label, folder, workers in (("one process", one, 1), (f"{args.workers} processes", two,
                                                                  args.workers)):
            found, reasoned, spent = timed(aboxes, Path(folder), workers)
            print(f"  groups from an empty cache, {label:<14} {spent:7.2f} s  "
                  f"{spent / seconds:5.2f}x  ({reasoned} closures; same: {found == reference})")
        found, reasoned, spent = timed(aboxes, Path(two), 1)
        print(f"  again, nothing changed                     {spent:7.2f} s  "
              f"{spent / seconds:5.2f}x  ({reasoned} closures; same: {found == reference})")
        unit = sorted(aboxes)[len(aboxes) // 2]
        aboxes[unit] = "".join(aboxes[unit].splitlines(True)[:-1])
        reference, seconds = whole(aboxes)
        found, reasoned, spent = timed(aboxes, Path(two), 1)
        print(f"  after {unit} lost a triple: {spent:.2f} s, the whole corpus {seconds:.2f} s: "
              f"{spent / seconds:5.2f}x  ({reasoned} closures; same: {found == reference})")


if __name__ == "__main__":
    main()
