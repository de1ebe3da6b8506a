"""Curating an article: a folder made from a text, one-article checks, and a new hash
after the text changed.

These are tools for curators; they read the curated files (and, for `check_article`, run the
build of one article without writing it). What they find in a text — a title, a date, a
dateline, the names of known entities — is a proposal for the curator to confirm.
"""

from __future__ import annotations

__all__ = [
    "Scaffold",
    "Check",
    "Rehash",
    "new_article",
    "new_article_from",
    "check_article",
    "rehash_article",
    "reading_warnings",
    "READING_CUES",
]

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz.distance import Indel

from kg.build.cache import Cache
from kg.build.corpus import refers
from kg.build.evidence import ArticleText, fold, normalise
from kg.build.facts import ARTICLE_DIR_PATTERN, load_article
from kg.build.language import language_warning
from kg.build.model import Article, Entity
from kg.build.plan import plan
from kg.build.units import run_checked
from kg.build.yamlfile import decode_utf8
from kg.curate.entities import demonyms, known_entities
from kg.curate.metadata import Metadata, propose_metadata, unique_slug
from kg.curate.names import Mention, close_names, find_mentions, unknown_names
from kg.errors import InputError, Location, OutputError
from kg.files import replace_file
from kg.limits import check_size, read_bounded

# --- kg article new ------------------------------------------------------------------------


@dataclass
class Scaffold:
    """What `new_article` made: the folder, the metadata it proposes, what the text names."""

    folder: Path
    metadata: Metadata
    mentions: list[Mention] = field(default_factory=list)
    unknown: list[tuple[str, int]] = field(default_factory=list)
    dateline_place: str | None = None

    def text(self) -> str:
        """What `kg article new` prints."""
        m = self.metadata
        lines = [
            f"created {self.folder}/ (article.txt and facts.yaml)",
            f"  title       {m.title or '? (none found: write it)'}",
            f"  published   {m.published or '? (none found: write it)'}"
            + (f"  (written {m.published_as})" if m.published_as else ""),
            f"  dateline    {m.dateline or '- (none)'}"
            + (f"  (place: {self.dateline_place})" if self.dateline_place else ""),
            f"  known       {len(self.mentions)} entities named in the text",
            f"  unknown     {len(self.unknown)} names not known yet",
            f"next: curate {self.folder / 'facts.yaml'}, then kg article check {self.folder}",
        ]
        return "\n".join(lines) + "\n"


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def new_article(
    text_file: str | Path, data_dir: str | Path = "data", slug: str | None = None
) -> Scaffold:
    """Make ``<data_dir>/articles/<date>-<slug>/`` from the text in `text_file`.

    The text is copied byte for byte (a UTF-16 file with a byte-order mark is written as
    UTF-8); ``facts.yaml`` gets the proposed metadata, the text's SHA-256, and, as
    comments, the known entities the text names (with the sentence) and the capitalised
    names it does not know yet. Nothing is written if the folder exists.

    Raises
    ------
    InputError
        If the text is not UTF-8 (with its line and column), or has no date and none was
        found to name the folder.
    OutputError
        If the folder exists or cannot be written.

    Examples
    --------
    >>> import tempfile, shutil, pathlib
    >>> data = pathlib.Path(tempfile.mkdtemp()) / "data"
    >>> _ = shutil.copytree("data/entities", data / "entities")
    >>> made = new_article("data/articles/2025-05-16-istanbul-talks/article.txt", data)
    >>> made.folder.name, made.metadata.dateline
    ('2025-05-16-istanbul-talks', 'ISTANBUL')
    """
    source = Path(text_file)
    return new_article_from(read_bounded(source, "article"), str(source), data_dir, slug)


