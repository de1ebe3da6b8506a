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

With --browser, it also runs the Playwright curation of the June article (the scenario of
tests/test_workbench.py, in headless Chromium) and prints the clicks and typed characters
per kept fact it needed. The reference, measured in the same run: the characters of the
curated facts.yaml items that curating by hand in an editor types.
"""

from __future__ import annotations

import sys
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


if __name__ == "__main__":
    main(sys.argv[1:])
