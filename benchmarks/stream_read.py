"""Bulk-load an N-Quads file into Oxigraph through the stream the store generation reads its
cached blocks with (`kg.store.generations._Stream`), beside the same bytes from `io.BytesIO`.

Usage: python benchmarks/stream_read.py [MEGABYTES ...] (default: 18 300)

For each size, writes synthetic N-Quads of that many megabytes twice: split into files of
about 1 MB (as the build's cached blocks of stated triples are) and as one file (as the
inferred graph is); then loads each into an in-memory Oxigraph store through the stream and
from memory (median of 3 runs up to 50 MB, else one) and prints the times and their ratio:
the stream reads in time linear in the size when the ratio stays near 1 as the size grows.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg.store.generations import _Stream  # noqa: E402

LINE = '<https://example.org/s{i}> <https://example.org/p> "value {i}" <https://example.org/g{g}> .\n'


def write_blocks(folder: Path, megabytes: int, one_file: bool = False) -> list[Path]:
    """Synthetic N-Quads of about `megabytes`: blocks of about 1 MB, or one file."""
    paths: list[Path] = []
    i = written = 0
    handle = None
    while written < megabytes * 1_000_000:
        data = "".join(LINE.format(i=i + k, g=(i + k) % 50) for k in range(10_000)).encode()
        if handle is None or not one_file:
            if handle is not None:
                handle.close()
            paths.append(folder / f"block-{len(paths):05d}.nq")
            handle = paths[-1].open("wb")
        handle.write(data)
        written += len(data)
        i += 10_000
    if handle is not None:
        handle.close()
    return paths


def median_load(make_input, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        store = ox.Store()
        source = make_input()
        start = time.perf_counter()
        store.bulk_load(input=source, format=ox.RdfFormat.N_QUADS)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(sizes: list[int]) -> None:
    for megabytes in sizes:
        repeat = 3 if megabytes <= 50 else 1
        for one_file in (False, True):
            with tempfile.TemporaryDirectory(prefix="kg-stream-") as tmp:
                paths = write_blocks(Path(tmp), megabytes, one_file)
                total = sum(p.stat().st_size for p in paths)
                stream = median_load(lambda: _Stream(paths), repeat)
                whole = b"".join(p.read_bytes() for p in paths)
                memory = median_load(lambda: io.BytesIO(whole), repeat)
                del whole
                print(f"{total / 1e6:7.0f} MB in {len(paths):4d} file(s): through _Stream "
                      f"{stream:6.2f} s, from io.BytesIO {memory:6.2f} s, "
                      f"ratio {stream / memory:5.2f}x")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [18, 300])
