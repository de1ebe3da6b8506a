"""The terms the next articles about the talks need build, validate and answer queries."""

import hashlib

from click.testing import CliRunner

from kg.cli import main
from kg.build.pipeline import build
from kg.read.query import run_query
from kg.source import open_store

FOLLOW_UP = "2025-06-03-second-round"
TEXT = """03/06/2025

Second round of talks in Istanbul ends with a prisoner deal

ISTANBUL \u2014 Russian and Ukrainian delegations met again in Istanbul on Monday. Ukraine \
proposed a ceasefire of 30 days, which Russia rejected. Both sides signed a memorandum on the \
exchange of prisoners. "We agreed to return all seriously wounded prisoners," Rustem Umerov \
announced. The exchange freed 1,000 prisoners. Earlier, Marco Rubio held a phone call with \
Sergei Lavrov about the talks.
"""


def _follow_up(data):
    folder = data / "articles" / FOLLOW_UP
    folder.mkdir()
    (folder / "article.txt").write_text(TEXT, encoding="utf-8")
    digest = hashlib.sha256((folder / "article.txt").read_bytes()).hexdigest()
    (folder / "facts.yaml").write_text(f"""article:
  title: Second round of talks in Istanbul ends with a prisoner deal
  published: 2025-06-03
  dateline: ISTANBUL
  sha256: {digest}
entities:
  - id: second-round-2025-06
    type: Negotiation
    label: Second round of Russia–Ukraine talks in Istanbul
    date: {{weekday: Monday}}
    location: istanbul
    participant: [russian-delegation-2, ukrainian-delegation]
    evidence: Russian and Ukrainian delegations met again in Istanbul on Monday
  - id: russian-delegation-2
    type: Delegation
    label: Russian delegation (June 2025)
    represents: russia
    evidence: Russian and Ukrainian delegations
  - id: ceasefire-30-days-june
    type: Ceasefire
    label: 30-day ceasefire proposed by Ukraine
    duration: P30D
    proposedBy: ukraine
    rejectedBy: russia
    evidence: Ukraine proposed a ceasefire of 30 days, which Russia rejected
  - id: prisoner-memorandum
    type: Memorandum
    label: Memorandum on the exchange of prisoners
    party: [russia, ukraine]
    concludedAt: second-round-2025-06
    evidence: Both sides signed a memorandum on the exchange of prisoners
  - id: prisoner-exchange-2025-06
    type: PrisonerExchange
    label: Exchange of 1,000 prisoners
    prisonerCount: 1000
    participant: [russia, ukraine]
    evidence: The exchange freed 1,000 prisoners
  - id: sergei-lavrov
    type: Person
    label: Sergei Lavrov
    evidence: Sergei Lavrov
  - id: rubio-lavrov-call
    type: PhoneCall
    label: Phone call of Marco Rubio and Sergei Lavrov
    participant: [marco-rubio, sergei-lavrov]
    topic: second-round-2025-06
    evidence: Marco Rubio held a phone call with Sergei Lavrov about the talks
  - id: umerov-wounded-statement
    type: PublicStatement
    label: Umerov on the wounded prisoners
    speaker: rustem-umerov
    quotation: {{text: We agreed to return all seriously wounded prisoners, verb: announced}}
    evidence: >-
      "We agreed to return all seriously wounded prisoners," Rustem Umerov announced
facts:
  - about: umerov-wounded-statement
    topic: prisoner-memorandum
    reading: What the sides agreed to is the memorandum on the exchange of prisoners.
    evidence: >-
      "We agreed to return all seriously wounded prisoners," Rustem Umerov announced
""", encoding="utf-8")


def test_a_follow_up_article_with_the_new_terms(data_copy, tmp_path):
    _follow_up(data_copy)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = open_store(out)

    def rows(text):
        return [tuple(v.value if v is not None else None for v in row)
                for row in run_query(store, text).rows]

    kgr = "https://w3id.org/diplomacy-kg/id/"
    assert rows("SELECT ?by ?no ?days WHERE { kgr:ceasefire-30-days-june dip:proposedBy ?by ; "
                "dip:rejectedBy ?no ; dip:durationDays ?days }") == [
        (kgr + "ukraine", kgr + "russia", "30")]
    # a memorandum is an agreement; its parties and the talks that concluded it
    assert rows("SELECT ?party ?at WHERE { ?m a dip:Agreement ; dip:party ?party ; "
                "dip:concludedAt ?at FILTER(?at = kgr:second-round-2025-06) } ORDER BY ?party") == [
        (kgr + "russia", kgr + "second-round-2025-06"),
        (kgr + "ukraine", kgr + "second-round-2025-06")]
    assert rows("SELECT ?n WHERE { ?x a dip:PrisonerExchange ; dip:prisonerCount ?n }") == [
        ("1000",)]
    # a phone call is a diplomatic event with a topic; the article reports it
    assert rows("SELECT ?topic WHERE { ?call a dip:DiplomaticEvent ; a dip:PhoneCall ; "
                "dip:topic ?topic }") == [(kgr + "second-round-2025-06",)]
    reported = {r[0] for r in rows(f"SELECT ?e WHERE {{ <{kgr}article/{FOLLOW_UP}> "
                                   "dip:reports ?e }")}
    assert {kgr + "rubio-lavrov-call", kgr + "prisoner-exchange-2025-06",
            kgr + "second-round-2025-06"} <= reported
    # the quotation's own verb, on its passage, with its offsets
    [(verb, exact, start)] = rows(f"""SELECT ?verb ?exact ?start WHERE {{
        GRAPH ?fact {{ ?p dip:speechVerb ?verb }}
        ?fact dip:quotationPassage ?p ; prov:wasDerivedFrom <{kgr}article/{FOLLOW_UP}> .
        ?p oa:exact ?exact ; oa:start ?start }}""")
    assert verb == "announced" and exact == "We agreed to return all seriously wounded prisoners"
    assert TEXT[int(start):].startswith(exact)


def test_a_bad_count_and_an_unknown_verb_key_are_refused(data_copy, tmp_path):
    _follow_up(data_copy)
    facts = data_copy / "articles" / FOLLOW_UP / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    for bad, message in (("prisonerCount: 1000", "takes a whole number from 0"),
                         ("verb: announced", "unknown key")):
        wrong = {"prisonerCount: 1000": "prisonerCount: -3",
                 "verb: announced": "verb: announced, tone: grave"}[bad]
        facts.write_text(text.replace(bad, wrong), encoding="utf-8")
        result = CliRunner().invoke(main, ["build", str(data_copy), "-o", str(tmp_path)],
                                    catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert message in result.output and f"articles/{FOLLOW_UP}/facts.yaml:" in result.output


def test_build_in_memory_reads_the_new_terms(data_copy, tmp_path):
    _follow_up(data_copy)
    summary = build(data_copy, tmp_path, workers=1)
    assert summary.articles == 5 and summary.conforms
