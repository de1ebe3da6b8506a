"""How much of an article its facts cover: the sentences some fact cites, the known
entities it names that some fact uses, and a page of the article with the cited words
marked, for review.

Sentences are split by pySBD (rule-based sentence boundary detection, which knows
abbreviations such as "U.S." and "Dr."); a sentence is cited when a fact's evidence or a
quotation overlaps it.
"""

from __future__ import annotations

__all__ = [
    "Sentence",
    "Coverage",
    "split_sentences",
    "article_coverage",
    "corpus_coverage",
    "coverage_page",
]

from dataclasses import dataclass, field
from pathlib import Path

import pysbd

from kg.build.corpus import mentions
from kg.build.evidence import ArticleText
from kg.build.facts import article_dirs, load_article
from kg.build.model import Article, Fact
from kg.curate.entities import known_entities
from kg.curate.names import find_mentions
from kg.errors import InputError
from kg.pages import render
from kg.vocab.curation import PROPERTIES
from kg.vocab.kinds import quotation


@dataclass
class Sentence:
    """A sentence of the article: where it is, and the facts that cite it."""

    start: int
    end: int
    text: str
    paragraph: int
    facts: list[str] = field(default_factory=list)


@dataclass
class Coverage:
    """One article's coverage: its sentences, the spans its facts cite (with a line that
    describes each fact), and the known entities it names and those its facts use."""

    article: Article
    sentences: list[Sentence]
    cited: list[tuple[int, int, str]]
    named: list[str]
    used: list[str]

    @property
    def sentence_share(self) -> float:
        return (
            sum(1 for s in self.sentences if s.facts) / len(self.sentences)
            if self.sentences
            else 1.0
        )

    @property
    def entity_share(self) -> float:
        return len(set(self.named) & set(self.used)) / len(self.named) if self.named else 1.0

    def text(self) -> str:
        """What `kg coverage` prints for the article."""
        cited = sum(1 for s in self.sentences if s.facts)
        missing = sorted(set(self.named) - set(self.used))
        lines = [
            f"{self.article.id}",
            f"  sentences cited by a fact   {cited}/{len(self.sentences)} "
            f"({self.sentence_share:.0%})",
            f"  known entities named, used  {len(set(self.named) & set(self.used))}/"
            f"{len(self.named)} ({self.entity_share:.0%})"
            + (f"; not used: {', '.join(missing)}" if missing else ""),
        ]
        uncited = [s for s in self.sentences if not s.facts]
        if uncited:
            lines.append("  sentences no fact cites:")
            lines += [f"    paragraph {s.paragraph}: {s.text}" for s in uncited]
        return "\n".join(lines) + "\n"


def _describe(fact: Fact) -> str:
    claims = "; ".join(f"{c.key}: {_value(c.value)}" for c in fact.claims)
    what = "declares" if fact.declares else "about"
    return f"{what} {fact.subject}: {claims} ({fact.location})"


def _quotations(fact: Fact) -> list[str]:

    return [quotation(c.value)[0] for c in fact.claims if PROPERTIES[c.key].kind == "quote"]


def _value(value) -> str:
    """A claim's value as the page shows it: a name in several languages as ``ru: …``,
    a quotation's words (with its verb and translation), a participation's agent and role.

    Examples
    --------
    >>> _value((("en", "Medinsky"), ("ru", "Мединский"))), _value(("words", None, "English"))
    ('en: Medinsky; ru: Мединский', 'words (English)')
    """
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):
        return "; ".join(f"{lang}: {text}" for lang, text in value)
    if isinstance(value, tuple) and len(value) == 3:  # a quotation: words, verb, translation
        words, verb, translation = value
        return " ".join(
            filter(None, [words, verb and f"[{verb}]", translation and f"({translation})"])
        )
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value if v is not None)
    return str(value)


