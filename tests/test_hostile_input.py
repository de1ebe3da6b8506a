"""Input made to hurt: nothing a user feeds `kg` hangs it, reads what it should not, or
passes silently. Each case runs `kg` in a process of its own with a time limit, so that a
hang fails the test instead of stalling the suite."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.build.facts import load_corpus
from kg.limits import LIMITS

from .conftest import ARTICLE, JULY, JUNE, ROOT, RUSSIAN

FACTS = f"articles/{ARTICLE}/facts.yaml"
TEXT = f"articles/{ARTICLE}/article.txt"


def kg(*args, cwd=None, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd or ROOT)


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    assert content.count(text) == 1, f"{text!r} must occur once in {path}"
    return content[: content.index(text)].count("\n") + 1


def replace(path: Path, old: str, new: str) -> int:
    """Replace the one `old` in `path`; return the 1-based line where it stood."""
    line = line_of(path, old)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return line


def append_fact(data: Path, lines: str) -> int:
    """Append a fact to the article's facts; return the line of its first key."""
    path = data / FACTS
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n" + lines, encoding="utf-8")
    return before.rstrip("\n").count("\n") + 2


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """A build of the shipped data."""
    folder = tmp_path_factory.mktemp("out")
    result = kg("build", ROOT / "data", "-o", folder, "-q")
    assert result.returncode == 0, result.stderr
    return folder


