"""Inference that follows the change gives what reasoning over the whole corpus gives."""

import random

import pytest

from kg.build.entail import infer_units
from kg.build.infer import abox, hierarchy_predicates, infer, relevant_predicates, triples
from kg.build.pipeline import build, build_in_memory

from .test_infer import owlrl_inferences, write_corpus
from .test_pipeline import outputs

from corpus import represent_another  # noqa: E402  (benchmarks/, on the path since test_infer)

KGR, DIP = "https://w3id.org/diplomacy-kg/id/", "https://w3id.org/diplomacy-kg/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def line(s, p, o):
    return f"<{KGR}{s}> <{DIP}{p}> <{KGR}{o}> .\n"


def whole(aboxes: dict) -> bytes:
    """What the reasoner infers from every unit's triples at once."""
    return infer("".join(sorted({t for a in aboxes.values() for t in a.splitlines(True)})).encode())


def test_a_chain_across_three_articles_follows_each_of_them(tmp_path):
    aboxes = {
        "a-talks": line("talks", "hasParticipant", "envoy"),
        "b-envoy": line("envoy", "represents", "ministry"),
        "c-ministry": line("ministry", "subOrganizationOf", "country"),
    }
    found = infer_units(aboxes, tmp_path, size=1)
    assert line("talks", "hasParticipant", "country").encode() in found.ntriples
    assert found.ntriples == whole(aboxes)
    assert found.reasoned == 4  # three units and the shared hierarchies

    del aboxes["c-ministry"]  # the article that placed the ministry is removed
    found = infer_units(aboxes, tmp_path, size=1)
    assert line("talks", "hasParticipant", "country").encode() not in found.ntriples
    assert line("talks", "hasParticipant", "ministry").encode() in found.ntriples
    assert found.ntriples == whole(aboxes)
    # the hierarchies changed; both units reach what changed (the talks through the envoy)
    assert found.reasoned == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".hierarchies.nt", "a-talks.nt", "b-envoy.nt"]


def test_an_edit_outside_the_hierarchies_reasons_only_its_own_group(tmp_path):
    aboxes = {f"u{n}": line(f"meeting{n}", "hasParticipant", f"person{n}")
              + line(f"person{n}", "serves", "government") for n in range(12)}
    aboxes["gov"] = line("government", "subOrganizationOf", "country")
    assert infer_units(aboxes, tmp_path, size=1).reasoned == 14
    aboxes["u3"] += line("meeting3", "hasParticipant", "person7")
    found = infer_units(aboxes, tmp_path, size=1)
    assert found.reasoned == 1
    assert line("meeting3", "hasParticipant", "country").encode() in found.ntriples
    assert found.ntriples == whole(aboxes)


def random_aboxes(rng: random.Random, units: int) -> dict:
    """Triples of every property and class the reasoner reads, between a few entities, so
    that chains, transitive and inverse properties and sub-properties meet across units."""
    predicates = sorted(p for p in relevant_predicates() if p.startswith(DIP))
    hierarchy = sorted(hierarchy_predicates())
    classes = ["Country", "Person", "Delegation", "Meeting", "Session", "City", "Venue"]
    entities = [f"e{n}" for n in range(9)]
    aboxes = {}
    for unit in range(units):
        lines = []
        for _ in range(rng.randint(0, 6)):
            s, o = rng.choice(entities), rng.choice(entities)
            p = rng.choice(hierarchy if rng.random() < 0.5 else predicates)
            if s != o:
                lines.append(f"<{KGR}{s}> <{p}> <{KGR}{o}> .\n")
        if rng.random() < 0.5:
            lines.append(f"<{KGR}{rng.choice(entities)}> <{TYPE}> <{DIP}{rng.choice(classes)}> .\n")
        aboxes[f"unit-{unit:02d}"] = "".join(lines)
    return aboxes


@pytest.mark.parametrize("seed", range(12))
def test_random_corpora_edited_again_and_again_equal_the_whole_closure(seed, tmp_path):
    rng = random.Random(seed)
    aboxes = random_aboxes(rng, 8)
    for step in range(4):
        found = infer_units(aboxes, tmp_path, size=1 + step % 2)
        assert found.ntriples == whole(aboxes), f"seed {seed}, step {step}"
        # an addition, an edit and a removal before the next build
        changed = random_aboxes(rng, 3)
        aboxes[f"new-{step}"] = changed["unit-00"]
        aboxes[rng.choice(sorted(aboxes))] = changed["unit-01"]
        del aboxes[rng.choice(sorted(aboxes))]


def test_the_incremental_closure_of_an_edited_corpus_agrees_with_owlrl(tmp_path):
    data = write_corpus(tmp_path / "data", 4, seed=5)
    results = build_in_memory(data).results
    aboxes = {unit: abox(r.ntriples).decode() for unit, r in results.items()}
    cache = tmp_path / "inferred"
    infer_units(aboxes, cache, size=2)
    units = sorted(aboxes)
    # a unit loses its hierarchy triples, another its first half, a third goes
    aboxes[units[0]] = "".join(
        t for t in aboxes[units[0]].splitlines(True)
        if t.split(" ")[1][1:-1] not in hierarchy_predicates())
    aboxes[units[1]] = "".join(aboxes[units[1]].splitlines(True)[::2])
    del aboxes[units[2]]
    found = infer_units(aboxes, cache, size=2)
    stated = "".join(sorted({t for a in aboxes.values() for t in a.splitlines(True)})).encode()
    ours = set(triples(found.ntriples.decode().splitlines()))
    assert len(ours) > 100
    assert ours == owlrl_inferences(stated)


def test_a_rebuild_after_a_hierarchy_changes_equals_a_cold_build(tmp_path):
    """A delegation is said to represent another country: what its talks' participants act
    for changes in the articles that only mention the delegation, too."""
    data = write_corpus(tmp_path / "data", 6, seed=7)  # few enough changes to update the store
    build(data, tmp_path / "out", workers=1)
    before = (tmp_path / "out" / "cache" / "graphs" / "inferred.nt").read_bytes()
    represent_another(sorted((data / "articles").iterdir())[0] / "facts.yaml")
    rebuilt = build(data, tmp_path / "out", workers=1)
    assert rebuilt.rebuilt == 1
    after = (tmp_path / "out" / "cache" / "graphs" / "inferred.nt").read_bytes()
    assert after != before
    build(data, tmp_path / "cold", workers=1, use_cache=False)
    assert outputs(tmp_path / "out") == outputs(tmp_path / "cold")


def test_another_ontology_or_no_cache_reasons_every_closure_again(tmp_path, monkeypatch):
    import kg.build.entail as entail

    aboxes = {f"u{n}": line(f"meeting{n}", "hasParticipant", f"person{n}") for n in range(5)}
    assert infer_units(aboxes, tmp_path, size=1).reasoned == 6
    assert infer_units(aboxes, tmp_path, size=1).reasoned == 0
    assert infer_units(aboxes, tmp_path, size=1, use_cache=False).reasoned == 6
    monkeypatch.setattr(entail, "_axioms_key", lambda: "an edited ontology")
    assert infer_units(aboxes, tmp_path, size=1).reasoned == 6

