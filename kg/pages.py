"""Every HTML page kg writes, rendered from the Jinja2 templates in ``kg/templates`` with
autoescape on: Python hands a page its data, never markup.

Data a page's script needs goes in through Jinja's ``tojson`` filter, which escapes ``<``,
``>`` and ``&``; only http(s) IRIs become links (`href`), our own resources linking to
their page on ``kg serve`` (``/id/...``).
"""

from __future__ import annotations

__all__ = ["render", "local_href", "href"]

from functools import lru_cache
from typing import TYPE_CHECKING

from kg.vocab.namespaces import PREFIX_IRIS, compact

if TYPE_CHECKING:
    from jinja2 import Environment


def local_href(iri: str) -> str:
    """Where an IRI links from a page of ``kg serve``: our entities, articles and facts to
    their page on the server itself (``/id/...``), any other IRI to itself.

    Examples
    --------
    >>> local_href("https://w3id.org/diplomacy-kg/id/russia"), local_href("https://schema.org/")
    ('/id/russia', 'https://schema.org/')
    """
    base = PREFIX_IRIS["kgr"]
    return "/id/" + iri[len(base) :] if iri.startswith(base) else iri


def href(iri: str) -> str | None:
    """The link of an IRI on a page (`local_href`), or None for an IRI that is not http(s):
    a ``javascript:`` or ``data:`` IRI in the data never becomes a link.

    Examples
    --------
    >>> href("https://w3id.org/diplomacy-kg/id/russia"), href("javascript:alert(1)")
    ('/id/russia', None)
    """
    return local_href(iri) if iri.startswith(("http://", "https://")) else None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # deferred for start-up time: kg query imports this module, and renders a page seldom
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape  # noqa: PLC0415

    env = Environment(
        loader=PackageLoader("kg", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["compact"] = compact
    env.filters["href"] = href
    return env


def render(template: str, **data) -> str:
    """The page `template` (a file of ``kg/templates``) filled with `data`.

    Examples
    --------
    >>> page = render("table.html", header=["a"], rows=[["<b>"]])
    >>> "<td>&lt;b&gt;</td>" in page
    True
    """
    return _environment().get_template(template).render(**data)
