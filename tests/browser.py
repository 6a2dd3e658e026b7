"""Headless Chromium for the tests of every HTML page (issue 16): where it is, how a page is laid out in it at a
given width, and which text boxes it found cut off."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def chromium_path() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(f"headless Chromium is required in CI ({CHROMIUM} missing; .ci/run installs Debian's chromium)")
    pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium to render the evaluation report")


# Run in the page by the test only (the page itself has no script): every text box must lie inside the body's
# content box and show all of its text, and every SVG chart's text must lie inside its chart's box (an SVG clips
# what lies outside its viewBox); each one that does not is marked, and the body says the check ran. An element
# the page does not render (display: none) has no box and cannot be cut off.
CHECK = """<script>
const area = document.body.getBoundingClientRect();
const outside = (box, frame) => box.left < frame.left - 0.5 || box.right > frame.right + 0.5
  || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5;
for (const el of document.querySelectorAll('h1, h2, h3, li, p, th, td, dt, dd, svg')) {
  if (el.getClientRects().length === 0) continue;
  const box = el.getBoundingClientRect();
  if (box.left < area.left - 0.5 || box.right > area.right + 0.5 || el.scrollWidth > el.clientWidth + 1) {
    el.setAttribute('data-cut', `${Math.round(box.left)}-${Math.round(box.right)} of ${Math.round(area.right)}`);
  }
}
for (const el of document.querySelectorAll('svg text')) {
  const box = el.getBoundingClientRect(), frame = el.ownerSVGElement.getBoundingClientRect();
  if (outside(box, frame)) {
    el.setAttribute('data-cut', `${Math.round(box.left)}-${Math.round(box.right)} of svg `
      + `${Math.round(frame.left)}-${Math.round(frame.right)}`);
  }
}
document.body.setAttribute('data-checked', 'yes');
</script>"""


def laid_out(source: str, width: int, tmp_path):
    """The page as headless Chromium lays it out `width` pixels wide, with CHECK run in it."""
    checked = tmp_path / "checked.html"
    checked.write_text(source.replace("</body>", f"{CHECK}</body>"), encoding="utf-8")
    dumped = subprocess.run(
        [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
         "--disable-background-networking", "--disable-component-update", f"--window-size={width},2000",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", checked.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = html.fromstring(dumped.stdout)
    assert dom.find(".//body").get("data-checked") == "yes"
    return dom


def cut_off(dom) -> list[tuple]:
    """Each text box CHECK found cut off: its tag, where it lies, the start of its text."""
    return [(el.tag, el.get("data-cut"), el.text_content()[:60]) for el in dom.xpath("//*[@data-cut]")]
