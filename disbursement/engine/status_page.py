"""`status --html`: what `status` prints, as one self-contained page an operator can open (no scripts, no network,
no files beside it); the sections are status.py's `sections`, so the page and the text never differ."""
from lxml.html import builder as E
from lxml.html import tostring

from .status import Status, sections

# Long lines (a flag names its rule, grant, dates and file) wrap inside their box rather than leave it.
STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
ul { margin: 0; padding-left: 1.2rem; } li { margin: 0.15rem 0; overflow-wrap: anywhere; }
p.none { color: #666; margin: 0; }
"""


def status_page(st: Status) -> str:
    body = [E.H1(f"status as of {st.as_of}")]
    for section in sections(st):
        if not section.shown:
            continue
        items = [E.LI(line) for line in section.lines]
        body += [E.H2(section.heading), E.UL(*items) if items else E.P("none", E.CLASS("none"))]
    page = E.HTML(E.HEAD(E.META(charset="utf-8"), E.TITLE(f"status as of {st.as_of}"), E.STYLE(STYLE)),
                  E.BODY(*body), lang="en")
    return tostring(page, doctype="<!DOCTYPE html>", encoding="unicode", pretty_print=True)
