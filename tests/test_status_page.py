"""`status --html` (issue 16): the same sections and lines as `status`, one self-contained page, rendered by
headless Chromium with nothing cut off, even in a narrow window."""
from freezegun import freeze_time
from lxml import html

from tests.helpers import cli
from tests.browser import cut_off, laid_out
from tests.test_payment_runs import booked, config_dir, output  # noqa: F401  (config_dir is a fixture)


def _sections_of_text(text: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines()[1:]:
        if line.startswith("  "):
            sections[-1][1].append(line[2:])
        else:
            sections.append((line.removesuffix(":"), []))
    return sections


def _sections_of_page(page) -> list[tuple[str, list[str]]]:
    return [(h2.text_content(), [li.text_content() for li in h2.getnext().iter("li")]) for h2 in page.iter("h2")]


def test_the_page_shows_what_status_prints_and_nothing_is_cut_off(db_url, capsys, tmp_path, config_dir):
    booked(db_url, config_dir)  # W1 up to the terms of 2018-03-28, paid in a catch-up: flags, payments, claims
    page_file = tmp_path / "status.html"
    with freeze_time("2018-04-03 11:00:00"):
        assert cli(db_url, "payment-runs", config=config_dir) == 0  # four runs waiting for approval
        code, text, _ = output(capsys, db_url, "status", config=config_dir)
        assert code == 0
        code, out, _ = output(capsys, db_url, "status", "--html", str(page_file), config=config_dir)
    assert code == 0 and out == f"status as of 2018-04-03: {page_file}\n"
    page = html.fromstring(page_file.read_text(encoding="utf-8"))
    assert page.findtext(".//h1") == text.splitlines()[0] == "status as of 2018-04-03"
    sections = _sections_of_text(text)
    assert _sections_of_page(page) == sections
    assert ("payment runs waiting (4; `approve`, then `release` by another operator)",
            ["aconto/2018-03-28/1: 1 payment(s), 13,260.00, waiting for approval",
             "social_support/2017-09-29/1: 1 payment(s), 32,608.70, waiting for approval",
             "social_support/2017-12-29/1: 1 payment(s), 100,000.00, waiting for approval",
             "social_support/2018-03-28/1: 1 payment(s), 102,500.00, waiting for approval"]) in sections
    source = page_file.read_text(encoding="utf-8")
    assert not page.xpath("//script | //link | //iframe | //img | //object | //embed | //@src | //@href")
    assert "url(" not in source and "@import" not in source

    for width in (1100, 420):  # a narrow window wraps the long flag lines
        dom = laid_out(source, width, tmp_path)
        assert cut_off(dom) == []
        assert _sections_of_page(dom) == sections
