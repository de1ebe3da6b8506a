"""The article as the unit of work: per-article results cached by their inputs, rebuilds that
redo only what changed and give the bytes a cold build gives, parallel workers, and a store
updated one named graph at a time."""

import json
import shutil
import sys
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.build.pipeline import build, check
from kg.build.plan import plan
from kg.build.units import run_unit
from kg.build.unit import REFERENCE_GRAPH
from kg.source import open_store
from kg.vocab.namespaces import SCOPED_GRAPH, STATED_GRAPH
from kg.store.graphs import source_of

from .conftest import ARTICLES, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import write_corpus  # noqa: E402  (the synthetic corpus of the scale benchmark)

OUTPUTS = ("kg.ttl", "kg.trig")


def outputs(out: Path) -> dict:
    """The output files and the store's quads, as bytes."""
    found = {name: (out / name).read_bytes() for name in OUTPUTS}
    store = pyoxigraph.Store.read_only(str(out / "store"))
    found["store"] = b"".join(sorted(store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
                                     .splitlines(keepends=True)))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Six synthetic articles: shared people and countries, and later articles that refer to
    talks and conflicts declared by earlier ones."""
    return write_corpus(tmp_path_factory.mktemp("corpus") / "data", 6, seed=7)


def test_the_synthetic_corpus_conforms_and_crosses_articles(corpus):
    p = plan(corpus)
    assert len(p.jobs) == 7  # the reference entities and six articles
    assert check(corpus, workers=1).conforms
    # some article refers to an entity that another article declares
    declared_in = {e.id: e.article for e in p.corpus.entities.values()}
    crossing = [(a.id, f.subject) for a in p.corpus.articles for f in a.facts
                for c in f.claims if isinstance(c.value, str)
                and declared_in.get(c.value) not in (None, a.id)]
    assert crossing


def test_the_corpus_generator_is_deterministic(tmp_path):
    one, two = write_corpus(tmp_path / "a", 3, seed=5), write_corpus(tmp_path / "b", 3, seed=5)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


def test_a_rebuild_uses_the_cache_and_writes_the_same_bytes(corpus, tmp_path):
    cold = build(corpus, tmp_path / "out", workers=2)
    assert (cold.articles, cold.rebuilt) == (6, 6)
    first = outputs(tmp_path / "out")
    again = build(corpus, tmp_path / "out", workers=2)
    assert again.rebuilt == 0
    assert outputs(tmp_path / "out") == first


def test_changing_one_fact_rebuilds_one_article_and_equals_a_cold_build(corpus, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    build(data, tmp_path / "out", workers=2)
    generation = (tmp_path / "out" / "store").resolve()
    article = sorted((data / "articles").iterdir())[2]
    facts = article / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    status = text.split("status: ", 1)[1].split("\n", 1)[0]
    other = next(s for s in ("discussed", "agreed", "rejected") if s != status)
    facts.write_text(text.replace(f"status: {status}\n", f"status: {other}\n", 1),
                     encoding="utf-8")
    rebuilt = build(data, tmp_path / "out", workers=2)
    assert rebuilt.rebuilt == 1
    # the new store generation was made from the previous one, with one graph replaced
    assert (tmp_path / "out" / "store").resolve() != generation
    cold = build(data, tmp_path / "cold", use_cache=False, workers=1)
    assert cold.rebuilt == 6
    assert outputs(tmp_path / "out") == outputs(tmp_path / "cold")


def test_removing_an_article_drops_its_graph_and_only_its_own_triples(corpus, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    build(data, tmp_path / "out", workers=1)
    # the last article declares nothing another article uses
    last = sorted((data / "articles").iterdir())[-1]
    shutil.rmtree(last)
    build(data, tmp_path / "out", workers=1)
    build(data, tmp_path / "cold", use_cache=False, workers=1)
    assert outputs(tmp_path / "out") == outputs(tmp_path / "cold")
    graphs = open_store(tmp_path / "out").named_graphs()
    assert not any(g.endswith(last.name) for g in graphs)


def test_an_article_is_validated_with_what_it_uses_from_other_articles(corpus, tmp_path):
    """An article that says a talks declared elsewhere was 'precededBy' a person breaks a
    class constraint; the violation names the curated line of that article."""
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    articles = sorted((data / "articles").iterdir())
    talks_elsewhere = "talks-0"
    facts = articles[-1] / "facts.yaml"
    person = next(line.split()[-1] for line in facts.read_text().splitlines()
                  if "headedBy:" in line)
    evidence = next(line.split("evidence: ", 1)[1] for line in facts.read_text().splitlines()
                    if "evidence: " in line and "met in" in line)
    with facts.open("a", encoding="utf-8") as handle:
        handle.write(f"  - about: {talks_elsewhere}\n    precededBy: {person}\n"
                     f"    evidence: {evidence}\n")
    result = check(data, workers=1)
    assert not result.conforms
    keys = {v.key() for v in result.violations}
    assert keys == {("kgr:talks-0", "dip:precededBy", "dsh:DiplomaticEventShape")}
    (violation,) = result.violations
    lines = facts.read_text().splitlines()
    assert violation.sources[0][0] == f"{facts}:{len(lines) - 1}"  # the precededBy line


def test_a_unit_is_a_pure_function_of_its_job(corpus):
    job = plan(corpus).jobs[3]
    first, second = run_unit(job), run_unit(job)
    assert first.ntriples == second.ntriples and first.trig == second.trig
    assert first.key == second.key == job.key


def test_the_key_follows_what_the_unit_uses(corpus, tmp_path):
    """Changing a reference entity an article uses changes that article's key; an article
    that does not use it keeps its key."""
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    before = {j.unit: j for j in plan(data).jobs}
    article = before[sorted(before)[1]]
    person = next(e for f in article.facts for e in [f.subject] if e.startswith("person-"))
    people = data / "entities" / "synthetic-people.yaml"
    text = people.read_text(encoding="utf-8")
    label = text.split(f"id: {person}\n", 1)[1].split("\n", 1)[0]
    people.write_text(text.replace(f"id: {person}\n{label}\n",
                                   f"id: {person}\n{label}\n    altLabel: A. N. Other\n"),
                      encoding="utf-8")
    after = {j.unit: j for j in plan(data).jobs}
    users = {u for u, j in after.items() if j.article and person in
             {f.subject for f in j.facts} | {c.value for f in j.facts for c in f.claims
                                             if isinstance(c.value, str)}
             | {c.value[0] for f in j.facts for c in f.claims if isinstance(c.value, tuple)}}
    assert article.unit in users
    for unit, job in after.items():
        if unit == "reference" or unit in users:
            assert job.key != before[unit].key, unit
        else:
            assert job.key == before[unit].key, unit


def test_no_cache_and_jobs_options(corpus, tmp_path):
    run = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path), "-j", "1", "-q"],
                             catch_exceptions=False)
    assert run.exit_code == 0 and "6 built, 0 from the cache" in run.output
    run = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path), "-q"],
                             catch_exceptions=False)
    assert "0 built, 6 from the cache" in run.output
    run = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path), "--no-cache", "-q"],
                             catch_exceptions=False)
    assert "6 built, 0 from the cache" in run.output
    manifest = json.loads((tmp_path / "store").resolve().with_suffix(".json").read_text())
    graphs = {"ontology", "shapes", "inferred"}
    assert {u.rsplit("/", 1)[-1] for u in manifest["units"]} == {"reference"} | graphs | {
        p.name for p in (corpus / "articles").iterdir()}


def test_progress_is_silent_when_output_is_not_a_terminal(tmp_path):
    run = CliRunner().invoke(main, ["build", "data", "-o", str(tmp_path)], catch_exceptions=False)
    assert run.exit_code == 0
    assert run.output.startswith("built ") and "%" not in run.output


def test_the_store_keeps_every_triple_as_built(tmp_path):
    """Oxigraph stores some literals by value (xsd:nonNegativeInteger as xsd:integer,
    PT36H as P1DT12H); kg writes them in the form the store keeps, so the store, kg.trig
    and the cache agree quad for quad."""
    build(ROOT / "data", tmp_path, workers=1)
    store = pyoxigraph.Store.read_only(str(tmp_path / "store"))
    for unit in ("reference", *ARTICLES):
        cached = set((tmp_path / "cache/units" / f"{unit}.nq").read_bytes().splitlines())
        source = str(REFERENCE_GRAPH) if unit == "reference" else unit
        stored = {line[:-2] + f" <{g.value}> .".encode()
                  for g in store.named_graphs() if source_of(g.value) == source
                  for line in store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES,
                                         from_graph=g).splitlines()}
        assert stored == cached and len(stored) > 90
    # and the stated union holds what they state, each triple once
    # (less what holds for a time, which the as-of index keeps in a graph of its own)
    default = {line for graph in (pyoxigraph.NamedNode(STATED_GRAPH),
                                  pyoxigraph.NamedNode(SCOPED_GRAPH))
               for line in store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES,
                                      from_graph=graph).splitlines()}
    assert default == {line for unit in ("reference", *ARTICLES) for line in
                       (tmp_path / "cache/units" / f"{unit}.nt").read_bytes().splitlines()}


def test_canonical_durations_are_what_the_store_keeps():
    import random

    from kg.vocab.kinds import canonical_duration

    rng = random.Random(11)
    store = pyoxigraph.Store()
    duration = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#dayTimeDuration")
    for _ in range(500):
        parts = [rng.choice([None, rng.randrange(0, 200)]) for _ in range(4)]
        time = "".join(f"{v}{u}" for v, u in zip(parts[1:], "HMS") if v is not None)
        text = "P" + (f"{parts[0]}D" if parts[0] is not None else "") + (f"T{time}" if time else "")
        if text == "P":
            continue
        store.clear()
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("urn:a"), pyoxigraph.NamedNode("urn:p"),
                                  pyoxigraph.Literal(text, datatype=duration)))
        assert next(iter(store)).object.value == canonical_duration(text), text


def test_dask_scheduler_builds_the_same(corpus, tmp_path):
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = build(corpus, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert summary.rebuilt == 6
    build(corpus, tmp_path / "local", workers=1)
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")


def test_an_unreachable_scheduler_is_an_input_error(corpus, tmp_path):
    from .servers import free_port

    run = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path), "--scheduler",
                                    f"tcp://127.0.0.1:{free_port()}"], catch_exceptions=False)
    assert run.exit_code == 2
    assert "cannot reach a Dask scheduler there" in run.output


def test_a_build_without_files_writes_the_store_alone_and_removes_stale_files(tmp_path):
    out = tmp_path / "out"
    build(ROOT / "data", out, workers=1)
    with_files = outputs(out)
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(ROOT / "data"), "-o", str(out), "--no-files", "-q"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"built {out / 'store'}\n")
    assert not (out / "kg.ttl").exists() and not (out / "kg.trig").exists()
    for fmt, name in (("trig", "kg.trig"), ("turtle", "kg.ttl")):  # written when asked
        asked = runner.invoke(main, ["export", "--format", fmt, "-g", str(out),
                                     "-o", str(tmp_path / name)])
        assert asked.exit_code == 0, asked.output
        assert (tmp_path / name).read_bytes() == with_files[name]
    store = pyoxigraph.Store.read_only(str(out / "store"))
    assert b"".join(sorted(store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
                           .splitlines(keepends=True))) == with_files["store"]
    # nothing changed, and still no files: the shortcut; asked for files again: written
    assert build(ROOT / "data", out, workers=1, files=False).outputs == (out / "store",)
    assert not (out / "kg.ttl").exists()
    # files a stopped build left with nothing else changed: not taken for the store's own
    (out / "kg.ttl").write_bytes(with_files["kg.ttl"])
    build(ROOT / "data", out, workers=1, files=False)
    assert not (out / "kg.ttl").exists()
    build(ROOT / "data", out, workers=1)
    assert outputs(out) == with_files
