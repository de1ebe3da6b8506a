"""Writing files all or nothing: each output goes to a temporary file beside its target and
is renamed over it once complete, so a reader never sees a half-written file and a failure
leaves the earlier outputs as they were."""

from __future__ import annotations

__all__ = ["write_outputs", "write_files", "replace_file", "remove_leftovers"]

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from kg.errors import OutputError


def write_files(files: dict[str, bytes], out_dir: str | Path) -> list[Path]:
    """Write `files` ({name: bytes}) into `out_dir`, all or none (see `write_outputs`).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in write_files({"a.txt": b"hi"}, folder)]
    ['a.txt']
    """
    return write_outputs(
        {name: _writing(data) for name, data in files.items()},
        out_dir,
    )


def _writing(data: bytes) -> Callable[[BinaryIO], object]:
    """A writer (see `write_outputs`) of `data`."""
    return lambda handle: handle.write(data)


def write_outputs(
    writers: dict[str, Callable[[BinaryIO], object]], out_dir: str | Path
) -> list[Path]:
    """Write each file of `writers` ({name: function that writes into a binary file}) into
    `out_dir`, all or none.

    Each file is written to a temporary file in `out_dir` and then renamed over its
    target, so a reader never sees a half-written file and a failure leaves the earlier
    outputs as they were.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in write_outputs({"b.txt": lambda f: f.write(b"hi")}, folder)]
    ['b.txt']
    """
    out = Path(out_dir)
    temps: list[tuple[str, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    if out.exists() and not out.is_dir():
        raise OutputError(
            f"cannot write into {out}: it is a file, not a folder; name a folder to write into"
        )
    for name in writers:
        if (out / name).is_dir():
            raise OutputError(f"cannot write {out / name}: it is a folder; name a file to write")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, write in writers.items():
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            temps.append((temp, out / name))
            os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
            with os.fdopen(fd, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, target in temps:
            os.replace(temp, target)
    except OSError as exc:
        raise OutputError(
            f"cannot write into {out}: {exc.strerror or exc}; check the path and its permissions"
        ) from None
    finally:
        for temp, _ in temps:
            if os.path.exists(temp):
                os.unlink(temp)
    return [target for _, target in temps]


def replace_file(path: str | Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` all or nothing: into a temporary file beside it, then renamed
    over it; with `mode` the file gets those permissions (else those of a new file).

    Raises
    ------
    OSError
        As the file system reports it; no temporary file is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> replace_file(target, b"one"); replace_file(target, b"two"); target.read_bytes()
    b'two'
    >>> [p.name for p in target.parent.iterdir()]
    ['a.txt']
    """
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def remove_leftovers(folder: str | Path, names: tuple[str, ...]) -> list[Path]:
    """Remove the temporary files that a process stopped mid-write (killed, or the machine
    down) left beside the outputs `names` of `folder`; return them. Call it only while no
    other process writes those outputs (a build holds its lock).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in (".kg.ttl.a1b2.tmp", "kg.ttl", ".kg.png.c3.tmp"):
    ...     _ = (folder / name).write_bytes(b"")
    >>> [p.name for p in remove_leftovers(folder, ("kg.ttl", "kg.trig"))]
    ['.kg.ttl.a1b2.tmp']
    """
    found = []
    for name in names:
        for temp in sorted(Path(folder).glob(f".{name}.*.tmp")):
            temp.unlink(missing_ok=True)
            found.append(temp)
    return found
