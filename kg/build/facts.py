"""Load curated facts: reference entities and article folders, checked line by line."""

from __future__ import annotations

__all__ = [
    "Article",
    "Claim",
    "Corpus",
    "Entity",
    "Fact",
    "Reference",
    "load_corpus",
    "load_reference",
    "load_article",
    "check_corpus",
    "article_dirs",
    "mentions",
    "parse_date",
    "decode_utf8",
    "canonical_duration",
    "ID_PATTERN",
]

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError, Location
from kg.limits import read_bounded
from kg.vocab.curation import ACYCLIC, ENUMS, PROPERTIES, ROLES, TYPES


try:  # libyaml's composer is several times faster than the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

#: Ids become the last segment of an IRI: letters, digits, '-' and '_' ('.' is kept for
#: joining ids in the IRIs of participations and facts).
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
ARTICLE_DIR_PATTERN = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

ARTICLE_KEYS = {"title", "published", "published_as", "dateline", "datelinePlace", "sha256", "url"}
ARTICLE_REQUIRED = ("title", "published", "sha256")
#: Keys about the curated fact itself rather than its subject: a note, a reading (what the
#: curator read into the words, and why), a rank and the reason for it.
FACT_RECORD_KEYS = {"note", "reading", "rank", "rankReason"}
ENTITY_KEYS = {"id", "type", "label", "evidence", "source"} | FACT_RECORD_KEYS
FACT_KEYS = {"about", "id", "evidence"} | FACT_RECORD_KEYS
#: The ranks a curator may give a fact (as Wikidata ranks statements); unranked is normal.
RANKS = ("preferred", "deprecated")


@dataclass(frozen=True)
class Claim:
    """One ``key: value`` of a fact; ``value`` is checked against the key's kind."""

    key: str
    value: Any
    location: Location


@dataclass(frozen=True)
class Fact:
    """What a curator wrote down: claims about one subject, with one evidence passage.

    An entity declared in an article is a fact too: it claims the entity's type and label.
    Reference entities (``data/entities``) have ``evidence`` None and ``article`` None.
    """

    subject: str
    claims: tuple[Claim, ...]
    evidence: str | None
    location: Location
    article: str | None = None
    note: str | None = None
    fact_id: str | None = None
    declares: bool = False
    reading: str | None = None
    rank: str | None = None
    rank_reason: str | None = None
    sources: tuple[str, ...] = ()
    evidence_location: Location | None = None


@dataclass(frozen=True)
class Entity:
    """A declared entity: its id, ontology type, English label and alternative labels.

    ``id_location`` is the line of its ``id:`` key, where a duplicate id is reported.
    """

    id: str
    type: str
    label: str
    location: Location
    alt_labels: tuple[str, ...] = ()
    article: str | None = None
    id_location: Location | None = None


@dataclass
class Article:
    """One article folder: the text, its metadata and its facts."""

    id: str
    path: Path
    facts_path: Path
    text: str
    title: str
    published: dt.date
    dateline: str | None
    sha256: str
    location: Location
    published_as: str | None = None
    dateline_place: str | None = None
    url: str | None = None
    facts: list[Fact] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts_sha256: str = ""
    #: The line of each key of the article's metadata (``title``, ``dateline``, ...).
    key_lines: dict = field(default_factory=dict)


@dataclass
class Reference:
    """The reference entities of ``entities/*.yaml``, shared by every article.

    ``sha256`` is a digest of the files' names and bytes.
    """

    files: list[Path] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    sha256: str = ""


@dataclass
class Corpus:
    """Everything under a data directory: reference entities, articles and their facts."""

    root: Path
    entities: dict[str, Entity] = field(default_factory=dict)
    reference_facts: list[Fact] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    reference_files: list[Path] = field(default_factory=list)
    reference_sha256: str = ""

    @property
    def facts(self) -> list[Fact]:
        """Every fact of every article, in file order."""
        return [f for a in self.articles for f in a.facts]


