"""Offline JSON-LD: bundled contexts only, RDFC-1.0 canonical N-Quads.

Every context comes from ``standards/contexts/`` (see its README and
:mod:`standards.build_contexts`); a URL that is not bundled raises
:class:`~standards.errors.UnknownContext` naming it, and nothing is ever
fetched. :func:`canonicalize` is the RDF Dataset Canonicalization (RDFC-1.0,
which pyld still calls "URDNA2015"; the output is the same) that Data
Integrity signatures are computed over.

pyld has no "safe mode". JSON-LD quietly drops members whose names the
contexts do not define and keeps relative IRIs out of the RDF, so a signature
over the canonical form would not cover them: anyone could add or change such
a member without breaking the signature. :func:`canonicalize` therefore
refuses such documents with :class:`UnsafeDocument`, as the Data Integrity
specification asks of verifiers. Canonicalisation also runs under a work
limit, so that a crafted graph cannot hold a worker for minutes.

>>> doc = {"@context": {"name": "https://schema.org/name"}, "@id": "urn:x:1", "name": "Ada"}
>>> print(canonicalize(doc), end="")
<urn:x:1> <https://schema.org/name> "Ada" .
>>> try:
...     canonicalize({"@context": {"name": "https://schema.org/name"}, "nickname": "A"})
... except UnsafeDocument as error:
...     print("(nickname at nickname)" in str(error))
True
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver

from standards.errors import DocumentError, UnknownContext
from standards.result import join

__all__ = [
    "CONTEXTS",
    "UnsafeDocument",
    "bundled_contexts",
    "canonicalize",
    "check_contexts",
    "context_urls",
    "document_loader",
]

CONTEXTS = Path(__file__).resolve().parent / "contexts"


class UnsafeDocument(ValueError):
    """Part of the document would not be covered by a signature over its canonical form."""


class _BoundedCache(dict):
    """pyld's resolved-context cache; inline contexts must not grow it without end."""

    limit = 256

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, value)


_RESOLVED = _BoundedCache()


@cache
def bundled_contexts() -> Mapping[str, dict]:
    """Context URL -> context document, read once from ``standards/contexts``."""
    manifest = json.loads((CONTEXTS / "manifest.json").read_text("utf-8"))
    return {url: json.loads((CONTEXTS / name).read_text("utf-8")) for url, name in manifest.items()}


