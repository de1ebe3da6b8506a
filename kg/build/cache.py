"""Each unit's result (its graph and its verdict), kept under the output folder by key."""

from __future__ import annotations

__all__ = ["UnitResult", "Cache", "unit_key", "code_digest", "encode", "decode", "UNIT_MODULES"]

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from functools import cache, lru_cache
from pathlib import Path

from kg.build.model import Article, Claim, Entity, Fact
from kg.errors import Location, OutputError
from kg.files import replace_file
from kg.version import __version__


@dataclass
class UnitResult:
    """What building and validating one unit produced.

    ``nquads`` holds the unit's named graphs as N-Quads (its article's graph and its facts'
    graphs), ``ntriples`` the triples they state, each once (what the unit adds to the
    store's default graph), both one line per triple, sorted; ``trig`` is its graphs'
    blocks of ``kg.trig`` (`kg.read.export.trig_block`) and ``turtle`` its block of ``kg.ttl``.
    They are kept in files beside the record, and are None once the result has been
    written there.
    ``violations`` hold `kg.build.validate.Violation` fields as dictionaries and ``report`` the
    kept SHACL results as N-Triples; ``abox`` the unit's triples the reasoner reads
    (`kg.build.infer.abox`), ``scoped`` what the store's as-of index reads of it
    (`kg.store.asof.scoped_input`); ``warnings`` what the build finds doubtful but not
    wrong in it (`kg.build.language.language_warning`).
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
    abox: str = ""
    scoped: str = ""
    warnings: list[str] = field(default_factory=list)
    ntriples: bytes | None = None
    nquads: bytes | None = None
    trig: bytes | None = None
    turtle: bytes | None = None


#: The files a result's data is kept in, by suffix, and the field each holds.
_SUFFIXES = {"nq": "nquads", "nt": "ntriples", "trig": "trig", "ttl": "turtle"}

#: The code that makes a unit's result, as modules and wings of the package: reading,
#: building, validating, keying it and writing its blocks. A change to it makes every unit
#: be built again; a change to a reader (query, serve, analysis, pictures, push) does not.
UNIT_MODULES = ("version", "errors", "limits", "files", "vocab", "build", "store")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of kg's version and of the source of `UNIT_MODULES`.

    Examples
    --------
    >>> len(code_digest())
    64
    """
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for name in UNIT_MODULES:
        found = package / f"{name}.py"
        paths = [found] if found.is_file() else sorted((package / name).rglob("*.py"))
        for path in paths:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
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
    """Unit results under ``<out>/cache/units``: ``<unit>.json``, ``.nq``, ``.nt``, ``.trig``
    and ``.ttl``.

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
        self.parsed = Path(out_dir) / "cache" / "articles"

    def get(self, unit: str, key: str) -> UnitResult | None:
        """The result stored for `unit` under `key`, or None."""
        try:
            data = json.loads((self.folder / f"{unit}.json").read_text(encoding="utf-8"))
            if data.get("key") != key or not all(
                (self.folder / f"{unit}.{suffix}").is_file() for suffix in _SUFFIXES
            ):
                return None
            return UnitResult(**data)
        except (OSError, ValueError, TypeError):
            return None

    def put(self, result: UnitResult) -> None:
        """Store `result` (its graph first, then the record that names its key)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for suffix, field_ in _SUFFIXES.items():
                replace_file(
                    self.folder / f"{result.unit}.{suffix}", getattr(result, field_) or b""
                )
            record = asdict(result)
            for field_ in _SUFFIXES.values():
                record[field_] = None
            replace_file(
                self.folder / f"{result.unit}.json", json.dumps(record, ensure_ascii=False).encode()
            )
        except OSError as exc:
            raise OutputError(
                f"cannot write into {self.folder} (the build cache): "
                f"{exc.strerror or exc}; check the path and its permissions"
            ) from None
        for field_ in _SUFFIXES.values():
            setattr(result, field_, None)

    def article(self, folder: Path, key: str) -> Article | None:
        """The parsed article of `folder` stored under `key`, or None."""
        try:
            data = json.loads((self.parsed / f"{folder.name}.json").read_text(encoding="utf-8"))
            return decode(data["article"]) if data.get("key") == key else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def last_article(self, name: str) -> Article | None:
        """The article of the folder `name` as the last build read it, whatever its key."""
        try:
            data = json.loads((self.parsed / f"{name}.json").read_text(encoding="utf-8"))
            return decode(data["article"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_article(self, article: Article, key: str) -> None:
        """Keep a parsed article, so that a rebuild reads only the articles that changed."""
        try:
            self.parsed.mkdir(parents=True, exist_ok=True)
            replace_file(
                self.parsed / f"{article.id}.json",
                json.dumps({"key": key, "article": encode(article)}, ensure_ascii=False).encode(),
            )
        except OSError as exc:
            raise OutputError(
                f"cannot write into {self.parsed} (the build cache): "
                f"{exc.strerror or exc}; check the path and its permissions"
            ) from None

    def graph(self, name: str, key: str) -> tuple[Path, Path, Path] | None:
        """The N-Triples, N-Quads and TriG-block files of a graph the build makes itself
        (the ontology, the shapes, the inferred triples), if they were kept under `key`."""
        folder = self.folder.parent / "graphs"
        try:
            if (folder / f"{name}.key").read_text() == key:
                paths = _graph_files(folder, name)
                if all(p.is_file() for p in paths):
                    return paths
        except OSError:
            pass
        return None

    def put_graph(
        self, name: str, key: str, ntriples: bytes, nquads: bytes, trig: bytes
    ) -> tuple[Path, Path, Path]:
        """Keep such a graph's files under `key`; return their paths."""
        folder = self.folder.parent / "graphs"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            paths = _graph_files(folder, name)
            for path, data in zip(paths, (ntriples, nquads, trig)):
                replace_file(path, data)
            replace_file(folder / f"{name}.key", key.encode())
        except OSError as exc:
            raise OutputError(
                f"cannot write into {folder} (the build cache): "
                f"{exc.strerror or exc}; check the path and its permissions"
            ) from None
        return paths

    def ntriples(self, unit: str) -> bytes:
        """The unit's graph as N-Triples."""
        return (self.folder / f"{unit}.nt").read_bytes()

    def path(self, unit: str, suffix: str = "nt") -> Path:
        """The file that holds the unit's N-Triples (or, by suffix, its N-Quads ``"nq"``, its
        TriG blocks ``"trig"`` or its Turtle block ``"ttl"``)."""
        return self.folder / f"{unit}.{suffix}"

    def prune(self, keep: set[str]) -> None:
        """Remove the entries of units that are no longer in the corpus."""
        for folder in (self.folder, self.parsed):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.suffix[1:] in ("json", *_SUFFIXES) and path.stem not in keep:
                    path.unlink(missing_ok=True)


def _graph_files(folder: Path, name: str) -> tuple[Path, Path, Path]:
    """The N-Triples, N-Quads and TriG-block files of the graph `name`."""
    return folder / f"{name}.nt", folder / f"{name}.nq", folder / f"{name}.trig"


def encode(article: Article) -> dict:
    """A parsed article as JSON-ready data: the facts as compact rows, the file named once.

    Examples
    --------
    >>> from kg.build.facts import load_article
    >>> article = load_article("data/articles/2025-05-16-istanbul-talks")
    >>> decode(json.loads(json.dumps(encode(article)))) == article
    True
    """
    facts_path = str(article.facts_path)

    def line(where: Location) -> int:
        if where.path != facts_path:
            raise ValueError(f"a location outside {facts_path}: {where}")
        return where.line

    return {
        "id": article.id,
        "path": str(article.path),
        "facts_path": facts_path,
        "text": article.text,
        "title": article.title,
        "published": article.published.isoformat(),
        "dateline": article.dateline,
        "sha256": article.sha256,
        "line": line(article.location),
        "published_as": article.published_as,
        "dateline_place": article.dateline_place,
        "url": article.url,
        "language": article.language,
        "facts_sha256": article.facts_sha256,
        "key_lines": article.key_lines,
        "facts": [_encode_fields(f, line) for f in article.facts],
        "entities": [_encode_fields(e, line) for e in article.entities],
    }


def decode(data: dict) -> Article:
    """The inverse of `encode`: only an `Article` and its parts are ever built.

    Examples
    --------
    >>> from kg.build.facts import load_article
    >>> article = load_article("data/articles/2025-07-24-istanbul-third-round")
    >>> again = decode(encode(article))
    >>> again.facts == article.facts, again.entities == article.entities
    (True, True)
    >>> [f.since for f in again.facts if f.since]
    ['2025-07-17', '2025-07-17']
    """
    path = data["facts_path"]
    here = {}

    def at(line: int) -> Location:
        if line not in here:
            here[line] = Location(path, line)
        return here[line]

    article_id = data["id"]
    facts = [Fact(**_decode_fields(Fact, f, at)) for f in data["facts"]]
    entities = [Entity(**_decode_fields(Entity, e, at)) for e in data["entities"]]
    return Article(
        id=article_id,
        path=Path(data["path"]),
        facts_path=Path(path),
        text=data["text"],
        title=data["title"],
        published=dt.date.fromisoformat(data["published"]),
        dateline=data["dateline"],
        sha256=data["sha256"],
        location=at(data["line"]),
        published_as=data["published_as"],
        dateline_place=data["dateline_place"],
        url=data["url"],
        language=data["language"],
        facts=facts,
        entities=entities,
        facts_sha256=data["facts_sha256"],
        key_lines=data["key_lines"],
    )


def _encode_fields(record, line) -> dict:
    """A fact or an entity as JSON, field by field (every field, so none is lost): a
    location as its line, claims as [key, value, line], tuples as lists."""
    out = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, Location):
            value = line(value)
        elif f.name == "claims":
            value = [[c.key, _value(c.value), line(c.location)] for c in value]
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        out[f.name] = value
    return out


def _decode_fields(kind, data: dict, at) -> dict:
    """The inverse of `_encode_fields`, for a `Fact` or an `Entity`."""
    out = {}
    for name in _field_names(kind):
        value = data[name]
        if name in ("location", "evidence_location", "id_location"):
            value = at(value) if value is not None else None
        elif name == "claims":
            value = tuple(Claim(key, _unvalue(v), at(line)) for key, v, line in value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        out[name] = value
    return out


@cache
def _field_names(kind) -> tuple[str, ...]:
    """The fields of a dataclass, found once (a rebuild decodes every cached article)."""
    return tuple(f.name for f in fields(kind))


def _value(value):
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, tuple):
        return {"tuple": list(value)}
    return value


def _unvalue(value):
    if isinstance(value, dict):
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
        return tuple(tuple(v) if isinstance(v, list) else v for v in value["tuple"])
    return value