def load_corpus(data_dir: str | Path) -> Corpus:
    """Load and check every curated file under `data_dir`.

    Reads ``entities/*.yaml`` (reference entities shared by all articles) and every
    ``articles/<YYYY-MM-DD-slug>/`` folder (``article.txt`` and ``facts.yaml``). Checks
    YAML syntax, keys, required fields, ids, dates, references and the article hash.
    Evidence passages are located later, by `kg.build.evidence`.

    Parameters
    ----------
    data_dir : str or Path
        The data directory, e.g. ``data``.

    Returns
    -------
    Corpus

    Raises
    ------
    InputError
        With the file and line of the first problem and what to do about it.

    Examples
    --------
    >>> corpus = load_corpus("data")
    >>> [a.id for a in corpus.articles]
    ['2025-05-16-istanbul-talks', '2025-06-02-istanbul-exchange']
    >>> corpus.entities["vladimir-medinsky"].label
    'Vladimir Medinsky'
    """
    root = Path(data_dir)
    folders = article_dirs(root)
    reference = load_reference(root)
    corpus = Corpus(root=root, reference_facts=reference.facts,
                    reference_files=reference.files, reference_sha256=reference.sha256)
    corpus.articles = [load_article(folder) for folder in folders]
    check_corpus(corpus, reference.entities)
    return corpus


def article_dirs(root: str | Path) -> list[Path]:
    """The article folders of a data directory, in name order.

    Raises
    ------
    InputError
        If `root` is not a directory, or holds neither reference files nor articles.

    Examples
    --------
    >>> [p.name for p in article_dirs("data")]
    ['2025-05-16-istanbul-talks', '2025-06-02-istanbul-exchange']
    """
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: no such data directory; pass the folder that holds "
                         "entities/ and articles/ (by default: data)")
    folders = sorted(p for p in (root / "articles").glob("*") if p.is_dir())
    if not folders and not any((root / "entities").glob("*.yaml")):
        raise InputError(f"{root}: holds neither entities/*.yaml nor articles/*/; "
                         "see the README section 'Curating an article'")
    return folders


def load_reference(root: str | Path) -> Reference:
    """Load and check ``entities/*.yaml``: the reference entities every article may use.

    Examples
    --------
    >>> ref = load_reference("data")
    >>> [e.label for e in ref.entities if e.id == "russia"]
    ['Russia']
    """
    reference = Reference(files=sorted((Path(root) / "entities").glob("*.yaml")))
    digest = hashlib.sha256()
    for path in reference.files:
        raw = read_bounded(path, "yaml")
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        data = _read_yaml(path, raw)
        where = Location(str(path), getattr(data, "line", 1))
        if not isinstance(data, _Map):
            raise InputError("a reference file holds one key, 'entities:', with a list of "
                             "entities", where)
        for key in data:
            if key != "entities":
                raise InputError(f"unknown key {key!r}: a reference file holds one key, "
                                 "'entities:', with a list of entities",
                                 Location(str(path), data.key_lines[key]))
        for item, line in _items(data, "entities", str(path)):
            entity, fact = _declare(item, Location(str(path), line), article=None)
            reference.entities.append(entity)
            reference.facts.append(fact)
    reference.sha256 = digest.hexdigest()
    return reference


def check_corpus(corpus: Corpus, reference_entities: list[Entity]) -> None:
    """The checks that need the whole corpus: each id declared once, every reference known.

    Fills ``corpus.entities`` (reference entities first, then each article's, in order).
    Both checks are dictionary look-ups, so they grow linearly with the corpus.

    Raises
    ------
    InputError
        At the second declaration of an id, or at a reference to an undeclared id.
    """
    declared = corpus.entities
    for entity in reference_entities + [e for a in corpus.articles for e in a.entities]:
        if entity.id in declared:
            first = declared[entity.id].location
            raise InputError(f"duplicate id {entity.id!r}, first declared at {first}; give "
                             "each entity one id, declared once",
                             entity.id_location or entity.location)
        declared[entity.id] = entity
    _check_references(corpus)
    _check_cycles(corpus.reference_facts + corpus.facts)


