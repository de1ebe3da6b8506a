"""Curating an article: a folder made from a text, what the text names, one-article checks,
and a new hash after the text changed.

These are tools for curators; they read the curated files (and, for `check_article`, run the
build of one article without writing it). What they find in a text — a title, a date, a
dateline, the names of known entities — is a proposal for the curator to confirm.
"""

from __future__ import annotations

__all__ = ["Metadata", "Mention", "Scaffold", "Check", "Rehash", "propose_metadata",
           "find_mentions", "unknown_names", "new_article", "check_article",
           "rehash_article"]

import datetime as dt
import difflib
import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.cache import Cache
from kg.build.evidence import ArticleText, fold, normalise
from kg.build.facts import load_article
from kg.build.model import Entity
from kg.build.yamlfile import decode_utf8
from kg.build.plan import plan
from kg.build.units import run_checked
from kg.curate.entities import known_entities
from kg.errors import InputError, Location, OutputError
from kg.limits import read_bounded


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
#: Words of a title that name what happened, for the folder's slug (the first one found).
EVENT_WORDS = ("talks", "negotiations", "summit", "meeting", "meetings", "ceasefire",
               "cease-fire", "truce", "call", "visit", "agreement", "deal", "memorandum",
               "exchange", "swap", "sanctions", "treaty", "conference", "election",
               "referendum", "statement", "strike", "attack", "offensive", "war", "accord")
#: Capitalised words that open a sentence without naming anything.
_OPENERS = {"a", "an", "the", "in", "on", "at", "as", "by", "for", "from", "but", "and", "or",
            "it", "its", "this", "that", "these", "those", "he", "she", "they", "we", "i",
            "his", "her", "their", "our", "after", "before", "while", "when", "with", "of",
            "to", "if", "there", "here", "some", "many", "both", "other", "since", "during",
            "under", "about", "no", "not", "what", "who", "why", "how", "mr", "mrs", "ms"}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_STOP = {"of", "the", "and", "in", "for", "on", "at", "to", "a", "an", "first", "time",
         "since", "with", "after", "over", "new", "as", "by"}


# --- what a text says of itself ---------------------------------------------------------

@dataclass(frozen=True)
class Metadata:
    """What `propose_metadata` reads from an article's text (None where it finds nothing)."""

    title: str | None
    published: dt.date | None
    published_as: str | None
    dateline: str | None
    slug: str


_DATE_FORMS = [
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), "dmy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r"),? (\d{4})\b", re.I), "d month y"),
    (re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2}),? (\d{4})\b", re.I), "month d y"),
]
_DATELINE = re.compile(r"^([A-Z][A-Z.'’ -]*[A-Z.])(?:,\s+[A-Z][\w. ]+?)?\s*(?:\([^)]{1,40}\)\s*)?"
                       r"[—–-]{1,2}\s")


def _date_in(line: str) -> tuple[dt.date, str] | None:
    """The first date written in `line`, and its words (day first in d/m/y)."""
    for pattern, form in _DATE_FORMS:
        for match in pattern.finditer(line):
            try:
                if form == "dmy":
                    day, month, year = (int(g) for g in match.groups())
                elif form == "ymd":
                    year, month, day = (int(g) for g in match.groups())
                elif form == "d month y":
                    day, year = int(match.group(1)), int(match.group(3))
                    month = MONTHS.index(match.group(2).lower()) + 1
                else:
                    day, year = int(match.group(2)), int(match.group(3))
                    month = MONTHS.index(match.group(1).lower()) + 1
                return dt.date(year, month, day), match.group(0)
            except ValueError:
                continue
    return None


def _slug_words(text: str) -> list[str]:
    plain = fold(text)
    return [w for w in re.findall(r"[a-z0-9]+", plain)]


