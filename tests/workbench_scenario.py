"""A curator at `kg curate`, driven through headless Chromium by Playwright: an article made
from its text on the list page, then turned into the facts of a target facts.yaml (what a
curator knows the article says) by selecting words, picking keys and accepting suggestions,
as a person would click: every click, choice, fill and word selection is counted as an action,
every character put into a field as typed. Evidence is never typed: the form has no field for
it, only the words selected in the text.

Used by tests/test_workbench_browser.py and by benchmarks/curate_workbench.py --browser.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.evidence import ArticleText
from kg.build.facts import read_claims
from kg.curate.edit import read_document
from kg.vocab.curation import PROPERTIES
from kg.vocab.kinds import KINDS

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
_FIELDS = ("id", "type", "label", "about", "evidence", "reading", "note", "rank", "rankReason")


def chromium() -> str | None:
    """The Chromium that tests/run.sh installs, if this machine has it."""
    for path in (CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if path and Path(path).is_file():
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def workbench(data_dir: Path, port: int | None = None):
    """`kg curate DATA_DIR` running in its own process; yields its address."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "curate", str(data_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if process.poll() is not None:
                raise RuntimeError(f"kg curate stopped: {process.stdout.read()}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def claims_of(value: dict) -> set[tuple]:
    """What an entity or a fact says, as (subject, key, value) read as the build reads it."""
    subject = value.get("id") or value.get("about")
    out = {(subject, c.key, c.value) for c in read_claims(value)}
    if "type" in value:
        out |= {(subject, "type", value["type"]), (subject, "label", value["label"])}
    return out


def _extras(value: dict) -> dict:
    return {k: value[k] for k in ("reading", "note", "rank", "rankReason") if k in value}


@dataclass
class Tally:
    """What the curator did."""

    actions: int = 0
    typed: int = 0
    evidence_typed: int = 0
    kept: int = 0
    accepted: int = 0
    edited: int = 0
    by_hand: int = 0
    dismissed: int = 0
    log: list[str] = field(default_factory=list)


class Curator:
    """Drives the workbench's pages in `page` toward the facts of `target` (a facts.yaml)."""

    def __init__(self, page, base: str, target: Path):
        self.page, self.base = page, base
        self.target = read_document(target)
        self.tally = Tally()

    # --- what a person does ------------------------------------------------------------

    def click(self, locator) -> None:
        locator.click()
        self.tally.actions += 1

    def fill(self, locator, text: str) -> None:
        """Type `text` into a field, unless it holds it already (as the form proposed)."""
        if locator.input_value() == text:
            return
        locator.fill(text)
        self.tally.actions += 1
        self.tally.typed += len(text)

    def choose(self, locator, value: str) -> None:
        if locator.input_value() != value:
            locator.select_option(value)
            self.tally.actions += 1

    def until(self, expression: str, arg=None, seconds: float = 60) -> None:
        """Wait until `expression` (a function of `arg`) is true in the page (polled: the
        page's Content-Security-Policy allows no evaluated strings)."""
        deadline = time.monotonic() + seconds
        while not self.page.evaluate(expression, arg):
            if time.monotonic() > deadline:
                raise AssertionError(f"the page never came to {expression}")
            time.sleep(0.05)

    def settle(self) -> None:
        """Wait until the page has saved, checked and reloaded."""
        self.until("() => document.body.dataset.busy !== '1'")

    def select_words(self, start: int, end: int) -> None:
        """Select the text's characters from `start` to `end` with the mouse, as a drag."""
        box = self.page.evaluate(
            """([start, end]) => {
              const at = (offset) => {
                for (const seg of document.querySelectorAll('#text .seg')) {
                  const a = Number(seg.dataset.start), b = Number(seg.dataset.end);
                  if (a <= offset && offset < b) return [seg.firstChild, offset - a];
                }
              };
              const [first, i] = at(start), [last, j] = at(end - 1);
              first.parentElement.scrollIntoView({block: 'center'});
              const r = document.createRange();
              r.setStart(first, i); r.setEnd(first, i + 1);
              const a = r.getClientRects()[0];
              r.setStart(last, j); r.setEnd(last, j + 1);
              const rects = r.getClientRects(), b = rects[rects.length - 1];
              return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
            }""",
            [start, end],
        )
        mouse = self.page.mouse
        mouse.move(box[0], box[1])
        mouse.down()
        mouse.move((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, steps=4)
        mouse.move(box[2], box[3], steps=4)
        mouse.up()
        self.tally.actions += 1
        self.until(
            "s => Boolean(SELECTION) && SELECTION.start === s[0] && SELECTION.end === s[1]",
            [start, end],
            10,
        )

    def loaded(self) -> None:
        """Wait until the article's page has loaded its data."""
        self.until("() => Number(document.body.dataset.loads || 0) >= 1")

    # --- the state of the page ---------------------------------------------------------

    def view(self) -> dict:
        return self.page.evaluate("VIEW")

    def have(self) -> set[tuple]:
        out: set[tuple] = set()
        for item in self.view()["items"]:
            out |= claims_of(item["value"])
        return out

    # --- the workflow ------------------------------------------------------------------

    def new_article(self, text: str) -> str:
        """Paste `text` on the list page and make its article; the id made."""
        self.page.goto(self.base + "/")
        self.page.fill("#new-text", text)  # pasted: one action, not typed
        self.tally.actions += 1
        self.click(self.page.locator("#new-article button[type=submit]"))
        self.page.wait_for_url("**/article/**", timeout=60_000)
        self.loaded()
        return self.page.url.rsplit("/", 1)[-1]

    def curate(self) -> Tally:
        """Make every entity, then every fact, of the target."""
        text = self.view()["text"]
        located = ArticleText(text)
        items = [i for i in self.target.items if i.section == "entities"]
        items += [i for i in self.target.items if i.section == "facts"]
        for item in items:
            before = self.tally.actions
            value = item.value
            span = located.find(value["evidence"], unique=False)
            here = self.here = (span.start, span.end)
            self.located = located
            if item.section == "entities":
                self.declare(value, here)
            for _ in range(12):
                missing = claims_of(value) - self.have()
                if not missing:
                    break
                if not self.from_suggestion(value, here, missing):
                    self.by_hand(item.section, value, here, missing)
            else:
                raise AssertionError(f"could not make {value}")
            missing = claims_of(value) - self.have()
            assert not missing, f"still missing {missing}"
            subject = value.get("id") or value.get("about")
            self.tally.log.append(f"{self.tally.actions - before:3} {item.section} {subject}")
        for s in self.view()["suggestions"]:  # what the article does not say, dismissed
            locator = self.page.locator(f'li.suggestion[data-key="{s["key"]}"] button.dismiss')
            if locator.count():
                self.click(locator)
                self.settle()
                self.tally.dismissed += 1
        return self.tally

    def _suggestion(self, section: str, fits) -> dict | None:
        return next((s for s in self.view()["suggestions"] if s["section"] == section and fits(s)), None)

    def declare(self, value: dict, here: tuple[int, int]) -> None:
        """Declare the entity `value` (its id, type and label): from a suggestion of the same
        id or type and place where there is one, else from the selected words."""
        if any(i["value"].get("id") == value["id"] for i in self.view()["items"]):
            return
        want = claims_of(value)

        def fits(s):
            v = s["value"]
            return v["type"] == value["type"] and (
                v["id"] == value["id"] or (s["start"] < here[1] and here[0] < s["end"])
            )

        s = self._suggestion("entities", fits)
        if s is None:
            self.select_words(*here)
            self.click(self.page.locator('#selection button[data-act="entity"]'))
            form = self.page.locator("#form")
            self.fill(form.locator('[name="id"]'), value["id"])
            self.choose(form.locator('[name="type"]'), value["type"])
            self.fill(form.locator('[name="label"]'), value["label"])
            rest = want - self.suggested_elsewhere(value, here)
            self.add_rows(value["id"], self.pairs(value, rest), False)
            self.set_extras(value)
            self.save("by hand")
            return
        overlaps = s["start"] < here[1] and here[0] < s["end"]
        mine = claims_of(s["value"])
        if (
            overlaps
            and {c[1:] for c in mine} <= {c[1:] for c in want}
            and s["value"]["id"] == value["id"]
            and not _extras(value)
        ):
            self.click(self.page.locator(f'li.suggestion[data-key="{s["key"]}"] button.accept'))
            self.settle()
            self.tally.accepted += 1
            self.tally.kept += 1
            return
        if not overlaps:
            self.select_words(*here)
        self.click(self.page.locator(f'li.suggestion[data-key="{s["key"]}"] >> text=Edit…'))
        form = self.page.locator("#form")
        if s["value"]["id"] != value["id"]:
            self.fill(form.locator('[name="id"]'), value["id"])
        if s["value"]["label"] != value["label"]:
            self.fill(form.locator('[name="label"]'), value["label"])
        kept = self.keep_rows(want, value["id"])
        rest = want - kept - self.suggested_elsewhere(value, here)
        self.add_rows(value["id"], self.pairs(value, rest), False)
        if not overlaps:
            self.click(form.locator("#use-selection"))
        self.set_extras(value)
        self.save("edited")

    def keep_rows(self, want: set, subject: str) -> set:
        """Remove the form's claim rows that the target does not hold; the claims of those
        kept."""
        kept: set = set()
        rows = self.page.locator("#form .claim")
        for n in reversed(range(rows.count())):
            row = rows.nth(n)
            key = row.locator('[name="key"]').input_value()
            value = self.page.evaluate(
                "(n) => readWidget(document.querySelectorAll('#form .claim')[n]"
                ".querySelector('.value'))",
                n,
            )
            if value is None or not claims_of({"about": subject, key: value}) <= want:
                self.click(row.locator("button.drop"))
            else:
                kept |= claims_of({"about": subject, key: value})
        return kept

    def from_suggestion(self, value: dict, here: tuple[int, int], missing: set) -> bool:
        """Accept (or edit, then accept) a suggested fact that says only what is missing, at
        the same place; False if there is none."""
        extras = _extras(value)

        def fits(s):
            return (
                s["start"] < here[1]
                and here[0] < s["end"]
                and claims_of(s["value"]) <= missing
            )

        s = self._suggestion("facts", fits)
        if s is None:
            return False
        # what no pending suggestion says goes into this one's form, rather than a form of
        # its own later (the same words, one save)
        rest = missing - claims_of(s["value"]) - self.suggested_elsewhere(value, here)
        subject = value.get("id") or value.get("about")
        by_hand = [p for p in self.pairs(value, rest) if s["value"].get("about") == subject]
        if by_hand:
            self.click(self.page.locator(f'li.suggestion[data-key="{s["key"]}"] >> text=Edit…'))
            self.add_rows(subject, by_hand, False)
            self.set_extras(value)
            self.save("edited")
            return True
        if not extras:
            self.click(self.page.locator(f'li.suggestion[data-key="{s["key"]}"] button.accept'))
            self.settle()
            self.tally.accepted += 1
            self.tally.kept += 1
            return True
        self.click(self.page.locator(f'li.suggestion[data-key="{s["key"]}"] >> text=Edit…'))
        self.set_extras(value)
        self.save("edited")
        return True

    def by_hand(self, section: str, value: dict, here: tuple[int, int], missing: set) -> None:
        """Make what is missing with the form: as keys added to the entity's own item, or as
        a new fact of the selected words."""
        subject = value.get("id") or value["about"]
        form = self.page.locator("#form")
        if section == "entities":
            index = next(
                n for n, i in enumerate(self.view()["items"]) if i["value"].get("id") == subject
            )
            item = self.page.locator(f'#entities li[data-item="{index}"]')
            self.click(item.locator("button", has_text="Edit"))
            first = False
        else:
            self.select_words(*here)
            self.click(self.page.locator('#selection button[data-act="fact"]'))
            about = form.locator('[name="about"]')
            if about.input_value() != subject:
                self.fill(about, subject)
                about.dispatch_event("change")
            first = True
        self.add_rows(subject, self.pairs(value, missing), first)
        if section == "facts":
            self.set_extras(value)
        self.save("by hand")

    @staticmethod
    def pairs(value: dict, among: set) -> list[tuple[str, object]]:
        """Each (key, one value) of `value` whose claim is in `among`."""
        subject = value.get("id") or value.get("about")
        return [
            (key, one)
            for key, raw in value.items()
            if key not in _FIELDS
            for one in (raw if isinstance(raw, list) else [raw])
            if claims_of({"about": subject, key: one}) <= among
        ]

    def add_rows(self, subject: str, pairs: list, first: bool) -> None:
        """Give the form a row for each (key, value) of `pairs`; with `first`, the row the
        form proposed is used first (for its key if that key is wanted)."""
        form = self.page.locator("#form")
        if first and pairs:
            proposed = form.locator(".claim").last.locator('[name="key"]').input_value()
            pairs = sorted(pairs, key=lambda pair: pair[0] != proposed)
        for key, one in pairs:
            if not first:
                self.click(form.locator("button.add-key"))
            first = False
            row = form.locator(".claim").last
            self.choose(row.locator('[name="key"]'), key)
            self.set_value(row, key, one)

    def suggested_elsewhere(self, value: dict, here: tuple[int, int]) -> set:
        """The claims of `value` that a pending suggestion of a fact says at the same place
        (under whatever id it gives the subject): left to it."""
        subject = value.get("id") or value.get("about")
        said = {
            c[1:]
            for s in self.view()["suggestions"]
            if s["section"] == "facts" and s["start"] < here[1] and here[0] < s["end"]
            for c in claims_of(s["value"])
        }
        return {(subject, *c) for c in said}

    def from_text(self, row, words: str) -> bool:
        """Take `words` for the row's value from the text: selected (within the item's
        evidence where they stand there), then the row's "selected words" button."""
        span = self.located.find_within(words, *self.here) or self.located.find(
            words, unique=False
        )
        if span is None:
            return False
        self.select_words(span.start, span.end)
        self.click(row.locator("button.from-text"))
        return True

    def set_value(self, row, key: str, value) -> None:
        """Put `value` into the claim row's widget, as the key's kind wants it; words that
        must stand in the text are selected there, never typed."""
        kind = PROPERTIES[key].kind
        get = row.locator
        if KINDS[kind].stands_in:
            words = value["text"] if isinstance(value, dict) else value
            field = get('[name="text"]' if kind == "quote" else '[name="v"]')
            if field.input_value() != words and self.from_text(row, words):
                if field.input_value() != words:  # the text has them otherwise (quote marks)
                    self.fill(field, words)
                    self.tally.evidence_typed += len(words)
            elif field.input_value() != words:
                self.fill(field, words)
                self.tally.evidence_typed += len(words)
            if kind == "quote" and isinstance(value, dict) and value.get("verb"):
                self.fill(get('[name="verb"]'), value["verb"])
            return
        if kind == "participation":
            agent, role = (value["agent"], value.get("role", "participant")) if isinstance(value, dict) else (value, "participant")
            self.fill(get('[name="agent"]'), agent)
            self.choose(get('[name="role"]'), role)
        elif kind == "date":
            if isinstance(value, dict) and "weekday" in value:
                self.choose(get('[name="mode"]'), "weekday")
                self.choose(get('[name="weekday"]'), value["weekday"].capitalize())
            elif isinstance(value, dict):
                self.choose(get('[name="mode"]'), "sameDayAs")
                self.fill(get('[name="sameDayAs"]'), value["sameDayAs"])
            else:
                self.fill(get('[name="day"]'), str(value))
        elif kind == "duration":
            number = "".join(ch for ch in str(value) if ch.isdigit())
            self.fill(get('[name="n"]'), number)
            self.choose(get('[name="unit"]'), "H" if "T" in str(value) else "D")
        elif kind in ("enum", "boolean"):
            self.choose(get('[name="v"]'), str(value).lower() if kind == "boolean" else str(value))
        elif kind == "quote":
            text, verb = (value["text"], value.get("verb", "")) if isinstance(value, dict) else (value, "")
            self.fill(get('[name="text"]'), text)
            if verb:
                self.fill(get('[name="verb"]'), verb)
        else:
            self.fill(get('[name="v"]'), str(value))

    def set_extras(self, value: dict) -> None:
        form = self.page.locator("#form")
        if "reading" in value:
            self.fill(form.locator('[name="reading"]'), " ".join(value["reading"].split()))
        if "rank" in value:
            self.choose(form.locator('[name="rank"]'), value["rank"])
            self.fill(form.locator('[name="rankReason"]'), value.get("rankReason", ""))
        if "note" in value:
            self.fill(form.locator('[name="note"]'), " ".join(value["note"].split()))

    def note(self, what: str) -> None:
        self.tally.log.append(f"      {what}")

    def save(self, how: str) -> None:
        self.click(self.page.locator("#form-save"))
        self.settle()
        message = self.page.locator("#form-message").text_content()
        if self.page.locator("#form").is_visible():
            raise AssertionError(f"the save was refused: {message}")
        self.tally.kept += 1
        if how == "edited":
            self.tally.edited += 1
        else:
            self.tally.by_hand += 1