def _check_cycles(facts: list[Fact]) -> None:
    """Refuse a cycle in a relation that must be a hierarchy or an order (the properties
    the ontology marks ``dip:acyclic``: ``partOf``, ``locatedIn``, ``subOrganizationOf``,
    ``precededBy`` with ``resumes``), naming each link of the cycle with its file:line.
    Facts ranked deprecated are left out: they are what a curator set aside."""
    import networkx as nx

    for prop, keys in ACYCLIC.items():
        reverse = dict(keys)
        graph = nx.DiGraph()
        for fact in facts:
            if fact.rank == "deprecated":
                continue
            for claim in fact.claims:
                if claim.key not in reverse:
                    continue
                a, b = fact.subject, claim.value
                if reverse[claim.key]:
                    a, b = b, a
                if not graph.has_edge(a, b):
                    graph.add_edge(a, b, claim=claim, article=fact.article)
        try:
            cycle = nx.find_cycle(graph)
        except nx.NetworkXNoCycle:
            continue
        links = [graph.edges[a, b] for a, b in cycle]
        steps = "\n".join(f"  {a} {c['claim'].key} {b}  ({c['claim'].location})"
                          for (a, b), c in zip(cycle, links))
        articles = {c["article"] for c in links}
        hint = ("; the articles disagree: rank the link you set aside 'deprecated' with a "
                "'rankReason'" if len(articles) > 1 else "")
        raise InputError(f"these facts make a cycle of {prop}, which must not have one:\n"
                         f"{steps}\n  remove or correct one of them{hint}",
                         links[0]["claim"].location)


def mentions(facts, article: Article | None = None) -> set[str]:
    """Every entity id that `facts` (and `article`'s dateline place) refer to or describe.

    Examples
    --------
    >>> corpus = load_corpus("data")
    >>> {"russia", "vladimir-medinsky"} <= mentions(corpus.articles[0].facts)
    True
    """
    found = set()
    for fact in facts:
        found.add(fact.subject)
        for claim in fact.claims:
            ref = _reference(claim)
            if ref is not None:
                found.add(ref)
    if article is not None and article.dateline_place:
        found.add(article.dateline_place)
    return found


def parse_date(text: Any, where: Location) -> dt.date:
    """Parse an ISO 8601 calendar date (``YYYY-MM-DD``), naming `where` if it is not one.

    Examples
    --------
    >>> parse_date("2025-05-15", Location("f.yaml", 3))
    datetime.date(2025, 5, 15)
    >>> parse_date("2025-02-30", Location("f.yaml", 3))
    Traceback (most recent call last):
    ...
    kg.errors.InputError: f.yaml:3: invalid date '2025-02-30': day is out of range for month; write a real calendar date as YYYY-MM-DD
    """
    if isinstance(text, dt.date) and not isinstance(text, dt.datetime):
        return text
    value = str(text)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InputError(f"invalid date {value!r}: write it as YYYY-MM-DD, e.g. 2025-05-15", where)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"invalid date {value!r}: {exc}; write a real calendar date as "
                         "YYYY-MM-DD", where) from None


def canonical_duration(text: str) -> str:
    """The canonical form of an xsd:dayTimeDuration of days, hours, minutes and seconds.

    The store keeps durations as values and writes them back in this form, so the build
    writes them so too: the graph, the files and the store then agree.

    Examples
    --------
    >>> canonical_duration("PT36H"), canonical_duration("P30D"), canonical_duration("PT0H")
    ('P1DT12H', 'P30D', 'PT0S')
    """
    parts = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text)
    if parts is None:
        raise ValueError(f"not a duration of days, hours, minutes and seconds: {text!r}")
    days, hours, minutes, seconds = (int(p or 0) for p in parts.groups())
    total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if not days and not time:
        return "PT0S"
    return "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")


# --- YAML with line numbers -------------------------------------------------------------

