"""Whether an article's text is written in the script its declared language uses: a text in
Latin letters declared ``language: ru``, or one in Cyrillic left ``en``, gets a warning."""

from __future__ import annotations

__all__ = ["script_of", "language_warning"]

import unicodedata
from collections import Counter

import langcodes

from kg.build.model import Article
from kg.errors import Location

#: The first word of a letter's Unicode name, for each script (ISO 15924) a language's
#: likely script may be (CLDR's likely subtags, through langcodes).
_SCRIPTS = {
    "Latn": {"LATIN"},
    "Cyrl": {"CYRILLIC"},
    "Grek": {"GREEK"},
    "Arab": {"ARABIC"},
    "Hebr": {"HEBREW"},
    "Armn": {"ARMENIAN"},
    "Geor": {"GEORGIAN"},
    "Deva": {"DEVANAGARI"},
    "Thai": {"THAI"},
    "Hans": {"CJK"},
    "Hant": {"CJK"},
    "Jpan": {"CJK", "HIRAGANA", "KATAKANA"},
    "Kore": {"HANGUL", "CJK"},
}
#: The fewest letters a text needs before its script is judged.
_ENOUGH = 40


def script_of(text: str) -> str | None:
    """The script most of the letters of `text` are in, as the first word of their Unicode
    names (LATIN, CYRILLIC, ...), or None for a text of too few letters.

    Examples
    --------
    >>> script_of("Делегации России и Украины встретились в Стамбуле на переговоры.")
    'CYRILLIC'
    >>> script_of("Hi") is None
    True
    """
    counts: Counter[str] = Counter()
    for c, n in Counter(text).items():  # each distinct character named once
        if c.isalpha():
            counts["LATIN" if c.isascii() else unicodedata.name(c, "?").split()[0]] += n
    if sum(counts.values()) < _ENOUGH:
        return None
    return counts.most_common(1)[0][0]


def language_warning(article: Article) -> str | None:
    """A warning when most of the article's letters are in a script its declared language
    is not written in (the language's likely script, as CLDR gives it); None when they
    agree, or when the language's script is not one this check knows.

    Examples
    --------
    >>> from kg.build.facts import load_article
    >>> article = load_article("data/articles/2025-06-02-istanbul-second-round-ru")
    >>> language_warning(article) is None
    True
    >>> article.language = "en"
    >>> print(language_warning(article))  # doctest: +ELLIPSIS
    data/.../facts.yaml:...: the article is declared en (Latin script) but most of its letters are Cyrillic; set language: to the language of article.txt
    """
    script = langcodes.Language.get(article.language).maximize().script
    expected = _SCRIPTS.get(script or "")
    found = script_of(article.text)
    if expected is None or found is None or found in expected:
        return None
    line = article.key_lines.get("language")
    where = Location(str(article.facts_path), line) if line else article.location
    name = "/".join(sorted(word.title() for word in expected))
    return (
        f"{where}: the article is declared {article.language} ({name} script) but most of "
        f"its letters are {found.title()}; set language: to the language of article.txt"
    )
