"""Finding passages: only whitespace, quote marks and dashes may differ."""

import pytest

from kg.build.evidence import ArticleText, normalise

ARTICLE = ArticleText(open("data/articles/2025-05-16-istanbul-talks/article.txt",
                           encoding="utf-8").read())


@pytest.mark.parametrize("typed", [
    "The negotiations began at Istanbul's Dolmabahçe Palace",      # straight apostrophe
    "The negotiations began at Istanbul’s Dolmabahçe Palace",      # as printed
    "The negotiations   began at\nIstanbul's Dolmabahçe Palace",   # line break and spaces
    'Following the discussions, Secretary Rubio urged an immediate end to hostilities. "It is',
    "a 30-day cease-fire - a tentative but meaningful step",       # em dash typed as '-'
    "a 30-day cease-fire – a tentative but meaningful step",       # en dash
    "the war.” Russia indicated",                                  # NBSP + blank line between
])
def test_typographic_variants_are_found_and_offsets_frame_the_original(typed):
    span = ARTICLE.find(typed)
    assert span is not None
    assert ARTICLE.text[span.start:span.end] == span.exact
    assert normalise(span.exact) == normalise(typed)


@pytest.mark.parametrize("typed", [
    "The negotiations began at Istanbuls Dolmabahçe Palace",   # a letter missing
    "The negotiations began at Istanbul’s Dolmabahce Palace",  # diacritic dropped
    "the russian delegation was led by Vladimir Medinsky",      # case differs
    "Medinsky led the Russian delegation",                      # paraphrase
])
def test_anything_else_is_not_found(typed):
    assert ARTICLE.find(typed) is None


def test_paragraph_numbers_count_blank_line_blocks():
    assert ARTICLE.find("16/05/2025").paragraph == 1
    assert ARTICLE.find("Russia indicated cautious optimism.").paragraph == 9


def test_closest_passage_points_to_the_sentence_meant():
    passage, paragraph = ARTICLE.closest("The Russian delegation was headed by Vladimir Medinsky")
    assert passage.startswith("The Russian delegation was led by Vladimir Medinsky")
    assert paragraph == 5


def _perturb(text: str, rng) -> str:
    """Retype a passage the way a curator might: other spaces, quotes and dashes."""
    out = []
    for ch in text:
        if ch.isspace():
            out.append(rng.choice([" ", "  ", "\n", "\u00a0", "\t"]))
        elif ch in "\u2018\u2019'":
            out.append(rng.choice(["'", "\u2019", "\u2018"]))
        elif ch in "\u201c\u201d\"":
            out.append(rng.choice(['"', "\u201c", "\u201d"]))
        elif ch in "\u2013\u2014-":
            out.append(rng.choice(["-", "\u2013", "\u2014"]))
        else:
            out.append(ch)
    return "".join(out)


def test_random_passages_retyped_are_found_at_their_offsets():
    """Any unique passage of the article, retyped with other spaces, quotes and dashes, is
    found at exactly its own offsets."""
    import random

    rng = random.Random(20250516)
    text = ARTICLE.text
    checked = 0
    while checked < 300:
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randrange(8, 120))
        passage = text[start:end].strip()
        if not passage or passage[0].isspace() or ARTICLE.count(passage) != 1:
            continue
        real_start = text.index(passage)  # unique, so its one place
        span = ARTICLE.find(_perturb(passage, rng))
        assert span is not None, passage
        assert (span.start, span.end) == (real_start, real_start + len(passage))
        checked += 1


def test_a_changed_letter_is_never_found():
    import random

    rng = random.Random(7)
    text = ARTICLE.text
    for _ in range(200):
        start = rng.randrange(len(text) - 40)
        passage = text[start:start + 40]
        letters = [i for i, ch in enumerate(passage) if ch.isalpha()]
        if not letters:
            continue
        i = rng.choice(letters)
        changed = passage[:i] + ("x" if passage[i] != "x" else "y") + passage[i + 1:]
        assert ARTICLE.find(changed) is None or normalise(changed) in normalise(text)