class _Map(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    key_lines: dict


class _List(list):
    """A YAML sequence that remembers its line and the line of each item."""

    line: int
    item_lines: list


#: The tags a curated value may carry: the plain YAML types, nothing that builds objects.
YAML_TAGS = {f"tag:yaml.org,2002:{name}"
             for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


def decode_utf8(data: bytes, path: str) -> str:
    """UTF-8 text, or an error at the line and column of the first byte that is not.

    Examples
    --------
    >>> decode_utf8(b"caf\\xc3\\xa9", "a.txt")
    'café'
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8: byte 0x{data[exc.start]:02x} at column {column}; save "
                         "the file as UTF-8 (e.g. iconv -f cp1252 -t utf-8)",
                         Location(path, line)) from None


def _read_yaml(path: Path, data: bytes | None = None) -> Any:
    """The YAML file at `path` (or its bytes `data`), with the line of every key and item."""
    data = read_bounded(path, "yaml") if data is None else data
    text = decode_utf8(data, str(path))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise InputError(f"YAML syntax error: {exc.problem or exc.context}; "
                         "fix the YAML (indentation, quotes, colons) at this line",
                         Location(str(path), line)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", Location(str(path), 1)) from None
    if node is None:
        return None
    try:
        return _convert(node, str(path), set())
    except _Alias:
        raise InputError("YAML anchors and aliases (&name, *name) are not allowed in curated "
                         "files; write each value out", _first_alias(text, str(path))) from None


class _Alias(Exception):
    """A node met twice while converting: the document uses an alias."""


def _first_alias(text: str, path: str) -> Location:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return Location(path, event.start_mark.line + 1)
    return Location(path, 1)  # pragma: no cover - an alias was met, so the parser sees one


def _convert(node: yaml.Node, path: str, seen: set) -> Any:
    # An alias makes the composer share a node; expanding shared nodes is how a few lines
    # of YAML become gigabytes, so a node met twice stops the conversion.
    if id(node) in seen:
        raise _Alias()
    seen.add(id(node))
    line = node.start_mark.line + 1
    if node.tag not in YAML_TAGS:
        raise InputError(f"unknown YAML tag {node.tag!r}; curated values are plain text, "
                         "numbers, dates, lists and mappings: remove the tag",
                         Location(path, line))
    if isinstance(node, yaml.MappingNode):
        out = _Map()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, path, seen)
            if not isinstance(key, str):
                raise InputError(f"key {key!r} is not a string; write keys as plain words",
                                 Location(path, key_node.start_mark.line + 1))
            if key in out:
                raise InputError(f"duplicate key {key!r} (first at line {out.key_lines[key]}); "
                                 "write each key once, with a list if it has several values",
                                 Location(path, key_node.start_mark.line + 1))
            out[key] = _convert(value_node, path, seen)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out = _List(_convert(item, path, seen) for item in node.value)
        out.line = line
        out.item_lines = [item.start_mark.line + 1 for item in node.value]
        return out
    tag = node.tag.rsplit(":", 1)[-1]
    value = node.value
    if tag == "null":
        return None
    if tag == "bool":
        return value.lower() in ("true", "yes", "on")
    if tag == "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag == "float":
        try:
            return float(value)
        except ValueError:
            return value
    return value  # str, and timestamps, which `parse_date` checks with a clear message


# --- files -------------------------------------------------------------------------------

def load_article(folder: str | Path, check_hash: bool = True) -> Article:
    """Load and check one article folder (``facts.yaml`` and ``article.txt``) on its own.

    Checks everything that does not need the rest of the corpus: YAML, keys, values, ids,
    dates and the article's SHA-256. `check_corpus` checks ids and references across
    articles.

    Examples
    --------
    >>> article = load_article("data/articles/2025-05-16-istanbul-talks")
    >>> article.published, len(article.entities) > 10
    (datetime.date(2025, 5, 16), True)
    """
    folder = Path(folder)
    match = ARTICLE_DIR_PATTERN.match(folder.name)
    if not match:
        raise InputError(f"article folder {folder.name!r} is not named YYYY-MM-DD-slug; "
                         "rename it, e.g. 2025-05-16-istanbul-talks", Location(str(folder), 1))
    facts_path = folder / "facts.yaml"
    text_path = folder / "article.txt"
    if not facts_path.is_file():
        raise InputError("no facts.yaml in the article folder; curate the article's facts "
                         "there (see the README)", Location(str(facts_path), 1))
    facts_raw = read_bounded(facts_path, "yaml")
    data = _read_yaml(facts_path, facts_raw)
    path = str(facts_path)
    if not isinstance(data, _Map):
        raise InputError("facts.yaml holds a mapping with 'article:', 'entities:' and "
                         "'facts:'", Location(path, getattr(data, "line", 1)))
    _no_unknown(data, {"article", "entities", "facts"}, path)
    if "article" not in data:
        raise InputError("missing required field 'article' (title, published, sha256, and "
                         "the dateline if there is one)", Location(path, data.line))
    meta = data["article"]
    if not isinstance(meta, _Map):
        raise InputError("'article' must be a mapping", Location(path, data.key_lines["article"]))
    _no_unknown(meta, ARTICLE_KEYS, path)
    _required(meta, ARTICLE_REQUIRED, path, "article")
    text, raw = _read_article_text(text_path, Location(path, meta.line))
    digest = hashlib.sha256(raw).hexdigest()
    declared = str(meta["sha256"]).lower()
    if declared != digest and check_hash:
        raise InputError(
            f"article.txt changed since its facts were curated: its SHA-256 is {digest}, "
            f"facts.yaml says {declared}; check every evidence passage against the new "
            "text, then update sha256", Location(path, meta.key_lines["sha256"]))
    article = Article(
        id=folder.name, path=text_path, facts_path=facts_path, text=text,
        title=_string(meta, "title", path),
        dateline=_string(meta, "dateline", path) if meta.get("dateline") is not None else None,
        published=parse_date(meta["published"], Location(path, meta.key_lines["published"])),
        sha256=digest, location=Location(path, meta.line),
        published_as=_string(meta, "published_as", path) if "published_as" in meta else None,
        dateline_place=_string(meta, "datelinePlace", path) if "datelinePlace" in meta else None,
        url=_string(meta, "url", path) if "url" in meta else None,
        facts_sha256=hashlib.sha256(facts_raw).hexdigest(), key_lines=dict(meta.key_lines),
    )
    for item, line in _items(data, "entities", path):
        entity, fact = _declare(item, Location(path, line), article=article.id)
        article.entities.append(entity)
        article.facts.append(fact)
    for item, line in _items(data, "facts", path):
        article.facts.append(_fact(item, Location(path, line), article.id))
    return article


def _read_article_text(text_path: Path, where: Location) -> tuple[str, bytes]:
    if not text_path.is_file():
        raise InputError(f"article file {text_path} is missing; put the article's text there "
                         "as UTF-8", where)
    data = read_bounded(text_path, "article")
    return decode_utf8(data, str(text_path)), data


def _items(data: _Map, key: str, path: str):
    if key not in data:
        return []
    items = data[key]
    if not isinstance(items, _List):
        raise InputError(f"'{key}' must be a list of mappings ('- id: ...')",
                         Location(path, data.key_lines[key]))
    for item, line in zip(items, items.item_lines):
        if not isinstance(item, _Map):
            raise InputError(f"each item of '{key}' must be a mapping of keys",
                             Location(path, line))
    return list(zip(items, items.item_lines))


def _declare(item: _Map, where: Location, article: str | None) -> tuple[Entity, Fact]:
    path = where.path
    allowed = ENTITY_KEYS | set(PROPERTIES)
    allowed = allowed - ({"evidence"} if article is None else {"source"})
    _no_unknown(item, allowed, path)
    required = ("id", "type", "label", "evidence") if article else ("id", "type", "label")
    _required(item, required, path, "entity")
    entity_id = _id(item, "id", path)
    kind = _string(item, "type", path)
    if kind not in TYPES:
        raise InputError(f"unknown type {kind!r}; use one of: {', '.join(TYPES)}",
                         Location(path, item.key_lines["type"]))
    claims = _claims(item, path)
    alt = tuple(c.value for c in claims if c.key == "altLabel")
    entity = Entity(entity_id, kind, _string(item, "label", path), where, alt, article,
                    Location(path, item.key_lines["id"]))
    sources: tuple[str, ...] = ()
    if article is None:  # background knowledge: its source, or else its identifiers
        where_source = Location(path, item.key_lines.get("source", item.line))
        sources = tuple(_check_value("sameAs", v, where_source)
                        for v in _as_list(item.get("source", [])))
        sources = sources or tuple(c.value for c in claims if c.key == "sameAs")
    fact = Fact(
        subject=entity_id, claims=claims, location=where, article=article,
        evidence=_string(item, "evidence", path) if article else None, declares=True,
        sources=sources, evidence_location=_key_location(item, "evidence", path),
        **_record_keys(item, path, article))
    return entity, fact


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _fact(item: _Map, where: Location, article: str) -> Fact:
    path = where.path
    _no_unknown(item, FACT_KEYS | set(PROPERTIES), path)
    _required(item, ("about", "evidence"), path, "fact")
    claims = _claims(item, path)
    if not claims:
        raise InputError("a fact states nothing: add at least one property, e.g. "
                         "'headedBy: vladimir-medinsky'", where)
    return Fact(
        subject=_id(item, "about", path), claims=claims, location=where, article=article,
        evidence=_string(item, "evidence", path),
        fact_id=_id(item, "id", path) if "id" in item else None,
        evidence_location=_key_location(item, "evidence", path),
        **_record_keys(item, path, article))


def _key_location(item: _Map, key: str, path: str) -> Location | None:
    """Where `key` is written in `item`, if it is."""
    return Location(path, item.key_lines[key]) if key in item.key_lines else None


def _record_keys(item: _Map, path: str, article: str | None) -> dict:
    """The note, reading, rank and reason of rank of a fact or an entity's declaration."""
    found = {field: _string(item, key, path) if key in item else None
             for key, field in (("note", "note"), ("reading", "reading"), ("rank", "rank"),
                                ("rankReason", "rank_reason"))}
    rank = found["rank"]
    if rank is not None and rank not in RANKS:
        raise InputError(f"unknown rank {rank!r}; use one of: {', '.join(RANKS)} (leave it "
                         "out for a normal rank)", Location(path, item.key_lines["rank"]))
    if (rank is None) != (found["rank_reason"] is None):
        key = "rank" if rank is not None else "rankReason"
        raise InputError("a rank needs its reason and a reason its rank: give 'rank: "
                         "preferred' or 'rank: deprecated' with 'rankReason: why'",
                         Location(path, item.key_lines[key]))
    if article is None and (rank or found["reading"]):
        key = "rank" if rank else "reading"
        raise InputError(f"'{key}' is for a fact of an article; a reference entry is "
                         "background knowledge: give its 'source' or a 'note'",
                         Location(path, item.key_lines[key]))
    return found


def _claims(item: _Map, path: str) -> tuple[Claim, ...]:
    claims = []
    for key, raw in item.items():
        if key not in PROPERTIES:
            continue
        where = Location(path, item.key_lines[key])
        values = raw if isinstance(raw, _List) else [raw]
        lines = raw.item_lines if isinstance(raw, _List) else [where.line]
        if not values:
            raise InputError(f"'{key}' has an empty list; give it a value or remove it", where)
        for value, line in zip(values, lines):
            here = Location(path, line)
            claims.append(Claim(key, _check_value(key, value, here), here))
    return tuple(claims)


def _check_value(key: str, value: Any, where: Location) -> Any:
    kind = PROPERTIES[key].kind
    if value is None:
        raise InputError(f"'{key}' has no value; give it one or remove the key", where)
    if kind == "entity":
        return _id_value(value, key, where)
    if kind == "participation":
        if isinstance(value, str):
            return (_id_value(value, key, where), "participant")
        if not isinstance(value, _Map):
            raise InputError(f"'{key}' takes an id or {{agent: ID, role: ROLE}}", where)
        _no_unknown(value, {"agent", "role"}, where.path)
        if "agent" not in value:
            raise InputError(f"missing required field 'agent' in '{key}'", where)
        role = value.get("role", "participant")
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}", where)
        return (_id_value(value["agent"], key, where), role)
    if kind == "date":
        if isinstance(value, _Map):
            _no_unknown(value, {"weekday", "sameDayAs"}, where.path)
            if len(value) != 1:
                raise InputError("a relative date takes one of 'weekday' or 'sameDayAs'", where)
            if "weekday" in value:
                day = str(value["weekday"]).lower()
                if day not in WEEKDAYS:
                    raise InputError(f"invalid date: unknown weekday {value['weekday']!r}; "
                                     "write e.g. {weekday: Thursday}", where)
                return ("weekday", day)
            return ("sameDayAs", _id_value(value["sameDayAs"], key, where))
        return parse_date(value, where)
    if kind == "year":
        if isinstance(value, str) and re.fullmatch(r"\d{4}", value):
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
            return value
        raise InputError(f"invalid year {value!r}: write four digits, e.g. 2022", where)
    if kind == "duration":
        text = str(value)
        if not re.fullmatch(r"P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?", text) or text in ("P", "PT"):
            raise InputError(f"invalid duration {text!r}: write an xsd:dayTimeDuration such as "
                             "P30D (30 days) or PT12H (12 hours)", where)
        return canonical_duration(text)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InputError(f"'{key}' takes true or false, not {value!r}", where)
        return value
    if kind == "enum":
        if value not in ENUMS[key]:
            raise InputError(f"invalid {key} {value!r}; use one of: {', '.join(ENUMS[key])}",
                             where)
        return value
    if kind == "count":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise InputError(f"'{key}' takes a whole number from 0, not {value!r}", where)
    if kind == "quote" and isinstance(value, _Map):  # {text: ..., verb: ...}
        _no_unknown(value, {"text", "verb"}, where.path)
        if not isinstance(value.get("text"), str) or not value["text"].strip():
            raise InputError(f"'{key}' takes the quoted words, or {{text: WORDS, verb: VERB}}",
                             where)
        verb = value.get("verb")
        if verb is not None and (not isinstance(verb, str) or not verb.strip()):
            raise InputError("the verb of a quotation is a non-empty text, e.g. declared",
                             where)
        return (value["text"], verb) if verb else value["text"]
    if kind == "iri":
        if not isinstance(value, str) or not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
            raise InputError(f"'{key}' takes an http(s) IRI, e.g. "
                             "http://www.wikidata.org/entity/Q159", where)
        return value
    if not isinstance(value, str) or not value.strip():  # string, quote
        raise InputError(f"'{key}' takes a non-empty text", where)
    return value


# --- small checks ---------------------------------------------------------------------

def _no_unknown(item: _Map, allowed: set, path: str) -> None:
    for key in item:
        if key not in allowed:
            near = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"allowed: {', '.join(sorted(allowed))}"
            raise InputError(f"unknown key {key!r}; {hint}", Location(path, item.key_lines[key]))


def _required(item: _Map, keys, path: str, what: str) -> None:
    for key in keys:
        if key not in item or item[key] is None:
            raise InputError(f"missing required field {key!r} in this {what}; add "
                             f"'{key}: ...'", Location(path, item.line))


def _string(item: _Map, key: str, path: str) -> str:
    value = item[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"'{key}' must be a non-empty text", Location(path, item.key_lines[key]))
    return value


def _id(item: _Map, key: str, path: str) -> str:
    return _id_value(item[key], key, Location(path, item.key_lines[key]))


def _id_value(value: Any, key: str, where: Location) -> str:
    text = str(value) if isinstance(value, (str, int)) else None
    if text is None or not ID_PATTERN.match(text):
        slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "my-id"
        raise InputError(f"'{key}': id {value!r} cannot form a valid IRI; use letters, digits "
                         f"'-' and '_' only, starting with a letter or digit, e.g. {slug!r}",
                         where)
    return text


def _check_references(corpus: Corpus) -> None:
    known = corpus.entities
    for fact in corpus.reference_facts + corpus.facts:
        if not fact.declares and fact.subject not in known:
            _undeclared(corpus, fact.subject, "about", fact.location)
        for claim in fact.claims:
            ref = _reference(claim)
            if ref is not None and ref not in known:
                _undeclared(corpus, ref, claim.key, claim.location)
    for article in corpus.articles:
        if article.dateline_place and article.dateline_place not in known:
            _undeclared(corpus, article.dateline_place, "datelinePlace", article.location)


def _reference(claim: Claim) -> str | None:
    """The entity id a claim refers to, if any."""
    kind = PROPERTIES[claim.key].kind
    if kind == "entity":
        return claim.value
    if kind == "participation":
        return claim.value[0]
    if kind == "date" and isinstance(claim.value, tuple) and claim.value[0] == "sameDayAs":
        return claim.value[1]
    return None


def _undeclared(corpus: Corpus, ref: str, key: str, where: Location) -> None:
    near = difflib.get_close_matches(ref, sorted(corpus.entities), n=3)
    hint = f" Did you mean: {', '.join(near)}?" if near else ""
    raise InputError(f"'{key}' refers to undeclared entity {ref!r}; declare it under "
                     f"'entities:' (in the article, or in data/entities/ if it recurs).{hint}",
                     where)
