"""What `kg curate` shows and does, as data: the articles of a data folder with their state,
an article's page (its sentences, what they mention, its entities and facts with the checks'
result beside each, the suggestions), a save with its checks, a dismissed suggestion.

The web layer (`kg.web.curate`) turns these into HTTP; everything here takes and returns
plain values, so it is tested without a browser.
"""

from __future__ import annotations

__all__ = [
    "Problem",
    "locate_in",
    "review",
    "article_list",
    "cited",
    "article_view",
    "save",
    "dismiss",
    "vocabulary",
    "locate",
    "article_folder",
    "warm",
]

import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.build.evidence import ArticleText
from kg.build.facts import (
    ARTICLE_DIR_PATTERN,
    article_dirs,
    load_article,
    read_article,
    read_article_text,
)
from kg.curate.article import check_article
from kg.curate.coverage import article_coverage
from kg.curate.edit import Edit, read_document, save_edit
from kg.curate.entities import names_and_demonyms
from kg.curate.names import close_names, every_mention, unknown_names
from kg.curate.suggest import corpus_facts, suggest
from kg.errors import EvidenceError, InputError, KGError, NotConformingError
from kg.files import replace_file
from kg.limits import read_bounded
from kg.vocab.curation import CUES, PROPERTIES, ROLES, TYPES, is_a, keys_for_type
from kg.vocab.kinds import KINDS, WEEKDAYS
from kg.vocab.ontology import ontology_classes
from kg.vocab.records import RANKS
from kg.vocab.schema import type_table
from kg.vocab.terms import DIP

#: The file, in an article's folder, of the suggestions its curator dismissed.
DISMISSED = "dismissed.json"
_AT = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.*)$", re.S)


@dataclass(frozen=True)
class Problem:
    """What a check found, at a line of facts.yaml (None: the article as a whole):
    ``kind`` is error (the build refuses it), violation (of a shape) or warning."""

    line: int | None
    message: str
    kind: str


def warm(data_dir: str | Path) -> None:
    """Read the corpus once, as an article's page will (its entities, demonyms, facts and
    the index of their names), so that the first page a curator opens comes quickly; a
    long-running workbench calls it when it starts."""
    entities, words = names_and_demonyms(data_dir, skip_unreadable=True)
    unknown_names("", entities, None, words)
    corpus_facts(Path(data_dir), skip_unreadable=True)


def article_folder(data_dir: str | Path, article_id: str) -> Path:
    """The folder of article `article_id` under `data_dir`, refused unless it is one: an id
    is a folder's name, never a path (nothing outside the data folder is reached).

    Examples
    --------
    >>> article_folder("data", "2025-06-02-istanbul-exchange").name
    '2025-06-02-istanbul-exchange'
    >>> article_folder("data", "../../etc")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: no article '../../etc' in data: an article is a folder data/articles/<YYYY-MM-DD-slug>
    """
    root = Path(data_dir)
    folder = root / "articles" / article_id
    if (
        not ARTICLE_DIR_PATTERN.match(article_id)
        or "/" in article_id
        or not (folder / "facts.yaml").is_file()
    ):
        raise InputError(
            f"no article {article_id!r} in {root}: an article is a folder "
            f"{root}/articles/<YYYY-MM-DD-slug>"
        )
    return folder


def review(folder: str | Path) -> tuple[list[Problem], float]:
    """Every problem `kg article check` finds in the article in `folder`, each at its line
    of facts.yaml where it has one, and the seconds the checks took.

    Examples
    --------
    >>> problems, seconds = review("data/articles/2025-06-02-istanbul-exchange")
    >>> problems
    []
    """
    started = time.perf_counter()
    folder = Path(folder)
    facts = str(folder / "facts.yaml")
    problems: list[Problem] = []
    try:
        problems += [_problem(w, "warning", facts) for w in check_article(folder).warnings]
    except EvidenceError as exc:
        problems += [_problem(p, "error", facts) for p in exc.problems]
    except NotConformingError as exc:
        for v in exc.report.violations if exc.report is not None else ():
            lines = [
                int(where.rsplit(":", 1)[1])
                for where, _, _ in v.sources
                if where.rsplit(":", 1)[0] == facts and where.rsplit(":", 1)[1].isdigit()
            ]
            path = f" {v.path.rsplit('#', 1)[-1]}" if v.path else ""
            message = (
                f"{v.message} ({v.focus.rsplit('/', 1)[-1]}{path}, {v.shape.rsplit('#', 1)[-1]})"
            )
            problems.append(Problem(lines[0] if lines else None, message, "violation"))
    except KGError as exc:
        problems.append(_problem(str(exc), "error", facts))
    return problems, time.perf_counter() - started