def refused(data: Path, tmp_path: Path) -> str:
    """Build `data` into a folder with an earlier output; assert exit 2 and that the output
    is untouched; return the message."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "kg.ttl").write_text("earlier output\n")
    result = kg("build", data, "-o", out)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != "cache") == ["kg.ttl"]
    assert (out / "kg.ttl").read_text() == "earlier output\n"
    return result.stderr


# --- YAML ------------------------------------------------------------------------------

def test_an_alias_bomb_is_refused_at_once(data_copy, tmp_path):
    bomb = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        bomb.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = data_copy / FACTS
    path.write_text("\n".join(bomb) + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    message = refused(data_copy, tmp_path)
    assert f"{path}:2: YAML anchors and aliases (&name, *name) are not allowed" in message


def test_an_alias_in_a_reference_file_is_refused_at_its_line(data_copy):
    path = data_copy / "entities/places.yaml"
    replace(path, "    locatedIn: turkey\n", "    locatedIn: &t turkey\n")
    line = replace(path, "    locatedIn: istanbul\n    coordinates:\n      lat: 41.0391",  # Dolmabahçe Palace's
                   "    locatedIn: *t\n    coordinates:\n      lat: 41.0391")
    with pytest.raises(InputError) as info:
        load_corpus(data_copy)
    assert str(info.value.location) == f"{path}:{line}"


@pytest.mark.parametrize("value,tag", [
    ("!secret Russian delegation", "!secret"),
    ('!!python/object/apply:os.system ["true"]', "tag:yaml.org,2002:python/object/apply:os.system"),
    ("!!binary UnVzc2lhbg==", "tag:yaml.org,2002:binary"),
])
def test_an_unknown_tag_is_an_error_at_its_line(data_copy, tmp_path, value, tag):
    line = replace(data_copy / FACTS, "    label: Russian delegation\n", f"    label: {value}\n")
    message = refused(data_copy, tmp_path)
    assert f"{data_copy / FACTS}:{line}: unknown YAML tag {tag!r}" in message


def test_plain_tags_are_still_values(data_copy):
    replace(data_copy / FACTS, "    label: Russian delegation\n", "    label: !!str Russian delegation\n")
    assert load_corpus(data_copy).entities["russian-delegation"].label == "Russian delegation"


def test_a_latin1_byte_in_facts_yaml_names_its_line_and_column(data_copy, tmp_path):
    path = data_copy / FACTS
    line = line_of(path, "    label: Preliminary session at Dolmabahçe Palace\n")
    path.write_bytes(path.read_bytes().replace("Preliminary session at Dolmabahçe".encode(),
                                               "Preliminary session at Dolmabah\xe7e".encode("latin-1")))
    column = len("    label: Preliminary session at Dolmabah") + 1
    message = refused(data_copy, tmp_path)
    assert f"{path}:{line}: not UTF-8: byte 0xe7 at column {column}" in message


def test_an_extra_key_of_a_reference_file_is_named_at_its_line(data_copy):
    path = data_copy / "entities/countries.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "extra: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'extra'") as info:
        load_corpus(data_copy)
    assert info.value.location.line == line_of(path, "extra: 1\n")


# --- sizes, and files that are not files -----------------------------------------------

def test_facts_yaml_past_its_limit_is_refused(data_copy, tmp_path):
    path = data_copy / FACTS
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("# " + "x" * LIMITS["yaml"].bytes + "\n")
    message = refused(data_copy, tmp_path)
    assert f"{path}:1: too large: 4.0 MiB, past the limit of 4 MiB" in message


def test_an_article_past_its_limit_is_refused(data_copy, tmp_path):
    path = data_copy / TEXT
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("word " * (LIMITS["article"].bytes // 5 + 1))
    message = refused(data_copy, tmp_path)
    assert f"{path}:1: too large" in message and "1 MiB" in message


def test_a_pipe_in_place_of_a_reference_file_does_not_hang(data_copy, tmp_path):
    path = data_copy / "entities/pipe.yaml"
    os.mkfifo(path)
    message = refused(data_copy, tmp_path)
    assert f"{path}:1: not a regular file" in message


def test_a_query_past_its_limit_is_refused(tmp_path):
    query = tmp_path / "big.rq"
    query.write_text("ASK {} #" + "x" * LIMITS["query"].bytes)
    result = kg("query", query, "-g", "data")
    assert result.returncode == 2 and f"{query}:1: too large" in result.stderr
    # a text past the limit in bytes, not in characters (too long for a command line)
    from click.testing import CliRunner

    from kg.cli import main

    text = "ASK {} #" + "x" * (LIMITS["query"].bytes // 2 + 10) + "é" * (LIMITS["query"].bytes // 4)
    assert len(text) < LIMITS["query"].bytes
    inline = CliRunner().invoke(main, ["query", "-g", str(ROOT / "data"), "-e", text])
    assert inline.exit_code == 2 and "the query: too large" in inline.output


def test_a_pipe_given_as_a_graph_does_not_hang(tmp_path):
    pipe = tmp_path / "graph.nt"
    os.mkfifo(pipe)
    result = kg("query", "-g", pipe, "-e", "ASK {}")
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_a_truncated_trig_says_to_rebuild(out, tmp_path):
    trig = tmp_path / "kg.trig"
    data = (out / "kg.trig").read_bytes()
    trig.write_bytes(data[: len(data) // 2])
    result = kg("query", "-g", trig, "-e", "ASK {}")
    assert result.returncode == 2
    assert "cannot be parsed as" in result.stderr and "rebuild it with 'kg build'" in result.stderr


# --- outputs -----------------------------------------------------------------------------

def test_an_output_that_is_a_file_or_a_folder_is_exit_3(out, tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("keep\n")
    a_folder = tmp_path / "a-folder"
    a_folder.mkdir()
    for args in (("build", "data", "-o", a_file), ("viz", "-g", out, "-o", a_file),
                 ("export", "-g", out, "--format", "nt", "-o", a_folder),
                 ("schema", "-o", a_folder)):
        result = kg(*args)
        assert result.returncode == 3, (args, result.stderr)
        assert "cannot write" in result.stderr and "Usage:" not in result.stderr
    assert a_file.read_text() == "keep\n" and list(a_folder.iterdir()) == []


# --- relations that must not make a cycle ------------------------------------------------

def test_an_event_part_of_itself(data_copy, tmp_path):
    line = replace(data_copy / FACTS, "    partOf: istanbul-direct-talks-2025\n",
                   "    partOf: preliminary-session\n")
    message = refused(data_copy, tmp_path)
    assert "make a cycle of partOf" in message
    assert f"preliminary-session partOf preliminary-session  ({data_copy / FACTS}:{line})" in message


def test_a_part_of_cycle_names_every_link(data_copy, tmp_path):
    first = line_of(data_copy / FACTS, "    partOf: istanbul-direct-talks-2025\n")
    start = append_fact(data_copy, "  - about: istanbul-direct-talks-2025\n"
                                   "    partOf: preliminary-session\n"
                                   "    evidence: The negotiations began\n")
    message = refused(data_copy, tmp_path)
    assert f"preliminary-session partOf istanbul-direct-talks-2025  ({data_copy / FACTS}:{first})" in message
    assert f"istanbul-direct-talks-2025 partOf preliminary-session  ({data_copy / FACTS}:{start + 1})" in message


def test_a_located_in_cycle_across_reference_entries(data_copy, tmp_path):
    places = data_copy / "entities/places.yaml"
    first = replace(places, "    locatedIn: turkey\n", "    locatedIn: dolmabahce-palace\n")
    second = line_of(places, "    locatedIn: istanbul\n    coordinates:\n      lat: 41.0391")  # Dolmabahçe Palace's
    message = refused(data_copy, tmp_path)
    assert "make a cycle of locatedIn" in message
    assert f"istanbul locatedIn dolmabahce-palace  ({places}:{first})" in message
    assert f"dolmabahce-palace locatedIn istanbul  ({places}:{second})" in message


def test_a_sub_organisation_cycle_across_files(data_copy, tmp_path):
    countries = data_copy / "entities/countries.yaml"
    text = countries.read_text(encoding="utf-8")
    start = text.index("  - id: united-states\n")
    end = text.index("\n  - id:", start + 1) if "\n  - id:" in text[start + 1:] else len(text)
    entry = text[start:end].rstrip("\n") + "\n    subOrganizationOf: us-state-department\n"
    countries.write_text(text[:start] + entry + text[end:].lstrip("\n"), encoding="utf-8")
    message = refused(data_copy, tmp_path)
    assert "make a cycle of subOrganizationOf" in message
    assert str(countries) in message and str(data_copy / "entities/organizations.yaml") in message


def test_preceded_by_counts_its_sub_property_resumes(data_copy, tmp_path):
    resumes = line_of(data_copy / FACTS, "    resumes: peace-talks-2022\n")
    start = append_fact(data_copy, "  - about: peace-talks-2022\n"
                                   "    precededBy: istanbul-direct-talks-2025\n"
                                   "    evidence: since peace talks collapsed in 2022\n")
    message = refused(data_copy, tmp_path)
    assert "make a cycle of precededBy" in message
    assert f"istanbul-direct-talks-2025 resumes peace-talks-2022  ({data_copy / FACTS}:{resumes})" in message
    assert f"peace-talks-2022 precededBy istanbul-direct-talks-2025  ({data_copy / FACTS}:{start + 1})" in message


def test_a_deprecated_link_breaks_no_cycle(data_copy):
    append_fact(data_copy, "  - about: istanbul-direct-talks-2025\n"
                           "    partOf: preliminary-session\n"
                           "    rank: deprecated\n"
                           "    rankReason: the session is part of the talks, not the reverse\n"
                           "    evidence: The negotiations began\n")
    assert "preliminary-session" in load_corpus(data_copy).entities


def test_a_same_day_cycle_names_every_link(data_copy, tmp_path):
    shutil.rmtree(data_copy / "articles" / JUNE)  # which dates the talks itself
    shutil.rmtree(data_copy / "articles" / JULY)
    shutil.rmtree(data_copy / "articles" / RUSSIAN)  # which builds on the June one too  # which builds on it
    line = replace(data_copy / FACTS, "    date: {weekday: Thursday}\n",
                   "    date: {sameDayAs: us-ukraine-meeting}\n")
    other = line_of(data_copy / FACTS, "    label: Meeting of US and Ukrainian officials\n") + 1
    message = refused(data_copy, tmp_path)
    assert "in a cycle, so none has a date" in message
    assert f"istanbul-direct-talks-2025 sameDayAs us-ukraine-meeting  ({data_copy / FACTS}:{line})" in message
    assert f"us-ukraine-meeting sameDayAs istanbul-direct-talks-2025  ({data_copy / FACTS}:{other})" in message


def test_a_same_day_chain_to_an_undated_entity_names_its_end(data_copy, tmp_path):
    shutil.rmtree(data_copy / "articles" / JUNE)
    shutil.rmtree(data_copy / "articles" / JULY)
    shutil.rmtree(data_copy / "articles" / RUSSIAN)  # which builds on the June one too
    line = replace(data_copy / FACTS, "    date: {weekday: Thursday}\n",
                   "    date: {sameDayAs: trilateral-meeting}\n")
    message = refused(data_copy, tmp_path)
    assert (f"{data_copy / FACTS}:{line}: 'sameDayAs: trilateral-meeting' cannot be resolved: "
            "that entity has no date") in message


def test_an_article_whose_every_passage_is_wrong_is_answered_at_once(data_copy, tmp_path):
    """The closest passage is searched for ten missing passages; the rest are only named."""
    import hashlib
    import re

    text = data_copy / TEXT
    body = text.read_text(encoding="utf-8")
    text.write_text(body + ("\nFiller words about the talks in a long article." * 4000),
                    encoding="utf-8")
    facts = data_copy / FACTS
    content = re.sub(r"sha256: \w+", "sha256: " + hashlib.sha256(text.read_bytes()).hexdigest(),
                     facts.read_text(encoding="utf-8"))
    wrong = 0
    for line in re.findall(r"^    evidence: (?!>)(.+)$", content, flags=re.M):
        content = content.replace(f"    evidence: {line}\n", f"    evidence: {line} (not said)\n", 1)
        wrong += 1
    assert wrong > 12
    facts.write_text(content, encoding="utf-8")
    message = refused(data_copy, tmp_path)
    assert message.count("closest passage:") == 10
    assert "the closest passage is searched for the first 10 passages" in message


@pytest.mark.parametrize("depth", [3000, 5000])
def test_kg_query_refuses_a_query_nested_deeper_than_the_engine_can_parse(tmp_path, depth):
    query = tmp_path / "deep.rq"
    query.write_text("SELECT * WHERE { " + "{" * depth + " ?s ?p ?o " + "}" * depth + " }")
    result = CliRunner().invoke(main, ["query", "-g", str(ROOT / "data"), str(query)])
    assert result.exit_code == 2
    assert f"{query}: the query nests brackets {depth + 1} deep (line 1)" in result.output
    # brackets inside strings, IRIs and comments do not count
    fine = "SELECT ?x WHERE { BIND('" + "(" * 1000 + "' AS ?x) } # " + "{" * 1000
    assert CliRunner().invoke(main, ["query", "-g", str(ROOT / "data"), "-e", fine]).exit_code == 0


#: Queries that crashed `kg query` (SIGSEGV: Oxigraph's parser and planner out of stack),
#: each far past one of the limits, and the message that now refuses it
PAST_THE_LIMITS = {
    "sum": ("SELECT * WHERE { FILTER(" + "+".join(["1"] * 200000) + " > 0) }",
            "chains 200000 operators"),  # the 199,999 + and the >
    "negations": ("SELECT * WHERE { FILTER(" + "!" * 200000 + "true) }", "chains 200000 operators"),
    "disjunction": ("SELECT * WHERE { FILTER(" + "||".join(["true"] * 100000) + ") }",
                    "chains 99999 operators"),
    "sequence path": ("SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 50000) + " ?o }",
                      "chains 49999 operators"),
    "alternative path": ("SELECT * WHERE { ?s " + "|".join(["<urn:p>"] * 50000) + " ?o }",
                         "chains 49999 operators"),
    "triple patterns": ("SELECT * WHERE { " + " . ".join(f"?s <urn:p> ?o{i}" for i in range(20000))
                        + " }", "joins 19999 triple patterns"),
}


@pytest.mark.parametrize("name", PAST_THE_LIMITS)
def test_kg_query_refuses_a_query_past_the_limits_instead_of_crashing(tmp_path, name):
    text, message = PAST_THE_LIMITS[name]
    query = tmp_path / "long.rq"
    query.write_text(text)
    result = kg("query", "-g", ROOT / "data", query)
    assert result.returncode == 2, (result.returncode, result.stderr[-300:])
    assert f"{query}: the query {message}" in result.stderr
    assert "kg takes at most 2000: split it into several queries" in result.stderr


def test_queries_at_the_limits_are_answered_or_stopped_never_crash(tmp_path):
    """Just inside every limit at once, a query runs to an answer or to its time limit: the
    thread that runs it has stack to spare (one process, so that a crash fails the test)."""
    script = tmp_path / "at_limits.py"
    script.write_text("""