def propose_metadata(text: str) -> Metadata:
    """The title, publication date, dateline and folder slug that `text` suggests.

    The date is the first date in the opening lines (day first, as in 16/05/2025, or
    2025-05-16, 16 May 2025, May 16, 2025); the title the first other line; the dateline
    the capitals that open the first paragraph before a dash ("ISTANBUL —"); the slug the
    dateline's place and the first word of the title that names an event ("talks",
    "summit", ...), else the title's first words.

    Examples
    --------
    >>> m = propose_metadata("16/05/2025\\n\\nLeaders meet for talks\\n\\nGENEVA — They met.")
    >>> m.title, m.published, m.published_as, m.dateline, m.slug
    ('Leaders meet for talks', datetime.date(2025, 5, 16), '16/05/2025', 'GENEVA', 'geneva-talks')
    """
    lines = [line.strip() for line in text.splitlines()]
    opening = [line for line in lines if line][:6]
    title = published = published_as = dateline = None
    for line in opening:
        found = _date_in(line) if published is None else None
        if found and len(line) <= len(found[1]) + 40:  # a line that is mostly the date
            published, published_as = found
            continue
        if title is None and not _DATELINE.match(line):
            title = line
    for line in lines:
        match = _DATELINE.match(line)
        if match:
            dateline = match.group(1).strip()
            break
    words = _slug_words(title or "")
    event = next((w for w in words if w in {e.replace("-", "") for e in EVENT_WORDS}), None)
    if event == "ceasefire" and "cease-fire" in fold(title or ""):
        event = "ceasefire"
    head = _slug_words(dateline)[:2] if dateline else []
    if head and event:
        parts = head + [event]
    else:
        parts = [w for w in words if w not in _STOP][:4] or ["article"]
    return Metadata(title, published, published_as, dateline, "-".join(parts))


# --- what a text names ------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """A known entity that a text names: by which name, the sentence, its paragraph."""

    entity: Entity
    name: str
    sentence: str
    paragraph: int
    start: int
    end: int
    surname: bool = False


def _names(entity: Entity) -> list[tuple[str, bool]]:
    names = [(entity.label, False)] + [(alt, False) for alt in entity.alt_labels]
    if entity.type == "Person":
        last = entity.label.split()[-1]
        if len(last) >= 4 and last != entity.label:
            names.append((last, True))
    return names


def find_mentions(text: str, entities: list[Entity]) -> list[Mention]:
    """The known `entities` that `text` names by label or alternative label (case and
    accents aside), a person also by surname; one mention each, the first, in text order.

    Examples
    --------
    >>> from kg.build.model import Entity
    >>> from kg.errors import Location
    >>> putin = Entity("vladimir-putin", "Person", "Vladimir Putin", Location("f", 1))
    >>> [(m.entity.id, m.name, m.surname) for m in find_mentions("President Putin spoke.", [putin])]
    [('vladimir-putin', 'Putin', True)]
    """
    article = ArticleText(text)
    by_name: dict[str, list[tuple[Entity, bool]]] = {}
    for entity in entities:
        for name, surname in _names(entity):
            key = fold(normalise(name))
            if key.strip():
                by_name.setdefault(key, []).append((entity, surname))
    if not by_name:
        return []
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in
                                                 sorted(by_name, key=len, reverse=True))
                         + r")(?!\w)")
    seen: dict[str, Mention] = {}
    folded = fold(article.folded)  # the text as ArticleText folds it, in lower case
    for found in pattern.finditer(folded):
        # a name within the one matched counts too: "State Department" in "State
        # Department spokesperson"
        words = list(re.finditer(r"\S+", found.group(1)))
        inner = [(found.start() + words[i].start(), found.start() + words[j].end())
                 for i in range(len(words)) for j in range(i, len(words))]
        for begin, stop in inner:
            key = folded[begin:stop]
            if key in by_name:
                _mention(by_name[key], begin, stop, text, article, seen)
    return sorted(seen.values(), key=lambda m: (m.start, m.entity.id))


def _mention(owners, begin: int, stop: int, text: str, article: ArticleText,
             seen: dict) -> None:
    """Record, for each entity named by the folded text between `begin` and `stop`, its
    first mention (a mention by full name wins over one by surname)."""
    start = article._offsets[begin]
    end = article._offsets[stop - 1] + 1
    words = text[start:end]
    for entity, surname in owners:
        if entity.id in seen and (surname or not seen[entity.id].surname):
            continue
        if surname and not words[:1].isupper():
            continue  # a surname is a capitalised word
        seen[entity.id] = Mention(entity, words, _sentence(text, start, end),
                                  article.paragraph(start), start, end, surname)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``, within its line, whitespace collapsed."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    left = max((m.end() for m in re.finditer(r"[.!?][”\"']?\s+", text[line_start:start])),
               default=0)
    right = re.search(r"[.!?][”\"']?(?=\s|$)", text[end:line_end])
    stop = end + right.end() if right else line_end
    return " ".join(text[line_start + left:stop].split())


