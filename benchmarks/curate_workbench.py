"""How far the workbench's suggestions go towards the curated facts, and what curating in
the browser costs a curator.

Usage: python benchmarks/curate_workbench.py [DATA_DIR] [--browser]

For each article of DATA_DIR (default: data), with that article taken out of the corpus
(the entities it declares unknown, the rest known, its facts not in the corpus): the
suggestions `kg article suggest` makes, how many match a curated fact, precision and recall.

A claim is one (subject, key, value) of an entity or a fact: an entity's type, each value
of each key (a list gives one claim per value); labels, notes, readings and evidence are
not claims. A suggested claim matches a curated one when the subject, key and value are the
same and the suggestion's evidence overlaps the curated evidence. An entity the suggestions
propose is the curated entity of the same type whose evidence (its declaration's, or a
fact's about it) overlaps the most with the places the suggestions name it; its claims are
then compared under the curated id. Each curated claim is matched once.

Then the time of one save in `kg curate` (a fact edited in facts.yaml, written in place, and
every check of `kg article check` after it) in an article of at least 100 facts, made from
the synthetic corpus of benchmarks/corpus.py; the reference, measured in the same run: rdflib
parsing the Turtle of the same article's graph.

With --browser, it also curates each article, taken out of the corpus, in headless Chromium
(the scenario of tests/test_workbench_browser.py: the article made from its pasted text, its
curated facts reached by accepting suggestions, editing them, or selecting words and filling
the form) and prints the actions (clicks, choices, fills, word selections), per entity or
fact saved ("/saved"), per item of the curated facts.yaml it reaches ("/item": an accepted
suggestion is often a part of one) and per fact as the suggestions' figures count them
("/fact": a claim, one (subject, key, value): an entity's type, each value of each key; the
"curated" column above), and the characters typed (ids, labels, values, readings; never evidence). The
reference, measured on the same items: the characters a curator writes in an editor for
them (their lines of the curated facts.yaml), of which the evidence copied from the text.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from dataclasses import replace
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build.evidence import ArticleText  # noqa: E402
from kg.build.facts import article_dirs, load_article  # noqa: E402
from kg.curate.edit import read_document  # noqa: E402
from kg.curate.entities import demonyms as corpus_demonyms  # noqa: E402
from kg.curate.entities import known_entities  # noqa: E402
from kg.curate.suggest import corpus_facts, suggest, value_claims  # noqa: E402

def _overlaps(spans_a, spans_b) -> int:
    return sum(max(0, min(b1, b2) - max(a1, a2)) for a1, b1 in spans_a for a2, b2 in spans_b)


def evaluate(root: Path, folder: Path) -> dict:
    """Suggestions for the article in `folder` with it taken out of the corpus at `root`,
    matched against its curated facts."""
    article = load_article(folder, check_hash=False)
    text = ArticleText(article.text)
    entities = known_entities(root, leave_out=article.id)
    demonyms = corpus_demonyms(root, leave_out=article.id)
    corpus = corpus_facts(root, article.id)
    started = time.perf_counter()
    # the text and its metadata only: nothing of what the curator wrote
    suggestions = suggest(replace(article, facts=[], entities=[]), entities, demonyms, corpus)
    seconds = time.perf_counter() - started
    # the curated claims, each with its evidence span
    curated = []  # (claim, span)
    places: dict[str, list] = {}  # curated entity id -> its evidence spans
    declared: dict[str, str] = {}  # curated entity id -> type
    for item in read_document(folder / "facts.yaml").items:
        value = item.value
        found = text.find(value.get("evidence", ""), unique=False) if value.get("evidence") else None
        span = (found.start, found.end) if found else (0, 0)
        subject = value.get("id") or value.get("about")
        if item.section == "entities":
            declared[subject] = value["type"]
        claims = value_claims(value)
        named = {subject} | {v for _, _, v in claims if isinstance(v, str)} | {
            v[0] for _, _, v in claims if isinstance(v, tuple) and v}
        for name in named:  # where the curator's evidence names it
            places.setdefault(name, []).append(span)
        curated += [(claim, span) for claim in claims]
    # the proposed entities, each aligned with the curated entity it is
    proposed = {s.value["id"]: s for s in suggestions if s.section == "entities"}
    named: dict[str, list] = {}
    for s in suggestions:
        subject = s.value.get("id") or s.value.get("about")
        if subject in proposed:
            named.setdefault(subject, []).extend(s.spans)
    alias: dict[str, str] = {}
    taken: set[str] = set()
    pairs = sorted(
        ((_overlaps(named[p], places[c]), p, c) for p in proposed for c in declared
         if declared[c] == proposed[p].value["type"]),
        reverse=True)
    for score, p, c in pairs:
        if score > 0 and p not in alias and c not in taken:
            alias[p] = c
            taken.add(c)

    def mapped(claim):
        s, k, v = claim
        v = tuple(alias.get(x, x) for x in v) if isinstance(v, tuple) else alias.get(v, v)
        return (alias.get(s, s), k, v)

    suggested = [(mapped(c), s.spans) for s in suggestions for c in value_claims(s.value)]
    matched_curated: set[int] = set()
    kept = 0
    for claim, spans in suggested:
        hit = next((i for i, (c, span) in enumerate(curated)
                    if i not in matched_curated and c == claim and _overlaps(spans, [span]) > 0),
                   None)
        if hit is not None:
            matched_curated.add(hit)
            kept += 1
    return {
        "article": article.id,
        "suggested": len(suggested),
        "matched": kept,
        "curated": len(curated),
        "precision": kept / len(suggested) if suggested else 1.0,
        "recall": len(matched_curated) / len(curated) if curated else 1.0,
        "seconds": seconds,
        "missed": [c for i, (c, _) in enumerate(curated) if i not in matched_curated],
        "wrong": [c for c, spans in suggested
                  if not any(c == cc and _overlaps(spans, [sp]) for cc, sp in curated)],
    }


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    args = [a for a in argv if not a.startswith("-")]
    root = Path(args[0] if args else ROOT / "data").resolve()
    shown = root.relative_to(Path.cwd()) if root.is_relative_to(Path.cwd()) else root
    total = {"suggested": 0, "matched": 0, "curated": 0}
    print("suggestions, each article taken out of the corpus "
          f"({len(article_dirs(root))} articles of {shown}/):")
    print(f"  {'article':<40} {'suggested':>9} {'matched':>7} {'curated':>7} "
          f"{'precision':>9} {'recall':>6} {'time':>7}")
    for folder in article_dirs(root):
        r = evaluate(root, folder)
        for key in total:
            total[key] += r[key]
        print(f"  {r['article']:<40} {r['suggested']:>9} {r['matched']:>7} {r['curated']:>7} "
              f"{r['precision']:>9.0%} {r['recall']:>6.0%} {r['seconds']:>6.2f}s")
        if verbose:
            for claim in r["wrong"]:
                print("      not curated:", claim)
            for claim in r["missed"]:
                print("      missed:     ", claim)
    precision = total["matched"] / total["suggested"] if total["suggested"] else 1.0
    recall = total["matched"] / total["curated"] if total["curated"] else 1.0
    print(f"  {'all':<40} {total['suggested']:>9} {total['matched']:>7} {total['curated']:>7} "
          f"{precision:>9.0%} {recall:>6.0%}")


def big_article(tmp: Path, facts: int = 100) -> tuple[Path, int]:
    """A synthetic corpus (benchmarks/corpus.py) whose first article is grown, with the
    sentences, entities and facts of the next ones, to at least `facts` facts."""
    import hashlib

    import yaml

    from corpus import write_corpus

    root = write_corpus(tmp / "data", 40, seed=7)
    folders = article_dirs(root)
    first = folders[0]
    head = yaml.safe_load((first / "facts.yaml").read_text(encoding="utf-8"))
    text = (first / "article.txt").read_text(encoding="utf-8").rstrip("\n")

    def quoted(items):
        return [i["evidence"] for i in items if i.get("evidence")]

    for other in folders[1:]:
        if len(head["facts"]) < facts:
            more = yaml.safe_load((other / "facts.yaml").read_text(encoding="utf-8"))
            body = (other / "article.txt").read_text(encoding="utf-8").split("\n\n", 2)[2]
            theirs = quoted(more.get("entities") or []) + quoted(more["facts"])
            ours = quoted(head["entities"]) + quoted(head["facts"])
            ids = {e["id"] for e in head["entities"]}
            # an article joins when no words it quotes stand in ours, and none of ours in it
            if not any(q in text for q in theirs) and not any(q in body for q in ours) and not (
                ids & {e["id"] for e in more.get("entities") or []}
            ):
                text += "\n\n" + body.rstrip("\n")
                head["entities"] += more.get("entities") or []
                head["facts"] += more["facts"]
        shutil.rmtree(other)
    raw = (text + "\n").encode("utf-8")
    (first / "article.txt").write_bytes(raw)
    head["article"]["sha256"] = hashlib.sha256(raw).hexdigest()
    (first / "facts.yaml").write_text(yaml.safe_dump(head, sort_keys=False, allow_unicode=True,
                                                     width=10**6), encoding="utf-8")
    return first, len(head["facts"])


def save_and_check(runs: int = 5) -> None:
    """The time of one save (a fact edited) and the checks that follow, in an article of at
    least 100 facts, beside rdflib parsing the Turtle of the same article's graph."""
    import rdflib

    from kg.build.dates import resolve_dates
    from kg.build.facts import load_corpus
    from kg.build.unit import build_unit
    from kg.curate.edit import Edit
    from kg.curate.workbench import review, save

    with tempfile.TemporaryDirectory() as tmp:
        folder, count = big_article(Path(tmp))
        root = folder.parent.parent
        problems, _ = review(folder)
        assert not [p for p in problems if p.kind != "warning"], problems
        doc = read_document(folder / "facts.yaml")
        fact = next(i for i in doc.items if i.section == "facts")
        times = []
        for run in range(runs):
            digest = read_document(folder / "facts.yaml").digest
            edit = Edit("facts", fact.index, dict(fact.value) | {"note": f"seen, run {run}"})
            start = time.perf_counter()
            saved = save(root, folder.name, edit, digest)
            times.append(time.perf_counter() - start)
            assert not [p for p in saved["problems"] if p["kind"] != "warning"], saved
        corpus = load_corpus(root)
        article = next(a for a in corpus.articles if a.id == folder.name)
        unit = build_unit(corpus.root, article, article.facts,
                          {e.id: e for e in article.entities}, resolve_dates(corpus))
        turtle = unit.graph.serialize(format="turtle")
        parse = []
        for _ in range(runs):
            start = time.perf_counter()
            rdflib.Graph().parse(data=turtle, format="turtle")
            parse.append(time.perf_counter() - start)
    mine, ref = statistics.median(times), statistics.median(parse)
    print(f"save and check, an article of {count} facts ({len(unit.graph)} triples), "
          f"median of {runs}:")
    print(f"  kg curate's save + kg article check's checks  {mine:6.2f} s")
    print(f"  rdflib parsing the article's Turtle (reference) {ref:6.2f} s  "
          f"(save + check = {mine / ref:.1f}x)")


