"""The competency questions in queries/ answer as the article says, each with its passage."""


import pytest

from kg.load import load_dataset
from kg.query import run_query

from .conftest import ARTICLE, ROOT

QUERIES = ROOT / "queries"
TEXT = (ROOT / "data/articles" / ARTICLE / "article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graph():
    return load_dataset(ROOT / "data")


def _rows(graph, name):
    result = run_query(graph, (QUERIES / name).read_text(encoding="utf-8"))
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]


def _quoted(rows):
    """Every answer comes with a passage that stands verbatim in the article."""
    assert rows
    for row in rows:
        assert row["quote"] in TEXT


def test_every_query_states_its_question_first():
    for path in sorted(QUERIES.glob("*.rq")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and "?" in first, path.name


def test_01_who_led_the_russian_delegation(graph):
    rows = _rows(graph, "01-russian-delegation-head.rq")
    assert [r["leader"] for r in rows] == ["Vladimir Medinsky"]
    _quoted(rows)


def test_02_who_represented_ukraine_and_who_else(graph):
    rows = _rows(graph, "02-ukrainian-delegation.rq")
    assert [r["person"] for r in rows if r["role"] == "head"] == ["Rustem Umerov"]
    members = {r["person"] for r in rows if r["role"] == "member"}
    assert "Andriy Yermak" in members
    _quoted(rows)


def test_03_who_hosted_the_preliminary_session_and_where(graph):
    rows = _rows(graph, "03-preliminary-session.rq")
    assert [(r["host"], r["venue"], r["city"]) for r in rows] == [
        ("Hakan Fidan", "Dolmabahçe Palace", "Istanbul")]
    _quoted(rows)


def test_04_which_proposal_and_how_long(graph):
    rows = _rows(graph, "04-focus-proposal.rq")
    assert len(rows) == 1
    row = rows[0]
    assert row["kind"].endswith("#Ceasefire") and row["duration"] == "P30D"
    assert row["status"].endswith("#Discussed")
    _quoted(rows)


def test_05_who_said_it_is_time_to_stop_the_killing(graph):
    rows = _rows(graph, "05-who-said.rq")
    assert [(r["speaker"], r["verb"]) for r in rows] == [("Marco Rubio", "declared")]
    _quoted(rows)


def test_06_on_what_date_were_the_talks_held(graph):
    rows = _rows(graph, "06-talks-date.rq")
    assert [r["date"] for r in rows] == ["2025-05-15"]
    assert "Thursday" in rows[0]["derivation"]
    _quoted(rows)


def test_07_the_passage_behind_an_answer(graph):
    rows = _rows(graph, "07-evidence-for-answer.rq")
    assert len(rows) == 1
    row = rows[0]
    assert TEXT[int(row["start"]):int(row["end"])] == row["quote"]
    assert row["quote"] == "The Russian delegation was led by Vladimir Medinsky"
    facts = (ROOT / "data" / row["curated"]).read_text(encoding="utf-8").splitlines()
    assert facts[int(row["line"]) - 1].strip() == "- about: russian-delegation"


def test_queries_give_the_same_answers_on_the_built_files(graph, tmp_path):
    from kg.pipeline import build

    build(ROOT / "data", tmp_path)
    built = load_dataset(tmp_path)
    for path in sorted(QUERIES.glob("*.rq")):
        assert sorted(map(str, _rows(built, path.name))) == sorted(map(str, _rows(graph, path.name)))
