"""Parse and schema-validate one intake file with lxml; every error carries its line."""
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .errors import Problem, RejectedFile

NS = "urn:disbursement:intake:1"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "intake.xsd"


@lru_cache(maxsize=4)
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def parse_validated(name: str, content: bytes, schema: Path = SCHEMA, ns: str = NS) -> etree._Element:
    """The document's root element, or RejectedFile naming each syntax or schema error with its line.

    One parser for every intake schema (inclusion housing by default; temporary housing passes its own)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise RejectedFile([Problem(name, exc.lineno, None, f"malformed XML: {exc.msg}")]) from None
    validator = _schema(schema)
    if not validator.validate(root):
        raise RejectedFile([Problem(name, e.line, _field_of(e.message, ns), e.message.replace("{" + ns + "}", ""))
                            for e in validator.error_log])
    return root


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
    return element.findall(f"{{{NS}}}{name}")