#: Capital letters of the scripts news is written in (Latin, Greek, Cyrillic, ...), for
#: names such as "Çırağan Palace" or "Ölçer".
_UPPER = "".join(re.escape(chr(c)) for c in range(0x3000) if chr(c).isupper())
_NAME = re.compile(rf"(?<![\w’'])([{_UPPER}][\w’'.-]*(?:\s+(?:(?:of|the|de|da|del|al|bin|von|van)\s+)*"
                   rf"[{_UPPER}][\w’'.-]*)*)")


#: Words that title a person or an office, which a name may carry before it.
_TITLES = {"president", "presidential", "prime", "minister", "ministry", "secretary",
           "ambassador", "envoy", "special", "spokesperson", "spokesman", "spokeswoman",
           "foreign", "defense", "defence", "deputy", "vice", "chancellor", "king", "queen",
           "general", "senator", "governor", "mayor", "state", "chief", "staff", "head", "mr",
           "mrs", "ms", "dr", "sir", "us", "u.s"}
_CONNECTORS = {"of", "the", "de", "da", "del", "al", "bin", "von", "van", "and"}


def unknown_names(text: str, entities: list[Entity],
                  dateline: str | None = None) -> list[tuple[str, int]]:
    """Capitalised names in `text` that are not names of the known `entities`, with their
    first paragraph: candidates for new entities. Known names are cut out of a run of
    capitalised words ("Ambassador to Turkey Tom Barrack"), and what is left is dropped
    when it is only titles ("President", "Secretary of State"), a sentence's opening
    word, a month, a weekday or the dateline.

    Examples
    --------
    >>> unknown_names("Talks began. Andrii Sybiha attended on Friday.", [])
    [('Andrii Sybiha', 1)]
    """
    known = {fold(normalise(name)) for e in entities for name, _ in _names(e)}
    longest = max((len(k.split()) for k in known), default=1)
    article = ArticleText(text)
    found: dict[str, int] = {}
    for match in _NAME.finditer(text):
        before = text[:match.start(1)].rstrip()
        opens = not before or before[-1] in ".!?:;\n“”\"—"
        # the run's words with their offsets, cut at a word that ends a sentence
        runs, run = [], []
        for word in re.finditer(r"\S+", match.group(1)):
            run.append((match.start(1) + word.start(), word.group()))
            if word.group().endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", word.group()):
                runs.append(run)
                run = []
        runs.append(run)
        for number, run in enumerate(runs):
            tokens = [(at, re.sub(r"[’']s$|[.’'-]+$", "", w)) for at, w in run]
            tokens = [(at, w) for at, w in tokens if w]
            plain = [fold(w) for _, w in tokens]
            unknown, i = [], 0
            while i < len(tokens):
                for size in range(min(longest, len(tokens) - i), 0, -1):
                    if " ".join(plain[i:i + size]) in known:
                        i += size
                        unknown.append(None)
                        break
                else:
                    unknown.append(i)
                    i += 1
            segment: list[int] = []
            for index in unknown + [None]:
                if index is not None:
                    segment.append(index)
                    continue
                _keep(segment, tokens, plain, opens and number == 0, dateline, article, found)
                segment = []
                opens = False
    return sorted(found.items(), key=lambda item: (item[1], item[0]))


