"""Sources that disagree: kept, listed by kg conflicts, ranked by curators."""

import json
import shutil

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.build.pipeline import build
from kg.read.query import run_query
from kg.source import open_store

from .conftest import JULY, JUNE, RUSSIAN, SECOND
from .conftest import add_second_source as _second_article

TALKS = "https://w3id.org/diplomacy-kg/id/istanbul-direct-talks-2025"



@pytest.fixture
def data_copy(data_copy):
    """The shipped data without the June article, which disagrees with the May one itself
    (and the July one, which builds on it): these tests add their own second source."""
    shutil.rmtree(data_copy / "articles" / JUNE)
    shutil.rmtree(data_copy / "articles" / JULY)
    shutil.rmtree(data_copy / "articles" / RUSSIAN)  # which builds on the June one too
    return data_copy

def _dates(out, **kwargs) -> list[str]:
    answer = run_query(open_store(out), f"SELECT ?d WHERE {{ <{TALKS}> dip:date ?d }} ORDER BY ?d",
                       **kwargs)
    return [row[0].value for row in answer.rows]


def _conflicts(out) -> list[dict]:
    result = CliRunner().invoke(main, ["conflicts", "-g", str(out), "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_a_second_article_that_dates_the_talks_differently_builds(data_copy, tmp_path):
    _second_article(data_copy)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # both dates are kept; a plain query sees both (no curator has ranked them)
    assert _dates(out) == ["2025-05-15", "2025-05-16"]
    rows = _conflicts(out)
    dates = [r for r in rows if r["property"] == "dip:date"]
    assert [(r["value"], r["source"].rsplit("/", 1)[1], r["seen"]) for r in dates] == [
        ("2025-05-15", "2025-05-16-istanbul-talks", "true"),
        ("2025-05-16", SECOND, "true")]
    assert dates[0]["quote"].startswith("Russian and Ukrainian officials convened in Istanbul "
                                        "on Thursday")
    assert dates[1]["quote"] == ("The direct talks between Russia and Ukraine were held in "
                                 "Istanbul on 16 May")
    assert dates[1]["curated"] == f"articles/{SECOND}/facts.yaml:14"
    # an event may have several locations (a city, a palace): not a disagreement; a post
    # that a later article gives another holder is a succession (the post holds for a time)
    assert not [r for r in rows if r["property"] in ("dip:location", "^dip:holdsPost")]
    result = CliRunner().invoke(main, ["conflicts", "-g", str(out), "--successions",
                                       "--format", "json"], catch_exceptions=False)
    changes = [{k: v["value"] for k, v in b.items()}
               for b in json.loads(result.output)["results"]["bindings"]]
    holders = [(r["subject"].rsplit("/", 1)[1], r["value"].rsplit("/", 1)[1],
                r["source"].rsplit("/", 1)[1]) for r in changes
               if r["property"] == "^dip:holdsPost"]
    post = "minister-of-foreign-affairs-of-ukraine"
    assert holders == [(post, "andrii-sybiha", SECOND),
                       (post, "ukrainian-foreign-minister-2025-05", "2025-05-16-istanbul-talks")]
    # each article keeps its own reading of its relative dates: the session on the day of
    # the talks is the 15th, as the first article dates them
    answer = run_query(open_store(out), "SELECT ?d WHERE { kgr:preliminary-session dip:date ?d }")
    assert [row[0].value for row in answer.rows] == ["2025-05-15"]


def test_the_same_query_in_sparql_lists_each_source(data_copy, tmp_path):
    from .conftest import ROOT

    _second_article(data_copy)
    build(data_copy, tmp_path, workers=1)
    text = (ROOT / "queries/08-conflicting-dates.rq").read_text(encoding="utf-8")
    answer = run_query(open_store(tmp_path), text)
    found = [(row[1].value, row[2].value.rsplit("/", 1)[1]) for row in answer.rows]
    assert found == [("2025-05-15", "2025-05-16-istanbul-talks"), ("2025-05-16", SECOND)]
    assert all(row[3] is not None for row in answer.rows)  # each with its passage


@pytest.mark.parametrize("rank, seen", [("preferred", ["2025-05-16"]),
                                        ("deprecated", ["2025-05-15"])])
def test_ranks_decide_what_plain_queries_see(data_copy, tmp_path, rank, seen):
    out = tmp_path / "out"
    _second_article(data_copy)
    build(data_copy, out, workers=1)
    before = _dates(out)
    # the curator ranks the second article's date; the rebuild replaces one article
    _second_article(data_copy, rank=f"    rank: {rank}\n    rankReason: the official readout "
                                   "says so\n")
    summary = build(data_copy, out, workers=1)
    assert summary.rebuilt == 1 and before == ["2025-05-15", "2025-05-16"]
    assert _dates(out) == seen
    # every value stays in its fact's graph, with its words
    answer = run_query(open_store(out), f"SELECT ?d WHERE {{ GRAPH ?f {{ <{TALKS}> dip:date ?d }} "
                                        "?f dip:evidence/oa:exact ?q } ORDER BY ?d")
    assert [row[0].value for row in answer.rows] == ["2025-05-15", "2025-05-16"]
    rows = {r["value"]: r for r in _conflicts(out) if r["property"] == "dip:date"}
    assert {v: r["seen"] for v, r in rows.items()} == {
        "2025-05-15": "true" if "2025-05-15" in seen else "false",
        "2025-05-16": "true" if "2025-05-16" in seen else "false"}
    assert rows["2025-05-16"]["rank"].endswith(rank.capitalize() + "Rank")
    # a cold build gives the same store as the rebuild
    cold = tmp_path / "cold"
    build(data_copy, cold, workers=1, use_cache=False)
    dump = [set(pyoxigraph.Store.read_only(str(o / "store")).dump(
        format=pyoxigraph.RdfFormat.N_QUADS).splitlines()) for o in (out, cold)]
    assert dump[0] == dump[1]
    # and removing the rank brings both values back
    _second_article(data_copy)
    build(data_copy, out, workers=1)
    assert _dates(out) == ["2025-05-15", "2025-05-16"]


def test_one_article_that_gives_two_dates_is_refused(data_copy, tmp_path):
    _second_article(data_copy, extra="""  - about: istanbul-direct-talks-2025
    date: 2025-05-17
    evidence: The Russian delegation was led by Vladimir Medinsky
""")
    result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(tmp_path / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "kgr:istanbul-direct-talks-2025  dip:date" in result.output
    assert "needs at most one date" in result.output


def test_a_rank_needs_its_reason(data_copy, tmp_path):
    _second_article(data_copy, rank="    rank: preferred\n")
    result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(tmp_path / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert f"articles/{SECOND}/facts.yaml:16" in result.output
    assert "a rank needs its reason" in result.output


def test_the_readme_example_is_what_kg_conflicts_prints(data_copy, tmp_path):
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Sources that disagree"):]
    block = section[section.index("$ kg conflicts -g out\n"):]
    expected = block[len("$ kg conflicts -g out\n"):block.index("```")]
    _second_article(data_copy)
    out = tmp_path / "out"
    build(data_copy, out, workers=1)
    result = CliRunner().invoke(main, ["conflicts", "-g", str(out)], catch_exceptions=False)
    assert result.output == expected
