"""A deterministic synthetic register and reports at national scale, in the real intake format (docs/intake.md).

For benchmarks (bench/, docs/performance.md): organisations, municipalities, grants with 1-3 departments of both
loan types and ~75 dwellings each (count=1, so dwelling-years = dwellings x years), one `events` file per grant
(the caretaker's hire, so no grant lapses: rules/deadlines.py), an estimate per grant and year (received late in
November of the year before), actuals per grant and year with realistic vacancies and non-eligible months (received
in early February), and a few municipalities' loss claims. The same (dwellings, years, seed) gives the same bytes.

The register is written in chunks of `GRANTS_PER_REGISTER_FILE` grants so no single file (nor its parsed tree)
has to hold the whole country; estimate, actuals and events documents cover one grant each, as the format says.
Every grant is given in 2017 or the first half of 2018 and its caretaker hired before 2019, so the first data year
(2019 by default) lies wholly inside every grant's 15-year window.
"""
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .intake import NS

GRANTS_PER_REGISTER_FILE = 400
MUNICIPALITIES = 98
FIRST_YEAR = 2019


@dataclass(frozen=True)
class SynthSummary:
    grants: int
    departments: int
    dwellings: int
    files: int


def _iban(rng: random.Random) -> str:
    """A valid Danish IBAN (mod-97 check digits over a 4-digit bank code and a 10-digit account)."""
    bban = f"{rng.randint(1000, 9999)}{rng.randint(0, 10**10 - 1):010d}"
    check = 98 - int(bban + "132000") % 97  # D=13, K=20, then "00" in place of the check digits
    return f"DK{check:02d}{bban}"


def _cvr(n: int) -> str:
    return f"{30000000 + n * 7:08d}"


def _write(out: Path, name: str, body: str) -> None:
    (out / name).write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}', encoding="utf-8")


def _grant_plan(rng: random.Random, dwellings: int):
    """Split `dwellings` into grants of 1-3 departments of ~75 dwellings (50-100); the last ones take the rest."""
    left = dwellings
    while left > 0:
        departments = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            if left <= 0:
                break
            size = min(left, rng.randint(50, 100))
            departments.append(size)
            left -= size
        yield departments


