"""Property-based tests: valid curated files and articles, mutated at random, never make
`kg build` crash, and a build that fails leaves the earlier output as it was.

Hypothesis draws the mutations (bytes, lines, indentation, keys, values, encodings). The runs
are derandomised, so a failure replays on every run; Hypothesis prints the failing example
and a ``@reproduce_failure`` line to paste above the test. More examples, or another seed:

    KG_FUZZ_EXAMPLES=500 python -m pytest tests/test_fuzz.py --hypothesis-seed=7

(``--hypothesis-seed`` only takes effect with ``KG_FUZZ_RANDOM=1``, which turns the
derandomisation off.)
"""

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kg.cli import main

from .conftest import ARTICLE, ROOT

FACTS = f"articles/{ARTICLE}/facts.yaml"
FILES = [f"articles/{ARTICLE}/facts.yaml", f"articles/{ARTICLE}/article.txt",
         "entities/people.yaml", "entities/places.yaml"]
EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "15"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                derandomize=not os.environ.get("KG_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

#: Values that YAML reads in surprising ways, and values a careless paste brings.
ODD_VALUES = ["~", "null", "[", "{", "]", "&a x", "*a", "!tag x", "!!python/name:os.system", "|",
              ">-", "- x", "? x", "2025-13-45", "0x1F", "1e400", ".nan", "yes", "''", '"',
              "x: y", "\t", "\x00", "\u202e", "é" * 3, "x" * 5000, "@", "`", "%YAML 1.1",
              "---", "...", "<<: *a"]


@st.composite
def mutations(draw):
    """One mutation: (file, function from the file's bytes to new bytes, description)."""
    file = draw(st.sampled_from(FILES))
    kind = draw(st.sampled_from(["bytes", "delete line", "duplicate line", "indent",
                                 "swap lines", "key", "value", "encoding", "truncate"]))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    junk = draw(st.binary(min_size=1, max_size=8))
    text = draw(st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=40)))
    width = draw(st.integers(min_value=-4, max_value=4))
    encoding = draw(st.sampled_from(["utf-16", "latin-1", "utf-8-sig", "cp1252", "utf-32"]))
    rehash = draw(st.booleans())  # after changing the text, the curator updates its sha256

    def apply(data: bytes) -> bytes:
        import random

        rng = random.Random(seed)
        lines = data.split(b"\n")
        at = rng.randrange(len(lines))
        if kind == "bytes":
            pos = rng.randrange(len(data) + 1)
            return data[:pos] + junk + data[pos + rng.randrange(3):]
        if kind == "delete line":
            del lines[at]
        elif kind == "duplicate line":
            lines.insert(at, lines[at])
        elif kind == "indent":
            line = lines[at]
            lines[at] = b" " * width + line if width > 0 else line[-width:]
        elif kind == "swap lines":
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind in ("key", "value"):
            keyed = [i for i, line in enumerate(lines) if b": " in line]
            if keyed:
                at = rng.choice(keyed)
                key, _, value = lines[at].partition(b": ")
                new = text.encode("utf-8", "surrogatepass")
                if kind == "key":
                    indent = key[: len(key) - len(key.lstrip(b" -"))]
                    lines[at] = indent + new + b": " + value
                else:
                    lines[at] = key + b": " + new
        elif kind == "encoding":
            try:
                return data.decode("utf-8").encode(encoding)
            except UnicodeEncodeError:
                return data.decode("utf-8").encode(encoding, "replace")
        elif kind == "truncate":
            return data[: rng.randrange(len(data) + 1)]
        return b"\n".join(lines)

    return file, apply, rehash, f"{kind} in {file}" + (", rehashed" if rehash else "")


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    """A build of the shipped data: the output a failed build must leave as it was."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    result = CliRunner().invoke(main, ["build", str(ROOT / "data"), "-o", str(out), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    return out


def snapshot(out: Path) -> dict:
    """Every file of a build folder but its cache, with its bytes (the store by its files)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "cache" not in p.relative_to(out).parts}


@FUZZ
@given(mutation=mutations())
def test_a_mutated_input_never_crashes_and_a_failed_build_writes_nothing(
        mutation, earlier, tmp_path_factory):
    file, apply, rehash, what = mutation
    work = tmp_path_factory.mktemp("fuzz")
    data, out = work / "data", work / "out"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(earlier, out, symlinks=True)
    before = snapshot(out)
    path = data / file
    path.write_bytes(apply(path.read_bytes()))
    if rehash and file.endswith("article.txt"):
        facts = data / FACTS
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        facts.write_text(re.sub(r"sha256: \w+", f"sha256: {digest}", facts.read_text("utf-8")),
                         encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(data), "-o", str(out), "-q", "-j", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        what, result.output, result.exc_info)
    assert result.exit_code in (0, 1, 2), (what, result.exit_code, result.output)
    event(f"exit {result.exit_code}")  # --hypothesis-show-statistics tells how many of each
    if result.exit_code == 2:
        assert str(data) in result.output, (what, result.output)  # names the file
    if result.exit_code != 0:
        assert snapshot(out) == before, what
    shutil.rmtree(work)
