"""kg.curate.workbench (what kg curate shows and does) and kg.web.curate's guards, through
Starlette's test client: no browser (tests/test_workbench_browser.py drives one)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kg.curate.edit import Edit, read_document
from kg.curate.workbench import article_folder, article_view, dismiss, review, save, vocabulary
from kg.errors import ConflictError, InputError
from kg.limits import LIMITS
from kg.web.curate import create_curate_app

ROOT = Path(__file__).resolve().parent.parent
JUNE = "2025-06-02-istanbul-exchange"
TOKEN = "the-page-token"


@pytest.fixture()
def data(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture()
def client(data):
    app = create_curate_app(data, "127.0.0.1", 7071, token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1:7071")


def _write(client, path, body, **headers):
    sent = {"Content-Type": "application/json", "X-KG-Token": TOKEN} | headers
    return client.post(path, content=json.dumps(body), headers=sent)


def test_an_id_is_a_folder_of_the_data_never_a_path(data):
    for bad in ("../../etc", "2025-06-02-istanbul-exchange/../..", "articles", ""):
        with pytest.raises(InputError, match="no article"):
            article_folder(data, bad)


def test_a_broken_fact_is_shown_at_its_line(data):
    facts = data / "articles" / JUNE / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("locatedIn: istanbul", "locatedIn: atlantis"), encoding="utf-8")
    problems, _ = review(facts.parent)
    line = text.splitlines().index("    locatedIn: istanbul") + 1
    assert [(p.line, p.kind) for p in problems] == [(line, "error")]
    assert "atlantis" in problems[0].message
    view = article_view(data, JUNE)
    (palace,) = [i for i in view["items"] if i["value"].get("about") == "ciragan-palace"]
    assert [p["line"] for p in palace["problems"]] == [line]


def test_a_note_that_reads_like_a_reading_is_a_warning_beside_its_fact(data):
    folder = data / "articles" / JUNE
    doc = read_document(folder / "facts.yaml")
    item = next(i for i in doc.items if i.value.get("reading") and i.section == "facts")
    value = dict(item.value)
    value["note"] = value.pop("reading")
    saved = save(data, JUNE, Edit("facts", item.index, value), doc.digest, was=item.value)
    warnings = [p for p in saved["problems"] if p["kind"] == "warning"]
    assert warnings and "reading" in warnings[0]["message"]
    assert saved["line"] == item.line


def test_save_refuses_a_changed_file_and_writes_nothing(data):
    facts = data / "articles" / JUNE / "facts.yaml"
    doc = read_document(facts)
    changed = facts.read_text(encoding="utf-8") + "# edited elsewhere\n"
    facts.write_text(changed, encoding="utf-8")
    fact = {"about": "ciragan-palace", "altLabel": "Ciragan Palace", "evidence": "Çırağan Palace"}
    with pytest.raises(ConflictError) as caught:
        save(data, JUNE, Edit("facts", None, fact), doc.digest)
    assert caught.value.current == changed
    assert facts.read_text(encoding="utf-8") == changed


def test_an_edit_follows_its_item_when_the_file_moved_it(data):
    facts = data / "articles" / JUNE / "facts.yaml"
    doc = read_document(facts)
    last = [i for i in doc.items if i.section == "facts"][-1]
    first = [i for i in doc.items if i.section == "facts"][0]
    # the page shows the last fact at its index; the file now has one more fact before it
    added = save(data, JUNE, Edit("facts", 0, first.value | {"note": "x"}), doc.digest)
    moved = read_document(facts)
    edited = dict(last.value) | {"note": "checked"}
    save(data, JUNE, Edit("facts", last.index, edited), added["digest"], was=last.value)
    now = read_document(facts).section("facts")
    assert [i.value for i in now if i.value.get("note") == "checked"] == [edited]
    with pytest.raises(InputError, match="no longer"):
        save(data, JUNE, Edit("facts", 1, edited), moved.digest, was={"about": "nothing"})


def test_dismissed_suggestions_are_remembered_for_the_article(data):
    view = article_view(data, JUNE)
    assert view["suggestions"], "the June article has suggestions to dismiss"
    key = view["suggestions"][0]["key"]
    dismiss(data, JUNE, key)
    assert key not in [s["key"] for s in article_view(data, JUNE)["suggestions"]]
    with pytest.raises(InputError):
        dismiss(data, JUNE, "../../x")


def test_the_vocabulary_offers_the_keys_of_each_type_from_the_ontology():
    vocab = vocabulary()
    assert "headedBy" in vocab["types"]["Delegation"]["keys"]
    assert "headedBy" not in vocab["types"]["City"]["keys"]
    assert "DiplomaticEvent" in vocab["types"]["Negotiation"]["is"]
    assert vocab["keys"]["headedBy"]["definition"]
    assert "led by" in " ".join(vocab["keys"]["headedBy"]["cues"])
    assert vocab["keys"]["date"]["kind"] == "date"


def test_pages_answer_for_their_own_address_only(client):
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"Host": "attacker.example:7071"}).status_code == 421
    page = client.get(f"/article/{JUNE}")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert f'content="{TOKEN}"' in page.text
    assert client.get("/article/..%2F..%2Fetc").status_code in (400, 404)


def test_a_write_needs_the_token_json_and_the_own_origin(client, data):
    path = f"/api/articles/{JUNE}/dismiss"
    body = {"key": "0123456789abcdef"}
    assert _write(client, path, body, **{"X-KG-Token": "guessed"}).status_code == 403
    assert _write(client, path, body, Origin="http://attacker.example").status_code == 403
    assert _write(client, path, body, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    plain = client.post(path, content=json.dumps(body),
                        headers={"X-KG-Token": TOKEN, "Content-Type": "text/plain"})
    assert plain.status_code == 415
    assert not (data / "articles" / JUNE / "dismissed.json").exists()
    assert _write(client, path, body, Origin="http://127.0.0.1:7071").status_code == 200
    assert (data / "articles" / JUNE / "dismissed.json").exists()


def test_a_body_over_the_limit_is_refused_unread(client):
    big = {"text": "x" * (LIMITS["article"].bytes + LIMITS["body"].bytes + 1)}
    assert _write(client, "/api/articles", big).status_code == 413


def test_a_save_through_the_app_and_its_conflict(client, data):
    view = client.get(f"/api/articles/{JUNE}").json()
    fact = {"about": "istanbul-talks-second-round", "location": "ciragan-palace",
            "evidence": "met at Istanbul's Çırağan Palace"}
    body = {"edit": {"section": "facts", "value": fact}, "digest": view["digest"],
            "loaded": view["facts_yaml"]}
    saved = _write(client, f"/api/articles/{JUNE}/save", body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["problems"] == []
    again = _write(client, f"/api/articles/{JUNE}/save", body)  # the digest is now stale
    assert again.status_code == 409
    answer = again.json()
    assert "+    evidence: met at Istanbul's Çırağan Palace" in answer["diff"]
    assert "location: ciragan-palace" in answer["mine"]
    facts = (data / "articles" / JUNE / "facts.yaml").read_text(encoding="utf-8")
    assert facts.count("evidence: met at Istanbul's Çırağan Palace") == 1


def test_locate_counts_the_words_in_the_article(client):
    text = client.get(f"/api/articles/{JUNE}").json()["text"]
    start = text.index("Çırağan Palace")
    once = _write(client, f"/api/articles/{JUNE}/locate", {"start": start, "end": start + 14})
    assert once.json() == {"words": "Çırağan Palace", "count": 1}
    at = text.index("Istanbul")
    many = _write(client, f"/api/articles/{JUNE}/locate", {"start": at, "end": at + 8})
    assert many.json()["count"] > 1


def test_a_new_article_from_pasted_text_takes_a_slug_no_other_has(client, data):
    text = (data / "articles" / JUNE / "article.txt").read_text(encoding="utf-8")
    same = _write(client, "/api/articles", {"text": text})
    assert same.status_code == 409 and "it exists" in same.json()["error"]
    other = text.replace("second round", "third round")
    made = _write(client, "/api/articles", {"text": other})
    assert made.status_code == 200, made.text
    assert made.json()["id"] != JUNE and made.json()["id"].startswith("2025-06-02-")
    assert (data / "articles" / made.json()["id"] / "facts.yaml").is_file()


def test_an_article_read_before_is_read_again_once_its_file_changed(data):
    from kg.build.facts import load_article

    folder = data / "articles" / JUNE
    before = load_article(folder)
    again = load_article(folder)
    assert again == before and again.facts is not before.facts  # a copy, not the kept one
    facts = folder / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "label: Complete cease-fire of at least 30 days", "label: Complete ceasefire"),
        encoding="utf-8")
    after = load_article(folder)
    assert [e.label for e in after.entities if e.id == "complete-ceasefire"] == ["Complete ceasefire"]


def test_the_plan_of_one_article_is_its_job_in_the_whole_plan(data):
    from kg.build.plan import plan

    whole = {job.unit: job for job in plan(data).jobs}
    (only,) = plan(data, only=JUNE).jobs
    assert only.key == whole[JUNE].key and only.context == whole[JUNE].context


def test_a_query_parsed_once_answers_as_one_parsed_each_time():
    from rdflib import Graph, Literal, URIRef
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    from kg.build.validate import PreparedProcessor, _prepared

    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal(1)))
    query = "SELECT ?s WHERE { ?s <urn:p> ?o FILTER(?o > 0) }"
    plain = list(SPARQLProcessor(graph).query(query)["bindings"])
    before = _prepared.cache_info().hits
    for _ in range(2):
        assert list(PreparedProcessor(graph).query(query)["bindings"]) == plain
    assert _prepared.cache_info().hits >= before + 1
    assert list(graph.query(query)) == [(URIRef("urn:a"),)]  # rdflib's "sparql" is it now


def test_a_save_the_build_could_not_read_is_refused_and_writes_nothing(data):
    facts = data / "articles" / JUNE / "facts.yaml"
    before = facts.read_bytes()
    doc = read_document(facts)
    fact = {"about": "Recep Tayyip Erdoğan", "altLabel": "Erdoğan", "evidence": "Kyiv"}
    with pytest.raises(InputError, match="not saved: .*cannot form a valid IRI"):
        save(data, JUNE, Edit("facts", None, fact), doc.digest)
    assert facts.read_bytes() == before


def test_a_file_an_editor_left_unreadable_still_shows_its_items_to_mend(data):
    facts = data / "articles" / JUNE / "facts.yaml"
    text = facts.read_text(encoding="utf-8").replace("id: complete-ceasefire", "id: Complete Ceasefire")
    facts.write_text(text, encoding="utf-8")
    view = article_view(data, JUNE)
    line = text.splitlines().index("  - id: Complete Ceasefire") + 1
    (broken,) = [i for i in view["items"] if i["problems"]]
    assert broken["line"] == line and "valid IRI" in broken["problems"][0]["message"]
    assert view["text"].startswith("02/06/2025") and view["suggestions"] == []
    # deleting the broken item mends the file: that save is let through
    saved = save(data, JUNE, Edit("entities", broken["index"]), view["digest"],
                 was=broken["value"])
    assert "Complete Ceasefire" not in facts.read_text(encoding="utf-8")
    assert saved["digest"] != view["digest"]


def test_a_wildcard_host_is_refused_before_anything_listens(data):
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["curate", str(data), "--host", "0.0.0.0", "--port", "7399"])
    assert result.exit_code == 2 and "wildcard" in result.output


def test_another_articles_broken_file_leaves_this_page_whole(data):
    may = data / "articles" / "2025-05-16-istanbul-talks" / "facts.yaml"
    may.write_text(may.read_text(encoding="utf-8").replace(
        "id: istanbul-direct-talks-2025", "id: Istanbul talks", 1), encoding="utf-8")
    view = article_view(data, JUNE)
    assert view["text"].startswith("02/06/2025") and len(view["items"]) == 19
    assert any("2025-05-16-istanbul-talks" in p["message"] for p in view["problems"])


def test_a_file_that_is_not_yaml_is_shown_at_its_line_and_a_save_says_why(data):
    facts = data / "articles" / JUNE / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "facts: [\n", encoding="utf-8")
    view = article_view(data, JUNE)
    assert view["items"] == [] and view["problems"][0]["line"] is not None
    fact = {"about": "kyiv", "altLabel": "Kyiv", "evidence": "Kyiv"}
    with pytest.raises(InputError, match="YAML"):  # not a conflict: the file is as loaded
        save(data, JUNE, Edit("facts", None, fact), view["digest"])
