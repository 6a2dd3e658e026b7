"""Parse and schema-validate one intake file with lxml; every error carries its line. One parser for every
scheme: the root element's namespace names the scheme's reader and with it the schema (engine/scheme.py)."""
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .errors import Problem, RejectedFile


@lru_cache(maxsize=8)
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_OTHER_BOMS = {b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe\x00\x00": "UTF-32", b"\xfe\xff": "UTF-16",
               b"\xff\xfe": "UTF-16"}


def check_utf8(name: str, content: bytes) -> None:
    """docs/intake.md: files are UTF-8, with or without a byte-order mark; anything else is refused, not guessed."""
    for bom, encoding in _OTHER_BOMS.items():
        if content.startswith(bom):
            raise RejectedFile([Problem(name, 1, "encoding", f"the file is {encoding} (byte-order mark); only UTF-8 "
                                        "is accepted")])
    declared = _DECLARED.match(content.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode("ascii").lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise RejectedFile([Problem(name, 1, "encoding", f"the file declares {declared.group(1).decode('ascii')}; "
                                    "only UTF-8 is accepted")])
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise RejectedFile([Problem(name, line, "encoding", f"byte 0x{content[exc.start]:02x} at offset {exc.start} "
                                    "is not UTF-8; only UTF-8 is accepted")]) from None
    if b"\x00" in content:
        line = content[:content.index(b"\x00")].count(b"\n") + 1
        raise RejectedFile([Problem(name, line, "encoding", "a NUL byte: not a UTF-8 text file")])


_PROLOG_ITEM = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->)", re.S)


def _declares_doctype(content: bytes) -> bool:
    """Whether the prolog (before the root element: declaration, comments) holds a document type declaration."""
    position = 3 if content.startswith(b"\xef\xbb\xbf") else 0
    while item := _PROLOG_ITEM.match(content, position):
        position = item.end()
    return content[position:position + 64].lstrip()[:9].upper() == b"<!DOCTYPE"


def parse(name: str, content: bytes) -> etree._Element:
    """The document's root element, or RejectedFile naming the problem with its line. UTF-8 only; a document type
    declaration (DTD, entities) is refused outright, so no entity is ever expanded or fetched."""
    check_utf8(name, content)
    if _declares_doctype(content):
        raise RejectedFile([Problem(name, 1, "DOCTYPE", "a document type declaration is not accepted in an intake "
                                    "file (no DTD, no entities)")])
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise RejectedFile([Problem(name, exc.lineno, None, f"malformed XML: {exc.msg}")]) from None


def validate(name: str, root: etree._Element, schema: Path, ns: str) -> None:
    """RejectedFile naming each schema error with its line, the namespace left out of element names."""
    validator = _schema(schema)
    try:
        valid = validator.validate(root)
    except etree.Error as exc:  # lxml's own failure on a document it cannot validate
        raise RejectedFile([Problem(name, None, None, f"cannot be validated: {exc}")]) from None
    if not valid:
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


def date_attribute(element: etree._Element, name: str) -> date | None:
    """An optional xs:date attribute (the schema has checked its form)."""
    value = element.get(name)
    return date.fromisoformat(value) if value else None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """The child elements `name` in the element's own namespace."""
    return element.findall(f"{{{etree.QName(element).namespace}}}{name}")