def new_article_from(
    raw: bytes, name: str, data_dir: str | Path = "data", slug: str | None = None
) -> Scaffold:
    """`new_article` for a text given as bytes (pasted or uploaded); `name` names it in
    messages."""
    source = Path(name)
    check_size(len(raw), "article", name)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:  # a UTF-16 byte-order mark, then no UTF-16
            raise InputError(
                f"{name}: it starts as UTF-16 (a byte-order mark) but byte {exc.start} is "
                "not UTF-16; save the text again as UTF-8 or UTF-16"
            ) from None
    text = decode_utf8(raw, str(source))
    meta = propose_metadata(text)
    if slug is not None:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
            raise InputError(
                f"--slug {slug!r}: use lower-case letters, digits and hyphens, e.g. istanbul-talks"
            )
        meta = Metadata(meta.title, meta.published, meta.published_as, meta.dateline, slug)
    if meta.published is None:
        raise InputError(
            "no publication date found in the text's opening lines; put it on "
            "a line of its own at the top (e.g. 16/05/2025)",
            Location(str(source), 1),
        )
    root = Path(data_dir)
    entities = known_entities(root) if root.is_dir() else []
    words = demonyms(root) if root.is_dir() else {}
    mentions = find_mentions(text, entities, words)
    unknown = unknown_names(text, entities, meta.dateline, words)
    place = None
    if meta.dateline:
        wanted = fold(meta.dateline)
        place = next(
            (
                e.id
                for e in entities
                if e.type in ("City", "Country", "Place", "Venue")
                and wanted in {fold(n) for n in (e.label, *e.alt_labels)}
            ),
            None,
        )
    published = meta.published
    existing = sorted(
        folder
        for folder in (root / "articles").glob("*")
        if folder.is_dir() and ARTICLE_DIR_PATTERN.match(folder.name)
    )
    digest = hashlib.sha256(raw).hexdigest()
    for other in existing if slug is None else ():  # the same text is the same article
        if (other / "article.txt").is_file() and hashlib.sha256(
            read_bounded(other / "article.txt", "article")
        ).hexdigest() == digest:
            raise OutputError(
                f"cannot write a new article: it exists: {other} holds this text; curate it "
                "there (or give a slug of its own, --slug, to make another article of the same text)"
            )
    used = {folder.name[11:]: folder.name for folder in existing}
    if slug is not None and slug in used:
        raise InputError(
            f"--slug {slug}: the article {used[slug]} has that slug; give another, so that "
            "a slug names one article"
        )
    meta = Metadata(
        meta.title,
        meta.published,
        meta.published_as,
        meta.dateline,
        unique_slug(meta.slug, meta.title, used),
    )
    folder = root / "articles" / f"{published.isoformat()}-{meta.slug}"
    if folder.exists():
        raise OutputError(
            f"cannot write {folder}: it exists; give another --slug, or remove the folder"
        )
    close = close_names([name for name, _ in unknown], entities)
    skeleton = _skeleton(meta, digest, mentions, unknown, place, close)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        (staging / "article.txt").write_bytes(raw)
        (staging / "facts.yaml").write_text(skeleton, encoding="utf-8")
        os.rename(staging, folder)  # the folder appears whole, or not at all
    except OSError as exc:
        raise OutputError(
            f"cannot write {folder}: {exc.strerror or exc}; check the path and its permissions"
        ) from None
    return Scaffold(folder, meta, mentions, unknown, place)


def _skeleton(
    meta: Metadata,
    digest: str,
    mentions: list[Mention],
    unknown: list[tuple[str, int]],
    place: str | None,
    close: dict[str, list[str]],
) -> str:
    assert meta.published is not None  # new_article refuses a text without a date
    lines = [
        f"# Curated facts of {_yaml_text(meta.title or '')} ({meta.published_as or meta.published}).",
        "# Made by kg article new: check the metadata below against the text, then declare",
        "# the entities the article introduces and the facts it states, each with its",
        '# evidence (words copied from article.txt). See the README, "Curating an article".',
        "article:",
        f"  title: {_yaml_text(meta.title or 'TODO: the headline')}",
        f"  published: {meta.published.isoformat()}",
    ]
    if meta.published_as:
        lines.append(f"  published_as: {_yaml_text(meta.published_as)}")
    if meta.dateline:
        lines.append(f"  dateline: {_yaml_text(meta.dateline)}")
        if place:
            lines.append(f"  datelinePlace: {place}")
    lines.append(f"  sha256: {digest}")
    lines.append("")
    lines.append(
        "# Known entities the text names (use their ids; `kg entities search NAME` finds others):"
    )
    for m in mentions:
        how = f" (by surname {m.name!r})" if m.surname else ""
        lines.append(
            f"#   {m.entity.id} ({m.entity.type}){how}, paragraph {m.paragraph}: "
            f"{_yaml_text(m.sentence)}"
        )
    if not mentions:
        lines.append("#   (none)")
    lines.append(
        "# Names the corpus does not know yet (declare those the article says something about):"
    )
    for name, paragraph in unknown:
        maybe = f"; maybe {', '.join(close[name])}" if close.get(name) else ""
        lines.append(f"#   {name} (paragraph {paragraph}){maybe}")
    if not unknown:
        lines.append("#   (none)")
    lines += ["entities: []", "", "facts: []", ""]
    return "\n".join(lines)


# --- kg article check ------------------------------------------------------------------------


@dataclass
class Check:
    """What `check_article` found: the article, its facts, the time it took, and warnings
    (each ``file:line: message``) about what the build accepts but a curator should look at.
    """

    folder: Path
    facts: int
    passages: int
    quotations: int
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        """What `kg article check` prints when all is well."""
        head = (
            f"{self.folder}: ok: {self.facts} facts, all {self.passages} evidence "
            f"passages and {self.quotations} quotations found, SHACL conforms, in "
            f"{self.seconds:.2f} s\n"
        )
        return head + "".join(f"warning: {w}\n" for w in self.warnings)


