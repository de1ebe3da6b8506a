"""A corpus over time: facts that hold from one day to another, "as of" questions, successions
that are no conflicts, an entity's history and the timeline (issue 17)."""

import datetime as dt
import json
import shutil

import httpx
import pytest
from click.testing import CliRunner
from PIL import Image

import kg
from kg.build.pipeline import build
from kg.cli import main
from kg.read.query import run_query
from kg.source import open_store
from kg.store.asof import spans

from .conftest import ARTICLE, ARTICLES, JULY, JUNE, ROOT
from .servers import kg_serve

MINISTER = "SELECT ?m WHERE { ?p dip:holdsPost kgr:minister-of-defence-of-ukraine ; rdfs:label ?m }"
BY_HAND = (ROOT / "queries" / "10-defence-minister-by-hand.rq").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    build(ROOT / "data", folder)
    return folder


def names(store, text=MINISTER):
    return sorted({row[0].value for row in run_query(store, text).rows})


def cli(*args):
    result = CliRunner().invoke(main, list(args))
    return result


# --- the questions of the issue -----------------------------------------------------------

@pytest.mark.parametrize("day, minister", [
    ("2025-05-16", ["Rustem Umerov"]),       # the first article
    ("2025-06-01", ["Rustem Umerov"]),       # the first day
    ("2025-07-16", ["Rustem Umerov"]),       # the day before the reshuffle
    ("2025-07-17", ["Denys Shmyhal"]),       # the reshuffle, dated by the July article
    ("2025-08-01", ["Denys Shmyhal"]),       # the second day
    ("2025-05-01", []),                      # before any source names a holder
])
def test_ukraines_defence_minister_as_of_a_day(out, day, minister):
    assert names(open_store(out).as_of(day)) == minister
    assert names(open_store(ROOT / "data", as_of=day)) == minister   # a data folder too
    result = cli("query", "-g", str(out), "--as-of", day, "--format", "json", "-e", MINISTER)
    assert result.exit_code == 0, result.output
    assert sorted(b["m"]["value"] for b in json.loads(result.output)["results"]["bindings"]) \
        == minister


def test_without_as_of_every_holder_is_there(out):
    assert names(open_store(out)) == ["Denys Shmyhal", "Rustem Umerov"]


@pytest.mark.parametrize("day", [f"2025-{m:02d}-{d:02d}" for m in (5, 6, 7, 8) for d in (1, 16, 17, 24)])
def test_the_plain_sparql_by_hand_answers_as_as_of_does(out, day):
    by_hand = names(open_store(out), BY_HAND.replace('"2025-08-01"', f'"{day}"'))
    assert by_hand == names(open_store(out).as_of(day))


def test_who_headed_ukraines_delegation_in_each_round_and_the_post_then(out):
    rounds = run_query(open_store(out), (ROOT / "queries" / "11-rounds-in-order.rq").read_text()).rows
    got = [(r[0].value, r[3].value, r[4].value) for r in rounds]
    assert got == [
        ("2025-05-15", "Rustem Umerov", "Minister of Defence of Ukraine"),
        ("2025-06-02", "Rustem Umerov", "Minister of Defence of Ukraine"),
        ("2025-07-23", "Rustem Umerov",
         "Secretary of the National Security and Defence Council of Ukraine"),
    ]
    # the same, asked of the graph as of the day of the article that reports each round (a
    # fact is known from its article's date: the May article came out the day after the talks)
    g = kg.open(out)
    for published, (_, head, post) in zip([a[:10] for a in (ARTICLE, JUNE, JULY)], got,
                                          strict=True):
        posts = g.as_of(published).query(
            "SELECT ?post WHERE { kgr:rustem-umerov dip:holdsPost/rdfs:label ?post }").values()
        assert [p["post"] for p in posts] == [post]


