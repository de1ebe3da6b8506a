"""Finding passages: only whitespace, quote marks and dashes may differ."""

import pytest

from kg.evidence import ArticleText, normalise

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
