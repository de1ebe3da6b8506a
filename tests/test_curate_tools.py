"""The curator's commands: kg article new / check / rehash, kg entities search / duplicates,
kg coverage."""

import re
import shutil
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import main
from kg.curate.article import check_article
from kg.curate.entities import known_entities as _all_entities
from kg.build.evidence import fold as _plain, normalise
from kg.build.facts import load_article

from .conftest import ARTICLE, ARTICLES, JULY, ROOT, RUSSIAN

SOURCE = ROOT / "data" / "articles" / ARTICLE / "article.txt"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd or ROOT, timeout=120)


@pytest.fixture
def corpus_without_the_article(tmp_path):
    """The shipped reference entities and no article: what a curator starts from."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "entities", data / "entities")
    (data / "articles").mkdir()
    return data


def test_article_new_proposes_the_shipped_articles_metadata(corpus_without_the_article):
    data = corpus_without_the_article
    result = CliRunner().invoke(main, ["article", "new", str(SOURCE), "--data", str(data)])
    assert result.exit_code == 0, result.output
    folder = data / "articles" / ARTICLE  # the shipped folder's name: date and slug
    assert (folder / "article.txt").read_bytes() == SOURCE.read_bytes()
    made = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))["article"]
    shipped = yaml.safe_load((SOURCE.parent / "facts.yaml").read_text(encoding="utf-8"))["article"]
    for key in ("title", "published", "published_as", "dateline", "datelinePlace", "sha256"):
        assert made[key] == shipped[key], key
    # the skeleton is a valid article already
    check = CliRunner().invoke(main, ["article", "check", str(folder)])
    assert check.exit_code == 0, check.output


def test_article_new_lists_every_known_entity_the_text_names(tmp_path):
    """Run with the shipped corpus known: every entity of the corpus whose label or
    alternative label stands in the text (case and accents aside) is listed."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = SOURCE.read_text(encoding="utf-8")
    copy = tmp_path / "same-text.txt"
    copy.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["article", "new", str(copy), "--data", str(data),
                                       "--slug", "istanbul-talks-again"])
    assert result.exit_code == 0, result.output
    skeleton = (data / "articles" / "2025-05-16-istanbul-talks-again" / "facts.yaml").read_text()
    listed = set(re.findall(r"^#   ([\w-]+) \(\w+\)", skeleton, flags=re.M))
    plain = " ".join(_plain(normalise(text)).split())
    named = {e.id for e in _all_entities(ROOT / "data")
             if any(re.search(rf"(?<!\w){re.escape(_plain(normalise(n)))}(?!\w)", plain)
                    for n in (e.label, *e.alt_labels))}
    assert len(named) > 15 and named <= listed
    assert "vladimir-putin" in listed and "russian-delegation" in listed


def test_article_new_refuses_an_existing_folder_and_bad_text(corpus_without_the_article, tmp_path):
    data = corpus_without_the_article
    assert run("article", "new", SOURCE, "--data", data).returncode == 0
    again = run("article", "new", SOURCE, "--data", data)
    assert again.returncode == 3 and "it exists" in again.stderr
    latin = tmp_path / "latin.txt"
    latin.write_bytes(SOURCE.read_bytes().replace("Dolmabahçe".encode(), b"Dolmabah\xe7e"))
    bad = run("article", "new", latin, "--data", data, "--slug", "other")
    assert bad.returncode == 2 and f"{latin}:13: not UTF-8: byte 0xe7" in bad.stderr
    undated = tmp_path / "undated.txt"
    undated.write_text("Talks resume\n\nThe talks resumed.\n", encoding="utf-8")
    none = run("article", "new", undated, "--data", data)
    assert none.returncode == 2 and "no publication date" in none.stderr


