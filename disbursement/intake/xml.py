"""Parse and schema-validate one intake file with lxml; every error carries its line. One parser for every
scheme: the root element's namespace names the scheme's reader and with it the schema (engine/scheme.py)."""
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .errors import Problem, RejectedFile


@lru_cache(maxsize=8)
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def parse(name: str, content: bytes) -> etree._Element:
    """The document's root element, or RejectedFile naming the syntax error with its line. Entities are never
    resolved and nothing is fetched from the network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise RejectedFile([Problem(name, exc.lineno, None, f"malformed XML: {exc.msg}")]) from None


def validate(name: str, root: etree._Element, schema: Path, ns: str) -> None:
    """RejectedFile naming each schema error with its line, the namespace left out of element names."""
    validator = _schema(schema)
    if not validator.validate(root):
        raise RejectedFile([Problem(name, e.line, _field_of(e.message, ns), e.message.replace("{" + ns + "}", ""))
                            for e in validator.error_log])


def _field_of(message: str, ns: str) -> str | None:
    """lxml says "Element '{ns}x', attribute 'y': ..."; name the attribute, else the element."""
    if "attribute '" in message:
        return message.split("attribute '", 1)[1].split("'", 1)[0]
    if "Element '" in message:
        return message.split("Element '", 1)[1].split("'", 1)[0].replace("{" + ns + "}", "")
    return None


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """The child elements `name` in the element's own namespace."""
    return element.findall(f"{{{etree.QName(element).namespace}}}{name}")
