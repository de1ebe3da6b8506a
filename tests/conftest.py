import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from kg.build.pipeline import build
from kg.build.plan import plan
from kg.source import open_store
from kg.vocab.namespaces import NOT_STATED, bind_prefixes

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "2025-05-16-istanbul-talks"
#: The shipped follow-up article: the second round of the talks (June 2025).
JUNE = "2025-06-02-istanbul-exchange"
#: The third round (July 2025), by when a post had changed hands.
JULY = "2025-07-24-istanbul-third-round"
#: The second round again, reported in Russian (its evidence in Russian, with translations).
RUSSIAN = "2025-06-02-istanbul-second-round-ru"
ARTICLES = (ARTICLE, JUNE, RUSSIAN, JULY)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@dataclass
class Built:
    """What `kg build` made of a data folder, read back from its store: the corpus it read,
    the named graphs of what the sources state (not the ontology, the shapes or the
    inferred triples) and the counts of its summary."""

    corpus: object
    dataset: Dataset
    fact_count: int
    facts_with_evidence: int

    def union(self) -> Graph:
        """Every triple of every graph in one graph, with our prefixes."""
        union = Graph()
        bind_prefixes(union)
        for quad in self.dataset.quads((None, None, None, None)):
            union.add(quad[:3])
        return union


def build_graph(data) -> Built:
    """Build `data` as `kg build` does (the same pipeline, into a temporary folder), and
    read back what the sources state."""
    with tempfile.TemporaryDirectory(prefix="kg-test-build-") as out:
        summary = build(data, out)
        store = open_store(out)
        dataset = Dataset()
        bind_prefixes(dataset)
        for name in store.named_graphs():
            if name not in NOT_STATED:
                quads = store.store.quads_for_pattern(None, None, None, ox.NamedNode(name))
                dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
                              format="nquads")
    return Built(plan(data).corpus, dataset, summary.facts, summary.facts_with_evidence)


@pytest.fixture(scope="session")
def built():
    return build_graph(ROOT / "data")


@pytest.fixture(scope="session")
def dataset(built):
    return built.dataset


@pytest.fixture(scope="session")
def union(built):
    return built.union()


SECOND = "2025-05-18-talks-recap"
TEXT = """18/05/2025

What the Istanbul talks settled

ISTANBUL \u2014 The direct talks between Russia and Ukraine were held in Istanbul on 16 May, \
at the Ciragan Palace. The Russian delegation was led by Vladimir Medinsky. Ukraine's Foreign Minister Andrii Sybiha also attended.
"""
DATE_FACT = """  - about: istanbul-direct-talks-2025
    date: 2025-05-16
{rank}    evidence: The direct talks between Russia and Ukraine were held in Istanbul on 16 May
"""
def add_second_source(data, rank: str = "", extra: str = "") -> None:
    """Add to a data folder a second article that dates the talks differently (16 May,
    not Thursday the 15th) and gives the Ukrainian foreign minister's post a named holder;
    `rank` lines go into its date fact, `extra` facts after its others."""
    folder = data / "articles" / SECOND
    folder.mkdir(exist_ok=True)
    # the venue is a reference entry (data/entities/places.yaml)
    venue = ""
    (folder / "article.txt").write_text(TEXT, encoding="utf-8")
    digest = hashlib.sha256((folder / "article.txt").read_bytes()).hexdigest()
    (folder / "facts.yaml").write_text(f"""article:
  title: What the Istanbul talks settled
  published: 2025-05-18
  published_as: 18/05/2025
  dateline: ISTANBUL
  sha256: {digest}
entities:
{venue}  - id: andrii-sybiha
    type: Person
    label: Andrii Sybiha
    holdsPost: minister-of-foreign-affairs-of-ukraine
    evidence: Ukraine's Foreign Minister Andrii Sybiha
facts:
{DATE_FACT.format(rank=rank)}  - about: istanbul-direct-talks-2025
    location: ciragan-palace
    evidence: were held in Istanbul on 16 May, at the Ciragan Palace
{extra}""", encoding="utf-8")
