"""Each unit's result (its graph and its verdict), kept under the output folder by key."""

from __future__ import annotations

__all__ = ["UnitResult", "Cache", "unit_key", "code_digest"]

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__
from .errors import OutputError


@dataclass
class UnitResult:
    """What building and validating one unit produced.

    ``ntriples`` is the unit's graph as N-Triples, one triple per line, sorted, and ``trig``
    its block of ``kg.trig`` (`kg.export.trig_block`); both are kept in files beside the
    record, and are None once the result has been written there.
    ``violations`` hold `kg.validate.Violation` fields as dictionaries and ``report`` the
    kept SHACL results as N-Triples.
    """

    unit: str
    key: str
    graph: str
    fact_count: int = 0
    facts_with_evidence: int = 0
    quotations: int = 0
    quotations_found: int = 0
    triples: int = 0
    missing: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    report: str = ""
    seconds: dict = field(default_factory=dict)
    ntriples: bytes | None = None
    trig: bytes | None = None


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of kg's version and its own source files: a new kg invalidates the cache.

    Examples
    --------
    >>> len(code_digest())
    64
    """
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def unit_key(*parts: str | bytes) -> str:
    """The cache key of a unit: a digest of kg's code and of every input given.

    Examples
    --------
    >>> unit_key("a", b"b") == unit_key("a", b"b") != unit_key("a", b"c")
    True
    """
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class Cache:
    """Unit results under ``<out>/cache/units``: ``<unit>.json``, ``.nt`` and ``.trig``.

    A result is found only under the key it was stored with; files are replaced
    atomically, so an interrupted build leaves each entry whole or absent.

    Examples
    --------
    >>> import tempfile
    >>> cache = Cache(tempfile.mkdtemp())
    >>> cache.put(UnitResult("a", "k1", "urn:g", ntriples=b"<urn:s> <urn:p> <urn:o> .\\n"))
    >>> cache.get("a", "k1").unit, cache.get("a", "k2")
    ('a', None)
    >>> cache.ntriples("a")
    b'<urn:s> <urn:p> <urn:o> .\\n'
    """

    def __init__(self, out_dir: str | Path):
        self.folder = Path(out_dir) / "cache" / "units"

    def get(self, unit: str, key: str) -> UnitResult | None:
        """The result stored for `unit` under `key`, or None."""
        try:
            data = json.loads((self.folder / f"{unit}.json").read_text(encoding="utf-8"))
            if data.get("key") != key or not all(
                    (self.folder / f"{unit}.{suffix}").is_file() for suffix in ("nt", "trig")):
                return None
            return UnitResult(**data)
        except (OSError, ValueError, TypeError):
            return None

    def put(self, result: UnitResult) -> None:
        """Store `result` (its graph first, then the record that names its key)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write(self.folder / f"{result.unit}.nt", result.ntriples or b"")
            _write(self.folder / f"{result.unit}.trig", result.trig or b"")
            record = asdict(result)
            record["ntriples"] = record["trig"] = None
            _write(self.folder / f"{result.unit}.json",
                   json.dumps(record, ensure_ascii=False).encode())
        except OSError as exc:
            raise OutputError(f"cannot write the build cache in {self.folder}: "
                              f"{exc.strerror or exc}") from None
        result.ntriples = result.trig = None

    def ntriples(self, unit: str) -> bytes:
        """The unit's graph as N-Triples."""
        return (self.folder / f"{unit}.nt").read_bytes()

    def path(self, unit: str, suffix: str = "nt") -> Path:
        """The file that holds the unit's N-Triples (or, with ``"trig"``, its TriG block)."""
        return self.folder / f"{unit}.{suffix}"

    def prune(self, keep: set[str]) -> None:
        """Remove the entries of units that are no longer in the corpus."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix in (".json", ".nt", ".trig") and path.stem not in keep:
                path.unlink(missing_ok=True)


def _write(target: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