import pyoxigraph as ox
from kg.store.sparql import MAX_NESTING as N, MAX_OPERATORS as M, execute, run_with_time_limit
depth = N - 10
queries = [
    "SELECT * WHERE { FILTER(" + "(" * depth + "+".join(["1"] * (M - 1)) + ")" * depth + " > 0) }",
    "SELECT * WHERE { FILTER(" + "!(" * (depth // 2) + "!" * (M - depth) + "true"
    + ")" * (depth // 2) + ") }",
    "SELECT * WHERE { ?s " + "|".join(["<urn:p>"] * M) + " ?o }",
    "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * M) + " }",
    "SELECT * WHERE { " + "{" * depth + " ?s ?p ?o " + "}" * depth + " }",
]
store = ox.Store()
store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.NamedNode("urn:b")))
for text in queries:
    print(run_with_time_limit(lambda: execute(store, text), 30).kind)
""")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert done.stdout.split() == ["SELECT"] * 5


def test_a_missing_query_file_says_what_to_do():
    result = CliRunner().invoke(main, ["query", "-g", str(ROOT / "data"), "nope.rq"])
    assert result.exit_code == 2
    assert "nope.rq:1: no such file; check the path" in result.output


def test_a_utf16_mark_before_bytes_that_are_no_utf16_is_refused(tmp_path, data_copy):
    text = tmp_path / "bad.txt"
    text.write_bytes(b"\xff\xfeA\x00B")  # a byte-order mark, then an odd byte out
    result = CliRunner().invoke(main, ["article", "new", str(text), "--data", str(data_copy)])
    assert result.exit_code == 2, result.output
    assert "starts as UTF-16 (a byte-order mark) but byte 4 is not UTF-16" in result.output
    assert sorted(p.name for p in (data_copy / "articles").iterdir()) == sorted(
        p.name for p in (ROOT / "data" / "articles").iterdir())


def test_a_damaged_store_is_told_and_the_next_build_writes_it_anew(tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(ROOT / "data"), "-o", str(out)]).exit_code == 0
    (out / "store" / "CURRENT").write_text("garbage\n")  # RocksDB's pointer to its manifest
    result = CliRunner().invoke(main, ["analyze", "centrality", "-g", str(out), "--top", "1"])
    assert result.exit_code == 2 and "cannot open the store: Corruption" in result.output
    assert "rebuild it with 'kg build'" in result.output
    assert CliRunner().invoke(main, ["build", str(ROOT / "data"), "-o", str(out)]).exit_code == 0
    again = CliRunner().invoke(main, ["analyze", "centrality", "-g", str(out), "--top", "1"])
    assert again.exit_code == 0, again.output


def test_outputs_left_mixed_are_written_again_not_taken_as_current(tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(ROOT / "data"), "-o", str(out)]).exit_code == 0
    written = (out / "kg.ttl").read_bytes()
    (out / "kg.ttl").write_bytes(written + b"# a file another build left\n")
    assert CliRunner().invoke(main, ["build", str(ROOT / "data"), "-o", str(out)]).exit_code == 0
    assert (out / "kg.ttl").read_bytes() == written


def test_a_full_disk_while_the_store_is_written_leaves_no_half_written_generation(
        tmp_path, monkeypatch):
    """The disk fills while a generation is written (cold, then updated in place): the build
    fails with exit 3, no stores/N of its own stays, and the outputs are those of before."""
    import kg.build.pipeline as pipeline
    import kg.store.generations as generations

    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(ROOT / "data"), "-o", str(out)]).exit_code == 0
    before = {name: (out / name).read_bytes() for name in ("kg.ttl", "kg.trig")}
    kept = sorted(p.name for p in (out / "stores").iterdir())

    def filling(real):
        def write(target, *args):
            real(target, *args)  # the generation is written whole, then the disk is full
            raise OSError(28, "No space left on device")
        return write

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    facts = data / FACTS
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "  dateline: ISTANBUL\n", "  dateline: ISTANBUL\n  url: https://example.org/a\n", 1),
        encoding="utf-8")
    # a first build into a new folder writes its store whole; a rebuild updates a copy
    for stage, folder in (("_create", tmp_path / "new"), ("_update", out)):
        monkeypatch.setattr(generations, stage, filling(getattr(generations, stage)))
        monkeypatch.setattr(pipeline, "COLD_SHARE", 100.0)  # a rebuild updates, however much
        result = CliRunner().invoke(main, ["build", str(data), "-o", str(folder)])
        monkeypatch.undo()
        assert result.exit_code == 3, (stage, result.output)
        assert "cannot write the store into" in result.output
        assert "No space left on device" in result.output
        if folder == out:
            assert sorted(p.name for p in (out / "stores").iterdir()) == kept
            assert {name: (out / name).read_bytes() for name in before} == before
        else:
            assert not list((folder / "stores").iterdir())
            assert not (folder / "kg.ttl").exists() and not (folder / "store").exists()


def test_a_build_killed_at_any_moment_is_repaired_by_the_next(tmp_path):
    """Kill a cold build at moments spread over its run (reading, validating, writing the
    store, the files, the link); the next build then gives what an undisturbed build gives,
    byte for byte, and leaves no temporary file and no stray generation."""
    import signal
    import time

    import pyoxigraph

    def state(out):
        store = pyoxigraph.Store.read_only(str(out / "store"))
        quads = sorted(store.dump(format=pyoxigraph.RdfFormat.N_QUADS).splitlines())
        return (out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes(), quads

    reference = tmp_path / "reference"
    start = time.monotonic()
    assert kg("build", ROOT / "data", "-o", reference).returncode == 0
    took = time.monotonic() - start  # the kills spread over a build's run on this machine
    expected = state(reference)
    out = tmp_path / "out"
    for delay in (took * share for share in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)):
        build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(ROOT / "data"), "-o",
                                  str(out), "--no-cache"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, cwd=ROOT)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        again = kg("build", ROOT / "data", "-o", out)
        assert again.returncode == 0, (delay, again.stderr)
        assert state(out) == expected, delay
        assert not list(out.rglob("*.tmp")), delay
        assert len([p for p in (out / "stores").iterdir() if p.is_dir()]) <= 2, delay
