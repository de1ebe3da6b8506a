"""What curators write, as the build holds it: articles, their facts and the claims of each,
the entities they declare, and the corpus they make together."""

from __future__ import annotations

__all__ = ["Claim", "Fact", "Entity", "Article", "Reference", "Corpus"]

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import Location


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
    #: When what the fact states began and ended, as its words say (a day, month or year).
    since: str | None = None
    until: str | None = None
    planned: bool = False
    #: The curator's English for the evidence, when the article is in another language.
    translation: str | None = None


@dataclass(frozen=True)
class Entity:
    """A declared entity: its id, ontology type, label and alternative labels.

    ``label`` is the name to show (the English one where there are several); ``labels``
    holds every label as (language, text) pairs, and ``alt_labels`` every other name in
    any language, for search. ``id_location`` is the line of its ``id:`` key, where a
    duplicate id is reported.
    """

    id: str
    type: str
    label: str
    location: Location
    alt_labels: tuple[str, ...] = ()
    article: str | None = None
    id_location: Location | None = None
    labels: tuple[tuple[str, str], ...] = ()


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
    #: The language of its text, a BCP 47 tag.
    language: str = "en"
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
