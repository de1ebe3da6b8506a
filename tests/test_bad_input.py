"""Bad input: a clear message naming file and line, exit code 2, and nothing written."""

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import EvidenceError, InputError
from kg.build.facts import load_corpus
from .conftest import build_graph

from .conftest import ARTICLE

FACTS = f"articles/{ARTICLE}/facts.yaml"


def _replace(data: Path, old: str, new: str, path: str = FACTS) -> int:
    """Replace the one occurrence of `old` in a data file; return its 1-based line."""
    file = data / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    line = text[: text.index(old)].count("\n") + 1
    file.write_text(text.replace(old, new), encoding="utf-8")
    return line


def _yaml_syntax(data):
    _replace(data, "  dateline: ISTANBUL\n", "  dateline: [ISTANBUL\n")
    return FACTS, None, "YAML syntax error"


def _unknown_key(data):
    line = _replace(data, "    headedBy: vladimir-medinsky\n    hasMember: vladimir-medinsky\n",
                    "    ledBy: vladimir-medinsky\n    hasMember: vladimir-medinsky\n")
    return FACTS, line, "unknown key 'ledBy'; did you mean 'headedBy'?"


def _missing_field(data):
    line = _replace(data, "    label: Russian delegation\n", "")
    return FACTS, line - 2, "missing required field 'label'"


def _undeclared(data):
    line = _replace(data, "    advises: vladimir-putin\n", "    advises: vladimir-poutine\n")
    return FACTS, line, "refers to undeclared entity 'vladimir-poutine'"


def _duplicate_id(data):
    line = _replace(data, "  - id: turkish-delegation\n", "  - id: russian-delegation\n")
    return FACTS, line, "duplicate id 'russian-delegation', first declared at"


def _bad_iri(data):
    line = _replace(data, "  - id: turkish-delegation\n", "  - id: Turkish delegation\n")
    return FACTS, line, "cannot form a valid IRI"


def _invalid_date(data):
    line = _replace(data, "  published: 2025-05-16\n", "  published: 2025-02-30\n")
    return FACTS, line, "invalid date '2025-02-30'"


def _evidence_not_found(data):
    line = _replace(data, "    evidence: The Russian delegation was led by Vladimir Medinsky\n"
                    "  - about: ukrainian-delegation\n",
                    "    evidence: Medinsky led the Russian delegation\n"
                    "  - about: ukrainian-delegation\n")
    return FACTS, line, ('evidence not found in the article:\n  "Medinsky led the Russian '
                             'delegation"\n  closest passage:')


def _article_missing(data):
    (data / f"articles/{ARTICLE}/article.txt").unlink()
    return FACTS, None, "article.txt is missing"


def _article_not_utf8(data):
    path = data / f"articles/{ARTICLE}/article.txt"
    path.write_bytes(path.read_bytes().replace("Dolmabahçe".encode(), "Dolmabah\xe7e".encode("latin-1")))
    return f"articles/{ARTICLE}/article.txt", 13, "not UTF-8: byte 0xe7 at column 48"


def _hash_mismatch(data):
    path = data / f"articles/{ARTICLE}/article.txt"
    path.write_bytes(path.read_bytes().replace(b"30-day", b"60-day"))
    text = (data / FACTS).read_text()
    line = text[: text.index("  sha256:")].count("\n") + 1
    return FACTS, line, "article.txt changed since its facts were curated"


def _ambiguous_evidence(data):
    line = _replace(data, "    evidence: Istanbul’s Dolmabahçe Palace\n", "    evidence: Istanbul\n")
    times = (data / f"articles/{ARTICLE}/article.txt").read_text().count("Istanbul")
    assert times > 1
    return FACTS, line, f"evidence occurs {times} times in the article"


def _duplicate_key(data):
    line = _replace(data, "    represents: russia\n", "    represents: russia\n    represents: ukraine\n")
    return FACTS, line + 1, "duplicate key 'represents'"