def test_article_new_writes_utf16_as_utf8(corpus_without_the_article, tmp_path):
    wide = tmp_path / "wide.txt"
    wide.write_bytes(SOURCE.read_text(encoding="utf-8").encode("utf-16"))
    result = CliRunner().invoke(main, ["article", "new", str(wide), "--data",
                                       str(corpus_without_the_article)])
    assert result.exit_code == 0, result.output
    written = corpus_without_the_article / "articles" / ARTICLE / "article.txt"
    assert written.read_bytes() == SOURCE.read_bytes()


def test_article_check_gives_the_builds_messages(data_copy, tmp_path):
    folder = data_copy / "articles" / ARTICLE
    ok = run("article", "check", folder)
    assert ok.returncode == 0 and "ok: 62 facts" in ok.stdout
    facts = folder / "facts.yaml"
    facts.write_text(facts.read_text().replace("evidence: President Vladimir Putin\n",
                                               "evidence: President Vladimir V. Putin\n"))
    checked = run("article", "check", folder)
    built = run("build", data_copy, "-o", tmp_path / "out")
    assert checked.returncode == built.returncode == 2
    assert checked.stderr == built.stderr
    assert not (tmp_path / "out" / "kg.ttl").exists()


def _readings(article: str) -> list[int]:
    """The lines of the shipped article's `reading:` keys (of facts that have no note)."""
    text = (ROOT / "data" / "articles" / article / "facts.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for n, line in enumerate(lines, 1):
        if line.startswith("    reading:"):
            start = n - 1
            while not lines[start].startswith("  - "):
                start -= 1
            end = n
            while end < len(lines) and not lines[end].startswith(("  - ", "facts:", "entities:")):
                end += 1
            if not any(item.startswith("    note:") for item in lines[start:end]):
                found.append(n)
    return found


@pytest.mark.parametrize("article, line", [(a, n) for a in ARTICLES for n in _readings(a)])
def test_a_reading_written_as_a_note_is_flagged(article, line, data_copy):
    """A reading written as `note:` (an older habit) passes every check and leaves the fact
    Stated where it is Read: kg article check warns at its line, and still exits 0."""
    facts = data_copy / "articles" / article / "facts.yaml"
    lines = facts.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace("    reading:", "    note:", 1)
    facts.write_text("".join(lines), encoding="utf-8")
    checked = check_article(facts.parent)
    assert [w.split(": this note reads like a reading")[0] for w in checked.warnings] == [
        f"{facts}:{line - _fact_offset(lines, line)}"
    ]
    assert "warning: " in checked.text() and "reading:" in checked.warnings[0]


def _fact_offset(lines: list[str], line: int) -> int:
    """How far above `line` its fact (the item a warning names) begins."""
    offset = 0
    while not lines[line - 1 - offset].startswith("  - "):
        offset += 1
    return offset


def test_a_note_that_is_a_note_is_not_flagged():
    """The shipped note (on a meeting the article gives no date) says what is absent."""
    assert check_article(ROOT / "data" / "articles" / ARTICLE).warnings == []


def test_article_check_writes_nothing(data_copy):
    before = sorted(p.relative_to(data_copy) for p in data_copy.rglob("*"))
    assert run("article", "check", data_copy / "articles" / ARTICLE).returncode == 0
    assert sorted(p.relative_to(data_copy) for p in data_copy.rglob("*")) == before


def test_article_rehash_updates_the_hash_and_names_passages_to_look_at(data_copy, tmp_path):
    out = tmp_path / "out"
    assert run("build", data_copy, "-o", out, "-q").returncode == 0
    folder = data_copy / "articles" / ARTICLE
    text = folder / "article.txt"
    body = text.read_text(encoding="utf-8")
    text.write_text(body.replace("a senior adviser to President", "a senior aide to President"),
                    encoding="utf-8")
    before = (folder / "facts.yaml").read_text(encoding="utf-8")
    result = run("article", "rehash", folder, "-o", out)
    assert result.returncode == 0, result.stderr
    after = (folder / "facts.yaml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith("  sha256: ")
    assert "2 passage(s) no longer found" in result.stdout  # two facts cite those words
    assert 'closest now: "The Russian delegation was led by Vladimir Medinsky, a senior aide' in result.stdout
    assert "Ukraine was represented by Defense Minister Rustem Umerov" in result.stdout  # after the edit
    assert "Hakan Fidan" not in result.stdout  # a paragraph the edit left alone
    # the hash is right now: what is left is the passage to fix
    check = run("article", "check", folder)
    assert check.returncode == 2 and "evidence not found" in check.stderr
    assert "changed since its facts were curated" not in check.stderr


def test_entities_search_is_fuzzy_and_names_the_articles():
    result = CliRunner().invoke(main, ["entities", "search", "Umierov"])
    assert result.exit_code == 0
    first = result.output.splitlines()[1].split()
    assert first[:2] == ["rustem-umerov", "Person"] and ARTICLE in result.output.splitlines()[1]
    accents = CliRunner().invoke(main, ["entities", "search", "dolmabahce PALACE", "--limit", "1"])
    assert accents.output.splitlines()[1].startswith("dolmabahce-palace")
    none = CliRunner().invoke(main, ["entities", "search", "Sergey Lavrov"])
    assert none.exit_code == 0 and "no known entity" in none.output


def test_entities_duplicates_finds_a_spelling_declared_twice(data_copy):
    people = data_copy / "entities" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") +
                      "  - id: rustem-umierov\n    type: Person\n    label: Rustem Umierov\n"
                      "    note: A second entry for the same man.\n", encoding="utf-8")
    found = CliRunner().invoke(main, ["entities", "duplicates", "--data", str(data_copy)])
    assert found.exit_code == 0
    assert re.search(r"Person\s+rustem-umerov\s+rustem-umierov", found.output)
    people.write_text(people.read_text(encoding="utf-8") +
                      "    distinctFrom: rustem-umerov\n", encoding="utf-8")
    again = CliRunner().invoke(main, ["entities", "duplicates", "--data", str(data_copy)])
    assert "rustem-umierov" not in again.output


def test_coverage_of_the_shipped_article_and_of_a_gap(data_copy, tmp_path):
    folder = data_copy / "articles" / ARTICLE
    full = CliRunner().invoke(main, ["coverage", str(folder)])
    assert full.exit_code == 0 and "sentences cited by a fact   15/15 (100%)" in full.output
    text = folder / "article.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\n\nThe talks ended after two hours.\n",
                    encoding="utf-8")
    assert run("article", "rehash", folder).returncode == 0
    page = tmp_path / "coverage.html"
    gap = CliRunner().invoke(main, ["coverage", str(folder), "--html", str(page)])
    assert gap.exit_code == 0, gap.output
    assert "15/16" in gap.output and "paragraph 11: The talks ended after two hours." in gap.output
    html = page.read_text(encoding="utf-8")
    assert '<span class="uncited">The talks ended after two hours.' in html
    assert html.count("<mark") > 20 and "<script" not in html and "http" not in html.split("<body>")[1].split("<pre>")[0].replace("https://w3id", "")
    assert load_article(folder, check_hash=False).facts  # the folder is still an article


