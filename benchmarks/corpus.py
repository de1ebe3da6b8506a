"""Write a synthetic corpus in kg's own data format: seeded, deterministic, conforming.

Usage: python benchmarks/corpus.py ARTICLES OUT_DIR [--seed S] [--with-shipped data]

The corpus has what a real one has: reference entities shared by every article
(``entities/*.yaml``: 120 countries, 80 foreign ministries, 720 posts, 2,000 people, capitals
and venues), and one folder per article (``article.txt``, ``facts.yaml``) whose text reads as
a short news report (about 480 words) and whose curated facts (about 55) are of the kinds the
shipped Istanbul article has: negotiations with a relative date and a venue, a session and a
preparatory meeting, three delegations with heads and members, posts and the countries
people serve, a proposal and its status, public statements with quotations, an absence, and
links to earlier talks and to conflicts declared by earlier articles. Countries and people
are drawn with Zipf weights, and two in five reports return to a conflict already in the
news, so a few entities recur in many articles, as hubs do in real news.

The same ARTICLES and seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

COUNTRIES, MINISTRIES, PEOPLE, VENUES = 120, 80, 2000, 60
#: The posts every country has, by the index of the person of that country who holds it.
POSTS = ("president", "foreign-minister", "defence-minister", "un-ambassador", "special-envoy",
         "presidential-adviser")
POST_LABELS = {"president": "President of {c}", "foreign-minister": "Minister of Foreign Affairs of {c}",
               "defence-minister": "Minister of Defence of {c}",
               "un-ambassador": "Ambassador of {c} to the United Nations",
               "special-envoy": "Special Envoy of {c}", "presidential-adviser": "Adviser to the President of {c}"}
POST_TITLES = {"president": "President", "foreign-minister": "Foreign Minister",
               "defence-minister": "Defence Minister", "un-ambassador": "UN Ambassador",
               "special-envoy": "Special Envoy", "presidential-adviser": "presidential adviser"}
TOPICS = ("a prisoner exchange", "grain shipments across the sea", "the return of displaced families",
          "border crossings", "the safety of a nuclear plant", "energy supplies for the winter",
          "the demining of farmland", "access for humanitarian convoys")
QUOTES = ("there is no alternative to dialogue", "every day of delay costs lives",
          "we came here in good faith", "the door to peace remains open",
          "a ceasefire must be verifiable", "our patience is not unlimited",
          "this is a first step, not the last", "words must now become deeds")
VERBS = ("declared", "said", "told reporters", "stressed", "warned", "insisted")
SYLLABLES = ("ka", "lo", "ver", "dan", "mi", "sor", "tel", "ra", "vin", "es", "to", "bel",
             "gar", "no", "ul", "pe", "zar", "qui", "fen", "ho", "lis", "mar", "ob", "tu")
FIRST = ("Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas",
         "Karim", "Lena", "Marek", "Nadia", "Oskar", "Petra", "Quentin", "Rosa", "Stefan", "Tamar",
         "Ugo", "Vera", "Walid", "Xenia", "Yusuf", "Zofia", "Adrian", "Bianca", "Cyril", "Dalia")
LAST = ("Aldor", "Brenn", "Castel", "Dorne", "Ekvall", "Faro", "Gustin", "Holm", "Ivars",
        "Janek", "Kessler", "Lund", "Moravec", "Novak", "Orsini", "Pavlik", "Quist", "Rask",
        "Soler", "Tarkov", "Ulvik", "Varga", "Wendt", "Yilmaz", "Zeman", "Abreu", "Bastos",
        "Csorba", "Dahl", "Egger", "Falk", "Grohl", "Haas", "Ibsen", "Jovic", "Kral", "Lenz",
        "Maier", "Nemeth", "Olsen", "Prus", "Reiter", "Sauer", "Teller", "Urban", "Vogt",
        "Weiss", "Zoller", "Amsel", "Berger", "Corvin", "Drago", "Engel", "Frey", "Gerber",
        "Hofer", "Imhof", "Jager", "Keller", "Lorenz", "Mohr", "Nagel", "Ott", "Pohl", "Roth",
        "Seidel", "Thal", "Unger", "Vetter", "Winter")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
START = dt.date(2023, 1, 2)


@dataclass
class Country:
    index: int
    id: str
    name: str
    demonym: str
    capital: str
    capital_name: str
    ministry: str | None
    people: list[int] = field(default_factory=list)


@dataclass
class Person:
    index: int
    id: str
    name: str
    country: int
    post: str | None  # a POSTS key, or None for an official without a post


#: Ids of the shipped data that a generated name must not take.
RESERVED = {"russia", "ukraine", "turkey", "istanbul", "tass"}


def _name(rng: random.Random, used: set, parts: int) -> str:
    while True:
        name = "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()
        if name not in used and len(name) > 3 and name.lower() not in RESERVED:
            used.add(name)
            return name


def _zipf(rng: random.Random, n: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(n)]


class World:
    """The reference entities every article draws from."""

    def __init__(self, seed: int):
        rng = random.Random(seed)
        used: set = set()
        self.countries: list[Country] = []
        for c in range(COUNTRIES):
            name = _name(rng, used, rng.choice((2, 3)))
            demonym = name + ("n" if name.endswith(("a", "o", "e")) else "ian")
            capital_name = _name(rng, used, 2) + rng.choice(("burg", "grad", " City", "ville", "stad"))
            slug = name.lower()
            self.countries.append(Country(c, slug, name, demonym, f"{slug}-capital", capital_name,
                                          f"{slug}-foreign-ministry" if c < MINISTRIES else None))
        self.venues = []  # (id, label, country index)
        for v in range(VENUES):
            country = self.countries[v * 2 % COUNTRIES]
            kind = ("Palace", "Conference Centre", "Hall of Nations", "Castle")[v % 4]
            self.venues.append((f"venue-{v}", f"{kind} of {country.capital_name}", country.index))
        names: set = set()
        self.people: list[Person] = []
        for p in range(PEOPLE):
            country = p % COUNTRIES
            rank = p // COUNTRIES  # the first people of a country hold its posts
            while True:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                if name not in names:
                    names.add(name)
                    break
            post = POSTS[rank] if rank < len(POSTS) else None
            person = Person(p, f"person-{p}-{name.lower().replace(' ', '-')}", name, country, post)
            self.people.append(person)
            self.countries[country].people.append(p)
        self.country_weights = _zipf(rng, COUNTRIES, 1.1)

    def post_id(self, person: Person) -> str:
        return f"{self.countries[person.country].id}-{person.post}"

    def write(self, root: Path) -> None:
        folder = root / "entities"
        folder.mkdir(parents=True, exist_ok=True)
        lines = ["# Synthetic countries.", "entities:"]
        for c in self.countries:
            lines += [f"  - id: {c.id}", "    type: Country", f"    label: {c.name}"]
        (folder / "synthetic-countries.yaml").write_text(_sourced(lines), encoding="utf-8")
        lines = ["# Synthetic foreign ministries.", "entities:"]
        for c in self.countries:
            if c.ministry:
                lines += [f"  - id: {c.ministry}", "    type: GovernmentBody",
                          f"    label: Ministry of Foreign Affairs of {c.name}",
                          f"    altLabel: {c.demonym} Foreign Ministry",
                          f"    subOrganizationOf: {c.id}"]
        (folder / "synthetic-organizations.yaml").write_text(_sourced(lines), encoding="utf-8")
        lines = ["# Synthetic posts.", "entities:"]
        for c in self.countries:
            for post in POSTS:
                body = c.ministry if post == "foreign-minister" and c.ministry else c.id
                lines += [f"  - id: {c.id}-{post}", "    type: Post",
                          f"    label: {POST_LABELS[post].format(c=c.name)}", f"    postIn: {body}"]
        (folder / "synthetic-posts.yaml").write_text(_sourced(lines), encoding="utf-8")
        lines = ["# Synthetic people.", "entities:"]
        for p in self.people:
            lines += [f"  - id: {p.id}", "    type: Person", f"    label: {p.name}"]
        (folder / "synthetic-people.yaml").write_text(_sourced(lines), encoding="utf-8")
        lines = ["# Synthetic capitals and venues.", "entities:"]
        for c in self.countries:
            lines += [f"  - id: {c.capital}", "    type: City", f"    label: {c.capital_name}",
                      f"    locatedIn: {c.id}"]
        for vid, label, country in self.venues:
            lines += [f"  - id: {vid}", "    type: Venue", f"    label: {label}",
                      f"    locatedIn: {self.countries[country].capital}"]
        (folder / "synthetic-places.yaml").write_text(_sourced(lines), encoding="utf-8")


def _sourced(lines: list[str]) -> str:
    """Reference entries with their source, as background knowledge needs: a (made-up)
    identifier per entry."""
    out = []
    for line in lines:
        out.append(line)
        if line.startswith("  - id: "):
            out.append(f"    source: https://example.org/synthetic/{line[len('  - id: '):]}")
    return "\n".join(out) + "\n"


class Article:
    """One synthetic report: sentences, and facts whose evidence is one of the sentences."""

    def __init__(self):
        self.paragraphs: list[list[str]] = []
        self.entities: list[list[str]] = []
        self.facts: list[list[str]] = []

    def say(self, sentence: str, paragraph_break: bool = False) -> str:
        if paragraph_break or not self.paragraphs:
            self.paragraphs.append([])
        self.paragraphs[-1].append(sentence)
        return sentence

    def declare(self, id_, type_, label, evidence, **props) -> None:
        self.entities.append([f"  - id: {id_}", f"    type: {type_}", f"    label: {_q(label)}",
                              *_props(props), f"    evidence: {_q(evidence)}"])

    def fact(self, about, evidence, **props) -> None:
        self.facts.append([f"  - about: {about}", *_props(props), f"    evidence: {_q(evidence)}"])


def _q(text: str) -> str:
    """A YAML scalar: double-quoted, so colons and quotes in the text are safe."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _props(props: dict) -> list[str]:
    lines = []
    for key, value in props.items():
        key = key.rstrip("_")
        if isinstance(value, list):
            lines.append(f"    {key}:")
            lines += [f"      - {v}" for v in value]
        else:
            lines.append(f"    {key}: {value}")
    return lines