def _keep(segment, tokens, plain, opens, dateline, article, found) -> None:
    """Record the words of `segment` as a name, unless they name nothing."""
    while segment and (plain[segment[0]] in _CONNECTORS | _OPENERS | _WEEKDAYS
                       or plain[segment[0]] in MONTHS):
        segment, opens = segment[1:], False
    while segment and plain[segment[-1]] in _CONNECTORS:
        segment = segment[:-1]
    if not segment or all(plain[i] in _TITLES | _CONNECTORS for i in segment):
        return
    words = [tokens[i][1] for i in segment]
    name = " ".join(words)
    if len(words) == 1 and (opens and segment[0] == 0 or plain[segment[0]] in _WEEKDAYS
                            or (name.isupper() and len(name) > 3)):
        return
    if dateline and name == dateline:
        return
    found.setdefault(name, article.paragraph(tokens[segment[0]][0]))


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
        lines = [f"created {self.folder}/ (article.txt and facts.yaml)",
                 f"  title       {m.title or '? (none found: write it)'}",
                 f"  published   {m.published or '? (none found: write it)'}"
                 + (f"  (written {m.published_as})" if m.published_as else ""),
                 f"  dateline    {m.dateline or '- (none)'}"
                 + (f"  (place: {self.dateline_place})" if self.dateline_place else ""),
                 f"  known       {len(self.mentions)} entities named in the text",
                 f"  unknown     {len(self.unknown)} names not known yet",
                 f"next: curate {self.folder / 'facts.yaml'}, then kg article check "
                 f"{self.folder}"]
        return "\n".join(lines) + "\n"