def test_the_readmes_reading_warning_is_what_kg_prints(data_copy):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = next(line.strip() for line in readme.splitlines()
                 if line.strip().startswith("warning:") and "reads like a reading" in line)
    facts = data_copy / "articles" / ARTICLE / "facts.yaml"
    old = "    reading: The conflict the cease-fire would de-escalate is the Russia–Ukraine war.\n"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace(old, old.replace("reading:", "note:")), encoding="utf-8")
    checked = check_article(facts.parent)
    assert f"warning: {checked.warnings[0]}".replace(str(data_copy), "data") == shown


JUNE = "2025-06-02-istanbul-exchange"


@pytest.fixture
def corpus_without_june(tmp_path):
    """The shipped corpus less the June article, whose text is june.txt beside it (and
    less the July article, which builds on it)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.rmtree(tmp_path / "data" / "articles" / JUNE)
    shutil.rmtree(tmp_path / "data" / "articles" / JULY)
    shutil.rmtree(tmp_path / "data" / "articles" / RUSSIAN)
    shutil.copy(ROOT / "data" / "articles" / JUNE / "article.txt", tmp_path / "june.txt")
    return tmp_path


def test_the_readmes_article_new_example_is_what_kg_prints(corpus_without_june):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ kg article new june.txt\n", 1)[1].split("```", 1)[0]
    made = run("article", "new", "june.txt", cwd=corpus_without_june)
    assert made.returncode == 0, made.stderr
    assert made.stdout == shown
    skeleton = (corpus_without_june / "data" / "articles" / JUNE / "facts.yaml").read_text()
    unknown = skeleton.split("know yet", 1)[1].split("entities:")[0]
    assert unknown.splitlines()[1:] == [
        "#   Rustem Umierov (paragraph 4); maybe rustem-umerov",
        "#   Kyiv (paragraph 6)",
    ]


def test_names_that_open_a_sentence_demonyms_and_known_posts_are_not_unknown():
    from kg.curate.entities import demonyms
    from kg.curate.names import find_mentions, unknown_names

    entities, words = _all_entities(ROOT / "data"), demonyms(ROOT / "data")
    text = ("ISTANBUL — US Secretary of State Marco Rubio met Turkish Foreign Minister Hakan "
            "Fidan and the Ukrainian Minister of Defence on Friday. Speaking afterwards, Russian "
            "officials said little.\n\nEach side met Mr. Lavrov, and Andrii Sybiha, and the "
            "American envoy.\n\nUkrainian\nofficials left for Kyiv.")
    assert unknown_names(text, entities, "ISTANBUL", words) == [
        ("Andrii Sybiha", 2), ("Lavrov", 2), ("Kyiv", 3)]
    # without the demonyms, they are names
    plain = {n for n, _ in unknown_names(text, entities)}
    assert {"Russian", "American", "Turkish Foreign Minister"} <= plain
    named = {m.entity.id: m.name for m in find_mentions(text, entities, words)}
    assert named["us-secretary-of-state"] == "US Secretary of State"
    assert named["minister-of-defence-of-ukraine"] == "Ukrainian Minister of Defence"
    assert "minister-of-defence-of-ukraine" not in {m.entity.id for m in find_mentions(text, entities)}


def test_a_slug_names_one_article(corpus_without_june):
    root = corpus_without_june
    # the same text as an article of the corpus is that article
    shutil.copy(SOURCE, root / "may.txt")
    same = run("article", "new", "may.txt", cwd=root)
    assert same.returncode == 3 and f"data/articles/{ARTICLE} holds this text" in same.stderr
    # a slug another article uses, given, is refused; proposed, it is made longer
    used = run("article", "new", "june.txt", "--slug", "istanbul-talks", cwd=root)
    assert used.returncode == 2 and f"the article {ARTICLE} has that slug" in used.stderr
    text = (root / "june.txt").read_text(encoding="utf-8")
    (root / "other.txt").write_text(text.replace(
        "Russia and Ukraine agree on prisoner exchange at second round of Istanbul talks",
        "Second round of Istanbul talks ends"), encoding="utf-8")
    made = run("article", "new", "other.txt", cwd=root)
    assert made.returncode == 0, made.stderr
    assert "created data/articles/2025-06-02-istanbul-talks-second/" in made.stdout
    assert sorted(p.name for p in (root / "data" / "articles").iterdir()) == [
        ARTICLE, "2025-06-02-istanbul-talks-second"]


def test_a_label_that_only_names_a_kind_of_thing_is_no_mention():
    from kg.build.model import Entity
    from kg.curate.names import find_mentions
    from kg.errors import Location

    meeting = Entity("meeting-2025-06", "Meeting", "Meeting", Location("f", 1))
    fidan = Entity("hakan-fidan", "Person", "Hakan Fidan", Location("f", 1))
    found = find_mentions("The meeting, hosted by Hakan Fidan, ended.", [meeting, fidan])
    assert [m.entity.id for m in found] == ["hakan-fidan"]