def write_corpus(root: str | Path, articles: int, seed: int = 1,
                 shipped: str | Path | None = None) -> Path:
    """Write `articles` synthetic articles and the reference entities into `root`.

    With `shipped` (a data folder, such as the repository's ``data``), its reference files
    and articles are copied in too, so that the competency questions have their answers in
    the big corpus. Returns `root` as a Path. Deterministic: the same arguments give the
    same bytes.
    """
    root = Path(root)
    world = World(seed)
    world.write(root)
    if shipped is not None:
        shipped = Path(shipped)
        for path in sorted(shipped.glob("entities/*.yaml")) + sorted(shipped.glob("articles/*/*")):
            target = root / path.relative_to(shipped)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    rng = random.Random(seed + 1)
    earlier: dict[tuple, str] = {}  # (country, country) -> id of the latest talks between them
    conflicts: dict[tuple, str] = {}  # (country, country) -> id of the conflict between them
    for k in range(articles):
        _write_article(root, world, rng, k, earlier, conflicts)
    return root


def represent_another(facts: str | Path) -> None:
    """Edit an article's facts.yaml: its first delegation represents another country of the
    article (a triple of the shared hierarchies, so that what every article reaching the
    delegation entails changes)."""
    facts = Path(facts)
    text = facts.read_text(encoding="utf-8")
    country = text.split("represents: ", 1)[1].split("\n", 1)[0]
    other = next(line.split("represents: ", 1)[1] for line in text.splitlines()
                 if "represents: " in line and not line.endswith(country))
    facts.write_text(text.replace(f"represents: {country}\n", f"represents: {other}\n", 1),
                     encoding="utf-8")


