"""Plain text from the HTML that job postings and catalogue entries carry.

schema.org says a JobPosting ``description`` "should include HTML", and
employers paste formatted text into most other fields too. talentmatch stores
and searches plain text, so markup is dropped here with the standard library's
:class:`html.parser.HTMLParser`: block elements and ``<br>`` become line
breaks, list items become ``- `` lines, entities are decoded, and the content
of ``<script>``, ``<style>`` and ``<template>`` is dropped. Text that does not
look like markup is only tidied, so a plain ``a < b`` survives.

Examples
--------
>>> html_to_text("<p>Build <b>APIs</b> &amp; pipelines.</p><ul><li>SQL</li><li>Python</li></ul>")
'Build APIs & pipelines.\\n- SQL\\n- Python'
>>> html_to_text("Salary < 50k & more")
'Salary < 50k & more'
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_text", "looks_like_html"]

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul", "br", "li",
})
_ITEM = "\x00"  # marks a list item until empty items are dropped
_HIDDEN = frozenset({"script", "style", "template", "head", "title", "noscript"})
# A tag, a comment or a character reference: without one the text is not markup.
_MARKUP = re.compile(r"<(?:[A-Za-z][A-Za-z0-9]*\b[^>]*|/[A-Za-z][A-Za-z0-9]*\s*|!--.*?--)>"
                     r"|&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});", re.DOTALL)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "li":
            self.parts.append(f"\n{_ITEM} ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds a tag, an HTML comment or a character reference.

    >>> looks_like_html("<p>Hi</p>"), looks_like_html("x < y"), looks_like_html("R&amp;D")
    (True, False, True)
    """
    return _MARKUP.search(text) is not None


def html_to_text(text: str) -> str:
    """``text`` without markup: one line per block, blank lines and runs of spaces removed.

    >>> html_to_text("<h2>Role</h2>\\n<p>Line one<br/>line   two</p>")
    'Role\\nLine one\\nline two'
    """
    text = text.replace(_ITEM, "")  # a NUL carries no text, and the marker must be unique
    if looks_like_html(text):
        collector = _TextCollector()
        collector.feed(text)
        collector.close()
        text = "".join(collector.parts)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line.replace(_ITEM, "-", 1) for line in lines if line and line != _ITEM)