#: Words by which a note tells how its curator read the article's words: what ``reading:``
#: is for (a reading makes the fact's basis Read; a note leaves it Stated).
READING_CUES = re.compile(
    r"\b(?:reads? as|read (?:it )?as|taken (?:to|as)|understood (?:as|to)|interpreted as"
    r"|stands? for|impl(?:y|ies|ied)|inferred|presumably|probably|must be|means that"
    r"|i\.e\.|that is,|(?:is|are) (?:the|those of) |so (?:it|they) (?:is|are|was|were) )",
    re.IGNORECASE,
)
#: A passage quoted in a note: words between double quotes, straight or curly.
_QUOTED = re.compile(r"[\"“]([^\"”]{3,})[\"”]")


def reading_warnings(article: Article, entities: dict[str, Entity]) -> list[str]:
    """A warning for each fact of `article` whose ``note:`` reads like a reading: a
    curator's account of how the words were read belongs under ``reading:``, which makes the
    fact's basis Read. A note reads so when it uses the words of a reading ("read as",
    "stands for", "taken to"...), quotes the article, or names what the fact claims (an
    entity of `entities`, by its label or id), where a note about something else would not.

    Examples
    --------
    >>> from kg.build.model import Fact
    >>> article = load_article("data/articles/2025-06-02-istanbul-exchange")
    >>> article.facts = [Fact("x", (), "w", Location("f.yaml", 3), article.id,
    ...                       note='"Moscow" read as Russia')]
    >>> print(reading_warnings(article, {})[0])
    f.yaml:3: this note reads like a reading: "\\"Moscow\\" read as Russia"; is it one? write it under reading:, which makes the fact's basis Read (a note leaves it Stated)
    """
    words = fold(normalise(article.text))  # the text in lower case, as quotes fold it
    out = []
    for fact in article.facts:
        if not fact.note or fact.reading:
            continue
        note = fold(fact.note)
        claimed = {refers(claim) for claim in fact.claims} - {None, fact.subject}
        names = [
            n
            for e in claimed
            if e in entities
            for n in (e, entities[e].label, *entities[e].alt_labels)
        ]
        quoted = any(fold(normalise(q)) in words for q in _QUOTED.findall(fact.note))
        named = any(re.search(rf"(?<!\w){re.escape(fold(n))}(?!\w)", note) for n in names)
        if READING_CUES.search(fact.note) or quoted or named:
            out.append(
                f"{fact.location}: this note reads like a reading: {json.dumps(fact.note, ensure_ascii=False)}; "
                "is it one? write it under reading:, which makes the fact's basis Read (a "
                "note leaves it Stated)"
            )
    return out


def _folder(path: str | Path) -> Path:
    """An article folder, also when given as its facts.yaml or article.txt."""
    path = Path(path)
    return path.parent if path.name in ("facts.yaml", "article.txt") else path


def _data_root(folder: Path) -> Path:
    folder = folder.resolve()
    if folder.parent.name != "articles":
        raise InputError(f"{folder}: not an article folder; give data/articles/<date>-<slug>")
    return folder.parent.parent


def check_article(folder: str | Path) -> Check:
    """Everything `kg build` checks about the article in `folder`, with the same messages,
    and nothing written: its keys and values, the corpus-wide checks (ids, references,
    dates, cycles) with every other article, its evidence, and its SHACL shapes.

    Raises
    ------
    InputError, EvidenceError
        As `kg build` does (exit 2).
    NotConformingError
        SHACL violations (exit 1).

    Examples
    --------
    >>> check_article("data/articles/2025-05-16-istanbul-talks").facts
    62
    """

    started = time.perf_counter()
    folder = _folder(folder)
    root = _data_root(folder)
    article = load_article(folder)  # its own errors first, named in its own file
    planned = plan(root, only=folder.resolve().name)
    jobs = [
        job
        for job in planned.jobs
        if job.article is not None and job.article.id == folder.resolve().name
    ]
    result = run_checked(replace(jobs[0], output=False))  # the verdict, nothing to write
    entities = planned.corpus.entities
    return Check(
        folder,
        result.fact_count,
        result.facts_with_evidence,
        result.quotations,
        time.perf_counter() - started,
        [*filter(None, [language_warning(article)]), *reading_warnings(article, entities)],
    )


# --- kg article rehash ---------------------------------------------------------------------