def _pick_people(world: World, rng: random.Random, country: Country, count: int) -> list[Person]:
    pool = [p for p in country.people if world.people[p].post != "president"]
    weights = _zipf(rng, len(pool), 0.8)
    chosen: list[int] = []
    while len(chosen) < count:
        p = rng.choices(pool, weights)[0]
        if p not in chosen:
            chosen.append(p)
    return [world.people[p] for p in chosen]


def _title(world: World, person: Person) -> str:
    country = world.countries[person.country]
    if person.post is None:
        return f"{country.demonym} official {person.name}"
    return f"{country.demonym} {POST_TITLES[person.post]} {person.name}"


def _write_article(root: Path, world: World, rng: random.Random, k: int, earlier: dict,
                   conflicts: dict) -> None:
    published = START + dt.timedelta(days=k * 3 // 4)
    parties: list[Country] = []
    if earlier and rng.random() < 0.4:  # a conflict already in the news, as most reports are
        pair = rng.choice(sorted(earlier))
        parties = [world.countries[pair[0]], world.countries[pair[1]]]
    while len(parties) < 4:
        c = world.countries[rng.choices(range(COUNTRIES), world.country_weights)[0]]
        if c not in parties:
            parties.append(c)
    a, b, mediator, host = parties
    venue = next((v for v in world.venues if v[2] == host.index), None)
    topic = rng.choice(TOPICS)
    weekday_back = rng.randrange(0, 4)
    held = published - dt.timedelta(days=weekday_back)
    weekday = WEEKDAYS[held.weekday()]
    slug = f"{a.id}-{b.id}-talks-{k}"
    folder = root / "articles" / f"{published.isoformat()}-{slug}"
    folder.mkdir(parents=True)
    art = Article()
    talks, session, meeting = f"talks-{k}", f"session-{k}", f"meeting-{k}"
    proposal = f"proposal-{k}"
    title = f"{a.name} and {b.name} hold talks in {host.capital_name} on {topic}"
    art.say(published.strftime("%d/%m/%Y"))
    art.say(title, paragraph_break=True)

    # the talks: when, where, about what, and what they follow
    opening = art.say(f"{host.capital_name.upper()} \u2014 Delegations from {a.name} and {b.name} "
                      f"met in {host.capital_name} on {weekday} for talks on {topic}, "
                      f"mediated by {mediator.name}.", paragraph_break=True)
    evidence_open = opening.split(" \u2014 ", 1)[1].split(", mediated")[0]
    art.declare(talks, "Negotiation", f"{a.name}–{b.name} talks in {host.capital_name} "
                f"({published:%B %Y}, report {k})", evidence_open,
                date=f"{{weekday: {weekday}}}", location=host.capital)
    pair = tuple(sorted((a.index, b.index)))
    if pair in earlier:
        resumed = art.say(f"The meeting was the first between the two sides since the round "
                          f"recorded as {earlier[pair]}, which ended without agreement.")
        art.fact(talks, resumed, resumes=earlier[pair])
    earlier[pair] = talks
    if pair in conflicts:
        conflict = conflicts[pair]
        war = art.say(f"Both governments described the talks as a step toward ending the "
                      f"conflict known in these reports as {conflict}.")
    else:
        conflict = f"conflict-{a.id}-{b.id}"
        war = art.say(f"The conflict between {a.name} and {b.name}, recorded here as "
                      f"{conflict}, has dragged on for months.")
        art.declare(conflict, "ArmedConflict", f"Conflict between {a.name} and {b.name}", war)
        conflicts[pair] = conflict

    # the delegations and the people in them
    delegations = []
    sentences = []
    for side, role in ((a, "participant"), (b, "participant"), (mediator, "mediator")):
        head, *members = _pick_people(world, rng, side, 5)
        delegation = f"delegation-{k}-{side.id}"
        delegations.append((side, delegation, head, members, role))
        led = art.say(f"The {side.demonym} delegation was led by {_title(world, head)}.",
                      paragraph_break=not sentences)
        joined = art.say(f"{head.name} was joined by {_title(world, members[0])}, "
                         f"{_title(world, members[1])}, {_title(world, members[2])} and "
                         f"{_title(world, members[3])}.")
        sentences.append((led, joined))
        art.declare(delegation, "Delegation", f"{side.demonym} delegation ({talks})",
                    f"The {side.demonym} delegation", represents=side.id)
        art.fact(delegation, led, headedBy=head.id, hasMember=head.id)
        art.fact(delegation, joined, hasMember=[m.id for m in members])
        art.fact(talks, led, participant=[f"{{agent: {delegation}, role: {role}}}",
                                          f"{{agent: {head.id}, role: head-of-delegation}}"])
        art.fact(talks, joined, participant=[f"{{agent: {m.id}, role: delegation-member}}"
                                             for m in members])
        for person in (head, *members):
            mention = _title(world, person)
            props = {"serves": side.id}
            if person.post:
                props = {"holdsPost": world.post_id(person), **props}
            art.fact(person.id, mention, **props)

    # the opening session, hosted by the host country's foreign minister
    host_minister = next((world.people[p] for p in host.people
                          if world.people[p].post == "foreign-minister"), world.people[host.people[0]])
    where = f"the {venue[1]}" if venue else host.capital_name
    heads = [d[2] for d in delegations]
    hosted = art.say(f"The talks began at {where}, where {_title(world, host_minister)} hosted "
                     f"an opening session with {heads[0].name}, {heads[1].name} and "
                     f"{heads[2].name}.", paragraph_break=True)
    art.declare(session, "Session", f"Opening session of {talks}", hosted,
                partOf=talks, location=venue[0] if venue else host.capital,
                date=f"{{sameDayAs: {talks}}}")
    art.fact(session, hosted, participant=[f"{{agent: {host_minister.id}, role: host}}",
                                           *(f"{{agent: {h.id}, role: participant}}" for h in heads)])
    art.fact(host_minister.id, _title(world, host_minister),
             **({"holdsPost": world.post_id(host_minister)} if host_minister.post else {}),
             serves=host.id)

    envoy = next((world.people[p] for p in host.people
                  if world.people[p].post == "un-ambassador"), None)
    if envoy is not None:
        welcomed = art.say(f"{_title(world, envoy)} welcomed the delegations on behalf of "
                           f"{host.name}.")
        art.fact(session, welcomed, participant=f"{{agent: {envoy.id}, role: host}}")
        art.fact(envoy.id, _title(world, envoy), holdsPost=world.post_id(envoy), serves=host.id)

    # a preparatory meeting of the mediator with one side
    med_head = delegations[2][2]
    prepared = art.say(f"Earlier in the day, {med_head.name} held a preparatory meeting with "
                       f"{delegations[1][3][0].name} to agree on the agenda.")
    art.declare(meeting, "Meeting", f"Preparatory meeting before {talks}", prepared,
                date=f"{{sameDayAs: {talks}}}")
    art.fact(meeting, prepared, participant=[med_head.id, delegations[1][3][0].id])
    attended = art.say(f"{delegations[2][3][0].name} and {delegations[1][3][1].name} also "
                       "attended the preparatory meeting.")
    art.fact(meeting, attended, participant=[delegations[2][3][0].id, delegations[1][3][1].id])
    art.fact(talks, prepared, precededBy=meeting)
    facilitated = art.say(f"Diplomats credited the preparatory meeting with making the round "
                          f"in {host.capital_name} possible.")
    art.fact(talks, facilitated, facilitatedBy=meeting)

    # the proposal
    days = rng.choice((3, 7, 14, 30, 60, 90))
    status = rng.choice(("discussed", "agreed", "rejected"))
    verb = {"discussed": "discussed", "agreed": "agreed on", "rejected": "rejected"}[status]
    proposed = art.say(f"The delegations {verb} a {days}-day cease-fire around {topic}, "
                       "according to people familiar with the talks.", paragraph_break=True)
    art.declare(proposal, "Ceasefire", f"{days}-day cease-fire proposed in {talks}", proposed,
                duration=f"P{days}D", status=status, topic=conflict)
    focus = art.say(f"The {days}-day cease-fire was the main item on the agenda in "
                    f"{host.capital_name}.")
    art.fact(talks, focus, focus=proposal)
    president = next(world.people[p] for p in a.people if world.people[p].post == "president")
    absent = art.say(f"President {president.name} of {a.name} did not take part in the talks.")
    art.fact(talks, absent, withoutParticipant=president.id)
    art.fact(president.id, absent, holdsPost=world.post_id(president), serves=a.id)
    if rng.random() < 0.3:
        late = art.say(f"The round in {host.capital_name} was delayed from its initially "
                       "scheduled date.")
        art.fact(talks, late, delayed="true")

    # statements: one quoted, one summarised through an unnamed official
    speaker = delegations[0][2]
    quote = rng.choice(QUOTES)
    verb = rng.choice(VERBS)
    said = art.say(f"After the session, {speaker.name} spoke to the press. \u201c{quote.capitalize()},\u201d "
                   f"{speaker.name.split()[0]} {verb} in {host.capital_name}.", paragraph_break=True)
    art.declare(f"statement-{k}-quote", "PublicStatement",
                f"{speaker.name}'s remarks after {talks}",
                said.split("spoke to the press. ", 1)[1], speaker=speaker.id, speechVerb=_q(verb),
                quotation=_q(quote.capitalize()), topic=talks)
    med_quote = rng.choice([q for q in QUOTES if q != quote])
    med_said = art.say(f"{med_head.name} of {mediator.name} added: \u201c{med_quote.capitalize()}.\u201d")
    art.declare(f"statement-{k}-mediator", "PublicStatement",
                f"{med_head.name}'s remarks after {talks}", med_said, speaker=med_head.id,
                speechVerb="added", quotation=_q(med_quote.capitalize()), topic=talks)
    official = f"official-{k}"
    told = art.say(f"A senior {b.demonym} diplomat, who asked not to be named, said the "
                   f"talks in {host.capital_name} could open the way to a wider agreement on {topic}.")
    art.declare(official, "Person", f"Senior {b.demonym} diplomat (not named, report {k})",
                f"A senior {b.demonym} diplomat, who asked not to be named", unnamed="true",
                serves=b.id)
    art.declare(f"statement-{k}-summary", "PublicStatement",
                f"{b.demonym} diplomat's assessment of {talks}", told, speaker=official,
                summary=_q(f"the talks could open the way to a wider agreement on {topic}"),
                topic=talks)
    adviser = next((world.people[p] for p in b.people
                    if world.people[p].post == "presidential-adviser"), None)
    b_president = next(world.people[p] for p in b.people if world.people[p].post == "president")
    if adviser is not None:
        advice = art.say(f"{adviser.name}, an adviser to {b.demonym} President "
                         f"{b_president.name}, followed the talks from {b.capital_name}.")
        art.fact(adviser.id, advice, advises=b_president.id, holdsPost=world.post_id(adviser),
                 serves=b.id)
    # context, as real reports have: not every sentence becomes a fact
    art.say(f"Observers in {mediator.capital_name} said progress on {topic} would decide "
            f"whether the {host.capital_name} format survives.", paragraph_break=True)
    art.say(f"Previous attempts to settle the dispute between {a.name} and {b.name} faltered "
            "over the sequencing of security guarantees and the monitoring of any truce.")
    art.say(f"Diplomats in {mediator.capital_name} cautioned that both sides still hold "
            "maximalist positions, and that a lasting settlement would need the backing of "
            "their neighbours as well as international guarantors.")
    art.say(f"Humanitarian organisations urged the delegations to put civilians first, "
            f"noting that the fighting has displaced thousands of families along the border "
            f"between {a.name} and {b.name}.")

    text = "\n\n".join(" ".join(p) for p in art.paragraphs) + "\n"
    (folder / "article.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    head = ["article:", f"  title: {_q(title)}", f"  published: {published.isoformat()}",
            f"  published_as: {published:%d/%m/%Y}", f"  dateline: {host.capital_name.upper()}",
            f"  datelinePlace: {host.capital}", f"  sha256: {digest}", "", "entities:"]
    body = head + [l for e in art.entities for l in e] + ["", "facts:"] + [l for f in art.facts for l in f]
    (folder / "facts.yaml").write_text("\n".join(body) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--with-shipped", type=Path, metavar="DATA",
                        help="also copy this data folder's articles and entities in")
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    write_corpus(args.out, args.articles, args.seed, args.with_shipped)
    print(f"wrote {args.articles} articles into {args.out}")


if __name__ == "__main__":
    main()
