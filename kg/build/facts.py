"""Read curated files: the reference entities and each article folder.

A file is read with the line of every key (`kg.build.yamlfile`), its structure checked
with its JSON Schema (`kg.build.structure`), and its values read by their kind
(`kg.vocab.kinds`); what needs the rest of the corpus (ids, references, cycles) is checked
by `kg.build.corpus`.
"""

from __future__ import annotations

__all__ = [
    "load_corpus",
    "load_reference",
    "load_article",
    "read_article",
    "read_article_text",
    "article_dirs",
    "read_claims",
    "ARTICLE_DIR_PATTERN",
]

import hashlib
import re
import unicodedata
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from kg.build.corpus import check_corpus
from kg.build.model import Article, Claim, Corpus, Entity, Fact, Reference
from kg.build.structure import check_structure
from kg.build.yamlfile import LineList, LineMap, decode_utf8, read_yaml
from kg.errors import InputError, Location
from kg.limits import read_bounded
from kg.vocab.curation import PROPERTIES, time_scope
from kg.vocab.kinds import (
    KINDS,
    display_name,
    names_in,
    parse_date,
    read_id,
    read_language,
    read_period,
)

#: The keys of the properties whose links hold for a time (``dip:timeScoped``).
_SCOPED_KEYS = frozenset(k for k, p in PROPERTIES.items() if p.iri in time_scope().scoped)
#: An article folder's name: its publication date and a slug.
ARTICLE_DIR_PATTERN = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_corpus(data_dir: str | Path) -> Corpus:
    """Load and check every curated file under `data_dir`.

    Reads ``entities/*.yaml`` (reference entities shared by all articles) and every
    ``articles/<YYYY-MM-DD-slug>/`` folder (``article.txt`` and ``facts.yaml``). Checks
    YAML syntax, keys, required fields, ids, dates, references and the article hash.
    Evidence passages are located later, when each article's graph is built.

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
    ['2025-05-16-istanbul-talks', '2025-06-02-istanbul-exchange', '2025-06-02-istanbul-second-round-ru', '2025-07-24-istanbul-third-round']
    >>> corpus.entities["vladimir-medinsky"].label
    'Vladimir Medinsky'
    """
    root = Path(data_dir)
    folders = article_dirs(root)
    reference = load_reference(root)
    corpus = Corpus(
        root=root,
        reference_facts=reference.facts,
        reference_files=reference.files,
        reference_sha256=reference.sha256,
    )
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
    ['2025-05-16-istanbul-talks', '2025-06-02-istanbul-exchange', '2025-06-02-istanbul-second-round-ru', '2025-07-24-istanbul-third-round']
    """
    root = Path(root)
    if not root.is_dir():
        raise InputError(
            f"{root}: no such data directory; pass the folder that holds "
            "entities/ and articles/ (by default: data)"
        )
    folders = sorted(p for p in (root / "articles").glob("*") if p.is_dir())
    if not folders and not any((root / "entities").glob("*.yaml")):
        raise InputError(
            f"{root}: holds neither entities/*.yaml nor articles/*/; "
            "see the README section 'Curating an article'"
        )
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
    raws = []
    for path in reference.files:
        raws.append(read_bounded(path, "yaml"))
        digest.update(path.name.encode() + b"\0" + raws[-1] + b"\0")
    reference.sha256 = digest.hexdigest()
    # a long-running reader (kg curate checks after each save) reads the same bytes again
    key = (str(Path(root).resolve()), reference.sha256)
    if key in _READ:
        entities, facts = _READ[key]
        reference.entities, reference.facts = list(entities), list(facts)
        return reference
    for path, raw in zip(reference.files, raws):
        data = read_yaml(path, raw)
        check_structure(data, "entities", str(path))
        for item, line in _items(data, "entities"):
            entity, fact = _declare(item, Location(str(path), line), article=None)
            reference.entities.append(entity)
            reference.facts.append(fact)
    _READ.clear()  # the last folder's only: bounded
    _READ[key] = (tuple(reference.entities), tuple(reference.facts))
    return reference


#: The entities and facts read from the reference files, by folder and digest of their bytes.
_READ: dict[tuple[str, str], tuple[tuple, tuple]] = {}


def load_article(folder: str | Path, check_hash: bool = True) -> Article:
    """Load and check one article folder (``facts.yaml`` and ``article.txt``) on its own.

    Checks everything that does not need the rest of the corpus: YAML, keys, values, ids,
    dates and the article's SHA-256. `kg.build.corpus.check_corpus` checks ids and
    references across articles.

    Examples
    --------
    >>> article = load_article("data/articles/2025-05-16-istanbul-talks")
    >>> article.published, len(article.entities) > 10
    (datetime.date(2025, 5, 16), True)
    """
    folder = Path(folder)
    if not ARTICLE_DIR_PATTERN.match(folder.name):
        raise InputError(
            f"article folder {folder.name!r} is not named YYYY-MM-DD-slug; "
            "rename it, e.g. 2025-05-16-istanbul-talks",
            Location(str(folder), 1),
        )
    facts_path = folder / "facts.yaml"
    text_path = folder / "article.txt"
    if not facts_path.is_file():
        raise InputError(
            "no facts.yaml in the article folder; curate the article's facts "
            "there (see the README)",
            Location(str(facts_path), 1),
        )
    facts_raw = read_bounded(facts_path, "yaml")
    key = (str(folder), check_hash, hashlib.sha256(facts_raw).hexdigest())  # paths as given
    if text_path.is_file() and key in _LOADED:
        text_raw = read_bounded(text_path, "article")
        kept, raw_digest, _ = _LOADED[key]
        if hashlib.sha256(text_raw).hexdigest() == raw_digest:
            _LOADED.move_to_end(key)
            return replace(
                kept,
                facts=list(kept.facts),
                entities=list(kept.entities),
                key_lines=dict(kept.key_lines),
            )
    article = _load_article(folder, facts_path, text_path, facts_raw, check_hash)
    replaced = _LOADED.pop(key, None)
    _SIZE[0] -= replaced[2] if replaced else 0
    _LOADED[key] = (article, article.sha256, len(facts_raw) + len(article.text))
    _SIZE[0] += _LOADED[key][2]
    while _SIZE[0] > _LOADED_BYTES and len(_LOADED) > 1:
        _SIZE[0] -= _LOADED.popitem(last=False)[1][2]
    return replace(
        article,
        facts=list(article.facts),
        entities=list(article.entities),
        key_lines=dict(article.key_lines),
    )


#: Articles read, by folder and digest of their files: a long-running reader (kg curate, which
#: checks an article against the whole corpus after each save) parses only what changed.
_LOADED: OrderedDict[tuple, tuple[Article, str, int]] = OrderedDict()
_SIZE = [0]  # the bytes of text and YAML that _LOADED holds
_LOADED_BYTES = 32 * 2**20  # beyond it, the articles read longest ago are let go


def read_article(folder: str | Path, facts_raw: bytes) -> Article:
    """The article of `folder` as it would load with `facts_raw` for its facts.yaml (what an
    edit would write), checked as `load_article` checks it; nothing is read but its text.

    Examples
    --------
    >>> folder = Path("data/articles/2025-06-02-istanbul-exchange")
    >>> raw = (folder / "facts.yaml").read_bytes().replace(b"id: complete-ceasefire", b"id: C P")
    >>> read_article(folder, raw)
    Traceback (most recent call last):
    ...
    kg.errors.InputError: data/articles/2025-06-02-istanbul-exchange/facts.yaml:91: 'id': id 'C P' cannot form a valid IRI; use letters, digits '-' and '_' only, starting with a letter or digit, e.g. 'c-p'
    """
    folder = Path(folder)
    return _load_article(
        folder, folder / "facts.yaml", folder / "article.txt", facts_raw, check_hash=False
    )


def _load_article(
    folder: Path, facts_path: Path, text_path: Path, facts_raw: bytes, check_hash: bool
) -> Article:
    data = read_yaml(facts_path, facts_raw)
    path = str(facts_path)
    # a wrong digest is told below, with the right one
    check_structure(data, "facts", path, checked_after=(("article", "sha256"),))
    meta = data["article"]
    if meta["sha256"] is None:
        raise InputError(
            "missing required field 'sha256' in this article; add 'sha256: ...'",
            Location(path, meta.line),
        )
    text, raw = read_article_text(text_path, Location(path, meta.line))
    digest = hashlib.sha256(raw).hexdigest()
    declared = str(meta["sha256"]).lower()
    if declared != digest and check_hash:
        raise InputError(
            f"article.txt changed since its facts were curated: its SHA-256 is {digest}, "
            f"facts.yaml says {declared}; check every evidence passage against the new "
            "text, then update sha256",
            Location(path, meta.key_lines["sha256"]),
        )
    article = Article(
        id=folder.name,
        path=text_path,
        facts_path=facts_path,
        text=text,
        title=str(meta["title"]),
        dateline=_text(meta.get("dateline")),
        published=parse_date(meta["published"], Location(path, meta.key_lines["published"])),
        sha256=digest,
        location=Location(path, meta.line),
        published_as=_text(meta.get("published_as")),
        dateline_place=(
            read_id(
                "datelinePlace",
                meta["datelinePlace"],
                Location(path, meta.key_lines["datelinePlace"]),
            )
            if meta.get("datelinePlace") is not None
            else None
        ),
        url=meta.get("url"),
        language=(
            read_language(meta["language"], Location(path, meta.key_lines["language"]))
            if meta.get("language") is not None
            else "en"
        ),
        facts_sha256=hashlib.sha256(facts_raw).hexdigest(),
        key_lines=dict(meta.key_lines),
    )
    for item, line in _items(data, "entities"):
        entity, fact = _declare(item, Location(path, line), article.id, article.language)
        article.entities.append(entity)
        article.facts.append(fact)
    for item, line in _items(data, "facts"):
        article.facts.append(_fact(item, Location(path, line), article.id))
    return article


def _text(value) -> str | None:
    """Text as the schema allows it (YAML may read it as a number), or None."""
    return None if value is None else str(value)


def read_article_text(text_path: Path, where: Location | None = None) -> tuple[str, bytes]:
    """An article's text as the build reads it (UTF-8, bounded, composed as NFC, so that
    offsets count what the evidence counts), and its bytes.

    Examples
    --------
    >>> text, raw = read_article_text(Path("data/articles/2025-05-16-istanbul-talks/article.txt"))
    >>> text.startswith("16/05/2025"), len(raw) >= len(text)
    (True, True)
    """
    if not text_path.is_file():
        raise InputError(
            f"article file {text_path} is missing; put the article's text there as UTF-8", where
        )
    data = read_bounded(text_path, "article")
    # composed (NFC): an accent typed as its own mark matches the letter that holds it, and
    # the evidence's offsets count the composed text's code points
    return unicodedata.normalize("NFC", decode_utf8(data, str(text_path))), data


def _items(data: LineMap, key: str) -> list[tuple[LineMap, int]]:
    items = data.get(key)
    return list(zip(items, items.item_lines)) if items is not None else []


def _declare(
    item: LineMap, where: Location, article: str | None, language: str = "en"
) -> tuple[Entity, Fact]:
    path = where.path
    entity_id = read_id("id", item["id"], Location(path, item.key_lines["id"]))
    claims = _claims(item, path)
    label_at = Location(path, item.key_lines["label"])
    label = item["label"]
    if isinstance(label, dict):
        labels = KINDS["name"].read("label", dict(label), label_at, {})
    else:
        labels = ((language, str(label)),)
    shown = display_name(labels)
    alt = tuple(
        dict.fromkeys(
            [t for _, t in labels if t != shown]
            + [t for c in claims if c.key == "altLabel" for _, t in names_in(c.value, language)]
        )
    )
    entity = Entity(
        entity_id,
        str(item["type"]),
        shown,
        where,
        alt,
        article,
        Location(path, item.key_lines["id"]),
        labels,
    )
    sources: tuple[str, ...] = ()
    if article is None:  # background knowledge: its source, or else its identifiers
        given = item.get("source", [])
        sources = tuple(given if isinstance(given, list) else [given])
        sources = sources or tuple(c.value for c in claims if c.key == "sameAs")
    fact = Fact(
        subject=entity_id,
        claims=claims,
        location=where,
        article=article,
        evidence=_text(item.get("evidence")) if article else None,
        declares=True,
        sources=sources,
        evidence_location=_key_location(item, "evidence", path),
        **_record_keys(item, path),
    )
    return entity, _check_scoped(fact, item, path)


def _fact(item: LineMap, where: Location, article: str) -> Fact:
    path = where.path
    claims = _claims(item, path)
    if not claims:
        raise InputError(
            "a fact states nothing: add at least one property, e.g. 'headedBy: vladimir-medinsky'",
            where,
        )
    fact = Fact(
        subject=read_id("about", item["about"], Location(path, item.key_lines["about"])),
        claims=claims,
        location=where,
        article=article,
        evidence=_text(item["evidence"]),
        fact_id=(
            read_id("id", item["id"], Location(path, item.key_lines["id"]))
            if item.get("id") is not None
            else None
        ),
        evidence_location=_key_location(item, "evidence", path),
        **_record_keys(item, path),
    )
    return _check_scoped(fact, item, path)


def _check_scoped(fact: Fact, item: LineMap, path: str) -> Fact:
    """A fact that says when it began or ended states something that holds for a time."""
    for key in ("since", "until", "planned"):
        if key in item.key_lines and not any(c.key in _SCOPED_KEYS for c in fact.claims):
            raise InputError(
                f"'{key}' says when what a fact states began or ended, and this fact "
                "states nothing that holds for a time; use it on a fact with one of: "
                + ", ".join(sorted(_SCOPED_KEYS)),
                Location(path, item.key_lines[key]),
            )
    return fact


def _key_location(item: LineMap, key: str, path: str) -> Location | None:
    """Where `key` is written in `item`, if it is."""
    return Location(path, item.key_lines[key]) if key in item.key_lines else None


def _record_keys(item: LineMap, path: str = "") -> dict:
    """The note, reading, rank and reason of rank of a fact or an entity's declaration, and
    when what it states began and ended."""
    out: dict = {
        field: _text(item.get(key))
        for key, field in (
            ("note", "note"),
            ("reading", "reading"),
            ("rank", "rank"),
            ("rankReason", "rank_reason"),
            ("translation", "translation"),
        )
    }
    for key in ("since", "until"):
        if item.get(key) is not None:
            out[key] = read_period(item[key], Location(path, item.key_lines[key]), key)
    out["planned"] = item.get("planned") is True
    return out


def read_claims(value: dict, path: str = "<given>") -> tuple[Claim, ...]:
    """The claims of one entity or fact given as plain values (a suggestion, a form's),
    each value read by its key's kind as the build reads a curated file's.

    Examples
    --------
    >>> [(c.key, c.value) for c in read_claims({"about": "x", "date": {"weekday": "Monday"},
    ...                                         "party": ["russia", "ukraine"]})]
    [('date', ('weekday', 'monday')), ('party', 'russia'), ('party', 'ukraine')]
    """
    return _claims(_lines(value), path)


def _lines(value):
    """Plain values as `LineMap` and `LineList`, every line 1."""
    if isinstance(value, dict):
        out = LineMap((k, _lines(v)) for k, v in value.items())
        out.line, out.key_lines = 1, dict.fromkeys(value, 1)
        return out
    if isinstance(value, list):
        items = LineList(_lines(v) for v in value)
        items.line, items.item_lines = 1, [1] * len(value)
        return items
    return value


def _claims(item: LineMap, path: str) -> tuple[Claim, ...]:
    """Each value of each curation key of `item`, read by its kind, at its line."""
    claims = []
    for key, raw in item.items():
        prop = PROPERTIES.get(key)
        if prop is None:
            continue
        kind = KINDS[prop.kind]
        values = raw if isinstance(raw, LineList) else [raw]
        lines = raw.item_lines if isinstance(raw, LineList) else [item.key_lines[key]]
        for value, line in zip(values, lines):
            here = Location(path, line)
            claims.append(Claim(key, kind.read(key, value, here, prop.values), here))
    return tuple(claims)