@dataclass
class Rehash:
    """What `rehash_article` did: the old and new SHA-256 and each passage to look at."""

    folder: Path
    old: str
    new: str
    lost: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)

    def text(self) -> str:
        """What `kg article rehash` prints."""
        if self.old == self.new:
            head = f"{self.folder}: sha256 unchanged ({self.new[:12]}…)"
        else:
            head = (
                f"{self.folder}: sha256 {self.old[:12]}… -> {self.new[:12]}… (facts.yaml updated)"
            )
        lines = [
            head,
            f"  {len(self.lost)} passage(s) no longer found, {len(self.moved)} "
            "to check (moved, or in a paragraph that changed before them)",
        ]
        lines += [f"  {line}" for line in self.lost + self.moved]
        return "\n".join(lines) + "\n"


def rehash_article(folder: str | Path, out_dir: str | Path = "out") -> Rehash:
    """Write the SHA-256 of ``article.txt`` into ``facts.yaml`` and list each evidence
    passage that the new text no longer holds (with the closest passage now) or holds at
    another place (compared with the text of the last build in `out_dir`, when there is
    one). Only the ``sha256:`` line of ``facts.yaml`` changes, replaced atomically.

    Examples
    --------
    >>> import tempfile, shutil, pathlib
    >>> data = pathlib.Path(tempfile.mkdtemp()) / "data"
    >>> _ = shutil.copytree("data", data)
    >>> folder = data / "articles/2025-05-16-istanbul-talks"
    >>> _ = (folder / "article.txt").open("a").write("One more line.\\n")
    >>> done = rehash_article(folder, tempfile.mkdtemp())
    >>> done.old != done.new, done.lost
    (True, [])
    """

    folder = _folder(folder)
    article = load_article(folder, check_hash=False)
    new = article.sha256  # the digest of article.txt as it is now
    facts_path = folder / "facts.yaml"
    content = decode_utf8(read_bounded(facts_path, "yaml"), str(facts_path))
    line = article.key_lines["sha256"]
    lines = content.split("\n")
    match = re.match(r"^(\s*sha256:\s*)(\S+)(.*)$", lines[line - 1])
    if not match:
        raise InputError(
            "the sha256 key is not on a line of its own; write it as 'sha256: <64 hex digits>'",
            Location(str(facts_path), line),
        )
    old = match.group(2)
    text = ArticleText(article.text)
    before = Cache(out_dir).last_article(folder.name)
    old_text = ArticleText(before.text) if before is not None else None
    # paragraphs of the old text that the new one keeps word for word, by their number
    old_starts, old_paragraphs = _paragraphs(before.text if before is not None else "")
    new_starts, new_paragraphs = _paragraphs(article.text)
    same: dict[int, int] = {}
    for op in Indel.opcodes(old_paragraphs, new_paragraphs):  # the longest common run
        if op.tag == "equal":
            same.update(
                {
                    op.src_start + k + 1: op.dest_start + k + 1
                    for k in range(op.src_end - op.src_start)
                }
            )
    done = Rehash(folder, old, new)
    for fact in article.facts:
        if fact.evidence is None:
            continue
        where = fact.evidence_location or fact.location
        now = text.find(fact.evidence)
        if now is None:
            close = text.closest(fact.evidence)
            hint = f'; closest now: "{close[0]}" (paragraph {close[1]})' if close else ""
            done.lost.append(f'{where}: not found: "{fact.evidence}"{hint}')
            continue
        then = old_text.find(fact.evidence) if old_text is not None else None
        if then is None:
            continue
        was = (then.paragraph, then.start - old_starts[then.paragraph - 1])
        is_ = (now.paragraph, now.start - new_starts[now.paragraph - 1])
        if then.paragraph in same and (same[then.paragraph], was[1]) == is_:
            continue  # its paragraph is unchanged: the passage only shifted with the text
        if then.paragraph not in same and was == is_:
            continue  # its paragraph changed after it
        how = "moved" if then.paragraph in same else "in a paragraph that changed"
        done.moved.append(
            f"{where}: {how}: paragraph {was[0]} -> {is_[0]}: "
            f'"{fact.evidence}"; check it still supports the fact'
        )
    if old != new:
        lines[line - 1] = match.group(1) + new + match.group(3)
        try:  # only the sha256 line changes; the file keeps its permissions
            replace_file(
                facts_path, "\n".join(lines).encode("utf-8"), facts_path.stat().st_mode & 0o777
            )
        except OSError as exc:
            raise OutputError(f"cannot write {facts_path}: {exc.strerror or exc}") from None
    return done


def _paragraphs(text: str) -> tuple[list[int], list[str]]:
    """The start offsets and the (stripped) texts of the paragraphs, numbered as
    `ArticleText.paragraph` numbers them."""
    starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
    bounds = starts[1:] + [len(text)]
    return starts, [text[a:b].strip() for a, b in zip(starts, bounds)]