def _yaml_text(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def new_article(text_file: str | Path, data_dir: str | Path = "data",
                slug: str | None = None) -> Scaffold:
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
    raw = read_bounded(source, "article")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw = raw.decode("utf-16").encode("utf-8")
    text = decode_utf8(raw, str(source))
    meta = propose_metadata(text)
    if slug is not None:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
            raise InputError(f"--slug {slug!r}: use lower-case letters, digits and hyphens, "
                             "e.g. istanbul-talks")
        meta = Metadata(meta.title, meta.published, meta.published_as, meta.dateline, slug)
    if meta.published is None:
        raise InputError("no publication date found in the text's opening lines; put it on "
                         "a line of its own at the top (e.g. 16/05/2025)", Location(str(source), 1))
    root = Path(data_dir)
    entities = known_entities(root) if root.is_dir() else []
    mentions = find_mentions(text, entities)
    unknown = unknown_names(text, entities, meta.dateline)
    place = None
    if meta.dateline:
        wanted = fold(meta.dateline)
        place = next((e.id for e in entities if e.type in ("City", "Country", "Place", "Venue")
                      and wanted in {fold(n) for n in (e.label, *e.alt_labels)}), None)
    folder = root / "articles" / f"{meta.published.isoformat()}-{meta.slug}"
    if folder.exists():
        raise OutputError(f"cannot write {folder}: it exists; give another --slug, or "
                          "remove the folder")
    close = _close_names([name for name, _ in unknown], entities)
    skeleton = _skeleton(meta, hashlib.sha256(raw).hexdigest(), mentions, unknown, place, close)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        (staging / "article.txt").write_bytes(raw)
        (staging / "facts.yaml").write_text(skeleton, encoding="utf-8")
        os.rename(staging, folder)  # the folder appears whole, or not at all
    except OSError as exc:
        raise OutputError(f"cannot write {folder}: {exc.strerror or exc}; check the path "
                          "and its permissions") from None
    return Scaffold(folder, meta, mentions, unknown, place)


def _close_names(names: list[str], entities: list[Entity], cutoff: float = 85.0) -> dict:
    """For each unknown name, the ids of known entities with a name close to it (a
    spelling the corpus does not know yet: "Umierov" for "Umerov")."""
    from rapidfuzz import fuzz, process, utils

    choices = [(fold(normalise(n)), e.id) for e in entities for n, _ in _names(e)]
    out: dict[str, list[str]] = {}
    for name in names:
        for part in (name, *name.split()[-1:]):
            for _, score, index in process.extract(fold(normalise(part)), [c for c, _ in choices],
                                                   scorer=fuzz.ratio, limit=3,
                                                   processor=utils.default_process,
                                                   score_cutoff=cutoff):
                ids = out.setdefault(name, [])
                if choices[index][1] not in ids:
                    ids.append(choices[index][1])
    return out


def _skeleton(meta: Metadata, digest: str, mentions: list[Mention],
              unknown: list[tuple[str, int]], place: str | None,
              close: dict[str, list[str]]) -> str:
    lines = [f"# Curated facts of {_yaml_text(meta.title or '')} ({meta.published_as or meta.published}).",
             "# Made by kg article new: check the metadata below against the text, then declare",
             "# the entities the article introduces and the facts it states, each with its",
             "# evidence (words copied from article.txt). See the README, \"Curating an article\".",
             "article:",
             f"  title: {_yaml_text(meta.title or 'TODO: the headline')}",
             f"  published: {meta.published.isoformat()}"]
    if meta.published_as:
        lines.append(f"  published_as: {_yaml_text(meta.published_as)}")
    if meta.dateline:
        lines.append(f"  dateline: {_yaml_text(meta.dateline)}")
        if place:
            lines.append(f"  datelinePlace: {place}")
    lines.append(f"  sha256: {digest}")
    lines.append("")
    lines.append("# Known entities the text names (use their ids; `kg entities search NAME` finds others):")
    for m in mentions:
        how = f" (by surname {m.name!r})" if m.surname else ""
        lines.append(f"#   {m.entity.id} ({m.entity.type}){how}, paragraph {m.paragraph}: "
                     f"{_yaml_text(m.sentence)}")
    if not mentions:
        lines.append("#   (none)")
    lines.append("# Names the corpus does not know yet (declare those the article says something about):")
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
    """What `check_article` found: the article, its facts, and the time it took."""

    folder: Path
    facts: int
    passages: int
    quotations: int
    seconds: float

    def text(self) -> str:
        """What `kg article check` prints when all is well."""
        return (f"{self.folder}: ok: {self.facts} facts, all {self.passages} evidence "
                f"passages and {self.quotations} quotations found, SHACL conforms, in "
                f"{self.seconds:.2f} s\n")


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
    58
    """

    started = time.perf_counter()
    folder = _folder(folder)
    root = _data_root(folder)
    load_article(folder)  # its own errors first, named in its own file
    jobs = [job for job in plan(root).jobs if job.article is not None
            and job.article.id == folder.resolve().name]
    result = run_checked(jobs[0])
    return Check(folder, result.fact_count, result.facts_with_evidence, result.quotations,
                 time.perf_counter() - started)


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
            head = f"{self.folder}: sha256 {self.old[:12]}… -> {self.new[:12]}… (facts.yaml updated)"
        lines = [head, f"  {len(self.lost)} passage(s) no longer found, {len(self.moved)} "
                       "to check (moved, or in a paragraph that changed before them)"]
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
        raise InputError("the sha256 key is not on a line of its own; write it as "
                         "'sha256: <64 hex digits>'", Location(str(facts_path), line))
    old = match.group(2)
    text = ArticleText(article.text)
    before = Cache(out_dir).last_article(folder.name)
    old_text = ArticleText(before.text) if before is not None else None
    # paragraphs of the old text that the new one keeps word for word, by their number
    old_starts, old_paragraphs = _paragraphs(before.text if before is not None else "")
    new_starts, new_paragraphs = _paragraphs(article.text)
    same: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        same.update({a + k + 1: b + k + 1 for k in range(size)})
    done = Rehash(folder, old, new)
    for fact in article.facts:
        if fact.evidence is None:
            continue
        where = fact.evidence_location or fact.location
        now = text.find(fact.evidence)
        if now is None:
            close = text.closest(fact.evidence)
            hint = f"; closest now: \"{close[0]}\" (paragraph {close[1]})" if close else ""
            done.lost.append(f"{where}: not found: \"{fact.evidence}\"{hint}")
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
        how = ("moved" if then.paragraph in same else "in a paragraph that changed")
        done.moved.append(f"{where}: {how}: paragraph {was[0]} -> {is_[0]}: "
                          f"\"{fact.evidence}\"; check it still supports the fact")
    if old != new:
        lines[line - 1] = match.group(1) + new + match.group(3)
        _replace_file(facts_path, "\n".join(lines).encode("utf-8"))
    return done


def _paragraphs(text: str) -> tuple[list[int], list[str]]:
    """The start offsets and the (stripped) texts of the paragraphs, numbered as
    `ArticleText.paragraph` numbers them."""
    starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
    bounds = starts[1:] + [len(text)]
    return starts, [text[a:b].strip() for a, b in zip(starts, bounds)]


def _replace_file(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
