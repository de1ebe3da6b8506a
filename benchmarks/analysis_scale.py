"""Build a synthetic corpus of about 100,000 triples in kg's own data format and time
the analysis stages on it.

Usage: python benchmarks/analysis_scale.py [ARTICLES] [FACTS_PER_ARTICLE]   (defaults: 60 20)

Writes data/entities/*.yaml and data/articles/*/ (article.txt + facts.yaml) into a
temporary folder, then times: loading and building the RDF (with every evidence passage
located), SHACL validation, the multigraph projection, the simple and co-participation
projections, PageRank, and betweenness sampled from 100 sources.
"""

import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE, COUNTRIES, CITIES = 1500, 60, 120


def write_corpus(root: Path, articles: int, facts: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    (root / "entities").mkdir(parents=True)
    lines = ["entities:"]
    for c in range(COUNTRIES):
        lines += [f"  - id: country-{c}", "    type: Country", f"    label: Country {c}"]
    for c in range(CITIES):
        lines += [f"  - id: city-{c}", "    type: City", f"    label: City {c}",
                  f"    locatedIn: country-{c % COUNTRIES}"]
    for p in range(PEOPLE):
        lines += [f"  - id: person-{p}", "    type: Person", f"    label: Person {p}"]
    (root / "entities" / "reference.yaml").write_text("\n".join(lines) + "\n")
    for a in range(articles):
        day = 1 + a % 28
        slug = f"2025-05-{day:02d}-synthetic-{a}"
        folder = root / "articles" / slug
        folder.mkdir(parents=True)
        sentences, entities, facts_yaml = [], [], []
        events = [f"talks-{a}-{e}" for e in range(3)]
        for e, event in enumerate(events):
            city = rng.randrange(CITIES)
            sentence = f"Talks number {e} of report {a} opened in City {city}."
            sentences.append(sentence)
            entities += [f"  - id: {event}", "    type: Negotiation",
                         f"    label: Talks {a}.{e}", f"    location: city-{city}",
                         f"    evidence: {sentence}"]
        for f in range(facts):
            event = events[f % len(events)]
            p, q = rng.sample(range(PEOPLE), 2)
            role = rng.choice(["participant", "host", "mediator", "head-of-delegation"])
            sentence = (f"In report {a}, item {f}: Person {p} ({role}) met Person {q} at "
                        f"talks {event.split('-', 1)[1]}.")
            sentences.append(sentence)
            facts_yaml += [f"  - about: {event}", "    participant:",
                           f"      - {{agent: person-{p}, role: {role}}}",
                           f"      - {{agent: person-{q}, role: participant}}",
                           f"    evidence: \"{sentence}\""]
        text = f"{day:02d}/05/2025\n\nSynthetic report {a}\n\nGENEVA \u2014 " + " ".join(sentences) + "\n"
        (folder / "article.txt").write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        header = ["article:", f"  title: Synthetic report {a}", f"  published: 2025-05-{day:02d}",
                  "  dateline: GENEVA", f"  sha256: {digest}", "entities:"]
        (folder / "facts.yaml").write_text("\n".join(header + entities + ["facts:"] + facts_yaml) + "\n")


def timed(label, func, *args, **kwargs):
    start = time.perf_counter()
    value = func(*args, **kwargs)
    print(f"  {label:<44} {time.perf_counter() - start:7.2f} s")
    return value


def main(articles: int = 60, facts: int = 20) -> None:
    from kg.analyze import centrality
    from kg.build import build_graph
    from kg.network import centrality_graph, coparticipation_graph, multigraph
    from kg.validate import validate

    root = Path(tempfile.mkdtemp()) / "data"
    timed("write synthetic corpus (YAML + text)", write_corpus, root, articles, facts)
    built = timed("load, locate evidence, build RDF", build_graph, root)
    union = built.union()
    print(f"  corpus: {articles} articles, {built.fact_count} facts, {len(union)} triples")
    result = timed("SHACL validation", validate, built)
    print(f"  conforms: {result.conforms}")
    multi = timed("multigraph projection", multigraph, union)
    print(f"  multigraph: {multi.number_of_nodes()} nodes, {multi.number_of_edges()} edges")
    simple = timed("simple (centrality) projection", centrality_graph, multi)
    people = timed("co-participation projection", coparticipation_graph, multi)
    print(f"  co-participation: {people.number_of_nodes()} people, {people.number_of_edges()} links")
    timed("PageRank (simple graph)", centrality, simple, "pagerank", 10)
    timed("betweenness, 100 sampled sources", centrality, simple, "betweenness", 10,
          samples=100, seed=1)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
