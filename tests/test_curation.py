"""What a curator may write: an article without a dateline, a cease-fire of no stated length
or of a range of lengths, a spelling of a known entity that the article uses."""

import hashlib
import re

import pytest

from kg.errors import EvidenceError, NotConformingError
from kg.read.query import run_query
from kg.source import open_store
from kg.build.pipeline import build

from .conftest import ARTICLE

FACTS = f"articles/{ARTICLE}/facts.yaml"
TEXT = f"articles/{ARTICLE}/article.txt"


def edit(data, old: str, new: str, path: str = FACTS) -> None:
    file = data / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def append(data, text: str, path: str = FACTS) -> None:
    file = data / path
    file.write_text(file.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def rehash(data) -> None:
    digest = hashlib.sha256((data / TEXT).read_bytes()).hexdigest()
    file = data / FACTS
    file.write_text(re.sub(r"sha256: \w+", f"sha256: {digest}", file.read_text("utf-8")),
                    encoding="utf-8")


def ask(out, query: str) -> list:
    return sorted(tuple(v.value if v is not None else None for v in row)
                  for row in run_query(open_store(out), query).rows)


def test_an_article_without_a_dateline_builds(data_copy, tmp_path):
    edit(data_copy, "  dateline: ISTANBUL\n  datelinePlace: istanbul\n", "")
    build(data_copy, tmp_path / "out", workers=1)
    assert ask(tmp_path / "out", f"SELECT ?d WHERE {{ kga:{ARTICLE} dip:dateline ?d }}") == []
    edit(data_copy, "  published_as: 16/05/2025\n", "  published_as: 16/05/2025\n  dateline: null\n")
    build(data_copy, tmp_path / "out2", workers=1)


def test_a_cease_fire_may_have_no_length_or_a_range_of_lengths(data_copy, tmp_path):
    edit(data_copy, "    duration: P30D\n", "")
    build(data_copy, tmp_path / "out", workers=1)
    append(data_copy, "  - about: ceasefire-30-days\n"
                      "    minDuration: P2D\n"
                      "    maxDuration: P3D\n"
                      "    evidence: the possibility of implementing a 30-day cease-fire\n")
    build(data_copy, tmp_path / "out2", workers=1)
    rows = ask(tmp_path / "out2", "SELECT ?a ?b WHERE { kgr:ceasefire-30-days "
                                  "dip:minDuration ?a ; dip:maxDuration ?b }")
    assert rows == [("P2D", "P3D")]


def test_a_range_of_lengths_the_wrong_way_round_is_a_violation(data_copy, tmp_path):
    append(data_copy, "  - about: ceasefire-30-days\n"
                      "    minDuration: P3D\n"
                      "    maxDuration: P2D\n"
                      "    evidence: the possibility of implementing a 30-day cease-fire\n")
    lines = (data_copy / FACTS).read_text(encoding="utf-8").splitlines()
    key_line = lines.index("    minDuration: P3D") + 1
    with pytest.raises(NotConformingError, match="no longer than the longest") as info:
        build(data_copy, tmp_path / "out", workers=1)
    # the violation points at the line of the key, not at the fact's first line
    assert f"curated at {data_copy / FACTS}:{key_line}\n" in str(info.value)


def test_an_article_gives_a_spelling_of_a_known_entity(data_copy, tmp_path):
    text = data_copy / TEXT
    text.write_text(text.read_text(encoding="utf-8")
                    + "\nKyiv's negotiators were again led by Rustem Umierov.\n", encoding="utf-8")
    rehash(data_copy)
    append(data_copy, "  - about: rustem-umerov\n"
                      "    altLabel: Rustem Umierov\n"
                      "    evidence: Kyiv's negotiators were again led by Rustem Umierov\n")
    build(data_copy, tmp_path / "out", workers=1)
    rows = ask(tmp_path / "out", "SELECT ?words WHERE { GRAPH ?fact { kgr:rustem-umerov "
                                 "skos:altLabel 'Rustem Umierov'@en } "
                                 "?fact dip:evidence/oa:exact ?words }")
    assert ("Kyiv's negotiators were again led by Rustem Umierov",) in rows


def test_a_spelling_that_is_not_in_the_evidence_is_refused(data_copy, tmp_path):
    append(data_copy, "  - about: rustem-umerov\n"
                      "    altLabel: Rustem Umierov\n"
                      "    evidence: Ukraine was represented by Defense Minister Rustem Umerov\n")
    with pytest.raises(EvidenceError, match="the name 'Rustem Umierov' does not stand in the "
                                            "fact's evidence"):
        build(data_copy, tmp_path / "out", workers=1)
