"""Find evidence passages in an article's text, tolerating only typographic differences."""

from __future__ import annotations

__all__ = ["Span", "ArticleText", "normalise", "fold", "CLOSEST_SEARCHES"]

import bisect
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kg.errors import Location

#: How many passages of one article that are not found get a search for the closest
#: passage (which reads the whole text for each): enough to fix them, bounded for an
#: article whose every passage is wrong.
CLOSEST_SEARCHES = 10

# Curly and low quotes (“ ” „ ‘ ’ ‚), guillemets (« » ‹ ›) and primes fold to straight
# quotes; every dash and minus to '-'. Nothing else is folded: letters, digits and
# punctuation must match (after Unicode composition, NFC).
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": "'",
        "\u203a": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe58": "-",
        "\ufe63": "-",
        "\uff0d": "-",
    }
)
_SPACE = re.compile(r"\s+")  # \s covers NBSP (U+00A0) and the other Unicode spaces


def normalise(text: str) -> str:
    """Fold quotes and dashes and collapse whitespace runs to one space.

    Examples
    --------
    >>> normalise("Istanbul\u2019s  Dolmabah\u00e7e\u00a0Palace \u2014 \u201cnow\u201d")
    'Istanbul\\'s Dolmabahçe Palace - "now"'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_FOLD)).strip()


@dataclass(frozen=True)
class Span:
    """Where a passage stands in the article: character offsets (code points), end exclusive.

    ``exact`` is the article's own text between the offsets, which may differ from what the
    curator typed in spaces, quotes and dashes.
    """

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    paragraph: int


class ArticleText:
    """An article's text, indexed for finding passages in it.

    Examples
    --------
    >>> text = ArticleText("He said \u201cstop\u201d.\u00a0\\n\\nThen  he left.")
    >>> span = text.find('said "stop".')
    >>> (span.start, span.end, span.exact, span.paragraph)
    (3, 15, 'said \u201cstop\u201d.', 1)
    >>> text.find("Then he left.").paragraph
    2
    >>> text.find("he") is None  # twice in the text: ambiguous
    True
    >>> text.count("he")
    2
    """

    def __init__(self, text: str):
        self.text = text
        folded: list[str] = []
        offsets: list[int] = []
        pending_space = False
        for i, ch in enumerate(text):
            if ch.isspace():
                pending_space = bool(folded)
                continue
            if pending_space:
                folded.append(" ")
                offsets.append(i - 1)
                pending_space = False
            folded.append(ch.translate(_FOLD))
            offsets.append(i)
        self.folded = "".join(folded)
        self._offsets = offsets  # folded index -> index in the original text
        self._paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]

    def count(self, passage: str) -> int:
        """How many times `passage` occurs (overlapping occurrences count)."""
        needle = normalise(passage)
        if not needle:
            return 0
        n, i = 0, self.folded.find(needle)
        while i != -1:
            n, i = n + 1, self.folded.find(needle, i + 1)
        return n

    def find(self, passage: str, unique: bool = True) -> Span | None:
        """The one place `passage` occurs, or None when it occurs nowhere or (if `unique`)
        more than once; with ``unique=False`` the first place."""
        needle = normalise(passage)
        if not needle:
            return None
        i = self.folded.find(needle)
        if i == -1 or unique and self.folded.find(needle, i + 1) != -1:
            return None
        start = self._offsets[i]
        end = self._offsets[i + len(needle) - 1] + 1
        return Span(
            start,
            end,
            self.text[start:end],
            self.text[max(0, start - 32) : start],
            self.text[end : end + 32],
            self.paragraph(start),
        )

    def find_within(self, passage: str, start: int, end: int) -> Span | None:
        """The first place `passage` occurs between offsets `start` and `end`, or None.

        Examples
        --------
        >>> text = ArticleText('He said \u201cstop\u201d. She said \u201cstop\u201d.')
        >>> span = text.find_within("stop", 13, 30)
        >>> (span.start, span.end)
        (26, 30)
        """
        needle = normalise(passage)
        if not needle:
            return None
        low = bisect.bisect_left(self._offsets, start)
        high = bisect.bisect_left(self._offsets, end)
        i = self.folded.find(needle, low, high)
        if i == -1:
            return None
        first = self._offsets[i]
        last = self._offsets[i + len(needle) - 1] + 1
        return Span(
            first,
            last,
            self.text[first:last],
            self.text[max(0, first - 32) : first],
            self.text[last : last + 32],
            self.paragraph(first),
        )

    def paragraph(self, offset: int) -> int:
        """The 1-based paragraph (blank-line separated block) that holds `offset`."""
        return bisect.bisect_right(self._paragraph_starts, offset)

    def sentence(self, start: int, end: int) -> str:
        """The sentence(s) around ``text[start:end]``, whitespace collapsed.

        Examples
        --------
        >>> ArticleText("One. Two words here. Three.").sentence(9, 14)
        'Two words here.'
        """
        text = self.text
        left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
        left = 0 if left == -1 else left + 1
        right = len(text)
        for m in re.finditer(r"[.!?][\u201d\"']?(?=\s|$)", text[end:]):
            right = end + m.end()
            break
        return normalise(text[left:right])

    def not_found(
        self, passage: str, where: Location, what: str = "evidence", search: bool = True
    ) -> str:
        """The message for a passage that is not found once: it occurs several times, or
        nowhere (with the closest passage, when `search`).

        Examples
        --------
        >>> print(ArticleText("He left. He left.").not_found("He left.", Location("f", 3)))
        f:3: evidence occurs 2 times in the article, so it does not say which words support the fact:
          "He left."
          quote more of the sentence so the passage is unique
        """
        count = self.count(passage)
        if count > 1:
            return (
                f"{where}: {what} occurs {count} times in the article, so it does not say "
                f'which words support the fact:\n  "{passage}"\n  quote more of the '
                "sentence so the passage is unique"
            )
        close = self.closest(passage) if search else None
        hint = f'\n  closest passage: "{close[0]}" (paragraph {close[1]})' if close else ""
        if not search:
            hint = (
                f"\n  (the closest passage is searched for the first {CLOSEST_SEARCHES} "
                "passages missing in an article only)"
            )
        return (
            f'{where}: {what} not found in the article:\n  "{passage}"{hint}\n  copy the '
            "words from article.txt exactly (only spaces, quote marks and dashes may differ)"
        )

    def closest(self, passage: str) -> tuple[str, int] | None:
        """The passage of the article most like `passage`, and its paragraph.

        Examples
        --------
        >>> ArticleText("The delegation was led by Vladimir Medinsky.").closest(
        ...     "the delegation was headed by Vladimir Medinsky")
        ('The delegation was led by Vladimir Medinsky.', 1)
        """
        needle = fold(normalise(passage))
        folded = fold(self.folded)
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", folded)]
        if not needle.strip() or not words:
            return None
        # every run of as many words as the passage (one fewer, one more), scored by
        # rapidfuzz in C++ (a few hundred ms for an article of 1 MiB): the best in order of
        # characters and the best in any order of words, then the better of the two on both
        size = max(1, len(needle.split()))
        spans = [
            (words[i][0], words[min(len(words), i + width) - 1][1])
            for width in sorted({max(1, size - 1), size, size + 1})
            for i in range(max(1, len(words) - width + 1))
        ]
        windows = [folded[a:b] for a, b in spans]
        found = {
            process.extractOne(needle, windows, scorer=scorer)[2]
            for scorer in (fuzz.ratio, fuzz.token_sort_ratio)
        }
        best = max(
            sorted(found),
            key=lambda k: (
                fuzz.ratio(needle, windows[k]) + fuzz.token_sort_ratio(needle, windows[k])
            ),
        )
        first, last = spans[best]
        start = self._offsets[first]
        end = self._offsets[last - 1] + 1
        return normalise(self.text[start:end]), self.paragraph(start)


def fold(text: str) -> str:
    """`text` in lower case without accents, one character for one (so offsets hold).

    Examples
    --------
    >>> fold("Dolmabahçe İstanbul")
    'dolmabahce istanbul'
    """
    return "".join(_PLAIN_CACHE.get(c) or _plain_char(c) for c in text)


_PLAIN_CACHE: dict[str, str] = {}


def _plain_char(c: str) -> str:
    low = c.lower()
    base = unicodedata.normalize("NFKD", low)[:1] if low else c
    _PLAIN_CACHE[c] = base if len(low) == 1 and base else c.lower()[:1] or c
    return _PLAIN_CACHE[c]