def generate(dwellings: int, years: int, seed: int, out: Path, first_year: int = FIRST_YEAR) -> SynthSummary:
    """Write the register, events, estimates, actuals and loss claims for `years` years from `first_year`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    municipalities = [f"{101 + i * 8:03d}" for i in range(MUNICIPALITIES)]
    grants: list[dict] = []
    for g_no, sizes in enumerate(_grant_plan(rng, dwellings), start=1):
        grant_date = date(2017, 1, 2) + timedelta(days=rng.randint(0, 500))
        grants.append({
            "id": f"S{g_no:06d}",
            "org": g_no // 12,
            "municipality": municipalities[rng.randrange(MUNICIPALITIES)],
            "grant_date": grant_date,
            "hired": grant_date + timedelta(days=rng.randint(20, 150)),
            "departments": [
                {"number": str(100 + d), "loan": rng.choice(("nominal", "index")),
                 "dwellings": [(f"D{d}-{k:03d}", rng.randint(4000, 9000) / 100, rng.randint(6000, 14000) / 100)
                               for k in range(size)]}
                for d, size in enumerate(sizes, start=1)
            ],
        })
    files = 0
    organisations = sorted({g["org"] for g in grants})
    for chunk_no, start in enumerate(range(0, len(grants), GRANTS_PER_REGISTER_FILE)):
        parts = [f'<register xmlns="{NS}">']
        if chunk_no == 0:
            org_rng = random.Random(seed * 7919 + 1)
            parts += [f'<organisation cvr="{_cvr(o)}" name="Boligselskab {o}" iban="{_iban(org_rng)}"/>'
                      for o in organisations]
            parts += [f'<municipality code="{m}" name="Kommune {m}" iban="{_iban(org_rng)}"/>' for m in municipalities]
        for g in grants[start:start + GRANTS_PER_REGISTER_FILE]:
            n = sum(len(d["dwellings"]) for d in g["departments"])
            parts.append(
                f'<grant id="{g["id"]}" organisation="{_cvr(g["org"])}" municipality="{g["municipality"]}" '
                f'grant-date="{g["grant_date"]}" cohort="{g["grant_date"].year}" duration-years="15" '
                f'support-hours-per-week="{min(n * 2, 150)}.00" social-support-annual="{300000 + n * 1000}.00" '
                f'social-support-price-year="2017">')
            for d in g["departments"]:
                parts.append(f'<department number="{d["number"]}" name="Afdeling {d["number"]}" loan-type="{d["loan"]}">')
                parts += [f'<dwelling ref="{ref}" area-m2="{area:.2f}" rent="{area * 95:.2f}" '
                          f'subsidy-per-m2="{rate:.2f}" price-year="2016"/>' for ref, area, rate in d["dwellings"]]
                parts.append("</department>")
            parts.append("</grant>")
        parts.append("</register>\n")
        _write(out, f"0000-register-{chunk_no:04d}.xml", "\n".join(parts))
        files += 1
    for g in grants:
        received = g["hired"] + timedelta(days=rng.randint(1, 10))
        _write(out, f"{received}-events-{g['id']}.xml",
               f'<events xmlns="{NS}" grant="{g["id"]}" received="{received}">\n'
               f'<caretaker-hired date="{g["hired"]}"/>\n</events>\n')
        files += 1
    for year in range(first_year, first_year + years):
        for g in grants:
            received = date(year - 1, 11, rng.randint(18, 30))
            body = [f'<estimate xmlns="{NS}" grant="{g["id"]}" year="{year}" received="{received}">']
            for d in g["departments"]:
                body.append(f'<department number="{d["number"]}">')
                body += [f'<dwelling ref="{ref}" months="{12 if rng.random() < 0.9 else rng.randint(6, 11)}"/>'
                         for ref, _, _ in d["dwellings"]]
                body.append("</department>")
            body.append("</estimate>\n")
            _write(out, f"{received}-estimate-{year}-{g['id']}.xml", "\n".join(body))
            received = date(year + 1, 2, rng.randint(1, 14))
            body = [f'<actuals xmlns="{NS}" grant="{g["id"]}" year="{year}" received="{received}" '
                    f'auditor-statement="REV-{year + 1}-{g["id"]}">']
            for d in g["departments"]:
                body.append(f'<department number="{d["number"]}">')
                for ref, _, _ in d["dwellings"]:
                    roll = rng.random()
                    if roll < 0.8:
                        body.append(f'<dwelling ref="{ref}" months="12"/>')
                        continue
                    vacant = rng.randint(1, 6)
                    non_eligible = rng.randint(0, 12 - vacant) if roll > 0.95 else 0
                    body.append(f'<dwelling ref="{ref}" months="{12 - vacant - non_eligible}" '
                                f'non-eligible-months="{non_eligible}" vacant-months="{vacant}"/>')
                body.append("</department>")
            body.append("</actuals>\n")
            _write(out, f"{received}-actuals-{year}-{g['id']}.xml", "\n".join(body))
            files += 2
        by_municipality: dict[str, list[dict]] = {}
        for g in grants:
            by_municipality.setdefault(g["municipality"], []).append(g)
        for code in sorted(by_municipality)[::10]:  # a tenth of the municipalities claim each year
            received = date(year + 1, rng.randint(3, 4), rng.randint(1, 28))
            lines = []
            for g in by_municipality[code][:3]:
                ref = g["departments"][0]["dwellings"][0][0]
                moved_out = date(year, rng.randint(1, 12), 28)
                reason = rng.choice(("tenant-unable-to-pay", "tenant-unable-to-pay", "arrears"))
                lines.append(f'<loss grant="{g["id"]}" dwelling="{ref}" moved-out="{moved_out}" reason="{reason}" '
                             f'amount="{rng.randint(5000, 90000)}.00"/>')
            _write(out, f"{received}-loss-claim-{year}-{code}.xml",
                   f'<loss-claim xmlns="{NS}" municipality="{code}" year="{year}" received="{received}" '
                   f'auditor-statement="REV-{year + 1}-{code}" dwellings="{len(lines) * 10}">\n'
                   + "\n".join(lines) + "\n</loss-claim>\n")
            files += 1
    departments = sum(len(g["departments"]) for g in grants)
    return SynthSummary(len(grants), departments, dwellings, files)
