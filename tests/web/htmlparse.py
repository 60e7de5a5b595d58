"""A small structural HTML reader for tests: elements by tag, id and attributes, with text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    """One element: tag, attributes, children and text."""

    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    content: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Return the element's text content in document order, whitespace collapsed."""
        return " ".join("".join(self._texts()).split())

    def _texts(self) -> list[str]:
        out: list[str] = []
        for node in self.content:
            out.extend([node] if isinstance(node, str) else node._texts())
        return out

    def iter(self, tag: str | None = None) -> list[Element]:
        """Return this element and its descendants (of one tag), in document order."""
        found = [self] if tag in (None, self.tag) else []
        for child in self.children:
            found.extend(child.iter(tag))
        return found

    def by_id(self, ident: str) -> Element | None:
        """Return the descendant with this id."""
        return next((e for e in self.iter() if e.attrs.get("id") == ident), None)

    def links(self) -> list[tuple[str, str]]:
        """Return (href, text) of every link inside."""
        return [(a.attrs["href"], a.text) for a in self.iter("a") if "href" in a.attrs]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        self.stack[-1].content.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].content.append(data)


def parse_html(text: str) -> Element:
    """Parse an HTML document into an Element tree."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root