def at_scale(articles: int = 300) -> None:
    """The workbench over a synthetic corpus of `articles` articles: the first article's
    page and its check, cold (a server just started) and warm (the next save), and the list
    of articles; beside the reference of PyYAML (libyaml) loading every facts.yaml once,
    which any check of an article against its corpus must at least do once."""
    import yaml

    from corpus import write_corpus

    from kg.curate.workbench import article_list, article_view, review

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with tempfile.TemporaryDirectory() as tmp:
        root = write_corpus(Path(tmp) / "data", articles, seed=3)
        folder = article_dirs(root)[5]
        start = time.perf_counter()
        for f in article_dirs(root):
            yaml.load((f / "facts.yaml").read_text(encoding="utf-8"), Loader=loader)
        reference = time.perf_counter() - start
        times = {}
        for name, work in (
            ("page, cold", lambda: article_view(root, folder.name)),
            ("page, warm", lambda: article_view(root, folder.name)),
            ("check, warm", lambda: review(folder)),
            ("list of articles", lambda: article_list(root)),
        ):
            start = time.perf_counter()
            work()
            times[name] = time.perf_counter() - start
    print(f"kg curate over a corpus of {articles} articles (benchmarks/corpus.py):")
    for name, seconds in times.items():
        print(f"  {name:<18} {seconds:6.2f} s  ({seconds / reference:.1f}x the reference)")
    print(f"  reference: PyYAML (libyaml) loading every facts.yaml once {reference:.2f} s")


