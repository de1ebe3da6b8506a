"""Write `kg.vocab.terms`, the ontology's terms as Python constants, from the ontology.

Run ``python -m kg.vocab.generate`` after adding or renaming a term in
``ontology/diplomacy.ttl``; a test fails while the module and the ontology differ.
"""

from __future__ import annotations

__all__ = ["terms_module", "TERMS_PATH", "main"]

from pathlib import Path

from kg.vocab.namespaces import PREFIX_IRIS, RDF, RDFS
from kg.vocab.ontology import ontology_triples

#: The generated module.
TERMS_PATH = Path(__file__).with_name("terms.py")

_HEAD = '''"""The terms of the diplomacy ontology (``dip:``), one constant each.

GENERATED from ontology/diplomacy.ttl by ``python -m kg.vocab.generate``: do not edit. A
name the ontology does not declare is no attribute of `DIP`, so a misspelt term fails (an
AttributeError when it runs, an error from mypy before) instead of making a new IRI.
"""

from __future__ import annotations

__all__ = ["DIP"]

from typing import Final


class DIP:
    """The diplomacy ontology's classes, properties and individuals, as IRIs."""

    NS: Final = "{ns}"
'''


def terms_module() -> str:
    """The text of `kg.vocab.terms` for the ontology as it is now: every ``dip:`` term the
    ontology types (a class, a property, an individual), in order of name, with its label.

    Examples
    --------
    >>> '    headedBy: Final = NS + "headedBy"  # headed by' in terms_module()
    True
    """
    ns = PREFIX_IRIS["dip"]
    typed, labels = set(), {}
    for triple in ontology_triples():
        subject = triple.subject.value
        if not subject.startswith(ns) or subject == ns:
            continue
        if triple.predicate.value == RDF.type:
            typed.add(subject[len(ns) :])
        elif (
            triple.predicate.value == RDFS.label
            and getattr(triple.object, "language", None) == "en"
        ):
            labels[subject[len(ns) :]] = triple.object.value
    lines = [_HEAD.format(ns=ns)]
    for name in sorted(typed - {""}, key=lambda n: (n.lower(), n)):
        if not name.isidentifier():
            raise ValueError(f"dip:{name} cannot be a Python name; rename the term")
        lines.append(f'    {name}: Final = NS + "{name}"  # {labels.get(name, "")}'.rstrip())
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write `TERMS_PATH` anew."""
    TERMS_PATH.write_text(terms_module(), encoding="utf-8")
    print(f"wrote {TERMS_PATH}")


if __name__ == "__main__":  # pragma: no cover
    main()