def split_sentences(text: str, language: str = "en") -> list[tuple[int, int]]:
    """The sentences of `text` (pySBD, with the rules of `language` where pySBD has them,
    else of its base language, else English), each as its start and end offsets, without
    the whitespace around it.

    Examples
    --------
    >>> split_sentences("Talks began in Istanbul. Mr. Fidan hosted them.")
    [(0, 24), (25, 47)]
    >>> split_sentences("Переговоры прошли в Стамбуле. Вёл их г. Мединский.", "ru")
    [(0, 29), (30, 50)]
    """
    out = []
    base = language.split("-")[0].lower()
    rules = base if base in pysbd.languages.LANGUAGE_CODES else "en"
    for part in pysbd.Segmenter(language=rules, clean=False, char_span=True).segment(text):
        chunk = part.sent
        stripped = chunk.strip()
        if stripped:
            start = part.start + (len(chunk) - len(chunk.lstrip()))
            out.append((start, start + len(stripped)))
    return out


def article_coverage(folder: str | Path, entities=None) -> Coverage:
    """The coverage of the article in `folder` (`entities`: the known entities, to find
    those it names; by default the corpus's, read from the data folder above it).

    Examples
    --------
    >>> cov = article_coverage("data/articles/2025-05-16-istanbul-talks")
    >>> cov.sentence_share > 0.8, len(cov.named) > 10
    (True, True)
    """

    folder = Path(folder)
    article = load_article(folder, check_hash=False)
    if entities is None:
        entities = known_entities(folder.resolve().parent.parent)
    text = ArticleText(article.text)
    cited: list[tuple[int, int, str]] = []
    for key, words in (
        ("title", article.title),
        ("published_as", article.published_as),
        ("dateline", article.dateline),
    ):
        span = text.find(words, unique=False) if words else None
        if span is not None:
            cited.append((span.start, span.end, f"the article's {key}: {words}"))
    for fact in article.facts:
        if fact.evidence is None:
            continue
        span = text.find(fact.evidence)
        if span is not None:
            cited.append((span.start, span.end, _describe(fact)))
        for words in _quotations(fact):
            quote = text.find(words, unique=False)
            if quote is not None:
                cited.append((quote.start, quote.end, _describe(fact)))
    sentences = []
    for start, end in split_sentences(article.text, article.language):
        words = " ".join(article.text[start:end].split())
        sentence = Sentence(start, end, words, text.paragraph(start))
        sentence.facts = sorted({d for a, b, d in cited if a < end and b > start})
        sentences.append(sentence)
    named = sorted({m.entity.id for m in find_mentions(article.text, entities)})
    used = sorted(mentions(article.facts, article))
    return Coverage(article, sentences, sorted(cited), named, used)


def corpus_coverage(target: str | Path = "data") -> list[Coverage]:
    """The coverage of one article folder, or of every article of a data folder."""

    target = Path(target)
    if (target / "facts.yaml").is_file():
        return [article_coverage(target)]
    if not (target / "articles").is_dir():
        raise InputError(
            f"{target}: neither an article folder (with facts.yaml) nor a data "
            "folder (with articles/)"
        )
    entities = known_entities(target)
    return [article_coverage(folder, entities) for folder in article_dirs(target)]


def coverage_page(cov: Coverage) -> str:
    """The article as one offline HTML page: cited words marked, the facts they support
    shown on hover (and listed under each paragraph), uncited sentences underlined.

    Examples
    --------
    >>> page = coverage_page(article_coverage("data/articles/2025-05-16-istanbul-talks"))
    >>> page.count("<mark") > 20, "<script" in page
    (True, False)
    """
    text = cov.article.text
    uncited = [(s.start, s.end) for s in cov.sentences if not s.facts]
    bounds = sorted(
        {0, len(text)}
        | {a for a, _, _ in cov.cited}
        | {b for _, b, _ in cov.cited}
        | {a for a, _ in uncited}
        | {b for _, b in uncited}
    )
    pieces: list[dict] = []
    for a, b in zip(bounds, bounds[1:]):
        # the characters between two bounds have the same facts: a run to mark once
        facts = sorted({d for s, e, d in cov.cited if s <= a and e >= b})
        kind = (
            "cited"
            if facts
            else "uncited"
            if any(s <= a and b <= e for s, e in uncited)
            else "plain"
        )
        for number, paragraph in enumerate(text[a:b].split("\n\n")):
            if number:
                pieces.append({"kind": "paragraph"})
            for index, line in enumerate(paragraph.split("\n")):
                if index:
                    pieces.append({"kind": "line"})
                if line:
                    pieces.append({"kind": kind, "text": line, "facts": facts})
    return render("coverage.html", title=cov.article.title, pieces=pieces, summary=cov.text())