def browser() -> None:
    """Curate each shipped article, taken out of the corpus, in headless Chromium as
    tests/test_workbench_browser.py does: the actions and typed characters per kept fact."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright
    from workbench_scenario import Curator, chromium, workbench

    print("curating in the browser (headless Chromium), each article from its text alone:")
    print(f"  {'article':<30} {'saved':>5} {'accept':>6} {'edit':>4} {'hand':>4} {'actions':>7} "
          f"{'/saved':>6} {'items':>5} {'/item':>5} {'facts':>6} {'/fact':>6} {'typed':>6} "
          f"{'evidence':>8} {'time':>5}")
    rows, sums = [], [0, 0, 0, 0, 0]
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium())
        for folder in article_dirs(ROOT / "data"):
            with tempfile.TemporaryDirectory() as tmp:
                data = Path(tmp) / "data"
                shutil.copytree(ROOT / "data", data)
                shutil.rmtree(data / "articles" / folder.name)
                page = launched.new_page(viewport={"width": 1400, "height": 900})
                start = time.perf_counter()
                with workbench(data) as base:
                    curator = Curator(page, base, folder / "facts.yaml")
                    curator.new_article((folder / "article.txt").read_text(encoding="utf-8"))
                    t = curator.curate()
                page.close()
            seconds = time.perf_counter() - start
            doc = read_document(folder / "facts.yaml")
            items = [i for i in doc.items if i.section in ("entities", "facts")]
            claims = [c for i in items for c in value_claims(i.value)]  # as curated counts them
            lines = (folder / "facts.yaml").read_text(encoding="utf-8").splitlines()
            editor = sum(len(l.strip()) for i in items for l in lines[i.start : i.end])
            quoted = sum(len(i.value.get("evidence", "")) for i in items)
            rows.append((folder.name, editor, quoted, t.typed))
            sums = [a + b for a, b in zip(sums, (t.kept, t.actions, len(items), len(claims), t.typed))]
            print(f"  {folder.name[:30]:<30} {t.kept:>5} {t.accepted:>6} {t.edited:>4} "
                  f"{t.by_hand:>4} {t.actions:>7} {t.actions / t.kept:>6.1f} {len(items):>5} "
                  f"{t.actions / len(items):>5.1f} {len(claims):>6} "
                  f"{t.actions / len(claims):>6.1f} {t.typed:>6} {t.evidence_typed:>8} "
                  f"{seconds:>4.0f}s")
        launched.close()
    kept, actions, items_all, claims_all, typed = sums
    print(f"  {'all':<30} {kept:>5} {'':>6} {'':>4} {'':>4} {actions:>7} "
          f"{actions / kept:>6.1f} {items_all:>5} {actions / items_all:>5.1f} {claims_all:>6} "
          f"{actions / claims_all:>6.1f} {typed:>6} {0:>8}")
    print("the same items written in an editor (reference): characters of their lines in the "
          "curated facts.yaml")
    print(f"  {'article':<30} {'editor':>7} {'of evidence':>11} {'typed here':>10}")
    for name, editor, quoted, typed_here in rows:
        print(f"  {name[:30]:<30} {editor:>7} {quoted:>11} {typed_here:>10}")


if __name__ == "__main__":
    main(sys.argv[1:])
    print()
    save_and_check()
    print()
    at_scale()
    if "--browser" in sys.argv:
        print()
        browser()