CASES = {
    "yaml syntax error": _yaml_syntax,
    "unknown key": _unknown_key,
    "missing required field": _missing_field,
    "undeclared entity": _undeclared,
    "duplicate id": _duplicate_id,
    "id not a valid IRI": _bad_iri,
    "invalid date": _invalid_date,
    "evidence not found": _evidence_not_found,
    "article missing": _article_missing,
    "article not UTF-8": _article_not_utf8,
    "article changed (hash mismatch)": _hash_mismatch,
    "evidence ambiguous": _ambiguous_evidence,
    "duplicate YAML key": _duplicate_key,
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_named_with_file_and_line_and_exits_2(case, data_copy, tmp_path):
    path, line, message = CASES[case](data_copy)
    out = tmp_path / "out"
    out.mkdir()
    (out / "kg.ttl").write_text("earlier output\n")
    result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 2, result.output
    where = f"{data_copy / path}:{line}:" if line else f"{data_copy / path}"
    assert where in result.output
    assert message in result.output
    # the outputs are untouched; only the build cache may keep the articles that were built
    assert sorted(p.name for p in out.iterdir() if p.name != "cache") == ["kg.ttl"]
    assert (out / "kg.ttl").read_text() == "earlier output\n"


def test_yaml_syntax_error_names_the_line_of_the_problem(data_copy):
    _replace(data_copy, "    represents: russia\n", "    represents: russia: ukraine\n")
    with pytest.raises(InputError) as info:
        load_corpus(data_copy)
    text = (data_copy / FACTS).read_text()
    line = text[: text.index("represents: russia: ukraine")].count("\n") + 1
    assert info.value.location.line == line


def test_evidence_error_lists_every_missing_passage(data_copy):
    _replace(data_copy, "    evidence: Istanbul’s Dolmabahçe Palace\n",
             "    evidence: the Dolmabahce palace in Istanbul\n")
    _replace(data_copy, "    evidence: President Vladimir Putin\n",
             "    evidence: President Vladimir Vladimirovich Putin\n")
    with pytest.raises(EvidenceError) as info:
        build_graph(data_copy)
    assert len(info.value.problems) == 2
    assert 'closest passage: "President Vladimir Putin' in info.value.problems[1]


def test_quotation_must_be_verbatim_in_the_article(data_copy):
    _replace(data_copy, "    quotation: It is time to stop the killing\n",
             "    quotation: It is time to end the killing\n")
    with pytest.raises(EvidenceError, match="quotation not found in the article"):
        build_graph(data_copy)


def test_curator_can_fix_hash_by_updating_sha256(data_copy):
    path = data_copy / f"articles/{ARTICLE}/article.txt"
    path.write_bytes(path.read_bytes() + b"\nA new closing line.\n")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    old = re.search(r"sha256: (\w+)", (data_copy / FACTS).read_text()).group(1)
    _replace(data_copy, old, digest)
    assert build_graph(data_copy).fact_count > 0


def test_unknown_role_and_weekday_are_refused(data_copy):
    _replace(data_copy, "{agent: hakan-fidan, role: host}", "{agent: hakan-fidan, role: chair}")
    with pytest.raises(InputError, match="unknown role 'chair'; use one of"):
        load_corpus(data_copy)


def test_missing_data_dir_is_input_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such data directory" in result.output


def test_quotation_must_stand_within_its_evidence(data_copy):
    _replace(data_copy, "      Secretary Rubio urged an immediate end to hostilities. “It is time to stop the\n"
             "      killing,” he declared\n", "      Secretary Rubio urged an immediate end to hostilities.\n")
    with pytest.raises(EvidenceError, match="quotation is not within the fact's evidence"):
        build_graph(data_copy)


def test_a_headline_repeated_in_the_text_is_located_at_its_first_place(data_copy):
    path = data_copy / f"articles/{ARTICLE}/article.txt"
    title = "Russia and Ukraine resume direct talks in Istanbul for first time since 2022"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + title + "\n", encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    old = re.search(r"sha256: (\w+)", (data_copy / FACTS).read_text()).group(1)
    _replace(data_copy, old, digest)
    built = build_graph(data_copy)
    assert built.fact_count == built.facts_with_evidence