def test_the_timeline_of_the_rounds(out):
    result = cli("timeline", "-g", str(out), "--about", "Rustem Umerov", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "day,event,place,participants,dated_by"
    assert [line.split(",")[0] for line in lines[1:]] == ["2025-05-15 – 2025-05-16", "2025-06-02",
                                                         "2025-07-23"]
    assert "Third round" in lines[-1] and JULY in lines[-1]


def test_kg_conflicts_does_not_list_the_change_of_post(out):
    plain = cli("conflicts", "-g", str(out), "--format", "csv")
    assert plain.exit_code == 0
    assert "holdsPost" not in plain.output
    assert "dip:date" in plain.output          # the talks' two dates are still a disagreement
    changes = cli("conflicts", "-g", str(out), "--successions", "--format", "csv")
    assert any("^dip:holdsPost" in line and line.split(",")[2].endswith("/denys-shmyhal")
               for line in changes.output.splitlines())
    assert "dip:date" not in changes.output


# --- time-scoped facts: the keys, their checks -------------------------------------------

def test_since_and_until_are_kept_on_the_fact(out):
    rows = run_query(open_store(out), """SELECT ?since ?until WHERE {
        GRAPH ?f { kgr:denys-shmyhal dip:holdsPost kgr:minister-of-defence-of-ukraine }
        ?f a dip:CuratedFact .
        OPTIONAL { ?f dip:since ?since } OPTIONAL { ?f dip:until ?until } }""").rows
    assert [(r[0].value, r[0].datatype.value.rsplit("#")[1], r[1]) for r in rows] == \
        [("2025-07-17", "date", None)]


def _edit(data, old, new):
    path = data / "articles" / JULY / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_since_on_a_fact_that_holds_for_good_is_refused(data_copy, tmp_path):
    path = _edit(data_copy, "    minDuration: PT24H\n", "    minDuration: PT24H\n    since: 2025\n")
    line = path.read_text(encoding="utf-8").splitlines().index("    since: 2025") + 1
    result = cli("build", str(data_copy), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"facts.yaml:{line}:" in result.output and "holds for a time" in result.output
    assert not (tmp_path / "out" / "store").exists() and not (tmp_path / "out" / "kg.ttl").exists()


@pytest.mark.parametrize("old, new, words", [
    ("    until: 2025-07-17\n", "    since: 2025-08\n    until: 2025-07-17\n",
     "ends (2025-07-17) before it begins (2025-08)"),
    ("    until: 2025-07-17\n", "    until: 2025-09\n", "after the article's date"),
])
def test_a_period_the_shapes_refuse(data_copy, tmp_path, old, new, words):
    _edit(data_copy, old, new)
    result = cli("build", str(data_copy), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert words in result.output and "facts.yaml:" in result.output


@pytest.mark.parametrize("value", ["2025-13", "2025-02-30", "July", "0000", "2025-7"])
def test_a_period_that_is_no_day_month_or_year(data_copy, tmp_path, value):
    path = _edit(data_copy, "    until: 2025-07-17\n", f"    until: {value}\n")
    line = path.read_text(encoding="utf-8").splitlines().index(f"    until: {value}") + 1
    result = cli("build", str(data_copy), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert f"facts.yaml:{line}:" in result.output and "2025-07-17" in result.output


def test_a_planned_end_is_allowed(data_copy, tmp_path):
    _edit(data_copy, "    until: 2025-07-17\n", "    until: 2025-09\n    planned: true\n")
    result = cli("build", str(data_copy), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output


# --- as of: every reader -----------------------------------------------------------------

def test_export_as_of_leaves_out_what_had_ended(out, tmp_path):
    for day, present, absent in (("2025-08-01", "kgr:denys-shmyhal", "kgr:rustem-umerov"),
                                 ("2025-06-01", "kgr:rustem-umerov", "kgr:denys-shmyhal")):
        target = tmp_path / f"{day}.nt"
        result = cli("export", "-g", str(out), "--format", "nt", "--as-of", day, "-o", str(target))
        assert result.exit_code == 0, result.output
        text = target.read_text()
        held = [line for line in text.splitlines()
                if "#holdsPost>" in line and "minister-of-defence-of-ukraine" in line]
        assert len(held) == 1 and present.split(":")[1] in held[0] and absent.split(":")[1] not in held[0]


def test_analyze_as_of(out):
    later = cli("analyze", "neighbours", "Minister of Defence of Ukraine", "-g", str(out),
                "--as-of", "2025-08-01")
    earlier = cli("analyze", "neighbours", "Minister of Defence of Ukraine", "-g", str(out),
                  "--as-of", "2025-06-01")
    assert later.exit_code == earlier.exit_code == 0, later.output + earlier.output
    assert "Denys Shmyhal" in later.output and "Rustem Umerov" not in later.output
    assert "Rustem Umerov" in earlier.output and "Denys Shmyhal" not in earlier.output


def test_serve_as_of(out):
    with kg_serve(out) as url:
        for day, minister in (("2025-06-01", "Rustem Umerov"), ("2025-08-01", "Denys Shmyhal")):
            answer = httpx.get(url + "/sparql", params={"query": MINISTER, "as-of": day},
                               headers={"Accept": "application/sparql-results+json"}, timeout=30)
            assert answer.status_code == 200, answer.text
            assert [b["m"]["value"] for b in answer.json()["results"]["bindings"]] == [minister]
        bad = httpx.get(url + "/sparql", params={"query": MINISTER, "as-of": "June"}, timeout=30)
        assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text


def test_a_bad_day_and_a_file_without_fact_graphs(out, tmp_path):
    result = cli("query", "-g", str(out), "--as-of", "2025-02-30", "-e", MINISTER)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    flat = tmp_path / "kg.ttl"
    assert cli("export", "-g", str(out), "--format", "turtle", "-o", str(flat)).exit_code == 0
    result = cli("query", "-g", str(flat), "--as-of", "2025-06-01", "-e", MINISTER)
    assert result.exit_code == 2 and "cannot say what held on a day" in result.output


def test_a_trig_export_answers_as_the_store(out, tmp_path):
    trig = tmp_path / "kg.trig"
    assert cli("export", "-g", str(out), "--format", "trig", "-o", str(trig)).exit_code == 0
    for day in ("2025-06-01", "2025-08-01"):
        assert names(open_store(trig).as_of(day)) == names(open_store(out).as_of(day))


def test_an_incremental_build_keeps_the_index(data_copy, tmp_path):
    folder = tmp_path / "out"
    build(data_copy, folder)
    _edit(data_copy, "    since: 2025-07-17\n    reading: >-\n      Taking over",
          "    since: 2025-07-20\n    reading: >-\n      Taking over")
    build(data_copy, folder)     # only the July article is built again
    store = open_store(folder)
    assert names(store.as_of("2025-07-18")) == []                 # Umerov left on the 17th
    assert names(store.as_of("2025-07-20")) == ["Denys Shmyhal"]
    fresh = tmp_path / "fresh"
    build(data_copy, fresh)
    for day in ("2025-06-01", "2025-07-18", "2025-07-20", "2025-08-01"):
        assert names(store.as_of(day)) == names(open_store(fresh).as_of(day))


def test_memberships_and_their_inverses_hold_as_of(out):
    g = kg.open(out)
    ask = "SELECT ?d WHERE { kgr:rustem-umerov dip:memberOf ?d }"   # inferred from hasMember
    before = {r["d"] for r in g.as_of("2025-06-01").query(ask).values()}
    after = {r["d"] for r in g.as_of("2025-08-01").query(ask).values()}
    kgr = "https://w3id.org/diplomacy-kg/id/"
    assert kgr + "ukrainian-delegation" in before
    assert kgr + "ukrainian-delegation-2025-07" not in before
    assert kgr + "ukrainian-delegation-2025-07" in after
    assert {r["d"] for r in g.query(ask).values()} >= before | after


# --- history ---------------------------------------------------------------------------

def test_history_lists_the_posts_in_order(out):
    result = cli("history", "Rustem Umerov", "-g", str(out), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.output.splitlines()[1:]]
    posts = [(r[0], r[1], r[4].rsplit("/", 1)[1]) for r in rows if r[3] == "dip:holdsPost"]
    assert posts == [
        ("2025-05-16", "", "minister-of-defence-of-ukraine"),
        ("2025-06-02", "", "minister-of-defence-of-ukraine"),
        ("2025-06-02", "", "minister-of-defence-of-ukraine"),        # the Russian report too
        ("", "2025-07-17", "minister-of-defence-of-ukraine"),       # "had led ... as defence minister"
        ("2025-07-17", "", "secretary-of-the-national-security-and-defence-council"),
    ]
    assert all(r[5] == "2025-05-16 – 2025-07-16" for r in rows
               if r[3] == "dip:holdsPost" and r[4].endswith("defence-of-ukraine"))
    assert cli("history", "Nobody At All", "-g", str(out)).exit_code == 2


# --- the timeline ----------------------------------------------------------------------

def test_timeline_filters_by_days(out):
    result = cli("timeline", "-g", str(out), "--since", "2025-05-16", "--until", "2025-06-30")
    assert result.exit_code == 0
    assert "May 2025" in result.output and "June 2025" in result.output
    assert "July 2025" not in result.output and "2022" not in result.output.split("\n", 2)[2]
    wrong = cli("timeline", "-g", str(out), "--since", "2025-07-01", "--until", "2025-06-01")
    assert wrong.exit_code == 2 and "before --since" in wrong.output


def test_timeline_png(out, tmp_path):
    target = tmp_path / "t.png"
    assert cli("timeline", "-g", str(out), "--format", "png", "-o", str(target)).exit_code == 0
    assert Image.open(target).size == (1400, 600)


def test_timeline_page_draws_offline_in_chromium(out, tmp_path):
    from playwright.sync_api import sync_playwright

    from .workbench_scenario import chromium

    target = tmp_path / "t.html"
    assert cli("timeline", "-g", str(out), "--format", "html", "-o", str(target)).exit_code == 0
    page_text = target.read_text(encoding="utf-8")
    assert "<script src" not in page_text and "http://" not in page_text.split("<script>")[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium())
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", lambda route: route.abort()
                   if not route.request.url.startswith("file:") else route.continue_())
        page.goto(target.as_uri())
        page.wait_for_function("document.body.dataset.rendered === '1'", timeout=10000)
        items = page.locator(".vis-item").all_inner_texts()
        page.locator(".vis-item", has_text="Third round").first.click()
        detail = page.locator("#detail").inner_text()
        browser.close()
    assert errors == []
    assert any("Third round" in t for t in items) and len(items) >= 7
    assert "Çırağan Palace" in detail and JULY in detail


# --- the spans of days -------------------------------------------------------------------

def test_spans_successions_ends_and_ties():
    inf = float("inf")
    assert spans([(10.0, True)], [[[(20.0, True)]]]) == [(10.0, 20.0)]          # a successor
    assert spans([(10.0, True)], [[[(10.0, True)]]]) == [(10.0, inf)]           # same day: both
    assert spans([(10.0, True), (15.0, False), (30.0, True)], []) == [(10.0, 15.0), (30.0, inf)]
    assert spans([(-inf, True)], []) == [(-inf, inf)]                           # background
    assert spans([(15.0, False)], []) == []                                     # only "former"


def test_as_of_view_repr_and_day():
    g = kg.open(ROOT / "data").as_of(dt.date(2025, 6, 1))
    assert "as of 2025-06-01" in repr(g)


@pytest.mark.parametrize("corpus", ["shipped", "synthetic"])
def test_what_each_article_keeps_for_the_index_gives_the_stores_own_events(corpus, tmp_path):
    """The as-of index is worked out from what each article keeps (`scoped_input`): the
    same events as reading every fact graph of the store."""
    import pyoxigraph as ox
    import sys
    from kg.store.asof import scoped_events

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import write_corpus

    data = ROOT / "data" if corpus == "shipped" else write_corpus(tmp_path / "data", 6, seed=4)
    build(data, tmp_path / "out", workers=1)
    kept = "".join(json.loads(p.read_text(encoding="utf-8"))["scoped"]
                   for p in sorted((tmp_path / "out" / "cache" / "units").glob("*.json")))
    small = ox.Store()
    small.load(kept.encode(), format=ox.RdfFormat.N_QUADS)
    # the store's fact graphs and records, as the build left them
    store = ox.Store.read_only(str(tmp_path / "out" / "store"))
    ours, theirs = scoped_events(small), scoped_events(store)
    assert len(theirs) > 5
    assert {k: sorted(v) for k, v in ours.items()} == {k: sorted(v) for k, v in theirs.items()}