def document_loader(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader over the bundled contexts; never touches the network.

    >>> try:
    ...     document_loader("https://example.org/ctx")
    ... except UnknownContext as error:
    ...     print(error.url)
    https://example.org/ctx
    """
    try:
        document = bundled_contexts()[url]
    except KeyError:
        raise UnknownContext(url) from None
    # pyld may rewrite a context it is handed; the bundled copy must stay pristine.
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": copy.deepcopy(document)}


def context_urls(document: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every context URL the document names, anywhere in it, with its path.

    >>> list(context_urls({"@context": ["https://a.example/x", {"n": "https://b.example/n"}]}))
    [('@context.0', 'https://a.example/x')]
    """
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield from context_urls(item, join(path, index))
    elif isinstance(document, Mapping):
        for key, value in document.items():
            if key == "@context":
                yield from _context_strings(value, join(path, key))
            else:
                yield from context_urls(value, join(path, key))


def _context_strings(context: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(context, str):
        yield path, context
    elif isinstance(context, list):
        for index, item in enumerate(context):
            yield from _context_strings(item, join(path, index))


def check_contexts(document: Any) -> None:
    """Raise :class:`UnknownContext` for the first context URL that is not bundled."""
    for path, url in context_urls(document):
        if url not in bundled_contexts():
            raise UnknownContext(url, path)


def _options() -> dict[str, Any]:
    # base None keeps relative IRIs relative (pyld would otherwise resolve them
    # against http://example.org/base/), so that they can be refused below.
    return {"documentLoader": document_loader, "base": None,
            "contextResolver": ContextResolver(_RESOLVED, document_loader)}


def canonicalize(document: Mapping[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document.

    Raises
    ------
    UnknownContext
        A context is not bundled.
    UnsafeDocument
        A member name the contexts do not define, or a relative IRI: the
        canonical form would leave it out.
    DocumentError
        The document is not valid JSON-LD.
    """
    check_contexts(document)
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda term: dropped.append(str(term)))
    try:
        expanded = processor.expand(dict(document), _options())
    except PYLD_ERRORS as error:
        raise _cause(error) from error
    _refuse_losses(document, dropped, sorted(set(_relative_iris(expanded))))
    try:
        dataset = processor.to_rdf(expanded, _options())
        return str(_BoundedRdfc().main(dataset, {"format": "application/n-quads"}))
    except PYLD_ERRORS as error:
        raise _cause(error) from error


class _BoundedRdfc(URDNA2015):
    """RDFC-1.0 with a work budget, like jsonld.js's ``maxWorkFactor``.

    Crafted graphs of look-alike blank nodes ("poison graphs") make the
    algorithm try every permutation of them; a credential needs a handful of
    steps at most, so a document that needs thousands is refused instead of
    holding a worker for minutes.
    """

    budget = 20_000

    def __init__(self) -> None:
        super().__init__()
        self.work = 0

    def hash_related_blank_node(self, related: Any, quad: Any, issuer: Any, position: Any) -> Any:
        self.work += 1
        if self.work > self.budget:
            raise DocumentError("$", "The document's blank nodes are too entangled to "
                                     "canonicalise within the work limit.")
        return super().hash_related_blank_node(related, quad, issuer, position)


# pyld expects well-formed JSON-LD: on other input it may fail in any of these ways,
# and that is the document's fault, never a reason for a server error.
PYLD_ERRORS = (jsonld.JsonLdError, TypeError, ValueError, KeyError, IndexError, AttributeError,
               RecursionError)


def _cause(error: BaseException) -> DocumentError:
    """The UnknownContext behind a pyld error, or the pyld error as a DocumentError."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, UnknownContext):
            return seen
        seen = seen.__cause__ or seen.__context__
    reason = error.args[0] if error.args else type(error).__name__
    return DocumentError("$", f"Not valid JSON-LD: {reason}")


def _refuse_losses(document: Mapping[str, Any], dropped: list[str], relative: list[str]) -> None:
    problems = []
    if dropped:
        terms = sorted(set(dropped))
        where = ", ".join(p for term in terms for p in list(_paths_of_key(document, term))[:2])
        problems.append(f"it uses names that its JSON-LD contexts do not define "
                        f"({', '.join(terms)}{' at ' + where if where else ''})")
    if relative:
        problems.append(f"it holds relative IRIs ({', '.join(relative[:5])}) where absolute "
                        "ones are required")
    if problems:
        raise UnsafeDocument("The document cannot be signed or verified safely: "
                             + "; ".join(problems) + ", which a signature would not cover.")


def _paths_of_key(document: Any, key: str, path: str = "") -> Iterator[str]:
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield from _paths_of_key(item, key, join(path, index))
    elif isinstance(document, Mapping):
        for name, value in document.items():
            if name == key:
                yield join(path, name)
            elif name != "@context":
                yield from _paths_of_key(value, key, join(path, name))


def _relative_iris(expanded: Any) -> Iterator[str]:
    """Node ids, types and datatypes of expanded JSON-LD that are not absolute IRIs."""
    if isinstance(expanded, list):
        for item in expanded:
            yield from _relative_iris(item)
    elif isinstance(expanded, dict):
        for key, value in expanded.items():
            if key in ("@id", "@type"):
                for iri in value if isinstance(value, list) else [value]:
                    if isinstance(iri, str) and not _absolute(iri):
                        yield iri
            elif key != "@value":
                yield from _relative_iris(value)


def _absolute(iri: str) -> bool:
    return iri.startswith(("_:", "@")) or (":" in iri and " " not in iri)