def _problem(text: str, kind: str, facts: str) -> Problem:
    """A message ``file:line: what`` as a problem at that line of `facts` (or of none)."""
    found = _AT.match(text)
    if found and found.group("path") == facts:
        return Problem(int(found.group("line")), found.group("message"), kind)
    return Problem(None, text, kind)


def article_list(data_dir: str | Path, match: str = "", page: int = 1, size: int = 50) -> dict:
    """The articles of `data_dir` whose id or title holds `match` (case aside), newest
    first, `size` to a page: the `page` asked for (from 1), each article with its id, title,
    date and number of facts; ``total`` counts them all, ``pages`` the pages. Checks and
    coverage are asked for one article at a time (`review`, `cited`): a corpus of thousands
    lists in the time of one page.

    Examples
    --------
    >>> listed = article_list("data")
    >>> listed["total"], [(a["id"], a["facts"]) for a in listed["articles"]]
    (4, [('2025-07-24-istanbul-third-round', 29), ('2025-06-02-istanbul-second-round-ru', 8), ('2025-06-02-istanbul-exchange', 19), ('2025-05-16-istanbul-talks', 58)])
    >>> article_list("data", match="exchange")["total"]
    1
    """
    wanted = match.strip().casefold()
    folders = sorted(article_dirs(data_dir), key=lambda f: f.name, reverse=True)
    if wanted:  # the titles are read to match them (then kept: the next search is quick)
        rows = [_listed(f) for f in folders]
        folders = [
            f
            for f, row in zip(folders, rows)
            if wanted in f"{row['id']} {row['title'] or ''}".casefold()
        ]
    pages = max(1, -(-len(folders) // size))
    page = min(max(1, page), pages)
    return {
        "total": len(folders),
        "page": page,
        "pages": pages,
        "articles": [_listed(f) for f in folders[(page - 1) * size : page * size]],
    }


def _listed(folder: Path) -> dict:
    try:
        article = load_article(folder, check_hash=False)
    except KGError as exc:
        return {"id": folder.name, "title": None, "error": str(exc)}
    return {
        "id": folder.name,
        "title": article.title,
        "published": article.published.isoformat(),
        "facts": len(article.facts),  # the entities and facts curated (not the metadata's)
    }


def cited(folder: str | Path) -> int:
    """The share (in %) of the article's sentences that its facts cite.

    Examples
    --------
    >>> cited("data/articles/2025-06-02-istanbul-exchange")
    100
    """
    return round(article_coverage(folder, entities=[]).sentence_share * 100)


def _dismissed(folder: Path) -> set[str]:
    path = folder / DISMISSED
    if not path.is_file():
        return set()
    try:
        keys = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return set()
    return {k for k in keys if isinstance(k, str)} if isinstance(keys, list) else set()


def dismiss(data_dir: str | Path, article_id: str, key: str) -> list[str]:
    """Remember that the suggestion `key` was dismissed for the article (in its folder's
    ``dismissed.json``), so that it is not shown again."""
    folder = article_folder(data_dir, article_id)
    if not re.fullmatch(r"[0-9a-f]{16}", key):
        raise InputError(f"{key!r} names no suggestion")
    keys = sorted(_dismissed(folder) | {key})
    replace_file(folder / DISMISSED, (json.dumps(keys, indent=1) + "\n").encode())
    return keys


def locate_in(folder: str | Path, start: int, end: int) -> dict:
    """`locate` in the text of the article in `folder`, read as the build reads it (the
    page's offsets count the same characters)."""
    return locate(read_article_text(Path(folder) / "article.txt")[0], start, end)


def locate(text: str, start: int, end: int) -> dict:
    """The words from `start` to `end` as evidence: their text (whitespace collapsed) and
    how often the article holds them (the build needs them once).

    Examples
    --------
    >>> locate("He said no. He said no.", 3, 10)
    {'words': 'said no', 'count': 2}
    """
    start, end = max(0, start), min(len(text), end)
    words = " ".join(text[start:end].split())
    return {"words": words, "count": ArticleText(text).count(words) if words else 0}


def vocabulary() -> dict:
    """What the forms offer, from the ontology as `kg schema` has it: each type with its
    definition, cues and keys; each key with its kind, definition, the type of an entity
    value and its closed list; the roles, the weekdays and the ranks."""
    classes = sorted(c.rsplit("#", 1)[-1] for c in ontology_classes() if c.startswith(DIP.NS))
    definitions = {
        row.split("|")[1].strip().strip("`"): row.split("|")[4].strip()
        for row in type_table().splitlines()[2:]
    }
    return {
        "types": {
            t: {
                "definition": definitions.get(t, ""),
                "cues": list(CUES.get(t, ())),
                "keys": _own_first(keys_for_type(t), classes),
                "is": [c for c in classes if is_a(t, c)],
            }
            for t in TYPES
        },
        "keys": {
            k: {
                "kind": p.kind,
                "standsIn": KINDS[p.kind].stands_in,
                "definition": p.comment,
                "range": p.range,
                "values": list(p.values),
                "cues": list(p.cues),
            }
            for k, p in PROPERTIES.items()
        },
        "roles": list(ROLES),
        "roleCues": {role: list(CUES.get(role, ())) for role in ROLES},
        "weekdays": [w.capitalize() for w in WEEKDAYS],
        "ranks": list(RANKS),
    }


def _own_first(keys: list[str], classes: list[str]) -> list[str]:
    """`keys` with those of the narrowest domain first (a delegation's before an
    organisation's, those before the keys of any thing), each group in the ontology's order."""

    def breadth(key: str) -> int:
        domain = PROPERTIES[key].domain
        return sum(1 for c in classes if is_a(c, domain)) if domain else len(classes) + 1

    return sorted(keys, key=breadth)


def article_view(data_dir: str | Path, article_id: str) -> dict:
    """Everything an article's page shows, as JSON-ready values: the text, its sentences
    (each cited or not), the known entities it names (every mention) and the names it does
    not know, its entities and facts (each with its lines, evidence span and problems), the
    suggestions not dismissed, and the entities to complete ids from."""
    root = Path(data_dir)
    folder = article_folder(root, article_id)
    try:
        doc = read_document(folder / "facts.yaml")
        article = load_article(folder, check_hash=False)
    except KGError as exc:  # a file an editor left unreadable: shown, to be mended
        return _unreadable(folder, exc)
    text = article.text
    entities, words = names_and_demonyms(root, skip_unreadable=True)
    problems, seconds = review(folder)
    located = ArticleText(text)
    items: list[dict] = []
    placed: set[int] = set()
    for item in doc.items:
        value = item.value if isinstance(item.value, dict) else {}
        span = (
            located.find(str(value.get("evidence", "")), unique=False)
            if value.get("evidence")
            else None
        )
        own = [
            n
            for n, p in enumerate(problems)
            if p.line is not None and item.start < p.line <= item.end
        ]
        placed.update(own)
        items.append(
            {
                "section": item.section,
                "index": item.index,
                "line": item.line,
                "end": item.end,
                "value": value,
                "evidence": [span.start, span.end] if span else None,
                "problems": [asdict(problems[n]) for n in own],
            }
        )
    general = [asdict(p) for n, p in enumerate(problems) if n not in placed]
    cov = article_coverage(folder, entities)
    unknown = unknown_names(text, entities, article.dateline, words)
    close = close_names([n for n, _ in unknown], entities)
    names = []
    for name, _ in unknown:
        for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            names.append(
                {
                    "start": match.start(),
                    "end": match.end(),
                    "name": name,
                    "maybe": close.get(name, []),
                }
            )
    dismissed = _dismissed(folder)
    suggestions = [
        {
            "key": s.key,
            "section": s.section,
            "value": s.value,
            "sentence": next(  # the page's sentences: the title and date lines count too
                (n for n, c in enumerate(cov.sentences) if c.start <= s.start < c.end), -1
            ),
            "start": s.start,
            "end": s.end,
            "why": s.why,
            "needs": list(s.needs),
        }
        for s in suggest(article, entities, words, corpus_facts(root, skip_unreadable=True))
        if s.key not in dismissed
    ]
    return {
        "id": article_id,
        "title": article.title,
        "published": article.published.isoformat(),
        "language": article.language,
        "text": text,
        "digest": doc.digest,
        "sentences": [
            {"start": s.start, "end": s.end, "paragraph": s.paragraph, "cited": bool(s.facts)}
            for s in cov.sentences
        ],
        "mentions": [
            {
                "start": m.start,
                "end": m.end,
                "id": m.entity.id,
                "type": m.entity.type,
                "label": m.entity.label,
                "surname": m.surname,
                "demonym": m.name in words,
            }
            for m in every_mention(text, entities, words)
        ],
        "unknown": names,
        "items": items,
        "problems": general,
        "checked": round(seconds, 2),
        "suggestions": suggestions,
        "entities": sorted(
            ({"id": e.id, "type": e.type, "label": e.label} for e in entities),
            key=lambda e: e["id"],
        ),
    }


def _readable(folder: Path, raw: bytes) -> None:
    """Refuse to write a facts.yaml the build could not read (an id that is no id, a value
    of the wrong kind): the page could not show the article any more."""
    try:
        read_article(folder, raw)
    except InputError as exc:
        where = _AT.match(str(exc))
        raise InputError(
            "not saved: with this edit the build could not read facts.yaml: "
            + (where.group("message") if where else str(exc))
        ) from None


def _unreadable(folder: Path, error: KGError) -> dict:
    """An article's page when its facts.yaml cannot be read: the text, the items as far as
    the YAML goes (each to edit or delete), and the error at its line."""
    facts = str(folder / "facts.yaml")
    problem = _problem(str(error), "error", facts)
    try:
        doc = read_document(folder / "facts.yaml")
        items, digest = doc.items, doc.digest
    except KGError:  # not even YAML: shown at its line, to mend in an editor
        raw_facts = read_bounded(folder / "facts.yaml", "yaml")
        items, digest = [], hashlib.sha256(raw_facts).hexdigest()
    return {
        "id": folder.name,
        "title": folder.name,
        "published": "",
        "language": "en",
        "text": read_article_text(folder / "article.txt")[0],
        "digest": digest,
        "sentences": [],
        "mentions": [],
        "unknown": [],
        "items": [
            {
                "section": item.section,
                "index": item.index,
                "line": item.line,
                "end": item.end,
                "value": item.value if isinstance(item.value, dict) else {},
                "evidence": None,
                "problems": [asdict(problem)]
                if problem.line is not None and item.start < problem.line <= item.end
                else [],
            }
            for item in items
        ],
        "problems": [asdict(problem)]
        if problem.line is None or not any(i.start < problem.line <= i.end for i in items)
        else [],
        "checked": 0,
        "suggestions": [],
        "entities": [],
    }


def save(data_dir: str | Path, article_id: str, edit: Edit, digest: str, was=None) -> dict:
    """Make `edit` in the article's facts.yaml (which must still have SHA-256 `digest`),
    then check the article: the new digest, the line of the edited item and the problems.
    An edit of an item may say what the item `was`: it is made on the item that is so (the
    one at the edit's index, or else the only one equal to it), or refused.

    Raises
    ------
    ConflictError
        facts.yaml changed since `digest`: nothing was written.
    InputError
        No item is what the edit says the item was.
    """
    folder = article_folder(data_dir, article_id)
    if was is not None and edit.index is not None:
        items = read_document(folder / "facts.yaml").section(edit.section)
        if not (edit.index < len(items) and items[edit.index].value == was):
            same = [i.index for i in items if i.value == was]
            if len(same) != 1:
                raise InputError(
                    "the item edited is no longer in facts.yaml as the page showed it; reload "
                    "the page, then make the edit again"
                )
            edit = Edit(edit.section, same[0], edit.value)
    saved = save_edit(folder / "facts.yaml", edit, digest, lambda raw: _readable(folder, raw))
    problems, seconds = review(folder)
    return {
        "digest": saved.document.digest,
        "line": saved.item.line if saved.item else None,
        "problems": [asdict(p) for p in problems],
        "checked": round(seconds, 2),
    }
